"""Policies of the assessments app: questionnaire versions, cycles, responses and needs."""

from django.db.models import Q

from tahub.accounts.actors import is_secretariat, memberships_of
from tahub.accounts.roles import Role
from tahub.assessments.models import Cycle, Need, QuestionnaireVersion, Response, SectionAssignment
from tahub.core.policy import Policy


class QuestionnaireVersionPolicy(Policy):
    model = QuestionnaireVersion

    def visible_to(self, actor):
        versions = QuestionnaireVersion.objects.select_related("questionnaire")
        if is_secretariat(actor):
            return versions
        return versions.filter(status=QuestionnaireVersion.Status.PUBLISHED)

    def can(self, actor, action, obj=None):
        if action == "view":
            return obj is not None and (obj.is_frozen or is_secretariat(actor))
        if action in ("import", "copy"):
            return is_secretariat(actor)
        if action in ("change", "publish"):
            return is_secretariat(actor) and obj is not None and not obj.is_frozen
        return False


version_policy = QuestionnaireVersionPolicy()


def _country_ids(actor, *roles):
    return {m.country_id for m in memberships_of(actor) if m.role in roles}


def _region_country_filter(actor, field):
    """Q-compatible kwargs over ``field`` for the countries of the actor's regions and centres."""
    groups = {m.regional_group_id for m in memberships_of(actor) if m.role == Role.REGIONAL_FOCAL_POINT}
    centres = {m.centre_id for m in memberships_of(actor) if m.role == Role.CENTRE_STAFF}
    condition = Q(pk__in=[])
    if groups:
        condition |= Q(**{f"{field}__regional_group__in": groups})
    if centres:
        condition |= Q(**{f"{field}__centres__in": centres})
    return condition


class CyclePolicy(Policy):
    model = Cycle

    def visible_to(self, actor):
        cycles = Cycle.objects.select_related("version__questionnaire")
        if is_secretariat(actor):
            return cycles
        if getattr(actor, "is_authenticated", False) and memberships_of(actor):
            return cycles.exclude(status=Cycle.Status.DRAFT)
        return cycles.filter(status=Cycle.Status.PUBLISHED)

    def can(self, actor, action, obj=None):
        if action == "view":
            return obj is not None and self.visible_to(actor).filter(pk=obj.pk).exists()
        return is_secretariat(actor)  # create, open, close, publish, extend, remind


class ResponsePolicy(Policy):
    model = Response

    def visible_to(self, actor):
        responses = Response.objects.select_related("cycle", "country")
        if not getattr(actor, "is_authenticated", False):
            return responses.none()
        if is_secretariat(actor):
            return responses
        own = _country_ids(actor, Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)
        return responses.filter(Q(country__in=own) | _region_country_filter(actor, "country")).distinct()

    def can(self, actor, action, obj=None):
        if obj is None or not getattr(actor, "is_authenticated", False):
            return False
        if action == "view":
            return self.visible_to(actor).filter(pk=obj.pk).exists()
        open_cycle = obj.cycle.status == Cycle.Status.OPEN
        focal_point = obj.country_id in _country_ids(actor, Role.PARTY_FOCAL_POINT)
        if action == "edit":
            return open_cycle and obj.is_editable and bool(focal_point or self.editable_sections(actor, obj))
        if action == "submit":
            return open_cycle and obj.is_editable and focal_point
        if action == "assign":
            return open_cycle and focal_point
        if action in ("review", "amend"):
            return is_secretariat(actor)
        return False

    def editable_sections(self, actor, response):
        """Codes of the sections ``actor`` may draft: ``None`` means all (a focal point of the Party).

        A contributor drafts only the sections the focal point assigned to them.
        """
        if not getattr(actor, "is_authenticated", False):
            return set()
        if response.country_id in _country_ids(actor, Role.PARTY_FOCAL_POINT):
            return None
        if response.country_id not in _country_ids(actor, Role.CONTRIBUTOR):
            return set()
        assignment = SectionAssignment.objects.filter(
            cycle_id=response.cycle_id, country_id=response.country_id, user=actor
        ).first()
        return set(assignment.sections) if assignment else set()


class NeedPolicy(Policy):
    """Needs are seen in full by their Party, its regional focal point and centres, and the Secretariat."""

    model = Need

    def visible_to(self, actor):
        needs = Need.objects.select_related("country", "theme")
        if not getattr(actor, "is_authenticated", False):
            return needs.none()
        if is_secretariat(actor):
            return needs
        own = _country_ids(actor, Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)
        return needs.filter(Q(country__in=own) | _region_country_filter(actor, "country")).distinct()

    def can(self, actor, action, obj=None):
        if action == "view":
            return obj is not None and self.visible_to(actor).filter(pk=obj.pk).exists()
        return is_secretariat(actor)  # record, set status


cycle_policy = CyclePolicy()
response_policy = ResponsePolicy()
need_policy = NeedPolicy()
