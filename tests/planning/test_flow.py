"""From mandate to delivered activity, through the services: the evidence kept with a priority
area, who may do what, the report's review and what it changes (needs, paragraph coverage)."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tahub.assessments.models import Need
from tahub.planning import services
from tahub.planning.models import Activity, ActivityReport, Evaluation, Plan
from tahub.planning.selectors import DELIVERED, PLANNED, UNANSWERED, paragraphs_with_answers
from tahub.reference.models import RegionalCentre, Theme
from tests.planning.factories import planning_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(personas):
    return planning_world()


def _answers():
    return {p.number: p.answer for p in paragraphs_with_answers()}


def test_a_priority_area_keeps_the_needs_evidence_of_its_cycle(world):
    area = world["area"]
    # The later cycle: monitoring needs in Africa from KEN (high), GHA (low), TZA (medium).
    assert area.evidence["needs"] == 3
    assert area.evidence["parties"] == 3
    assert area.evidence["by_level"] == {"high": 1, "medium": 1, "low": 1}
    assert area.evidence["cycle"]["id"] == world["later"].pk
    assert area.evidence_taken_on is not None
    assert {n.country.iso3 for n in area.needs.all()} == {"KEN", "GHA", "TZA"}
    rows = {row["key"]: row for row in area.evidence["summary_rows"]}
    assert rows["AFRICA|monitoring"]["needs"] == 3  # the summary's own figure, kept as it was
    # A need closed later does not change the snapshot.
    Need.objects.filter(country__iso3="KEN", theme__code="monitoring").update(status=Need.Status.MET)
    area.refresh_from_db()
    assert area.evidence["needs"] == 3


def test_only_high_needs_when_asked(world):
    area = services.priority_area_create(
        actor=None, plan=world["plan"], title="High only", themes=[Theme.objects.get(code="monitoring")],
        rationale="r", cycle=world["later"], levels=("high",),
    )
    assert area.evidence["needs"] == 1 and area.number == 2


def test_paragraphs_for_the_secretariat_show_what_answers_them(world):
    answers = _answers()
    assert answers["4"] == PLANNED  # the activity answers it
    assert answers["5"] == UNANSWERED  # nothing does: flagged
    # Linking the plan answers paragraph 5.
    services.plan_update(actor=None, plan=world["plan"], paragraphs=[world["other"]])
    assert _answers()["5"] == PLANNED
    # A paragraph not addressed to the Secretariat is never flagged.
    invites = next(p for p in paragraphs_with_answers() if p.number == "6")
    assert not invites.for_secretariat


def test_report_approval_completes_the_activity_and_moves_needs_and_coverage(world, personas):
    activity, kenya = world["activity"], world["kenya"]
    report = services.report_create(
        actor=personas.centre_senegal, activity=activity, summary="Forty officers trained.",
        participations=[(kenya, 12, 10, 0)], indicator_values=[(world["result"], 22, "")],
    )
    services.report_submit(actor=personas.centre_senegal, report=report)
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=personas.centre_senegal, report=report)
    services.report_approve(actor=personas.secretariat, report=report)
    activity.refresh_from_db()
    assert activity.status == Activity.Status.COMPLETED and activity.actual_end is not None
    statuses = dict(Need.objects.filter(theme__code="monitoring").values_list("country__iso3", "status"))
    assert statuses["KEN"] == Need.Status.PARTLY_MET  # reached
    assert statuses["GHA"] == Need.Status.OPEN  # linked, but nobody from Ghana took part
    assert _answers()["4"] == DELIVERED
    evaluation = Evaluation.objects.get(activity=activity)
    assert evaluation.country == kenya and evaluation.due_on > activity.actual_end
    # The follow-up: e-mailed when due, answered by Kenya's focal point.
    assert services.evaluations_send(today=evaluation.due_on) == 1
    assert mail.outbox[-1].to == [personas.focal_kenya.email]
    with pytest.raises(PermissionDenied):
        services.evaluation_answer(actor=personas.focal_peru, evaluation=evaluation, usefulness=4, outcome="met")
    services.evaluation_answer(actor=personas.focal_kenya, evaluation=evaluation, usefulness=5, outcome="met")
    assert Need.objects.get(country=kenya, theme__code="monitoring").status == Need.Status.MET


def test_not_met_reopens_a_partly_met_need(world, personas):
    activity = world["activity"]
    report = services.report_create(actor=None, activity=activity, summary="Done.", participations=[(world["kenya"], 1, 1, 0)])
    services.report_submit(actor=None, report=report)
    services.report_approve(actor=None, report=report)
    evaluation = Evaluation.objects.get(activity=activity)
    services.evaluation_answer(actor=personas.focal_kenya, evaluation=evaluation, usefulness=2, outcome="not_met")
    assert Need.objects.get(country=world["kenya"], theme__code="monitoring").status == Need.Status.OPEN


def test_a_returned_report_goes_back_to_its_author(world, personas):
    report = services.report_create(actor=personas.centre_senegal, activity=world["activity"], summary="Draft.")
    services.report_submit(actor=personas.centre_senegal, report=report)
    with pytest.raises(ValidationError):
        services.report_return(actor=personas.secretariat, report=report, comment=" ")
    services.report_return(actor=personas.secretariat, report=report, comment="Add the participants.")
    assert report.status == ActivityReport.Status.RETURNED
    services.report_update(actor=personas.centre_senegal, report=report, summary="With participants.")
    services.report_submit(actor=personas.centre_senegal, report=report)
    assert report.status == ActivityReport.Status.SUBMITTED


def test_centre_staff_keep_to_their_own_centre(world, personas):
    programme = world["programme"]
    base = {"title": "Webinar", "description": "d", "type": Activity.Type.WEBINAR, "level": Activity.Level.GLOBAL,
            "planned_start": date(2026, 5, 1), "planned_end": date(2026, 5, 1), "themes": [Theme.objects.get(code="monitoring")]}
    own = services.activity_create(actor=personas.centre_senegal, programme=programme, lead=Activity.Lead.SECRETARIAT,
                                   lead_centre=RegionalCentre.objects.get(slug="senegal"), **base)
    assert own.lead == Activity.Lead.CENTRE and own.centre_own
    other = RegionalCentre.objects.exclude(slug="senegal").first()
    with pytest.raises(PermissionDenied):
        services.activity_create(actor=personas.centre_senegal, programme=programme, lead=Activity.Lead.CENTRE, lead_centre=other, **base)
    secretariat_led = services.activity_create(actor=None, programme=programme, lead=Activity.Lead.SECRETARIAT, **base)
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=personas.centre_senegal, activity=secretariat_led, title="Mine now")
    services.activity_update(actor=personas.centre_senegal, activity=own, title="Renamed", lead=Activity.Lead.SECRETARIAT)
    own.refresh_from_db()
    assert own.title == "Renamed" and own.lead == Activity.Lead.CENTRE  # the lead is not theirs to change


def test_status_moves_and_reasons(world):
    activity = world["activity"]
    with pytest.raises(ValidationError):
        services.activity_set_status(actor=None, activity=activity, status=Activity.Status.COMPLETED)  # not started
    with pytest.raises(ValidationError):
        services.activity_set_status(actor=None, activity=activity, status=Activity.Status.CANCELLED)  # no reason
    activity.refresh_from_db()
    services.activity_set_status(actor=None, activity=activity, status=Activity.Status.CANCELLED, reason="No funds.")
    assert activity.status == Activity.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.report_create(actor=None, activity=activity, summary="Nothing.")


def test_an_activity_keeps_a_code_of_its_own(world):
    activity = world["activity"]
    with pytest.raises(ValidationError) as refused:
        services.activity_create(
            actor=None, programme=world["programme"], code=activity.code, title="Another", description="",
            type=Activity.Type.WEBINAR, level=Activity.Level.GLOBAL, lead=Activity.Lead.SECRETARIAT,
            planned_start=date(2026, 5, 1), planned_end=date(2026, 5, 1),
        )
    assert "code" in refused.value.message_dict
    services.activity_update(actor=None, activity=activity, title="Renamed")  # its own code is no clash
    assert Activity.objects.get(pk=activity.pk).title == "Renamed"


def test_plan_adoption_names_its_decision(world):
    plan = world["plan"]
    services.plan_submit(actor=None, plan=plan)
    with pytest.raises(ValidationError):
        services.plan_adopt(actor=None, plan=plan, decision=None)
    services.plan_adopt(actor=None, plan=plan, decision=world["decision"])
    assert plan.status == Plan.Status.ADOPTED and plan.adopted_by == world["decision"]
    with pytest.raises(ValidationError):
        services.priority_area_create(actor=None, plan=plan, title="Late", themes=[Theme.objects.get(code="legal")], rationale="r")
