import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tahub.assessments.models import Need, Response, SentMail
from tahub.assessments.services.needs import need_set_status
from tahub.assessments.services.responses import (
    ResponseInvalid,
    StaleResponse,
    response_accept,
    response_amend,
    response_return,
    response_save,
    response_start,
    response_submit,
)
from tahub.reference.models import Country
from tests.assessments.factories import assign_sections, complete_answers, open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return open_cycle()


def start(personas, cycle):
    return response_start(
        actor=personas.focal_kenya, cycle=cycle, country=Country.objects.get(iso3="KEN")
    )


def test_opening_a_cycle_invites_only_the_invited_partys_focal_points(personas, cycle):
    recipients = sorted(address for message in mail.outbox for address in message.to)

    assert recipients == ["fp.ken@example.org", "fp.per@example.org", "fp.sen@example.org"]
    assert SentMail.objects.filter(kind=SentMail.Kind.INVITATION).count() == 3
    assert "co.ken@example.org" not in recipients  # contributors are not invited


def test_a_draft_keeps_invalid_values_as_entered_and_flags_them(personas, cycle):
    response = start(personas, cycle)

    response, result = response_save(
        actor=personas.focal_kenya,
        response=response,
        answers={"has_law": "yes", "law_year": "twenty"},
        lock_version=0,
    )

    assert response.answers["law_year"] == "twenty"
    assert [problem.code for problem in result.problems] == ["law_year"]


def test_a_stale_save_is_refused_and_the_newer_data_kept(personas, cycle):
    response = start(personas, cycle)
    assign_sections(response, personas.contributor_kenya)
    response_save(
        actor=personas.focal_kenya, response=response, answers={"has_law": "yes"}, lock_version=0
    )

    with pytest.raises(StaleResponse):
        response_save(
            actor=personas.contributor_kenya,
            response=response,
            answers={"has_law": "no"},
            lock_version=0,
        )

    response.refresh_from_db()
    assert response.answers["has_law"] == "yes" and response.lock_version == 1


def test_other_partys_focal_point_cannot_touch_the_response(personas, cycle):
    response = start(personas, cycle)

    with pytest.raises(PermissionDenied):
        response_save(
            actor=personas.focal_peru, response=response, answers={"has_law": "no"}, lock_version=0
        )


def test_submission_lists_every_problem_and_changes_nothing(personas, cycle):
    response = start(personas, cycle)
    response_save(
        actor=personas.focal_kenya, response=response, answers={"has_law": "yes"}, lock_version=0
    )

    with pytest.raises(ResponseInvalid) as refused:
        response_submit(actor=personas.focal_kenya, response=response, lock_version=1)

    assert {problem.code for problem in refused.value.problems} == {"law_year"}
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_only_a_focal_point_submits(personas, cycle):
    response = start(personas, cycle)
    response_save(
        actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0
    )

    with pytest.raises(PermissionDenied):
        response_submit(actor=personas.contributor_kenya, response=response, lock_version=1)


def test_submit_return_resubmit_accept_records_needs(
    personas, cycle, django_capture_on_commit_callbacks
):
    response = start(personas, cycle)
    response_save(
        actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0
    )
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(actor=personas.focal_kenya, response=response, lock_version=1)
    assert SentMail.objects.filter(
        kind=SentMail.Kind.RECEIPT, recipient="fp.ken@example.org"
    ).exists()

    response_return(
        actor=personas.secretariat, response=response, queries=[("law_year", "Is 2015 right?")]
    )
    response.refresh_from_db()
    assert response.status == Response.Status.RETURNED
    response_save(
        actor=personas.focal_kenya,
        response=response,
        answers={"law_year": "2016"},
        lock_version=response.lock_version,
    )
    response.refresh_from_db()
    response_submit(
        actor=personas.focal_kenya, response=response, lock_version=response.lock_version
    )
    response_accept(actor=personas.secretariat, response=response)

    needs = {need.theme.code: need for need in Need.objects.filter(country__iso3="KEN")}
    assert set(needs) == {"monitoring", "legal"}
    observation = needs["monitoring"].observations.get()
    assert observation.level == "high" and observation.comment == "No laboratory"
    assert set(observation.kinds.values_list("code", flat=True)) == {"training", "advice.expert"}


