import re

import pytest
from django.core.management import call_command
from django.db.models import Count, F

from tahub.accounts.demo import DEMO_PASSWORD, seed_people
from tahub.accounts.models import Membership, Organisation, User
from tahub.accounts.roles import Role
from tahub.assistance.models import Notification, Request, RequestEvent
from tahub.offers.demo import seed_offers
from tahub.offers.models import Offer
from tahub.reference.models import KindOfHelp, RegionalCentre, RegionalGroup, Theme
from tests.planning.test_demo import assert_planning_demo, planning_rows

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        Membership.objects.values_list("user__email", "user__full_name", "role", "country__iso3", "centre__slug")
    )


def test_demo_covers_every_role_and_region(reference):
    seed_people(scale=1, seed=7)

    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Membership.objects.filter(role=Role.REGIONAL_FOCAL_POINT).count() == RegionalGroup.objects.count()
    active_centres = RegionalCentre.objects.filter(status="active")
    assert set(Membership.objects.filter(role=Role.CENTRE_STAFF).values_list("centre", flat=True)) == set(
        active_centres.values_list("pk", flat=True)
    )
    focal_parties = Membership.objects.filter(role=Role.PARTY_FOCAL_POINT).values("country").distinct().count()
    assert 35 <= focal_parties <= 40
    groups_with_focal_points = Membership.objects.filter(role=Role.PARTY_FOCAL_POINT).values(
        "country__regional_group"
    ).distinct().count()
    assert groups_with_focal_points >= 4  # WEOG has no Party eligible for assistance
    assert Organisation.objects.filter(members__memberships__role=Role.PROVIDER).distinct().count() == 15
    assert User.objects.get(email="focal.ken@demo.tahub.example").check_password(DEMO_PASSWORD)


def test_demo_is_deterministic_and_does_not_duplicate(reference):
    seed_people(scale=1, seed=7)
    first = snapshot()

    seed_people(scale=1, seed=7)

    assert snapshot() == first
    assert User.objects.count() == len({email for email, *_rest in first})


def test_scale_multiplies_volumes(reference):
    seed_people(scale=1)
    one = Membership.objects.count()

    seed_people(scale=3)

    assert Membership.objects.filter(role=Role.PARTY_FOCAL_POINT).count() == 120
    assert Membership.objects.count() > 2.5 * one


def test_command_prints_the_demo_accounts(reference, capsys):
    call_command("seed_demo")

    output = capsys.readouterr().out
    assert DEMO_PASSWORD in output
    for email in ("secretariat@demo.tahub.example", "focal.ken@demo.tahub.example", "centre.senegal@demo.tahub.example"):
        assert email in output
    assert re.search(r"^offers: (\d+) \(\1 new\)$", output, re.M)
    assert re.search(r"^planning activities: (\d+) \(\1 new\)$", output, re.M)
    assert_planning_demo()  # checked on this run rather than seeding again
    planning = planning_rows()

    call_command("seed_demo", quiet=True)

    again = capsys.readouterr().out
    counts = re.findall(r"^(\w[\w ]*): \d+ \((\d+) new\)$", again, re.M)
    assert {"people", "offers", "responses", "requests", "planning activities"} <= {kind for kind, _new in counts}
    assert {kind: new for kind, new in counts if new != "0"} == {}, "a second run must add nothing"
    assert planning_rows() == planning, "a second run adds no planning rows"


