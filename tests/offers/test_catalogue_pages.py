"""The public catalogue pages: filters, kind → theme navigation, offer and provider pages, visibility."""

import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tahub.accounts.models import Organisation
from tahub.offers.models import Offer
from tahub.offers.services import offer_attach, offer_close, offer_create
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme
from tests.offers.factories import offer_data, published_offer

pytestmark = pytest.mark.django_db


def kinds(*codes):
    return list(KindOfHelp.objects.filter(code__in=codes))


def themes(*codes):
    return list(Theme.objects.filter(code__in=codes))


def listed_titles(response):
    return [offer.title for offer in response.context["page"]]


# Filters


@pytest.fixture
def assorted(personas):
    """Offers differing in one respect each, all public and open."""
    return {
        "course": published_offer(
            title="Online e-waste course", modality="online", languages=["es"],
            description="Self-study modules on dismantling.",
            kinds=kinds("training.elearning"), themes=themes("waste_management.ewaste"),
            conventions=list(Convention.objects.filter(code="stockholm")),
        ),
        "grants": published_offer(
            title="LDC grants", eligible_developing=False, eligible_ldc=True, kinds=kinds("resources.financial"),
        ),
        "peru": published_offer(
            title="For Peru", eligible_developing=False, eligible_countries=[Country.objects.get(iso3="PER")],
        ),
        "africa": published_offer(
            title="For Africa", eligible_developing=False, eligible_groups=[RegionalGroup.objects.get(code="AFRICA")],
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["For Africa", "For Peru", "LDC grants", "Online e-waste course"]),
        ({"kind": "resources"}, ["LDC grants"]),
        ({"kind": "training"}, ["For Africa", "For Peru", "Online e-waste course"]),
        ({"theme": "waste_management"}, ["Online e-waste course"]),
        ({"q": "dismantling"}, ["Online e-waste course"]),
        ({"country": "PER"}, ["For Peru", "Online e-waste course"]),
        ({"country": "SEN"}, ["For Africa", "LDC grants", "Online e-waste course"]),
        ({"regional_group": "AFRICA"}, ["For Africa"]),
        ({"language": "es", "modality": "online"}, ["Online e-waste course"]),
        ({"provider_type": "igo"}, ["For Africa", "For Peru", "LDC grants", "Online e-waste course"]),
        ({"provider_type": "ngo"}, []),
        ({"convention": "stockholm"}, ["Online e-waste course"]),
    ],
)
def test_filters_on_the_page_narrow_the_results(assorted, client, query, expected):
    response = client.get("/offers/", {**query, "sort": "title"})

    assert response.status_code == 200
    assert listed_titles(response) == expected


def test_open_now_and_include_closed_filters(personas, client):
    published_offer(title="Running")
    published_offer(title="Starting next year", starts_on=date.today() + timedelta(days=400), ends_on=None)
    offer_close(actor=None, offer=published_offer(title="Closed"))

    assert listed_titles(client.get("/offers/", {"sort": "title"})) == ["Running", "Starting next year"]
    assert listed_titles(client.get("/offers/", {"open_now": "on"})) == ["Running"]
    assert listed_titles(client.get("/offers/", {"include_closed": "on", "sort": "title"})) == [
        "Closed", "Running", "Starting next year",
    ]


def test_a_bad_filter_value_is_reported_and_the_others_still_apply(assorted, client):
    response = client.get("/offers/", {"kind": "no-such-kind", "language": "es"})

    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert listed_titles(response) == ["Online e-waste course"]


def test_sorting_by_title_and_by_end_date(personas, client):
    published_offer(title="B ends later", ends_on=date(2027, 12, 31))
    published_offer(title="A standing", ends_on=None)
    published_offer(title="C ends first", ends_on=date(2027, 1, 31))

    assert listed_titles(client.get("/offers/", {"sort": "title"})) == ["A standing", "B ends later", "C ends first"]
    assert listed_titles(client.get("/offers/", {"sort": "ending"})) == ["C ends first", "B ends later", "A standing"]


