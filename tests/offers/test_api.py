"""The offers API: public reads that respect visibility, providers' writes with a token, and refusals."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tahub.accounts.models import Organisation
from tahub.accounts.roles import Role
from tahub.accounts.services import membership_grant
from tahub.offers.models import Offer
from tahub.offers.services import offer_create
from tahub.reference.models import Country, KindOfHelp
from tests.api.client import Api
from tests.offers.factories import offer_data, published_offer, unitar

pytestmark = pytest.mark.django_db


def _kinds(*codes):
    return list(KindOfHelp.objects.filter(code__in=codes))


def _countries(*iso3):
    return list(Country.objects.filter(iso3__in=iso3))


def body(**overrides):
    """A complete, valid offer as an API client sends it."""
    values = {
        "title": "Online course on the PIC procedure",
        "description": "Six self-paced **modules** on notifications and movement documents.",
        "modality": "self_paced",
        "kinds": ["training.elearning"],
        "themes": ["notification.procedure"],
        "conventions": ["basel"],
        "languages": ["en", "es"],
        "eligible_developing": True,
        "eligible_countries": ["ken"],
        "starts_on": "2026-01-01",
        "ends_on": "2030-12-31",
        "places": 200,
        "contact_email": "courses@example.org",
        "links": [{"title": "Course page", "url": "https://example.org/pic"}],
    }
    values.update(overrides)
    return values


@pytest.fixture
def audiences(personas):
    """A published offer for each audience, plus a draft: recognisable titles to scan answers for."""
    return {
        "public": published_offer(title="Public e-waste course"),
        "parties": published_offer(title="Parties-only legal clinic", visibility=Offer.Visibility.PARTIES),
        "secretariat": published_offer(title="Secretariat-only briefing", visibility=Offer.Visibility.SECRETARIAT),
        "draft": offer_create(actor=None, provider=unitar(), data=offer_data(title="Unpublished draft")),
    }


def listed(api, **params):
    answer = api.get("/offers", params)
    assert answer.status_code == 200
    return {item["title"] for item in answer.json()["items"]}


def test_anonymous_never_gets_parties_only_or_secretariat_only_offers(audiences):
    public = Api()

    everything = public.get("/offers", {"include_closed": "true", "page_size": 200})
    assert {item["title"] for item in everything.json()["items"]} == {"Public e-waste course"}
    assert everything.json()["count"] == 1
    for hidden in ("parties", "secretariat", "draft"):
        answer = public.get(f"/offers/{audiences[hidden].pk}")
        assert answer.status_code == 404
        assert audiences[hidden].title not in answer.content.decode()
    assert "legal clinic" not in public.get("/offers", {"q": "legal clinic"}).content.decode()


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("no_role", {"Public e-waste course"}),
        ("focal_kenya", {"Public e-waste course", "Parties-only legal clinic"}),
        ("centre_senegal", {"Public e-waste course", "Parties-only legal clinic"}),
        ("secretariat", {"Public e-waste course", "Parties-only legal clinic", "Secretariat-only briefing"}),
    ],
)
def test_each_reader_gets_the_offers_of_their_audience(audiences, personas, persona, expected):
    api = Api(getattr(personas, persona), session=persona == "no_role")

    assert listed(api) == expected
    for offer in audiences.values():
        visible = offer.title in expected or persona == "secretariat"  # the Secretariat sees drafts too
        assert api.get(f"/offers/{offer.pk}").status_code == (200 if visible else 404)


def test_the_provider_sees_its_own_draft_but_not_in_the_catalogue(audiences, personas):
    unitar_api = Api(personas.provider_unitar)

    assert "Unpublished draft" not in listed(unitar_api)
    assert unitar_api.get(f"/offers/{audiences['draft'].pk}").json()["status"] == "draft"


def test_list_filters_like_the_catalogue(personas):
    training = published_offer(title="Customs training", description="Hands-on training of customs officers.")
    grant = published_offer(
        title="Small grants", description="Grants for inventories.", kinds=_kinds("resources.financial"),
        eligible_developing=False, eligible_ldc=True, amount=Decimal("50000"), currency="USD",
    )
    public = Api()

    assert listed(public, kind="resources") == {grant.title}
    assert listed(public, kind="training") == {training.title}
    assert listed(public, q="customs") == {training.title}
    assert listed(public, country="KEN") == {training.title}  # Kenya is not an LDC
    assert listed(public, country="RWA") == {training.title, grant.title}
    assert listed(public, language="fr") == {training.title, grant.title}
    assert listed(public, language="ar") == set()


def test_an_invalid_filter_value_is_a_422_naming_it(reference):
    answer = Api().get("/offers", {"modality": "by pigeon"})

    assert answer.status_code == 422
    assert any("modality" in str(detail.get("loc")) for detail in answer.json()["error"]["details"])


def test_provider_token_creates_changes_publishes_closes_and_withdraws_its_offer(personas):
    api = Api(personas.provider_unitar)

    created = api.send("post", "/offers", body())
    assert created.status_code == 201, created.content
    offer = created.json()
    assert (offer["status"], offer["provider"]["acronym"], offer["lock_version"]) == ("draft", "UNITAR", 0)
    assert (offer["kinds"], offer["themes"], offer["eligible_countries"]) == (
        ["training.elearning"], ["notification.procedure"], ["KEN"],
    )
    assert offer["links"] == [{"title": "Course page", "url": "https://example.org/pic"}]
    assert offer["can_change"] is True
    url = f"/offers/{offer['id']}"

    changed = api.send("put", url, body(title="Online course on the PIC procedure, 2027", lock_version=0))
    assert changed.status_code == 200, changed.content
    assert changed.json()["lock_version"] == 1
    assert api.send("post", f"{url}/publish").json()["status"] == "published"
    assert api.send("post", f"{url}/close").json()["status"] == "closed"
    withdrawn = api.send("post", f"{url}/withdraw", {"reason": "The course moved to another platform."})

    assert withdrawn.status_code == 200
    stored = Offer.objects.get(pk=offer["id"])
    assert (stored.title, stored.status, stored.withdrawn_reason) == (
        "Online course on the PIC procedure, 2027", Offer.Status.WITHDRAWN, "The course moved to another platform.",
    )
    assert {record.history_user for record in stored.history.all()} == {personas.provider_unitar}
    assert [record.status for record in stored.history.order_by("history_date")][-3:] == [
        Offer.Status.PUBLISHED, Offer.Status.CLOSED, Offer.Status.WITHDRAWN,
    ]


def test_a_provider_cannot_create_for_or_change_another_providers_offers(personas):
    other = Organisation.objects.create(name="Other NGO", acronym="ONGO", type=Organisation.Type.NGO)
    theirs = published_offer(provider=other, title="Their course")
    api = Api(personas.provider_unitar)

    assert api.send("post", "/offers", body(provider=other.pk)).status_code == 403
    assert api.send("put", f"/offers/{theirs.pk}", body(lock_version=theirs.lock_version)).status_code == 403
    assert api.send("post", f"/offers/{theirs.pk}/close").status_code == 403
    assert api.send("post", f"/offers/{theirs.pk}/withdraw", {"reason": "Mine now"}).status_code == 403
    assert api.get(f"/offers/{theirs.pk}").json()["can_change"] is False
    theirs.refresh_from_db()
    assert (theirs.title, theirs.status) == ("Their course", Offer.Status.PUBLISHED)
    assert not Offer.objects.filter(provider=other).exclude(pk=theirs.pk).exists()


@pytest.mark.parametrize("persona", ["focal_kenya", "centre_senegal", "rfp_africa", "no_role"])
def test_people_who_are_not_providers_cannot_create_offers(personas, persona):
    answer = Api(getattr(personas, persona), session=persona == "no_role").send(
        "post", "/offers", body(provider=unitar().pk)
    )

    assert answer.status_code == 403
    assert not Offer.objects.exists()


def test_anonymous_callers_cannot_write(audiences):
    offer = audiences["public"]

    assert Api().send("post", "/offers", body(provider=unitar().pk)).status_code == 401
    assert Api().send("put", f"/offers/{offer.pk}", body(lock_version=offer.lock_version)).status_code == 401
    assert Api().send("post", f"/offers/{offer.pk}/withdraw", {"reason": "x"}).status_code == 401
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED


def test_the_secretariat_records_an_offer_for_a_provider_and_only_managers_see_the_source(personas):
    api = Api(personas.secretariat)

    created = api.send("post", "/offers", body(provider=unitar().pk, received_as="Letter of 3 March 2026"))
    assert created.status_code == 201, created.content
    offer = Offer.objects.get(pk=created.json()["id"])
    assert (offer.provider, offer.recorded_by, offer.received_as) == (
        unitar(), personas.secretariat, "Letter of 3 March 2026",
    )
    assert created.json()["received_as"] == "Letter of 3 March 2026"
    api.send("post", f"/offers/{offer.pk}/publish")

    assert Api(personas.provider_unitar).get(f"/offers/{offer.pk}").json()["received_as"] == "Letter of 3 March 2026"
    assert Api().get(f"/offers/{offer.pk}").json()["received_as"] == ""


def test_the_secretariat_must_say_which_provider(personas):
    answer = Api(personas.secretariat).send("post", "/offers", body())

    assert answer.status_code == 422
    assert [detail["field"] for detail in answer.json()["error"]["details"]] == ["provider"]


def test_a_stale_change_is_409_and_the_newer_data_is_kept(personas):
    api = Api(personas.provider_unitar)
    offer = published_offer(actor=personas.provider_unitar)
    read = api.get(f"/offers/{offer.pk}").json()["lock_version"]
    first = api.send("put", f"/offers/{offer.pk}", body(title="Saved first", lock_version=read))
    assert first.status_code == 200

    second = api.send("put", f"/offers/{offer.pk}", body(title="Saved second", lock_version=read))

    assert second.status_code == 409
    assert second.json()["error"]["code"] == "conflict"
    offer.refresh_from_db()
    assert offer.title == "Saved first"


def test_unknown_codes_are_422_naming_every_field_and_nothing_is_written(personas):
    answer = Api(personas.provider_unitar).send(
        "post", "/offers",
        body(kinds=["training", "cooking"], themes=["ewaste"], conventions=["ramsar"], languages=["en", "xx"],
             eligible_groups=["EUROPE"], eligible_countries=["KEN", "XYZ"]),
    )

    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "invalid_input"
    details = {detail["field"]: detail["messages"] for detail in error["details"]}
    assert set(details) == {"kinds", "themes", "conventions", "languages", "eligible_groups", "eligible_countries"}
    assert "cooking" in details["kinds"][0] and "training" not in details["kinds"][0]
    assert "XYZ" in details["eligible_countries"][0]
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "5000"}, "currency"),
        ({"starts_on": "2027-01-01", "ends_on": "2026-01-01"}, "ends_on"),
        ({"eligible_developing": False, "eligible_countries": []}, "eligible_countries"),
        ({"kinds": []}, "kinds"),
        ({"modality": "by pigeon"}, "modality"),
        ({"contact_email": "not an address"}, "contact_email"),
        ({"links": [{"title": "Page", "url": "javascript:alert(1)"}]}, "links"),
    ],
)
def test_an_invalid_offer_is_422_naming_the_field(personas, overrides, field):
    answer = Api(personas.provider_unitar).send("post", "/offers", body(**overrides))

    assert answer.status_code == 422
    assert field in {detail["field"] for detail in answer.json()["error"]["details"]}
    assert not Offer.objects.exists()


def test_script_in_a_description_is_removed(personas):
    created = Api(personas.provider_unitar).send(
        "post", "/offers", body(description="Modules <script>alert('x')</script>on **notifications**.")
    )

    assert created.json()["description"] == "Modules on **notifications**."


def test_extra_fields_never_change_status_provider_or_history(personas):
    other = Organisation.objects.create(name="Other NGO", acronym="ONGO", type=Organisation.Type.NGO)
    api = Api(personas.provider_unitar)
    sneaky = {"status": "published", "lock_version": 7, "recorded_by": personas.secretariat.pk,
              "published_at": "2020-01-01T00:00:00Z", "id": 999}

    created = api.send("post", "/offers", body(**sneaky))
    offer = Offer.objects.get(pk=created.json()["id"])
    changed = api.send("put", f"/offers/{offer.pk}", body(provider=other.pk, status="closed", lock_version=0))

    assert changed.status_code == 200
    offer.refresh_from_db()
    assert (offer.status, offer.provider, offer.recorded_by, offer.published_at, offer.lock_version) == (
        Offer.Status.DRAFT, unitar(), None, None, 1,
    )


def test_publishing_a_published_offer_or_withdrawing_without_a_reason_is_422(personas):
    api = Api(personas.provider_unitar)
    offer = published_offer(actor=personas.provider_unitar)

    assert api.send("post", f"/offers/{offer.pk}/publish").status_code == 422
    assert api.send("post", f"/offers/{offer.pk}/withdraw", {"reason": "  "}).status_code == 422
    offer.refresh_from_db()
    assert offer.status == Offer.Status.PUBLISHED


def test_providers_list_and_page_show_only_what_the_caller_may_see(audiences, personas):
    hidden = Organisation.objects.create(name="Quiet Agency", acronym="QA", type=Organisation.Type.IGO)
    published_offer(provider=hidden, title="Quiet briefing", visibility=Offer.Visibility.SECRETARIAT)
    public = Api()

    providers = public.get("/providers").json()
    assert [(item["acronym"], item["offer_count"]) for item in providers["items"]] == [("UNITAR", 1)]
    assert public.get(f"/providers/{hidden.pk}").status_code == 404
    page = public.get(f"/providers/{unitar().pk}").json()
    assert [offer["title"] for offer in page["current"]] == ["Public e-waste course"]
    assert page["earlier"] == []
    secretariat = Api(personas.secretariat).get(f"/providers/{hidden.pk}").json()
    assert [offer["title"] for offer in secretariat["current"]] == ["Quiet briefing"]


def queries(api, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        answer = api.get(path, params)
    assert answer.status_code == 200
    return len(captured)


def test_the_offer_list_uses_the_same_queries_for_1_and_20_offers(personas):
    focal = Api(personas.focal_kenya)
    focal.get("/me")  # the token's first use is recorded once; not part of what is measured
    published_offer(title="Only one")
    one = (queries(Api(), "/offers"), queries(focal, "/offers"))

    for number in range(19):
        published_offer(title=f"Offer {number}", eligible_countries=_countries("KEN", "PER"))

    assert (queries(Api(), "/offers"), queries(focal, "/offers")) == one
    assert one[0] <= 10


def test_the_provider_page_uses_the_same_queries_for_1_and_20_offers(personas):
    published_offer(title="Only one")
    path = f"/providers/{unitar().pk}"
    one = queries(Api(), path)

    for number in range(19):
        published_offer(title=f"Offer {number}", eligible_countries=_countries("KEN", "PER"))

    assert queries(Api(), path) == one
    assert len(Api().get(path).json()["current"]) == 20


def test_provider_with_several_organisations_must_name_one(personas):
    second = Organisation.objects.create(name="UNITAR Geneva office", type=Organisation.Type.IGO)
    membership_grant(actor=None, user=personas.provider_unitar, role=Role.PROVIDER, scope=second)

    unnamed = Api(personas.provider_unitar).send("post", "/offers", body())
    named = Api(personas.provider_unitar).send("post", "/offers", body(provider=second.pk))

    assert unnamed.status_code == 422
    assert named.status_code == 201 and named.json()["provider"]["id"] == second.pk
