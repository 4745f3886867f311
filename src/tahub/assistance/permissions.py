"""Who sees which requests, and who may move them on.

- The Secretariat sees and acts on every request.
- A Party's focal points and contributors see the requests of their Party (as requester or
  co-requester); focal points file them, answer questions, withdraw them and give feedback.
- A regional focal point sees and follows the requests of the Parties of their regional groups.
- Centre staff see a request proposed to their centre in outline (to decide whether to take it),
  and in full once their centre has taken it.
- Providers see only what is conveyed to them (the matching capability), and, like everyone, the
  requests a Party chose to publish, without names or contact details.
"""

from django.db.models import Q

from tahub.accounts.actors import is_secretariat, memberships_of, scope_ids
from tahub.accounts.roles import Role
from tahub.assistance.models import CentreRouting, Request
from tahub.core.policy import Policy

# Who moves a request from one state to another: "staff" are the Secretariat and the regional focal
# points of the Party's group, "centre" the centre that took it, "party" the Party's focal points.
TRANSITIONS = {
    Request.Status.SUBMITTED: {
        Request.Status.UNDER_REVIEW: {"staff"},
        Request.Status.DECLINED: {"staff"},
        Request.Status.WITHDRAWN: {"party"},
    },
    Request.Status.UNDER_REVIEW: {
        Request.Status.MORE_INFORMATION: {"staff"},
        Request.Status.ACCEPTED: {"staff"},
        Request.Status.DECLINED: {"staff"},
        Request.Status.WITHDRAWN: {"party"},
    },
    Request.Status.MORE_INFORMATION: {
        Request.Status.UNDER_REVIEW: {"party", "staff"},
        Request.Status.DECLINED: {"staff"},
        Request.Status.WITHDRAWN: {"party"},
    },
    Request.Status.ACCEPTED: {
        Request.Status.HELP_IDENTIFIED: {"staff"},
        Request.Status.IN_DELIVERY: {"staff", "centre"},
        Request.Status.WITHDRAWN: {"party"},
    },
    Request.Status.HELP_IDENTIFIED: {
        Request.Status.IN_DELIVERY: {"staff", "centre"},
        Request.Status.WITHDRAWN: {"party"},
    },
    Request.Status.IN_DELIVERY: {
        Request.Status.COMPLETED: {"staff", "centre"},
    },
    Request.Status.COMPLETED: {
        Request.Status.CLOSED: {"staff"},
    },
}
# Moves that must say why (the Party sees the reason, or the question asked).
NEEDS_COMMENT = {Request.Status.DECLINED, Request.Status.WITHDRAWN, Request.Status.MORE_INFORMATION}


def party_ids(actor, *roles):
    return {m.country_id for m in memberships_of(actor) if m.role in roles}


def group_ids(actor):
    return scope_ids(actor, Role.REGIONAL_FOCAL_POINT, "regional_group")


def centre_ids(actor):
    return scope_ids(actor, Role.CENTRE_STAFF, "centre")


def _of_parties(countries):
    return Q(country__in=countries) | Q(co_requesters__in=countries)


class RequestPolicy(Policy):
    model = Request

    def visible_to(self, actor):
        requests = Request.objects.all()
        if not getattr(actor, "is_authenticated", False):
            return requests.none()
        if is_secretariat(actor):
            return requests
        condition = Q(pk__in=[])
        parties = party_ids(actor, Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)
        if parties:
            condition |= Q(pk__in=Request.objects.filter(_of_parties(parties)).values("pk"))
        groups = group_ids(actor)
        if groups:
            condition |= Q(country__regional_group__in=groups)
        centres = centre_ids(actor)
        if centres:
            routed = CentreRouting.objects.filter(centre__in=centres).exclude(state=CentreRouting.State.DECLINED)
            condition |= Q(pk__in=routed.values("request_id")) | Q(centre__in=centres)
        return requests.filter(condition)

    def roles_on(self, actor, request):
        """The parts ``actor`` plays on ``request``: "staff", "centre", "party" (see TRANSITIONS)."""
        if not getattr(actor, "is_authenticated", False):
            return set()
        roles = set()
        if is_secretariat(actor) or (request.country.regional_group_id in group_ids(actor)):
            roles.add("staff")
        if request.centre_id and request.centre_id in centre_ids(actor):
            roles.add("centre")
        focal = party_ids(actor, Role.PARTY_FOCAL_POINT)
        if focal and (request.country_id in focal or request.co_requesters.filter(pk__in=focal).exists()):
            roles.add("party")
        return roles

    def is_party_reader(self, actor, request):
        parties = party_ids(actor, Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)
        return bool(parties) and (
            request.country_id in parties or request.co_requesters.filter(pk__in=parties).exists()
        )

    def can(self, actor, action, obj=None):
        if not getattr(actor, "is_authenticated", False):
            return False
        if action == "file":
            return bool(party_ids(actor, Role.PARTY_FOCAL_POINT)) or is_secretariat(actor) or bool(centre_ids(actor))
        if action == "file_for_any_party":
            return is_secretariat(actor)
        if action == "dashboard":
            return is_secretariat(actor)
        if obj is None:
            return False
        if action == "view":
            return self.visible_to(actor).filter(pk=obj.pk).exists()
        roles = self.roles_on(actor, obj)
        if action == "view_full":
            return bool(roles) or self.is_party_reader(actor, obj)
        if action == "message":
            return bool(roles) and obj.status not in Request.ENDED
        if action == "assign":
            return is_secretariat(actor)
        if action == "feedback":
            return "party" in roles and obj.status == Request.Status.COMPLETED and obj.feedback_at is None
        if action == "route":
            return "staff" in roles and obj.is_open
        return False

    def allowed_moves(self, actor, request):
        """The states ``actor`` may move ``request`` to now."""
        roles = self.roles_on(actor, request)
        return [
            target for target, movers in TRANSITIONS.get(Request.Status(request.status), {}).items() if roles & movers
        ]


class RoutingPolicy:
    """Centre staff take or decline the requests proposed to their centre."""

    def can(self, actor, action, routing):
        if action not in ("take", "decline") or routing.centre_id not in centre_ids(actor):
            return False
        request = routing.request
        return (
            routing.state == CentreRouting.State.PROPOSED and request.centre_id is None and request.is_open
        )


request_policy = RequestPolicy()
routing_policy = RoutingPolicy()
