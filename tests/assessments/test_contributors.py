"""A focal point shares the drafting: contributors invited, sections assigned, only those sections drafted."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.assessments.models import SectionAssignment, SentMail
from tahub.assessments.services.contributors import contributor_assign, contributor_invite
from tahub.assessments.services.responses import response_save, response_start
from tahub.reference.models import Country
from tests.assessments.factories import assign_sections, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def response(personas):
    cycle = open_cycle()
    return response_start(actor=personas.focal_kenya, cycle=cycle, country=Country.objects.get(iso3="KEN"))


def invite(client, response, **data):
    payload = {"full_name": "Wanjiru Mwangi", "email": "w.mwangi@example.org", "preferred_language": "fr", **data}
    return client.post(reverse("assessments:response_contributors", args=[response.pk]), payload, follow=True)


def test_focal_point_invites_a_new_contributor_who_sets_a_password_from_the_email(
    personas, client_for, response, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = invite(client_for(personas.focal_kenya), response, sections=["needs"])

    assert page.status_code == 200
    person = User.objects.get(email="w.mwangi@example.org")
    assert not person.has_usable_password()
    assert person.memberships.active().filter(role=Role.CONTRIBUTOR, country__iso3="KEN").exists()
    assert SectionAssignment.objects.get(user=person, cycle=response.cycle).sections == ["needs"]
    assert SentMail.objects.filter(kind=SentMail.Kind.CONTRIBUTOR, recipient=person.email).count() == 1
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert "Needs" in message.body  # the assigned section, named
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    choose = client_for(None).get(link, follow=True)
    assert choose.status_code == 200 and "new_password1" in choose.content.decode()


def test_inviting_someone_who_has_an_account_grants_the_role_without_a_new_account(
    personas, client_for, response, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client_for(personas.focal_kenya), response, email=personas.focal_peru.email, sections=["capacity"])

    assert User.objects.filter(email=personas.focal_peru.email).count() == 1
    assert personas.focal_peru.memberships.active().filter(role=Role.CONTRIBUTOR, country__iso3="KEN").exists()
    [message] = [m for m in mail.outbox if m.to == [personas.focal_peru.email]]
    assert f"/assessments/responses/{response.pk}/" in message.body


def test_a_contributor_drafts_only_the_assigned_sections(personas, response):
    assign_sections(response, personas.contributor_kenya, ["needs"])
    matrix = {"emergency": {"level": "high", "kinds": [], "comment": "Port spills"}}

    response, _result = response_save(
        actor=personas.contributor_kenya, response=response, answers={"matrix": matrix}, lock_version=0
    )
    with pytest.raises(ValidationError, match="has_law"):
        response_save(actor=personas.contributor_kenya, response=response, answers={"has_law": "yes"}, lock_version=1)

    response.refresh_from_db()
    assert response.answers == {"matrix": matrix} and response.lock_version == 1


def test_a_contributors_whole_questionnaire_passes_when_only_their_sections_changed(personas, response):
    response, _result = response_save(
        actor=personas.focal_kenya, response=response, answers={"has_law": "yes", "law_year": "2001"}, lock_version=0
    )
    assign_sections(response, personas.contributor_kenya, ["needs"])
    whole = {
        "has_law": "yes", "law_year": "2001", "modalities": [],
        "matrix": {"legal": {"level": "low", "kinds": [], "comment": ""}, "monitoring": {"level": "", "kinds": []}},
    }

    response, _result = response_save(actor=personas.contributor_kenya, response=response, answers=whole, lock_version=1)

    assert response.answers["matrix"]["legal"]["level"] == "low"
    assert response.answers["has_law"] == "yes" and "modalities" not in response.answers


def test_a_contributor_without_sections_reads_but_cannot_save(personas, client_for, response):
    client = client_for(personas.contributor_kenya)
    url = reverse("assessments:response_section", args=[response.pk, "capacity"])

    page = client.get(url)
    refused = client.post(url, {"lock_version": 0, "q-has_law": "yes"})

    assert page.status_code == 200 and 'name="q-has_law" value="yes" disabled' in page.content.decode()
    assert refused.status_code == 403


def test_the_section_page_is_editable_only_for_assigned_sections(personas, client_for, response):
    assign_sections(response, personas.contributor_kenya, ["needs"])
    client = client_for(personas.contributor_kenya)

    capacity = client.get(reverse("assessments:response_section", args=[response.pk, "capacity"]))
    needs = client.get(reverse("assessments:response_section", args=[response.pk, "needs"]))
    overview = client.get(reverse("assessments:response_detail", args=[response.pk]))

    assert capacity.context["can_edit"] is False and needs.context["can_edit"] is True
    assert [item["assigned"] for item in overview.context["sections"]] == [False, True]
    assert overview.context["can_assign"] is False


def test_focal_point_changes_a_contributors_sections_on_the_response_page(personas, client_for, response):
    assign_sections(response, personas.contributor_kenya, ["needs"])
    client = client_for(personas.focal_kenya)
    overview = client.get(reverse("assessments:response_detail", args=[response.pk]))
    assert [person for person, _sections in overview.context["contributors"]] == [personas.contributor_kenya]

    client.post(
        reverse("assessments:response_contributors", args=[response.pk]),
        {"user": personas.contributor_kenya.pk, "sections": ["capacity", "needs"]},
    )

    assignment = SectionAssignment.objects.get(user=personas.contributor_kenya, cycle=response.cycle)
    assert assignment.sections == ["capacity", "needs"]
    assert assignment.history.first().history_user == personas.focal_kenya


def test_only_the_partys_focal_point_assigns_and_only_real_sections_and_contributors(personas, response):
    for outsider in (personas.contributor_kenya, personas.focal_peru, personas.secretariat):
        with pytest.raises(PermissionDenied):
            contributor_assign(actor=outsider, response=response, user=personas.contributor_kenya, sections=["needs"])
    with pytest.raises(ValidationError, match="No such section"):
        contributor_assign(actor=personas.focal_kenya, response=response, user=personas.contributor_kenya, sections=["x"])
    with pytest.raises(ValidationError, match="not a contributor"):
        contributor_assign(actor=personas.focal_kenya, response=response, user=personas.focal_peru, sections=["needs"])
    with pytest.raises(PermissionDenied):
        contributor_invite(
            actor=personas.focal_peru, response=response, email="x@example.org", full_name="X", sections=[],
            site_url="http://testserver/",
        )