def test_submitted_and_accepted_responses_are_frozen(personas, cycle):
    response = start(personas, cycle)
    response_save(
        actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0
    )
    response_submit(actor=personas.focal_kenya, response=response, lock_version=1)

    with pytest.raises(ValidationError):
        response_save(
            actor=personas.focal_kenya, response=response, answers={"has_law": "no"}, lock_version=2
        )
    response_accept(actor=personas.secretariat, response=response)
    with pytest.raises(ValidationError):
        response_save(
            actor=personas.secretariat, response=response, answers={"has_law": "no"}, lock_version=3
        )

    response.refresh_from_db()
    assert response.answers["has_law"] == "yes"


def test_an_amendment_is_a_new_version_and_the_accepted_one_stays(personas, cycle):
    response = start(personas, cycle)
    response_save(
        actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0
    )
    response_submit(actor=personas.focal_kenya, response=response, lock_version=1)
    response_accept(actor=personas.secretariat, response=response)

    amendment = response_amend(actor=personas.secretariat, response=response)

    response.refresh_from_db()
    assert (
        amendment.number == 2 and amendment.status == Response.Status.DRAFT and amendment.is_current
    )
    assert response.status == Response.Status.ACCEPTED and not response.is_current
    assert amendment.answers == response.answers


def test_needs_keep_identity_across_cycles_and_a_none_proposes_met(
    personas, django_capture_on_commit_callbacks
):
    from datetime import date

    kenya = Country.objects.get(iso3="KEN")
    first = open_cycle("Needs 2020", opens_on=date(2020, 1, 1), closes_on=date(2020, 12, 31))
    response = response_start(actor=personas.focal_kenya, cycle=first, country=kenya)
    response_save(
        actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0
    )
    response_submit(actor=personas.focal_kenya, response=response, lock_version=1)
    response_accept(actor=personas.secretariat, response=response)

    second = open_cycle(
        "Needs 2024", opens_on=date(2024, 1, 1), closes_on=date(2024, 12, 31), version=first.version
    )
    later = response_start(actor=personas.focal_kenya, cycle=second, country=kenya)
    response.refresh_from_db()
    assert later.answers == response.answers and set(later.prefilled.values()) == {"Needs 2020"}
    changed = complete_answers()
    changed["matrix"]["monitoring"]["level"] = "medium"
    changed["matrix"]["legal"]["level"] = "none"
    response_save(actor=personas.focal_kenya, response=later, answers=changed, lock_version=0)
    response_submit(actor=personas.focal_kenya, response=later, lock_version=1)
    response_accept(actor=personas.secretariat, response=later)

    monitoring = Need.objects.get(country=kenya, theme__code="monitoring")
    assert list(
        monitoring.observations.order_by("observed_on").values_list("cycle__title", "level")
    ) == [
        ("Needs 2020", "high"),
        ("Needs 2024", "medium"),
    ]
    legal = Need.objects.get(country=kenya, theme__code="legal")
    assert legal.proposed_status == Need.Status.MET and legal.status == Need.Status.OPEN
    need_set_status(actor=personas.secretariat, need=legal, status=Need.Status.MET)
    legal.refresh_from_db()
    assert legal.status == Need.Status.MET and legal.proposed_status == ""


def test_nul_characters_are_dropped_from_stored_answers(personas, cycle):
    response = start(personas, cycle)

    response, _result = response_save(
        actor=personas.focal_kenya, response=response, answers={"modalities": ["on\x00line"], "has_law": "y\x00es"},
        lock_version=0,
    )

    response.refresh_from_db()
    assert response.answers["has_law"] == "yes" and response.answers["modalities"] == ["online"]


def test_the_admin_cannot_change_a_response(personas, cycle, client_for):
    response = start(personas, cycle)
    response_save(actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0)
    response_submit(actor=personas.focal_kenya, response=response, lock_version=1, notify=False)
    admin = client_for(personas.secretariat)

    changed = admin.post(f"/admin/assessments/response/{response.pk}/change/", {"status": "draft", "answers": "{}"})
    deleted = admin.post(f"/admin/assessments/response/{response.pk}/delete/", {"post": "yes"})

    response.refresh_from_db()
    assert changed.status_code == 403 and deleted.status_code == 403
    assert response.status == Response.Status.SUBMITTED and response.answers["has_law"] == "yes"
