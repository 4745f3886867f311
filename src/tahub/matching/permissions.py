"""Who sees which matches, and who decides on them.

- The Secretariat sees every match and decides on all of them.
- A request's owning side (the regional focal points of the Party's group, the centre that took
  it) sees its suggestions and decides on them; a regional focal point also sees the matches of
  the needs and requests of their group's Parties.
- Suggestions are internal: a Party's focal points and contributors see a match once it is
  conveyed to them, and answer it (focal points); a provider sees the matches of its offers once
  conveyed, with only what the Party agreed to share, and answers them.
"""

from django.db.models import Q

from tahub.accounts.actors import is_secretariat
from tahub.accounts.roles import Role
from tahub.assistance.permissions import centre_ids, group_ids, party_ids, request_policy
from tahub.core.policy import Policy
from tahub.matching.models import Match
from tahub.offers.permissions import provider_ids


def _is_party_of(actor, match, *roles):
    parties = party_ids(actor, *roles)
    if not parties:
        return False
    if match.country_id in parties:
        return True
    return bool(match.request_id) and match.request.co_requesters.filter(pk__in=parties).exists()


class MatchPolicy(Policy):
    model = Match

    def visible_to(self, actor):
        matches = Match.objects.all()
        if not getattr(actor, "is_authenticated", False):
            return matches.none()
        if is_secretariat(actor):
            return matches
        condition = Q(pk__in=[])
        groups = group_ids(actor)
        if groups:
            condition |= Q(country__regional_group__in=groups)
        centres = centre_ids(actor)
        if centres:
            condition |= Q(request__centre__in=centres)
        conveyed = Q(status=Match.Status.CONVEYED)
        parties = party_ids(actor, Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)
        if parties:
            of_party = Q(country__in=parties) | Q(request__co_requesters__in=parties)
            condition |= conveyed & Q(pk__in=Match.objects.filter(of_party).values("pk"))
        providers = provider_ids(actor)
        if providers:
            condition |= conveyed & Q(offer__provider__in=providers)
        return matches.filter(condition)

    def can_decide_on(self, actor, subject):
        """Whether ``actor`` sees the suggestions of this need or request and decides on them."""
        if not getattr(actor, "is_authenticated", False):
            return False
        if is_secretariat(actor):
            return True
        if subject._meta.model_name != "request":
            return False
        return bool(request_policy.roles_on(actor, subject) & {"staff", "centre"})

    def can(self, actor, action, obj=None):
        if not getattr(actor, "is_authenticated", False) or obj is None:
            return False
        if action == "view":
            return self.visible_to(actor).filter(pk=obj.pk).exists()
        status = obj.status
        if action in ("confirm", "dismiss", "restore", "convey"):
            if not self.can_decide_on(actor, obj.subject):
                return False
            return {
                "confirm": status == Match.Status.SUGGESTED,
                "dismiss": status in (Match.Status.SUGGESTED, Match.Status.CONFIRMED),
                "restore": status == Match.Status.DISMISSED,
                "convey": obj.is_conveyable,
            }[action]
        if status != Match.Status.CONVEYED:
            return False
        if action == "answer_provider":
            return is_secretariat(actor) or obj.offer.provider_id in provider_ids(actor)
        if action == "answer_party":
            return is_secretariat(actor) or _is_party_of(actor, obj, Role.PARTY_FOCAL_POINT)
        return False

    def sides_of(self, actor, match):
        """What ``actor`` reads of a match: "staff" all, "party" the offer, "provider" what is shared."""
        if self.can_decide_on(actor, match.subject) or (match.country.regional_group_id in group_ids(actor)):
            return {"staff"}
        sides = set()
        if _is_party_of(actor, match, Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR):
            sides.add("party")
        if match.offer.provider_id in provider_ids(actor):
            sides.add("provider")
        return sides


match_policy = MatchPolicy()
