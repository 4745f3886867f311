import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from tahub.accounts.demo import DEMO_PASSWORD, seed_people
from tahub.accounts.models import Membership, Organisation, User
from tahub.accounts.roles import Role
from tahub.offers.demo import seed_offers
from tahub.offers.models import Offer
from tahub.reference.models import KindOfHelp, RegionalCentre, RegionalGroup, Theme

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

    call_command("seed_demo", quiet=True)

    again = capsys.readouterr().out
    counts = re.findall(r"^(\w[\w ]*): \d+ \((\d+) new\)$", again, re.M)
    assert {"people", "offers", "responses"} <= {kind for kind, _new in counts}
    assert {kind: new for kind, new in counts if new != "0"} == {}, "a second run must add nothing"


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