def test_htmx_gets_the_results_with_the_count_and_navigation_out_of_band(assorted, client):
    response = client.get("/offers/", {"kind": "resources"}, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "<html" not in body
    assert 'id="offer-count" hx-swap-oob="innerHTML">1 offer' in body
    assert 'id="catalogue-navigation" hx-swap-oob="innerHTML"' in body
    assert listed_titles(response) == ["LDC grants"]


def test_pagination_shows_25_offers_a_page_and_keeps_the_filters(personas, client):
    for number in range(27):
        published_offer(title=f"Offer {number:02}")

    first = client.get("/offers/", {"sort": "title", "language": "en"})
    second = client.get("/offers/", {"sort": "title", "language": "en", "page": "2"})

    assert listed_titles(first) == [f"Offer {number:02}" for number in range(25)]
    assert listed_titles(second) == ["Offer 25", "Offer 26"]
    assert 'href="?sort=title&amp;language=en&amp;page=2"' in first.content.decode()


# Kind → theme navigation


def test_kind_cards_and_theme_links_count_open_offers_the_reader_may_see(personas, client_for):
    """Given offers across kinds and themes, some not open or not public, the counts are of open visible ones."""
    published_offer(kinds=kinds("training.course"), themes=themes("monitoring"))
    # Two refinements of training and two sub-themes of waste management: still one offer each.
    published_offer(
        kinds=kinds("training.elearning", "training.twinning", "resources.equipment"),
        themes=themes("waste_management.ewaste", "waste_management.plastic", "monitoring.laboratories"),
    )
    published_offer(kinds=kinds("training"), themes=themes("legal"), visibility=Offer.Visibility.PARTIES)
    offer_close(actor=None, offer=published_offer(kinds=kinds("training"), themes=themes("legal")))
    published_offer(kinds=kinds("training"), starts_on=timezone.localdate() + timedelta(days=30), ends_on=None)
    offer_create(actor=None, provider=Organisation.objects.get(acronym="UNITAR"), data=offer_data(kinds=kinds("advice")))

    def navigation(user, **query):
        response = client_for(user).get("/offers/", query)
        cards = {kind.code: count for kind, count in response.context["kinds"]}
        links = {theme.code: count for theme, count in response.context["themes"]}
        return cards, links

    cards, links = navigation(None)
    assert cards == {"training": 2, "knowhow": 0, "advice": 0, "resources": 1}
    assert links == {}  # no kind chosen yet

    cards, links = navigation(None, kind="training")
    assert links == {"monitoring": 2, "waste_management": 1}

    _cards, links = navigation(None, kind="training.elearning")  # a refinement shows its kind's themes
    assert links == {"monitoring": 2, "waste_management": 1}

    cards, links = navigation(personas.focal_kenya, kind="training")
    assert cards["training"] == 3
    assert links == {"monitoring": 2, "waste_management": 1, "legal": 1}


def test_theme_links_lead_to_the_offers_of_that_kind_and_theme(personas, client):
    published_offer(title="Monitoring training", kinds=kinds("training"), themes=themes("monitoring.inventories"))
    published_offer(title="Monitoring grant", kinds=kinds("resources"), themes=themes("monitoring"))
    published_offer(title="Legal training", kinds=kinds("training"), themes=themes("legal"))

    page = client.get("/offers/", {"kind": "training"}).content.decode()
    assert 'href="/offers/?kind=training&amp;theme=monitoring"' in page

    response = client.get("/offers/", {"kind": "training", "theme": "monitoring"})
    assert listed_titles(response) == ["Monitoring training"]


# Offer and provider pages


def test_offer_page_says_everything_the_offer_says(personas, client):
    offer = published_offer(
        title="Customs training",
        description="Hands-on **practice**.\n\n<script>alert(1)</script>",
        eligible_developing=True, eligible_ldc=True,
        eligible_groups=[RegionalGroup.objects.get(code="AFRICA")],
        eligible_countries=[Country.objects.get(iso3="PER")],
        starts_on=None, ends_on=None, amount=Decimal("15000"), currency="usd", in_kind_days=10,
        how_to_apply="Send the nomination form.", contact_name="Ana Trainer",
        conventions=list(Convention.objects.filter(code="basel")),
        links=[("Course page", "https://example.org/course")],
    )

    body = client.get(f"/offers/{offer.pk}/").content.decode()

    assert "<strong>practice</strong>" in body and "<script>" not in body
    assert "All developing-country Parties; least developed countries; African States; Peru" in body
    assert "Standing offer" in body
    assert "15,000.00 USD" in body and "10 days in kind" in body
    assert "Basel Convention" in body
    assert "Send the nomination form." in body
    assert 'href="mailto:training@example.org"' in body and "Ana Trainer" in body
    assert "ask the" in body and "Secretariat" in body
    assert 'href="https://example.org/course"' in body
    assert "Technical assistance and training" in body and "English, French" in body


def test_a_closed_offer_says_so(personas, client):
    offer = offer_close(actor=None, offer=published_offer())

    body = client.get(f"/offers/{offer.pk}/").content.decode()

    assert "This offer is closed" in body


def test_offer_page_lists_attachments_with_name_and_size(personas, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    offer = published_offer()
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n" + b"0" * 2000
    offer_attach(actor=personas.provider_unitar, offer=offer, upload=SimpleUploadedFile("programme.pdf", pdf))

    body = client.get(f"/offers/{offer.pk}/").content.decode()

    assert "programme.pdf" in body and "2.0\xa0KB" in body


def test_provider_page_lists_current_and_earlier_offers(personas, client):
    current = published_offer(title="Running now")
    offer_close(actor=None, offer=published_offer(title="Done before"))

    response = client.get(f"/offers/providers/{current.provider_id}/")

    assert [offer.title for offer in response.context["current"]] == ["Running now"]
    assert [offer.title for offer in response.context["earlier"]] == ["Done before"]
    assert "Intergovernmental organisation" in response.content.decode()


# Visibility everywhere


@pytest.fixture
def audiences(personas):
    """Recognisable offers per visibility, and a provider whose only offer is for Parties."""
    japan = Organisation.objects.create(name="Ministry of the Environment of Japan", type=Organisation.Type.PARTY_GOVERNMENT)
    quiet = Organisation.objects.create(name="Quiet Partner NGO", type=Organisation.Type.NGO)
    return {
        "japan": japan,
        "quiet": quiet,
        "public": published_offer(title="SEEN-BY-ALL", provider=japan),
        "parties": published_offer(title="PARTIES-ONLY-OFFER", provider=japan, visibility=Offer.Visibility.PARTIES),
        "secretariat": published_offer(
            title="SECRETARIAT-ONLY-OFFER", provider=japan, visibility=Offer.Visibility.SECRETARIAT
        ),
        "quiet_offer": published_offer(title="QUIET-PARTIES-OFFER", provider=quiet, visibility=Offer.Visibility.PARTIES),
    }


def _download_text(client, fmt):
    response = client.get(f"/offers/download.{fmt}")
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt != "xlsx":
        return content.decode("utf-8-sig")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("persona", "seen", "unseen"),
    [
        (None, ["SEEN-BY-ALL"], ["PARTIES-ONLY-OFFER", "SECRETARIAT-ONLY-OFFER", "QUIET-PARTIES-OFFER"]),
        ("no_role", ["SEEN-BY-ALL"], ["PARTIES-ONLY-OFFER", "SECRETARIAT-ONLY-OFFER", "QUIET-PARTIES-OFFER"]),
        ("focal_kenya", ["SEEN-BY-ALL", "PARTIES-ONLY-OFFER", "QUIET-PARTIES-OFFER"], ["SECRETARIAT-ONLY-OFFER"]),
    ],
)
def test_offers_hidden_from_a_reader_appear_on_no_page_and_in_no_download(
    audiences, personas, client_for, persona, seen, unseen
):
    client = client_for(getattr(personas, persona) if persona else None)
    bodies = {
        "catalogue": client.get("/offers/").content.decode(),
        "provider": client.get(f"/offers/providers/{audiences['japan'].pk}/").content.decode(),
        **{fmt: _download_text(client, fmt) for fmt in ("csv", "xlsx", "json")},
    }
    provider_titles = {"SEEN-BY-ALL", "PARTIES-ONLY-OFFER", "SECRETARIAT-ONLY-OFFER"}

    for where, body in bodies.items():
        expected = [title for title in seen if where != "provider" or title in provider_titles]
        assert all(title in body for title in expected), where
        assert not any(title in body for title in unseen), where
    by_title = {offer.title: offer for offer in Offer.objects.all()}
    for title in seen:
        assert client.get(f"/offers/{by_title[title].pk}/").status_code == 200
    for title in unseen:
        assert client.get(f"/offers/{by_title[title].pk}/").status_code == 404


def test_a_provider_whose_offers_a_reader_may_not_see_is_not_shown_to_them(audiences, personas, client_for):
    anonymous, focal = client_for(None), client_for(personas.focal_kenya)
    quiet = f"/offers/providers/{audiences['quiet'].pk}/"

    assert anonymous.get(quiet).status_code == 404
    assert focal.get(quiet).status_code == 200
    public_list = {p.name: p.offer_count for p in anonymous.get("/offers/providers/").context["providers"]}
    party_list = {p.name: p.offer_count for p in focal.get("/offers/providers/").context["providers"]}
    assert public_list == {"Ministry of the Environment of Japan": 1}
    assert party_list == {"Ministry of the Environment of Japan": 2, "Quiet Partner NGO": 1}


# Cost


@pytest.mark.parametrize("persona", [None, "focal_kenya"])
def test_the_catalogue_page_costs_the_same_queries_for_5_and_40_offers(personas, client_for, persona):
    client = client_for(getattr(personas, persona) if persona else None)

    def count(*, cold):
        if cold:
            cache.clear()  # the counts are computed, not read from the cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/offers/", {"kind": "training", "language": "en"})
        assert response.status_code == 200
        return len(captured)

    for _number in range(5):
        published_offer(eligible_countries=[Country.objects.get(iso3="PER")], conventions=list(Convention.objects.all()))
    count(cold=False)  # session and memberships are read once, then cached
    few_cold, few_warm = count(cold=True), count(cold=False)
    for _number in range(35):
        published_offer(eligible_countries=[Country.objects.get(iso3="PER")], conventions=list(Convention.objects.all()))
    assert count(cold=True) == few_cold
    assert count(cold=False) == few_warm < few_cold


def test_cached_counts_follow_every_change_to_an_offer(personas, client):
    from tahub.offers.services import offer_withdraw

    offer = published_offer(title="Counted")
    first = client.get("/offers/").context["page"].paginator.count

    published_offer(title="Another")
    assert client.get("/offers/").context["page"].paginator.count == first + 1

    offer_withdraw(actor=None, offer=offer, reason="Cancelled")
    response = client.get("/offers/")
    assert response.context["page"].paginator.count == first
    assert dict((kind.code, n) for kind, n in response.context["kinds"])["training"] == first
