"""The needs-assessment pages, driven as a person would: forms posted, pages read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tahub.assessments.models import Cycle, Need, Response
from tahub.reference.models import Country
from tests.assessments.factories import assign_sections, open_cycle, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(personas):
    return open_cycle()


def open_response(client, cycle, iso3="KEN"):
    response = client.post(reverse("assessments:response_open", args=[cycle.pk, iso3]))
    assert response.status_code == 302
    return Response.objects.get(cycle=cycle, country__iso3=iso3)


def save(client, response, section, data, lock_version=None):
    payload = {"lock_version": response.lock_version if lock_version is None else lock_version, **data}
    return client.post(reverse("assessments:response_section", args=[response.pk, section]), payload, follow=True)


def test_secretariat_creates_a_cycle_with_the_default_invitations(personas, client_for):
    version = published_version()
    client = client_for(personas.secretariat)

    page = client.get(reverse("assessments:cycle_create"))
    kenya = Country.objects.get(iso3="KEN")
    assert kenya.pk in page.context["form"].fields["countries"].initial

    created = client.post(reverse("assessments:cycle_create"), {
        "title": "Needs 2028", "version": version.pk, "period_start": "2024-01-01", "period_end": "2027-12-31",
        "opens_on": "2028-03-01", "closes_on": "2028-09-30", "reminder_days": "14",
        "countries": [kenya.pk, Country.objects.get(iso3="PER").pk],
    })

    cycle = Cycle.objects.get(title="Needs 2028")
    assert created.status_code == 302 and cycle.status == Cycle.Status.DRAFT
    assert set(cycle.invitations.values_list("country__iso3", flat=True)) == {"KEN", "PER"}


def test_focal_point_fills_saves_leaves_comes_back_and_submits(personas, client_for, cycle):
    client = client_for(personas.focal_kenya)
    response = open_response(client, cycle)

    page = save(client, response, "capacity", {"q-has_law": "yes", "q-law_year": "twenty"})
    assert "Saved. Some answers need attention" in page.content.decode()
    response.refresh_from_db()
    assert response.answers["law_year"] == "twenty"  # kept as entered

    back = client.get(reverse("assessments:response_section", args=[response.pk, "capacity"])).content.decode()
    assert 'value="twenty"' in back

    save(client, response, "capacity", {"q-has_law": "yes", "q-law_year": "2015", "q-modalities": ["online"]})
    response.refresh_from_db()
    save(client, response, "needs", {"q-matrix-monitoring-level": "high", "q-matrix-monitoring-kinds": ["training"]})
    response.refresh_from_db()
    submitted = client.post(
        reverse("assessments:response_submit", args=[response.pk]), {"lock_version": response.lock_version}, follow=True
    )

    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert "Submitted." in submitted.content.decode()


def test_submit_with_problems_lists_each_with_a_link_to_its_field(personas, client_for, cycle):
    client = client_for(personas.focal_kenya)
    response = open_response(client, cycle)
    save(client, response, "capacity", {"q-has_law": "yes"})
    response.refresh_from_db()

    page = client.post(
        reverse("assessments:response_submit", args=[response.pk]), {"lock_version": response.lock_version}, follow=True
    )

    body = page.content.decode()
    assert "cannot be submitted yet" in body
    assert f"/assessments/responses/{response.pk}/sections/capacity/#q-law_year" in body
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_a_stale_form_is_refused_with_a_clear_message_and_newer_answers_kept(personas, client_for, cycle):
    focal = client_for(personas.focal_kenya)
    contributor = client_for(personas.contributor_kenya)
    response = open_response(focal, cycle)
    assign_sections(response, personas.contributor_kenya, ["capacity"])
    save(focal, response, "capacity", {"q-has_law": "yes"}, lock_version=0)

    stale = save(contributor, response, "capacity", {"q-has_law": "no"}, lock_version=0)

    assert "Someone saved this response after you opened it" in stale.content.decode()
    response.refresh_from_db()
    assert response.answers["has_law"] == "yes"


def test_secretariat_returns_with_a_query_then_accepts_and_needs_appear_on_the_party_page(personas, client_for, cycle):
    focal = client_for(personas.focal_kenya)
    response = open_response(focal, cycle)
    save(focal, response, "capacity", {"q-has_law": "no"})
    response.refresh_from_db()
    save(focal, response, "needs", {"q-matrix-emergency-level": "high", "q-matrix-emergency-comment": "Port spills"})
    response.refresh_from_db()
    focal.post(reverse("assessments:response_submit", args=[response.pk]), {"lock_version": response.lock_version})
    secretariat = client_for(personas.secretariat)

    secretariat.post(
        reverse("assessments:response_review", args=[response.pk]),
        {"decision": "return", "query_code": "has_law", "query_text": "Is the draft law adopted?"},
    )
    section = focal.get(reverse("assessments:response_section", args=[response.pk, "capacity"])).content.decode()
    assert "Is the draft law adopted?" in section
    response.refresh_from_db()
    focal.post(reverse("assessments:response_submit", args=[response.pk]), {"lock_version": response.lock_version})
    secretariat.post(reverse("assessments:response_review", args=[response.pk]), {"decision": "accept"})

    response.refresh_from_db()
    assert response.status == Response.Status.ACCEPTED
    assert Need.objects.filter(country__iso3="KEN", theme__code="emergency").exists()
    party_page = focal.get("/parties/KEN/").content.decode()
    assert "Port spills" in party_page
    public_page = client_for(None).get("/parties/KEN/").content.decode()
    assert "Port spills" not in public_page and "1 open need rated high" in public_page


def test_posted_status_or_party_fields_change_nothing(personas, client_for, cycle):
    client = client_for(personas.focal_kenya)
    response = open_response(client, cycle)

    save(client, response, "capacity", {"q-has_law": "yes", "status": "accepted", "country": "PER", "number": "9"})

    response.refresh_from_db()
    assert (response.status, response.country.iso3, response.number) == (Response.Status.DRAFT, "KEN", 1)


def test_tracking_dashboard_queries_do_not_depend_on_the_number_of_parties(personas, client_for):
    small = open_cycle("Small", countries=("KEN",))
    large = open_cycle("Large", countries=tuple(Country.objects.eligible_for_assistance().values_list("iso3", flat=True)[:60]), version=small.version)
    client = client_for(personas.secretariat)

    def count(cycle):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("assessments:cycle_detail", args=[cycle.pk])).status_code == 200
        return len(captured)

    assert count(small) == count(large)


def test_print_view_shows_the_answers(personas, client_for, cycle):
    client = client_for(personas.focal_kenya)
    response = open_response(client, cycle)
    save(client, response, "needs", {"q-matrix-legal-level": "medium", "q-matrix-legal-comment": "Draft bill pending"})

    body = client.get(reverse("assessments:response_print", args=[response.pk])).content.decode()

    assert "Draft bill pending" in body
