"""Reference data is public to read; only the Secretariat changes it."""

from tahub.accounts.actors import has_perm
from tahub.accounts.roles import Perm
from tahub.core.policy import Policy
from tahub.reference.models import (
    Convention,
    Country,
    KindOfHelp,
    RegionalCentre,
    RegionalGroup,
    Theme,
)


class ReferencePolicy(Policy):
    def __init__(self, model):
        self.model = model

    def visible_to(self, actor):
        return self.model.objects.all()

    def can(self, actor, action, obj=None):
        if action in ("list", "view"):
            return has_perm(actor, Perm.VIEW_REFERENCE)
        if action in ("add", "change", "delete"):
            return has_perm(actor, Perm.MANAGE_REFERENCE)
        return False


country_policy = ReferencePolicy(Country)
centre_policy = ReferencePolicy(RegionalCentre)
regional_group_policy = ReferencePolicy(RegionalGroup)
convention_policy = ReferencePolicy(Convention)
theme_policy = ReferencePolicy(Theme)
kind_of_help_policy = ReferencePolicy(KindOfHelp)
