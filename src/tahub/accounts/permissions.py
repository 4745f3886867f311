"""Who sees whom, and who manages API tokens."""

from django.db.models import Exists, OuterRef, Q

from tahub.accounts.actors import has_perm, memberships_of
from tahub.accounts.models import ApiToken, Membership, User
from tahub.accounts.roles import Perm, Role
from tahub.core.policy import Policy


def _membership_scope_for(actor):
    """The memberships whose holders ``actor`` may see, as one Q over Membership."""
    condition = Q(role=Role.SECRETARIAT)  # every signed-in person may see who the Secretariat is
    for membership in memberships_of(actor):
        role = membership.role
        if role in (Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR):
            condition |= Q(country_id=membership.country_id)
            condition |= Q(role=Role.REGIONAL_FOCAL_POINT, regional_group__countries=membership.country_id)
            condition |= Q(role=Role.CENTRE_STAFF, centre__countries_served=membership.country_id)
        elif role == Role.CENTRE_STAFF:
            condition |= Q(centre_id=membership.centre_id)
            condition |= Q(country__centres=membership.centre_id)
            condition |= Q(role=Role.REGIONAL_FOCAL_POINT, regional_group__countries__centres=membership.centre_id)
        elif role == Role.REGIONAL_FOCAL_POINT:
            condition |= Q(regional_group_id=membership.regional_group_id)
            condition |= Q(country__regional_group_id=membership.regional_group_id)
            condition |= Q(centre__host_country__regional_group_id=membership.regional_group_id)
        elif role == Role.PROVIDER:
            condition |= Q(organisation_id=membership.organisation_id)
    return condition


class PersonPolicy(Policy):
    model = User

    def visible_to(self, actor):
        if not getattr(actor, "is_authenticated", False):
            return User.objects.none()
        people = User.objects.filter(is_active=True)
        if has_perm(actor, Perm.VIEW_ALL_PEOPLE):
            return people
        if not has_perm(actor, Perm.VIEW_SCOPED_PEOPLE):
            return people.filter(pk=actor.pk)
        shared = Membership.objects.active().filter(_membership_scope_for(actor), user_id=OuterRef("pk"))
        return people.filter(Q(pk=actor.pk) | Exists(shared))

    def can(self, actor, action, obj=None):
        if action == "list":
            return getattr(actor, "is_authenticated", False)
        if action == "view":
            return obj is not None and self.visible_to(actor).filter(pk=obj.pk).exists()
        if action == "manage":
            return has_perm(actor, Perm.MANAGE_PEOPLE)
        return False


class ApiTokenPolicy(Policy):
    model = ApiToken

    def visible_to(self, actor):
        if not getattr(actor, "is_authenticated", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=actor)

    def can(self, actor, action, obj=None):
        if not getattr(actor, "is_authenticated", False):
            return False
        if action == "create":
            return has_perm(actor, Perm.USE_API)
        if action in ("view", "revoke"):
            return obj is not None and obj.user_id == actor.pk
        return False


people_policy = PersonPolicy()
token_policy = ApiTokenPolicy()