def test_demo_offers_span_every_kind_theme_audience_and_state(reference):
    seed_people(scale=1)

    created = seed_offers(scale=1)

    assert 140 <= created <= 160 and Offer.objects.count() == created
    refinements = KindOfHelp.objects.filter(parent__isnull=False)
    assert set(refinements.values_list("offers__kinds__parent__code", flat=True)) >= {
        "training", "knowhow", "advice", "resources",
    }
    assert not refinements.annotate(n=Count("offers")).filter(n=0).exists(), "every refinement has offers"
    top_themes = Theme.objects.filter(parent__isnull=True)
    offered = {theme.parent.code if theme.parent else theme.code for theme in Theme.objects.filter(offers__isnull=False)}
    assert set(top_themes.values_list("code", flat=True)) <= offered
    visibility = dict(Offer.objects.values_list("visibility").annotate(n=Count("pk")))
    assert 10 <= visibility[Offer.Visibility.PARTIES] <= 20 and 1 <= visibility[Offer.Visibility.SECRETARIAT] <= 5
    statuses = dict(Offer.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses[Offer.Status.CLOSED] >= 10 and statuses[Offer.Status.DRAFT] >= 2
    assert Offer.objects.filter(status=Offer.Status.CLOSED, ends_on__isnull=False).count() == statuses[Offer.Status.CLOSED]
    assert Offer.objects.filter(ends_on__isnull=True, status=Offer.Status.PUBLISHED).exists()  # standing offers
    assert Offer.objects.filter(eligible_ldc=True).exists() and Offer.objects.filter(eligible_groups__isnull=False).exists()
    assert Offer.objects.filter(amount__isnull=False).exclude(currency="").exists()
    assert {"en", "fr", "es"} <= set(Offer.objects.values_list("languages__code", flat=True))
    assert Offer.history.count() == created


def test_demo_offers_are_deterministic_and_not_duplicated(reference):
    seed_people(scale=1, seed=7)
    seed_offers(scale=1, seed=7)
    first = sorted(Offer.objects.values_list("provider__name", "title", "status", "visibility", "modality"))

    assert seed_offers(scale=1, seed=7) == 0
    Offer.objects.all().delete()
    seed_offers(scale=1, seed=7)

    assert sorted(Offer.objects.values_list("provider__name", "title", "status", "visibility", "modality")) == first


def test_demo_cycles_keep_each_needs_identity_and_share_the_open_drafting(reference):
    from django.db.models import Count

    from tahub.assessments.models import Cycle, Need, SectionAssignment

    call_command("seed_demo", quiet=True)

    assert sorted(Cycle.objects.values_list("status", flat=True)) == ["open", "published", "published", "published"]
    # One need per Party and theme, observed again in later cycles rather than duplicated.
    across = Need.objects.annotate(cycles=Count("observations__cycle", distinct=True)).filter(cycles__gte=3)
    assert across.count() > 50
    assert not Need.objects.values("country", "theme").annotate(n=Count("pk")).filter(n__gt=1).exists()
    open_cycle = Cycle.objects.get(status="open")
    kenya = SectionAssignment.objects.get(cycle=open_cycle, user__email="contributor.ken@demo.tahub.example")
    assert kenya.sections == ["capacities", "needs"]
    # Requests answer needs the cycles found, of their own Party; the Party's feedback meets them.
    linked = Request.objects.filter(need__isnull=False)
    assert linked.count() >= 20
    assert not linked.exclude(need__country=F("country")).exists()
    met = linked.filter(status=Request.Status.CLOSED, need_met="met")
    assert met.exists() and not met.exclude(need__status__in=[Need.Status.MET, Need.Status.PARTLY_MET]).exists()


def status_chain(request):
    return [(e.from_status, e.to_status) for e in request.events.all() if e.kind == RequestEvent.Kind.STATUS]


def test_demo_requests_span_every_state_with_timelines_that_hold_together(reference):
    from django.utils import timezone

    from tahub.assistance.demo import seed_requests
    from tahub.assistance.selectors import published_requests

    seed_people(scale=1)

    created = seed_requests(scale=1)

    assert 110 <= created <= 130 and Request.objects.count() == created
    statuses = dict(Request.objects.values_list("status").annotate(n=Count("pk")))
    assert set(statuses) == set(Request.Status.values), "every state of the workflow"
    assert all(count >= 3 for count in statuses.values())
    emergencies = Request.objects.filter(urgency=Request.Urgency.EMERGENCY)
    assert 3 <= emergencies.count() <= 15 and not emergencies.filter(incident_where="").exists()
    assert emergencies.filter(status__in=Request.OPEN).exists()
    kenya = Request.objects.filter(country__iso3="KEN")
    assert kenya.count() >= 6 and kenya.filter(status=Request.Status.MORE_INFORMATION).exists()
    assert kenya.filter(status=Request.Status.COMPLETED, feedback_at__isnull=True).exists()  # to rate
    assert Request.objects.values("country").distinct().count() >= 40
    now = timezone.now()
    years = {moment.year for moment in Request.objects.values_list("submitted_at", flat=True)}
    assert years == set(range(2019, now.year + 1)) and min(years) == 2019
    assert Request.objects.filter(status__in=Request.OPEN, due_at__lt=now).count() >= 5, "some are overdue"
    assert Request.objects.filter(status__in=Request.OPEN, due_at__gt=now).count() >= 20
    closed = Request.objects.filter(status=Request.Status.CLOSED)
    assert closed.filter(rating__isnull=False).exclude(need_met="").count() >= 10
    assert not Request.objects.filter(status__in=["declined", "withdrawn"], decision_reason="").exists()
    assert published_requests().count() >= 3
    assert Request.objects.filter(centre__isnull=False).exists() and Request.objects.filter(co_requesters__isnull=False).exists()

    for request in Request.objects.prefetch_related("events", "messages"):
        chain = status_chain(request)
        assert chain[0] == ("", Request.Status.SUBMITTED), request.pk
        assert all(before[1] == after[0] for before, after in zip(chain, chain[1:], strict=False)), request.pk
        assert chain[-1][1] == request.status, f"{request.pk}: the timeline ends with the current state"
        moments = [event.at for event in request.events.all()]
        assert moments == sorted(moments) and moments[0] == request.submitted_at and moments[-1] <= now
        assert all(request.submitted_at < m.created_at <= now for m in request.messages.all())
        last_status = [e for e in request.events.all() if e.kind == RequestEvent.Kind.STATUS][-1]
        assert request.status_changed_at == last_status.at
        assert (request.due_at is not None) == request.is_open
        assert (request.ended_at is not None) == (request.status in Request.ENDED)
        if request.acknowledged_at:
            assert request.submitted_at < request.acknowledged_at <= request.status_changed_at
    assert Notification.objects.exists() and not Notification.objects.filter(sent_at__isnull=True).exists()
    # The history is dated like the timeline: created when submitted, nothing after now.
    created = dict(Request.history.filter(history_type="+").values_list("id", "history_date"))
    assert created == dict(Request.objects.values_list("pk", "submitted_at"))
    assert not Request.history.filter(history_date__gt=now).exists()


def test_demo_requests_are_not_duplicated_and_bulk_copies_match_the_services(reference):
    """Beyond the first 120, requests are inserted in bulk: with the rows the services write."""
    from django.utils import timezone

    from tahub.assistance import demo
    from tahub.assistance.models import CentreRouting, RequestMessage

    seed_people(scale=1)
    now = timezone.now()
    assert demo.seed_requests(scale=1, now=now) == 120

    ctx = demo._context(2026, now)
    requests = {(r.country_id, r.title): r for r in Request.objects.prefetch_related("events", "messages", "routings")}
    for plan in (demo._plan(index, 2026, ctx) for index in range(120)):
        # Made by the services: the bulk path would have written the same rows.
        request = requests[plan.country.pk, plan.title]
        events, routings, messages = demo._rows(
            plan, request.pk, ctx.rfp.get(plan.country.regional_group_id), ctx.centres.get(plan.country.pk, [])
        )
        assert [(e.kind, e.from_status, e.to_status, e.actor_id, e.comment, e.at) for e in events] == [
            (e.kind, e.from_status, e.to_status, e.actor_id, e.comment, e.at) for e in request.events.all()
        ], plan.index
        assert [(m.author_id, m.body, m.created_at) for m in messages] == [
            (m.author_id, m.body, m.created_at) for m in request.messages.all()
        ]
        assert sorted((r.centre_id, r.state, r.decided_by_id, r.decided_at, r.reason) for r in routings) == sorted(
            (r.centre_id, r.state, r.decided_by_id, r.decided_at, r.reason) for r in request.routings.all()
        )
        outcome = demo._outcome(plan, ctx)
        for name in ("status", "status_changed_at", "due_at", "acknowledged_at", "ended_at", "decision_reason",
                     "rating", "need_met", "feedback", "feedback_at", "lock_version", "owner", "centre"):
            assert getattr(request, name) == getattr(outcome, name), (plan.index, name)

    first = sorted(Request.objects.values_list("country__iso3", "title", "status"))
    assert demo.seed_requests(scale=1) == 0
    assert sorted(Request.objects.values_list("country__iso3", "title", "status")) == first

    seed_people(scale=2)  # more focal points: the first 120 are still recognised
    assert demo.seed_requests(scale=2) == 120
    for request in Request.objects.prefetch_related("events"):
        assert status_chain(request)[-1][1] == request.status
    assert Request.history.filter(history_type="+").count() == 240
    assert CentreRouting.objects.count() > 120 and RequestMessage.objects.count() > 240
