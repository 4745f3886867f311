"""What a signed-in person may do: their active memberships, read once per request."""

from tahub.accounts.roles import PERMISSIONS, PUBLIC_PERMISSIONS, Role

_CACHE_ATTR = "_tahub_memberships"


def memberships_of(user):
    """The user's active memberships with their scopes, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            user.memberships.active().select_related("regional_group", "centre", "country", "organisation")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user):
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user):
    return {Role(membership.role) for membership in memberships_of(user)}


def permissions_of(user):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set(PUBLIC_PERMISSIONS)
    granted = set(PUBLIC_PERMISSIONS)
    for role in roles_of(user):
        granted |= PERMISSIONS[role]
    return granted


def has_perm(user, perm):
    return perm in permissions_of(user)


def is_secretariat(user):
    return Role.SECRETARIAT in roles_of(user)


def scope_ids(user, role, field):
    """Ids of the scopes (``field``) of the user's memberships in ``role``."""
    return {getattr(m, f"{field}_id") for m in memberships_of(user) if m.role == role}
