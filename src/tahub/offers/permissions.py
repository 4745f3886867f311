"""Who sees which offers, and who may change them.

The public sees published (and, for the record, closed) public offers. People working with
Parties (focal points, contributors, regional focal points, centre staff) also see
Parties-only offers. Providers see and manage their own organisation's offers in every state;
the Secretariat sees and manages all, and records offers on a provider's behalf.
"""

from django.db.models import Q

from tahub.accounts.actors import is_secretariat, memberships_of, scope_ids
from tahub.accounts.models import Organisation
from tahub.accounts.roles import Role
from tahub.core.policy import Policy
from tahub.offers.models import Offer

PARTY_SIDE = {Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR, Role.REGIONAL_FOCAL_POINT, Role.CENTRE_STAFF}
LISTED = [Offer.Status.PUBLISHED, Offer.Status.CLOSED]


def audiences_for(actor):
    """The visibilities of listed offers ``actor`` may read."""
    if is_secretariat(actor):
        return list(Offer.Visibility.values)
    if any(m.role in PARTY_SIDE for m in memberships_of(actor)):
        return [Offer.Visibility.PUBLIC, Offer.Visibility.PARTIES]
    return [Offer.Visibility.PUBLIC]


def provider_ids(actor):
    return scope_ids(actor, Role.PROVIDER, "organisation")


class OfferPolicy(Policy):
    model = Offer

    def visible_to(self, actor):
        offers = Offer.objects.all()
        if is_secretariat(actor):
            return offers
        condition = Q(status__in=LISTED, visibility__in=audiences_for(actor))
        own = provider_ids(actor)
        if own:
            condition |= Q(provider__in=own)
        return offers.filter(condition)

    def can(self, actor, action, obj=None):
        if not getattr(actor, "is_authenticated", False):
            return action == "view" and obj is not None and self.visible_to(actor).filter(pk=obj.pk).exists()
        if action == "view":
            return obj is not None and self.visible_to(actor).filter(pk=obj.pk).exists()
        if action == "create":
            return is_secretariat(actor) or bool(provider_ids(actor))
        if action == "record_for_provider":
            return is_secretariat(actor)
        if action in ("change", "publish", "close", "withdraw", "attach"):
            return obj is not None and (is_secretariat(actor) or obj.provider_id in provider_ids(actor))
        return False

    def providers_for(self, actor):
        """The organisations ``actor`` may create offers for."""
        if is_secretariat(actor):
            return Organisation.objects.filter(is_active=True)
        return Organisation.objects.filter(pk__in=provider_ids(actor), is_active=True)


offer_policy = OfferPolicy()
