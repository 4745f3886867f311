"""Reads of people and tokens, permission-aware."""

from django.db.models import Prefetch, Q

from tahub.accounts.models import Membership, User
from tahub.accounts.permissions import people_policy, token_policy
from tahub.accounts.roles import Role


def people_holding(role, **scope):
    """Active people with an active membership in ``role``, scoped by ``scope`` (e.g. ``country=``)."""
    return User.objects.filter(
        is_active=True, memberships__role=role, memberships__is_active=True,
        **{f"memberships__{key}": value for key, value in scope.items()},
    ).distinct()


def people_list_for(actor, *, q="", role=""):
    people = people_policy.visible_to(actor).select_related("organisation").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related("regional_group", "centre", "country", "organisation"),
            to_attr="active_memberships",
        )
    )
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if role:
        people = people.filter(memberships__role=role, memberships__is_active=True).distinct()
    return people.order_by("full_name", "email")


def token_list_for(actor):
    return token_policy.visible_to(actor).order_by("revoked_at", "-created_at")


def token_get_for(actor, pk):
    return token_policy.get_for(actor, pk=pk)


def focal_points_of_country_for(actor, country):
    """``(people, total)``: the active focal points of ``country`` whom ``actor`` may see (with
    their organisation), and how many it has in all; two queries."""
    focal_points = User.objects.filter(
        is_active=True,
        memberships__role=Role.PARTY_FOCAL_POINT,
        memberships__country=country,
        memberships__is_active=True,
    )
    visible = (
        people_policy.visible_to(actor)
        .filter(pk__in=focal_points.values("pk"))
        .select_related("organisation")
        .order_by("full_name", "email")
    )
    return list(visible), focal_points.distinct().count()
