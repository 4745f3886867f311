"""The role → permission table: the one place that says what each role may do.

Roles are held through scoped memberships (``Membership``): a party focal point for one
Party, a centre's staff for one centre, and so on. ``docs/roles.md`` renders this table;
tests/test_docs.py keeps the two in step.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat")
    REGIONAL_FOCAL_POINT = "regional_focal_point", _("Regional focal point")
    CENTRE_STAFF = "centre_staff", _("Regional centre staff")
    PARTY_FOCAL_POINT = "party_focal_point", _("Party focal point")
    CONTRIBUTOR = "contributor", _("Contributor")
    PROVIDER = "provider", _("Provider")


# What each role's membership is scoped to: the field of Membership that must be set.
SCOPE_FIELD = {
    Role.SECRETARIAT: None,
    Role.REGIONAL_FOCAL_POINT: "regional_group",
    Role.CENTRE_STAFF: "centre",
    Role.PARTY_FOCAL_POINT: "country",
    Role.CONTRIBUTOR: "country",
    Role.PROVIDER: "organisation",
}


class Perm(models.TextChoices):
    VIEW_REFERENCE = "reference.view", _("See reference data (countries, centres, themes)")
    MANAGE_REFERENCE = "reference.manage", _("Change reference data")
    VIEW_ALL_PEOPLE = "people.view_all", _("See every user and their roles")
    VIEW_SCOPED_PEOPLE = "people.view_scoped", _("See the people who share one's Party, region, centre or organisation")
    MANAGE_PEOPLE = "people.manage", _("Create users and grant or revoke roles")
    USE_API = "api.use", _("Create personal API tokens and use the API")
    USE_ADMIN = "admin.use", _("Use the administration site")


PERMISSIONS = {
    Role.SECRETARIAT: {
        Perm.VIEW_REFERENCE,
        Perm.MANAGE_REFERENCE,
        Perm.VIEW_ALL_PEOPLE,
        Perm.VIEW_SCOPED_PEOPLE,
        Perm.MANAGE_PEOPLE,
        Perm.USE_API,
        Perm.USE_ADMIN,
    },
    Role.REGIONAL_FOCAL_POINT: {Perm.VIEW_REFERENCE, Perm.VIEW_SCOPED_PEOPLE, Perm.USE_API},
    Role.CENTRE_STAFF: {Perm.VIEW_REFERENCE, Perm.VIEW_SCOPED_PEOPLE, Perm.USE_API},
    Role.PARTY_FOCAL_POINT: {Perm.VIEW_REFERENCE, Perm.VIEW_SCOPED_PEOPLE, Perm.USE_API},
    Role.CONTRIBUTOR: {Perm.VIEW_REFERENCE, Perm.VIEW_SCOPED_PEOPLE},
    Role.PROVIDER: {Perm.VIEW_REFERENCE, Perm.VIEW_SCOPED_PEOPLE, Perm.USE_API},
}

# What anyone may do without signing in.
PUBLIC_PERMISSIONS = {Perm.VIEW_REFERENCE}
