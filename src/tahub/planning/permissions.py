"""Who sees and changes the mandates, plans, programmes and activities.

- Decisions and their paragraphs are public. Plans are public once submitted; a draft plan is
  seen by the Secretariat, regional focal points and centre staff, who take part in drafting it.
- A published programme and its activities are public (they are what the IATI export
  publishes); a draft programme is seen by the same people as a draft plan.
- The Secretariat changes everything. Centre staff create and maintain the activities their
  centre leads and report on them; a regional focal point reports on the activities led for
  their region. Only the Secretariat approves or returns a report.
- A report's participants and outputs are public once approved; drafts are seen by those who
  may report on the activity and by the Secretariat.
- A follow-up evaluation is seen and answered by the focal points of its Party, and seen by the
  Secretariat.
- A centre's performance view is for the Secretariat, the centre's staff and the regional focal
  points of the regions it serves; a region's page for its regional focal points and the
  Secretariat.
"""

from django.db.models import Q

from tahub.accounts.actors import is_secretariat, memberships_of, roles_of, scope_ids
from tahub.accounts.roles import Role
from tahub.core.policy import Policy
from tahub.planning.models import Activity, ActivityReport, Evaluation, Plan, Programme

PLANNERS = {Role.SECRETARIAT, Role.REGIONAL_FOCAL_POINT, Role.CENTRE_STAFF}


def _signed_in(actor):
    return getattr(actor, "is_authenticated", False) and actor.is_active


def is_planner(actor):
    """Those who take part in drafting plans and programmes (and so see drafts)."""
    return _signed_in(actor) and bool(roles_of(actor) & PLANNERS)


def centre_ids(actor):
    return scope_ids(actor, Role.CENTRE_STAFF, "centre") if _signed_in(actor) else set()


def group_ids(actor):
    return scope_ids(actor, Role.REGIONAL_FOCAL_POINT, "regional_group") if _signed_in(actor) else set()


def focal_party_ids(actor):
    return scope_ids(actor, Role.PARTY_FOCAL_POINT, "country") if _signed_in(actor) else set()


class PlanPolicy(Policy):
    model = Plan

    def visible_to(self, actor):
        plans = Plan.objects.all()
        return plans if is_planner(actor) else plans.exclude(status=Plan.Status.DRAFT)

    def can(self, actor, action, obj=None):
        return _signed_in(actor) and is_secretariat(actor)


class ProgrammePolicy(Policy):
    model = Programme

    def visible_to(self, actor):
        programmes = Programme.objects.all()
        return programmes if is_planner(actor) else programmes.filter(status=Programme.Status.PUBLISHED)

    def can(self, actor, action, obj=None):
        if not _signed_in(actor):
            return False
        if action == "add_activity":
            return is_secretariat(actor) or bool(centre_ids(actor))
        return is_secretariat(actor)


class ActivityPolicy(Policy):
    model = Activity

    def visible_to(self, actor):
        activities = Activity.objects.all()
        if is_planner(actor):
            return activities
        return activities.filter(programme__status=Programme.Status.PUBLISHED)

    def may_report(self, actor, activity):
        """The activity's lead: the Secretariat, the leading centre's staff, the region's focal points."""
        if not _signed_in(actor):
            return False
        if is_secretariat(actor):
            return True
        if activity.lead_centre_id and activity.lead_centre_id in centre_ids(actor):
            return True
        return bool(activity.lead_group_id) and activity.lead_group_id in group_ids(actor)

    def can(self, actor, action, obj=None):
        if not _signed_in(actor):
            return False
        if action == "create":
            return is_secretariat(actor) or bool(centre_ids(actor))
        if action in ("change", "set_status"):
            return is_secretariat(actor) or (obj is not None and obj.lead_centre_id in centre_ids(actor))
        if action == "report":
            return obj is not None and self.may_report(actor, obj)
        return is_secretariat(actor)

    def editable_by(self, actor):
        """The activities ``actor`` may change."""
        if is_secretariat(actor):
            return Activity.objects.all()
        return Activity.objects.filter(lead_centre__in=centre_ids(actor))


class ActivityReportPolicy(Policy):
    model = ActivityReport

    def visible_to(self, actor):
        reports = ActivityReport.objects.filter(activity__in=activity_policy.visible_to(actor))
        if _signed_in(actor) and is_secretariat(actor):
            return reports
        condition = Q(status=ActivityReport.Status.APPROVED)
        if centre_ids(actor):
            condition |= Q(activity__lead_centre__in=centre_ids(actor))
        if group_ids(actor):
            condition |= Q(activity__lead_group__in=group_ids(actor))
        return reports.filter(condition)

    def can(self, actor, action, obj=None):
        if not _signed_in(actor) or obj is None:
            return False
        if action in ("change", "submit"):
            return obj.editable and activity_policy.may_report(actor, obj.activity)
        if action in ("approve", "return"):
            return obj.status == ActivityReport.Status.SUBMITTED and is_secretariat(actor)
        if action == "read_review":  # the Secretariat's comment is for the activity's lead, not the public
            return is_secretariat(actor) or activity_policy.may_report(actor, obj.activity)
        return False


class EvaluationPolicy(Policy):
    model = Evaluation

    def visible_to(self, actor):
        evaluations = Evaluation.objects.all()
        if not _signed_in(actor):
            return evaluations.none()
        if is_secretariat(actor):
            return evaluations
        return evaluations.filter(country__in=focal_party_ids(actor))

    def can(self, actor, action, obj=None):
        if action == "answer" and obj is not None:
            return obj.answered_at is None and obj.country_id in focal_party_ids(actor)
        return False


def may_see_centre(actor, centre):
    """The Secretariat, the centre's staff, and the regional focal points of a region it serves."""
    if not _signed_in(actor):
        return False
    if is_secretariat(actor) or centre.pk in centre_ids(actor):
        return True
    groups = group_ids(actor)
    return bool(groups) and centre.countries_served.filter(regional_group__in=groups).exists()


def may_see_region(actor, group):
    return _signed_in(actor) and (is_secretariat(actor) or group.pk in group_ids(actor))


def regions_of(actor):
    """The regional groups whose page ``actor`` may open (all of them for the Secretariat)."""
    from tahub.reference.models import RegionalGroup

    if is_secretariat(actor):
        return list(RegionalGroup.objects.order_by("order"))
    return [m.regional_group for m in memberships_of(actor) if m.role == Role.REGIONAL_FOCAL_POINT]


def centres_of(actor):
    """The centres whose business plan and performance ``actor`` may open."""
    from tahub.reference.models import RegionalCentre

    if not _signed_in(actor):
        return []
    if is_secretariat(actor):
        return list(RegionalCentre.objects.order_by("acronym"))
    served = RegionalCentre.objects.filter(countries_served__regional_group__in=group_ids(actor))
    return list((RegionalCentre.objects.filter(pk__in=centre_ids(actor)) | served).distinct().order_by("acronym"))


plan_policy = PlanPolicy()
programme_policy = ProgrammePolicy()
activity_policy = ActivityPolicy()
report_policy = ActivityReportPolicy()
evaluation_policy = EvaluationPolicy()
