import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LANGUAGES = {"ar": "rtl", "zh-hans": "ltr", "en": "ltr", "fr": "ltr", "es": "ltr", "ru": "ltr"}


def client_in(language):
    client = Client()
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(("language", "direction"), LANGUAGES.items())
@pytest.mark.parametrize(
    "url", ["/", "/parties/", "/parties/KEN/", "/centres/", "/centres/senegal/", "/themes/", "/account/sign-in/"]
)
def test_public_pages_render_in_each_language_with_its_direction(reference, url, language, direction):
    response = client_in(language).get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body


@pytest.mark.parametrize(
    ("language", "name"),
    [("fr", "Kenya"), ("es", "Kenia"), ("ru", "Кения"), ("ar", "كينيا"), ("zh-hans", "肯尼亚"), ("en", "Kenya")],
)
def test_party_page_shows_the_name_in_the_chosen_language(reference, language, name):
    response = client_in(language).get("/parties/KEN/")

    assert f"<h1>{name}</h1>" in response.content.decode()


def test_interface_text_is_translated(reference):
    body = client_in("fr").get("/parties/").content.decode()

    assert "Groupe régional" in body or "groupe régional" in body


def test_language_switch_sets_the_language_and_returns_to_the_page(reference):
    client = Client()

    response = client.post(reverse("set_language"), {"language": "ar", "next": "/centres/"})

    assert response.status_code == 302 and response["Location"] == "/centres/"
    assert 'dir="rtl"' in client.get("/centres/").content.decode()


def test_party_directory_filters_by_group_classification_centre_and_status(reference, client):
    response = client.get(
        "/parties/", {"regional_group": "AFRICA", "classification": "developing", "centre": "senegal", "basel_party": "yes"}
    )

    countries = list(response.context["page"])
    assert countries and all(
        c.regional_group.code == "AFRICA" and c.classification == "developing" and c.basel_party == "yes"
        for c in countries
    )
    assert "SEN" in {c.iso3 for c in countries} and "KEN" not in {c.iso3 for c in countries}


