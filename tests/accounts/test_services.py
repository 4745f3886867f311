import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tahub.accounts.models import Membership, User
from tahub.accounts.roles import Role
from tahub.accounts.services import membership_grant, membership_revoke, user_create
from tahub.reference.models import Country, RegionalGroup

pytestmark = pytest.mark.django_db


def test_creating_a_person_records_who_did_it(personas):
    user = user_create(actor=personas.secretariat, email="New.Person@Example.org", full_name="New Person")

    assert user.email == "new.person@example.org"
    assert not user.has_usable_password()
    entry = user.history.get()
    assert entry.history_type == "+" and entry.history_user == personas.secretariat


def test_only_the_secretariat_manages_people(personas):
    with pytest.raises(PermissionDenied):
        user_create(actor=personas.focal_kenya, email="x@example.org", full_name="X")
    with pytest.raises(PermissionDenied):
        membership_grant(actor=personas.rfp_africa, user=personas.no_role, role=Role.SECRETARIAT)
    assert not User.objects.filter(email="x@example.org").exists()


def test_duplicate_email_is_refused(personas):
    with pytest.raises(ValidationError):
        user_create(actor=personas.secretariat, email="FP.KEN@example.org", full_name="Copy")


def test_a_role_needs_a_scope_of_its_own_kind(personas):
    with pytest.raises(ValidationError):
        membership_grant(actor=personas.secretariat, user=personas.no_role, role=Role.PARTY_FOCAL_POINT)
    with pytest.raises(ValidationError):
        membership_grant(
            actor=personas.secretariat, user=personas.no_role, role=Role.SECRETARIAT,
            scope=Country.objects.get(iso3="KEN"),
        )


def test_granting_twice_keeps_one_membership_and_history_names_the_actor(personas):
    kenya = Country.objects.get(iso3="KEN")
    first = membership_grant(actor=personas.secretariat, user=personas.no_role, role=Role.PARTY_FOCAL_POINT, scope=kenya)
    again = membership_grant(actor=personas.secretariat, user=personas.no_role, role=Role.PARTY_FOCAL_POINT, scope=kenya)

    assert first.pk == again.pk
    assert Membership.objects.filter(user=personas.no_role).count() == 1
    assert first.history.get().history_user == personas.secretariat


def test_revoking_a_role_keeps_the_record_and_writes_history(personas):
    group = RegionalGroup.objects.get(code="WEOG")
    membership = membership_grant(actor=personas.secretariat, user=personas.no_role, role=Role.REGIONAL_FOCAL_POINT, scope=group)

    membership_revoke(actor=personas.secretariat, membership=membership)

    membership.refresh_from_db()
    assert not membership.is_active
    assert [entry.history_type for entry in membership.history.order_by("history_date")] == ["+", "~"]
