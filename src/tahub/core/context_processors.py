from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tahub.accounts.actors import has_perm, roles_of
from tahub.accounts.roles import Perm, Role


def navigation(request):
    """Main navigation for the person signed in (or the public)."""
    user = getattr(request, "user", None)
    items = [
        (_("Offers"), reverse("offers:catalogue")),
        (_("Parties"), reverse("portal:party_list")),
        (_("Regional centres"), reverse("portal:centre_list")),
        (_("Themes"), reverse("portal:theme_list")),
        (_("Reports"), reverse("reports:index")),
        (_("Plans and programmes"), reverse("planning:index")),
    ]
    if user is not None and user.is_authenticated:
        if roles_of(user):
            items.append((_("Needs assessments"), reverse("assessments:cycle_list")))
        if roles_of(user) & {Role.PROVIDER, Role.SECRETARIAT}:
            items.append((_("My offers"), reverse("offers:my_offers")))
        if roles_of(user) & {Role.SECRETARIAT, Role.REGIONAL_FOCAL_POINT, Role.CENTRE_STAFF, Role.PARTY_FOCAL_POINT}:
            items.append((_("Requests"), reverse("assistance:my_work")))
        if roles_of(user) & {Role.SECRETARIAT, Role.REGIONAL_FOCAL_POINT, Role.CENTRE_STAFF, Role.PARTY_FOCAL_POINT, Role.PROVIDER}:
            items.append((_("Matches"), reverse("matching:match_list")))
        items.append((_("People"), reverse("accounts:people_list")))
        if has_perm(user, Perm.USE_API):
            items.append((_("API tokens"), reverse("accounts:token_list")))
        if has_perm(user, Perm.USE_ADMIN) and user.is_staff:
            items.append((_("Administration"), reverse("admin:index")))
    roles = sorted(roles_of(user), key=str) if user is not None else []
    current = current_item(request.path, [url for _label, url in items])
    return {
        "nav_items": items,
        "nav_current": current,
        "nav_roles": [role.label for role in roles],
    }


def current_item(path, urls):
    """The navigation address of the page at ``path``: the longest one it starts with, else the
    first in the same section (``/assessments/needs/`` belongs to the needs assessments)."""
    prefixes = [url for url in urls if path.startswith(url)]
    if prefixes:
        return max(prefixes, key=len)
    section = path.split("/")[1] if path.count("/") > 1 else ""
    return next((url for url in urls if section and url.split("/")[1] == section), None)
