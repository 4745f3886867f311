import pytest
from django.core.management import call_command

from tahub.accounts.demo import DEMO_PASSWORD, seed_people
from tahub.accounts.models import Membership, Organisation, User
from tahub.accounts.roles import Role
from tahub.reference.models import RegionalCentre, RegionalGroup

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