def test_party_directory_htmx_request_gets_only_the_results(reference, client):
    response = client.get("/parties/", {"q": "peru"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert "<html" not in body
    assert "/parties/PER/" in body


def test_party_directory_ignores_an_unknown_filter_value(reference, client):
    response = client.get("/parties/", {"regional_group": "MARS"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 198


def test_party_page_shows_classification_source_group_and_centres(reference, client):
    body = client.get("/parties/RWA/").content.decode()

    assert "Developing country" in body and "table C" in body
    assert "African States" in body
    assert "/centres/senegal/" in body and "/centres/south-africa/" in body


def test_unknown_party_is_404(reference, client):
    assert client.get("/parties/XYZ/").status_code == 404


def test_party_page_lists_the_open_offers_the_party_is_eligible_for_as_the_reader_may_see_them(
    personas, client_for
):
    from datetime import date

    import time_machine

    from tahub.offers.models import Offer
    from tests.offers.factories import published_offer

    published_offer(title="Public offer for developing Parties")
    published_offer(title="Parties-only offer", visibility=Offer.Visibility.PARTIES)
    published_offer(title="Secretariat-only offer", visibility=Offer.Visibility.SECRETARIAT)
    published_offer(title="Offer for LDCs only", eligible_developing=False, eligible_ldc=True)  # Kenya is not one
    with time_machine.travel(date(2020, 6, 1)):
        # Published while it ran; not yet closed by the daily task, but no longer open.
        published_offer(title="Offer that has ended", starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31))

    public = client_for(None).get("/parties/KEN/")
    focal = client_for(personas.focal_kenya).get("/parties/KEN/")

    assert [offer.title for offer in public.context["offers"]] == ["Public offer for developing Parties"]
    assert public.context["offer_total"] == 1
    body = public.content.decode()
    assert "Parties-only offer" not in body and "Secretariat-only offer" not in body
    assert 'href="/offers/?country=KEN&amp;open_now=on"' in body
    assert {offer.title for offer in focal.context["offers"]} == {"Public offer for developing Parties", "Parties-only offer"}
    assert "Secretariat-only offer" not in focal.content.decode()
    assert focal.context["offer_total"] == 2


def test_party_page_shows_ten_offers_and_the_total(personas, client):
    from tests.offers.factories import published_offer

    for number in range(12):
        published_offer(title=f"Offer number {number}")

    response = client.get("/parties/KEN/")

    assert len(response.context["offers"]) == 10 and response.context["offer_total"] == 12
    assert "12 open offers of help are available to this country." in response.content.decode()


def test_centre_page_shows_host_status_served_countries_and_grid(reference, client):
    body = client.get("/centres/central-america/").content.decode()

    assert "Closed" in body and "El Salvador" in body
    assert 'class="served"' in body
    assert "/centres/uruguay/" in body


def test_home_shows_each_role_its_starting_points_with_live_figures(personas, client_for):
    secretariat = client_for(personas.secretariat).get("/").context["starting_points"]
    kenya = client_for(personas.focal_kenya).get("/").context["starting_points"]
    centre = client_for(personas.centre_senegal).get("/").context["starting_points"]

    assert any(point.figure == 10 for point in secretariat)  # the ten personas
    assert kenya[0].url == "/parties/KEN/" and kenya[0].figure == 1  # served by BCRC-SCRC South Africa
    assert centre[0].figure == 22


def test_navigation_follows_the_roles(personas, client_for):
    public = client_for(None).get("/").context["nav_items"]
    contributor = client_for(personas.contributor_kenya).get("/").context["nav_items"]
    secretariat = client_for(personas.secretariat).get("/").context["nav_items"]

    labels = lambda items: {str(label) for label, _url in items}  # noqa: E731
    assert "People" not in labels(public)
    assert "People" in labels(contributor) and "API tokens" not in labels(contributor)
    assert {"People", "API tokens", "Administration"} <= labels(secretariat)


def test_token_page_creates_shows_once_and_revokes(personas, client_for):
    client = client_for(personas.focal_kenya)

    created = client.post(reverse("accounts:token_list"), {"name": "report script", "expires_in": "30"})
    secret = created.context["new_secret"]
    assert secret.startswith("tahub_") and secret in created.content.decode()
    assert secret not in client.get(reverse("accounts:token_list")).content.decode()

    token = personas.focal_kenya.api_tokens.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_contributor_cannot_create_a_token(personas, client_for):
    response = client_for(personas.contributor_kenya).post(reverse("accounts:token_list"), {"name": "x"})

    assert response.status_code == 403
    assert not personas.contributor_kenya.api_tokens.exists()


def test_a_missing_translation_falls_back_to_english_and_says_so(reference):
    from tahub.reference.models import Theme

    Theme.objects.filter(code="waste_management.ewaste").update(label_fr="")

    body = client_in("fr").get("/themes/").content.decode()

    assert '<span lang="en">E-waste</span> <span class="fallback">' in body


def test_pages_load_no_asset_from_another_site(reference, client):
    import re

    body = client.get("/").content.decode()

    assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', body)
    assert assets and all(asset.startswith("/static/") for asset in assets)


def test_figure_labels_do_not_collide_with_the_same_words_elsewhere(personas, client_for):
    from django.utils import translation

    from tahub.reference.models import Country

    with translation.override("ar"):
        assert str(Country.PartyStatus.PARTY.label) == "طرف"
    client = client_for(personas.centre_senegal)
    client.cookies["django_language"] = "ru"
    point = client.get("/").context["starting_points"][0]
    assert (point.figure, point.figure_label) == (22, "страны")


def test_a_party_with_only_a_contributor_counts_as_without_focal_point(personas, client_for):
    from tahub.accounts.models import Membership

    before = client_for(personas.secretariat).get("/").context["starting_points"][0].figure
    Membership.objects.filter(user=personas.focal_kenya).update(is_active=False)

    after = client_for(personas.secretariat).get("/").context["starting_points"][0].figure

    assert after == before + 1  # Kenya still has a contributor, but no focal point


@pytest.mark.parametrize(
    ("persona", "sees_names"),
    [("anonymous", False), ("focal_peru", False), ("provider_unitar", False),
     ("focal_kenya", True), ("rfp_africa", True), ("secretariat", True)],
)
def test_party_page_names_its_focal_points_only_to_those_who_may_see_them(personas, client_for, persona, sees_names):
    user = None if persona == "anonymous" else getattr(personas, persona)

    page = client_for(user).get("/parties/KEN/").content.decode()

    assert (personas.focal_kenya.email in page) is sees_names
    assert (personas.focal_kenya.full_name in page) is sees_names
    assert personas.contributor_kenya.email not in page  # a contributor is not a focal point
    if not sees_names:
        assert "This Party has 1 focal point in tahub." in page


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/offers/", "/offers/"), ("/offers/12/", "/offers/"), ("/offers/mine/", "/offers/mine/"),
        ("/assessments/needs/", "/assessments/cycles/"), ("/parties/KEN/", "/parties/"), ("/healthz", None),
    ],
)
def test_navigation_marks_one_item_as_the_current_page(path, current):
    from tahub.core.context_processors import current_item

    urls = ["/offers/", "/parties/", "/assessments/cycles/", "/offers/mine/", "/account/people/"]
    assert current_item(path, urls) == current


def test_party_page_lists_its_requests_to_those_who_may_see_them_and_published_ones_to_the_public(personas, client_for):
    from tahub.assistance.services import request_move
    from tests.assistance.factories import filed

    private = filed(personas.focal_kenya, title="Private request of Kenya")
    published = filed(personas.focal_kenya, title="Published request of Kenya", is_public=True)
    for to in ("under_review", "accepted"):
        published = request_move(actor=None, request=published, to=to)

    public = client_for(None).get("/parties/KEN/").content.decode()
    kenya = client_for(personas.focal_kenya).get("/parties/KEN/").content.decode()
    peru = client_for(personas.focal_peru).get("/parties/KEN/").content.decode()

    assert private.title not in public and published.title in public
    assert private.title in kenya and published.title in kenya
    assert private.title not in peru
