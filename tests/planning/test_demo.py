"""The planning demo. The full run (after the other demos, through ``seed_demo``) is checked in
``tests/test_demo.py``, which already runs the command twice: it calls ``assert_planning_demo``
and ``planning_rows`` from here rather than seeding again (a run takes most of a minute)."""

import datetime

import pytest
from django.db.models import Count

from tahub.planning import models
from tahub.planning.demo import seed_planning
from tahub.reference.models import RegionalCentre

pytestmark = pytest.mark.django_db

PLANNING_MODELS = [
    models.Meeting, models.Decision, models.Paragraph, models.Plan, models.Objective, models.PriorityArea,
    models.ExpectedResult, models.Programme, models.Activity, models.Partner, models.BudgetLine, models.ActivityReport,
    models.Participation, models.Material, models.IndicatorValue, models.Evaluation,
]


def planning_rows():
    rows = {model.__name__: model.objects.count() for model in PLANNING_MODELS}
    rows["answered evaluations"] = models.Evaluation.objects.filter(answered_at__isnull=False).count()
    return rows


def assert_planning_demo():
    """What the demo promises, after ``seed_demo`` at scale 1."""
    Activity, Paragraph = models.Activity, models.Paragraph
    assert 140 <= Activity.objects.count() <= 170
    assert sorted(models.Meeting.objects.values_list("number", flat=True)) == [11, 12, 14, 16, 17]
    assert set(models.Decision.objects.values_list("symbol", flat=True)) == {"BC-11/13", "BC-12/9", "BC-14/18"}
    plans = dict(models.Plan.objects.values_list("title", "status"))
    assert plans == {"Technical assistance plan 2022–2025": "adopted", "Technical assistance plan 2026–2029": "draft"}
    programmes = {p.start_year: p for p in models.Programme.objects.select_related("plan")}
    assert set(programmes) == {2024, 2026}
    assert all(p.status == models.Programme.Status.PUBLISHED for p in programmes.values())
    assert programmes[2026].plan.title == "Technical assistance plan 2026–2029"

    # The paragraph texts are summaries, never passed off as the official wording.
    assert Paragraph.objects.count() >= 12 and not Paragraph.objects.filter(illustrative=False).exists()
    for_secretariat = Paragraph.objects.filter(addressee=Paragraph.Addressee.SECRETARIAT, asks_action=True)
    unanswered = for_secretariat.filter(plans__isnull=True, priority_areas__isnull=True, activities__isnull=True)
    assert 1 <= unanswered.count() < for_secretariat.count() / 2

    new_plan = models.PriorityArea.objects.filter(plan__title="Technical assistance plan 2026–2029")
    assert 4 <= new_plan.count() <= 6
    for area in new_plan:
        assert area.evidence_taken_on is not None and area.evidence["taken_on"] == area.evidence_taken_on.isoformat()
        assert "2024" in area.evidence["cycle"]["title"] and area.results.exists()

    for programme in programmes.values():
        activities = programme.activities.all()
        assert not activities.filter(planned_start__year__lt=programme.start_year).exists()
        assert not activities.filter(planned_end__gt=datetime.date(programme.end_year, 12, 31)).exists()
    assert not Activity.objects.filter(status=Activity.Status.COMPLETED, actual_end__isnull=True).exists()
    assert not Activity.objects.filter(status__in=["cancelled", "postponed"], status_reason="").exists()
    assert set(Activity.objects.values_list("type", flat=True)) == set(Activity.Type.values)
    assert set(Activity.objects.values_list("lead", flat=True)) == set(Activity.Lead.values)
    assert set(Activity.objects.values_list("level", flat=True)) == set(Activity.Level.values)
    active = set(RegionalCentre.objects.filter(status="active").values_list("pk", flat=True))
    assert set(Activity.objects.filter(lead_centre__isnull=False).values_list("lead_centre", flat=True)) == active
    assert Activity.objects.filter(centre_own=True).exists()
    assert {"en", "fr", "es", "ar", "ru", "zh"} <= {code for codes in Activity.objects.values_list("languages", flat=True) for code in codes}
    assert Activity.objects.filter(needs__isnull=False).distinct().count() > 100
    assert Activity.objects.filter(requests__isnull=False).exists() and Activity.objects.filter(matches__isnull=False).exists()
    assert Activity.objects.filter(paragraphs__isnull=False).distinct().count() > 100

    assert models.BudgetLine.objects.values("currency").distinct().count() >= 2
    reports = dict(models.ActivityReport.objects.values_list("status").annotate(n=Count("pk")))
    assert reports.get("approved", 0) >= 50 and reports.get("submitted", 0) >= 2 and reports.get("returned") == 1
    assert models.Participation.objects.filter(women__gt=0).exists() and models.IndicatorValue.objects.exists()
    evaluations = models.Evaluation.objects
    assert evaluations.count() > 100
    answered = evaluations.filter(answered_at__isnull=False)
    assert answered.exists() and evaluations.filter(due_on__lte=datetime.date.today(), answered_at__isnull=True).exists()
    assert set(answered.values_list("outcome", flat=True)) == set(models.Evaluation.Outcome.values)


def test_planning_demo_stands_without_the_other_demos(reference):
    """With only the reference data (no people, cycles, requests or matches), the demo still
    seeds, leaving out what needs them, and a second run adds nothing."""
    created = seed_planning(scale=1, seed=7)

    assert created == models.Activity.objects.count() == 150
    assert not models.Activity.objects.filter(lead=models.Activity.Lead.PARTNER).exists()  # no partner organisations
    assert models.PriorityArea.objects.filter(evidence_taken_on__isnull=True).count() == models.PriorityArea.objects.count()
    first = planning_rows()

    assert seed_planning(scale=1, seed=7) == 0
    assert planning_rows() == first
