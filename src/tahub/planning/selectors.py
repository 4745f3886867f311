"""What each reader sees of the planning: lists, the timeline, a centre's and a region's work, and
what answers each decision paragraph. Every list starts from a policy's ``visible_to``; page
queries are bounded (prefetched), so their number does not grow with the rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from tahub.assessments.models import Need
from tahub.assistance.models import Request
from tahub.planning.models import (
    Activity,
    ActivityReport,
    BudgetLine,
    Decision,
    Paragraph,
    Participation,
    Plan,
    PriorityArea,
    Programme,
)
from tahub.planning.permissions import (
    activity_policy,
    plan_policy,
    programme_policy,
    report_policy,
)
from tahub.reference.models import Theme

# -- lists -------------------------------------------------------------------------------------


def plans_for(actor):
    return plan_policy.visible_to(actor).prefetch_related("conventions").select_related("adopted_by")


def plan_get_for(actor, pk):
    return plan_policy.get_for(actor, pk=pk)


def programmes_for(actor):
    return programme_policy.visible_to(actor).select_related("plan").annotate(activity_count=Count("activities"))


def programme_get_for(actor, pk):
    return programme_policy.get_for(actor, programme_policy.visible_to(actor).select_related("plan"), pk=pk)


@dataclass(frozen=True)
class ActivityFilters:
    """The filters of the programme list and timeline (all optional)."""

    status: str = ""
    type: str = ""
    lead: str = ""  # a Lead value, or "centre:<slug>"
    region: str = ""  # a regional group code: activities for the region or its Parties
    theme: str = ""
    paragraph: str = ""  # a decision paragraph's id: the activities answering it
    q: str = ""

    @classmethod
    def from_query(cls, query):
        names = ("status", "type", "lead", "region", "theme", "paragraph", "q")
        return cls(**{name: (query.get(name) or "").strip() for name in names})

    def apply(self, activities):
        if self.status in Activity.Status.values:
            activities = activities.filter(status=self.status)
        if self.type in Activity.Type.values:
            activities = activities.filter(type=self.type)
        if self.lead.startswith("centre:"):
            activities = activities.filter(lead=Activity.Lead.CENTRE, lead_centre__slug=self.lead[7:])
        elif self.lead in Activity.Lead.values:
            activities = activities.filter(lead=self.lead)
        if self.region:
            for_region = Activity.objects.filter(
                Q(regional_groups__code=self.region) | Q(countries__regional_group__code=self.region)
            )
            activities = activities.filter(pk__in=for_region.values("pk"))
        if self.theme:
            activities = activities.filter(pk__in=Activity.objects.filter(
                Q(themes__code=self.theme) | Q(themes__parent__code=self.theme)).values("pk"))
        if self.paragraph.isdigit():
            activities = activities.filter(paragraphs=int(self.paragraph))  # one paragraph: one row per activity
        if self.q:
            activities = activities.filter(Q(title__icontains=self.q) | Q(code__icontains=self.q))
        return activities

    @property
    def query(self):
        return {name: value for name, value in self.__dict__.items() if value}


def with_listing(activities):
    """What a list row shows, in a fixed number of queries."""
    return activities.select_related("lead_centre", "lead_group", "lead_organisation", "priority_area", "programme").prefetch_related(
        "regional_groups", Prefetch("countries", to_attr="country_list"),
    )


def activities_for(actor, programme=None, filters=None):
    activities = activity_policy.visible_to(actor)
    if programme is not None:
        activities = activities.filter(programme=programme)
    return with_listing((filters or ActivityFilters()).apply(activities)).order_by("planned_start", "code")


def activity_get_for(actor, pk):
    queryset = activity_policy.visible_to(actor).select_related(
        "programme__plan", "priority_area", "lead_centre", "lead_group", "lead_organisation",
    ).prefetch_related(
        "themes", "conventions", "countries", "regional_groups", "partners__organisation", "budget_lines",
        "paragraphs__decision", "needs__country", "needs__theme", "requests", "matches__offer",
    )
    return activity_policy.get_for(actor, queryset, pk=pk)


def reports_of(actor, activity):
    return report_policy.visible_to(actor).filter(activity=activity).select_related("prepared_by", "reviewed_by")


def report_get_for(actor, pk):
    queryset = report_policy.visible_to(actor).select_related("activity__priority_area", "prepared_by", "reviewed_by").prefetch_related(
        "participations__country", "materials", "indicator_values__result",
    )
    return report_policy.get_for(actor, queryset, pk=pk)


def reports_awaiting_review(actor):
    return report_policy.visible_to(actor).filter(status=ActivityReport.Status.SUBMITTED).select_related("activity")


# -- the timeline ---------------------------------------------------------------------------------


@dataclass
class Bar:
    activity: Activity
    start: int  # the first month column (1-based)
    span: int  # months covered
    actual: bool  # drawn from actual dates
    dates: str  # the activity's first and last day, as the reader writes dates


@dataclass
class Timeline:
    months: list  # the first day of each month shown
    years: list  # (year, months in it)
    bars: list = field(default_factory=list)


def _month_index(first, day):
    return (day.year - first.year) * 12 + day.month - first.month


def timeline(programme, activities):
    """The biennium's 24 months, and each activity as a bar from its start month to its end month
    (actual dates where known, planned otherwise), clipped to the biennium."""
    first = datetime.date(programme.start_year, 1, 1)
    months = [datetime.date(programme.start_year + i // 12, i % 12 + 1, 1) for i in range(24)]
    bars = []
    for activity in activities:
        start = max(0, _month_index(first, activity.start))
        end = min(23, _month_index(first, activity.end))
        if end < 0 or start > 23:
            start = end = max(0, min(23, start))
        dates = f"{date_format(activity.start, 'DATE_FORMAT')}–{date_format(activity.end, 'DATE_FORMAT')}"
        bars.append(Bar(activity, start + 1, max(1, end - start + 1), bool(activity.actual_start), dates))
    return Timeline(months=months, years=[(programme.start_year, 12), (programme.start_year + 1, 12)], bars=bars)


# -- mandates: what answers each paragraph ---------------------------------------------------------

UNANSWERED, PLANNED, DELIVERED = "unanswered", "planned", "delivered"


ANSWERS_SHOWN = 10  # activities named under each paragraph; the rest are counted, by programme


def paragraphs_with_answers(decisions=None, reader=None, shown=None):
    """Paragraphs with what answers them: ``plan_list``, ``area_list``, ``activity_count`` and
    ``delivered_count`` (activities completed with an approved final report), ``answer``
    ("unanswered", "planned" or "delivered"), and, when ``shown``, ``activity_list`` (the first
    ``shown`` activities by date) and ``by_programme`` ((programme, activities, delivered) for
    each programme with some). Only paragraphs asking the Secretariat to act are expected to be
    answered. With a ``reader``, only the plans, areas and activities that reader may see answer
    (draft plans and draft programmes stay with those who plan); without, everything does. The
    queries do not grow with the activities linked. ``shown`` defaults to ``ANSWERS_SHOWN``."""
    shown = ANSWERS_SHOWN if shown is None else shown
    plans = plan_policy.visible_to(reader) if reader is not None else Plan.objects.all()
    activities = activity_policy.visible_to(reader) if reader is not None else Activity.objects.all()
    delivered = activities.filter(status=Activity.Status.COMPLETED).filter(Exists(ActivityReport.objects.filter(
        activity=OuterRef("pk"), status=ActivityReport.Status.APPROVED, final=True,
    )))
    paragraphs = Paragraph.objects.select_related("decision__meeting__convention").annotate(
        activity_count=Count("activities", filter=Q(activities__in=activities.values("pk")), distinct=True),
        delivered_count=Count("activities", filter=Q(activities__in=delivered.values("pk")), distinct=True),
    ).prefetch_related(
        Prefetch("plans", queryset=plans, to_attr="plan_list"),
        Prefetch("priority_areas", queryset=PriorityArea.objects.filter(plan__in=plans).select_related("plan"), to_attr="area_list"),
    )
    if shown:
        listed = activities.select_related("programme").order_by("planned_start", "code")[:shown]
        paragraphs = paragraphs.prefetch_related(Prefetch("activities", queryset=listed, to_attr="activity_list"))
    if decisions is not None:
        paragraphs = paragraphs.filter(decision__in=decisions)
    result = list(paragraphs.order_by("-decision__meeting__starts_on", "decision__symbol", "order", "pk"))
    if shown:
        _count_by_programme(result, activities, delivered)
    for paragraph in result:
        paragraph.answer = answer_of(paragraph)
    return result


def _count_by_programme(paragraphs, activities, delivered):
    """Each paragraph's ``by_programme``: the activities answering it in each programme, latest first."""
    links = Activity.paragraphs.through.objects.filter(paragraph__in=[p.pk for p in paragraphs], activity__in=activities.values("pk"))
    rows = links.values("paragraph", "activity__programme").annotate(
        n=Count("activity", distinct=True), done=Count("activity", filter=Q(activity__in=delivered.values("pk")), distinct=True),
    ).order_by()
    programmes = Programme.objects.in_bulk({row["activity__programme"] for row in rows})
    found = {}
    for row in rows:
        found.setdefault(row["paragraph"], []).append((programmes[row["activity__programme"]], row["n"], row["done"]))
    for paragraph in paragraphs:
        paragraph.by_programme = sorted(found.get(paragraph.pk, []), key=lambda item: -item[0].start_year)


def answering_activity_ids(paragraphs, reader):
    """Each paragraph's ``activity_ids``: every activity ``reader`` may see that answers it, in one query."""
    links = Activity.paragraphs.through.objects.filter(
        paragraph__in=[p.pk for p in paragraphs], activity__in=activity_policy.visible_to(reader).values("pk"),
    ).order_by("activity__planned_start", "activity__code").values_list("paragraph", "activity")
    found = {}
    for paragraph, activity in links:
        found.setdefault(paragraph, []).append(activity)
    for paragraph in paragraphs:
        paragraph.activity_ids = found.get(paragraph.pk, [])
    return paragraphs


def answer_of(paragraph):
    if paragraph.delivered_count:
        return DELIVERED
    if paragraph.plan_list or paragraph.area_list or paragraph.activity_count:
        return PLANNED
    return UNANSWERED


def decisions_with_coverage(reader=None):
    """Each decision with its paragraphs and how many of those addressed to the Secretariat
    are unanswered (by what ``reader`` may see, as ``paragraphs_with_answers``)."""
    decisions = list(Decision.objects.select_related("meeting__convention"))
    by_decision = {}
    for paragraph in paragraphs_with_answers(reader=reader, shown=0):
        by_decision.setdefault(paragraph.decision_id, []).append(paragraph)
    for decision in decisions:
        decision.paragraph_list = by_decision.get(decision.pk, [])
        asked = [p for p in decision.paragraph_list if p.for_secretariat]
        decision.asked = len(asked)
        decision.unanswered = sum(1 for p in asked if p.answer == UNANSWERED)
    return decisions


# -- a centre, a region -----------------------------------------------------------------------------


def centre_activities(actor, centre, programme):
    """A centre's business plan for a biennium: the activities it leads or partners in, its own last."""
    led = Q(lead_centre=centre)
    organisation = centre_organisation(centre)
    if organisation is not None:
        led |= Q(partners__organisation=organisation)
    ids = Activity.objects.filter(led, programme=programme).values("pk")
    return with_listing(activity_policy.visible_to(actor).filter(pk__in=ids)).order_by("centre_own", "planned_start", "code")


def centre_organisation(centre):
    from tahub.accounts.models import Organisation

    return Organisation.objects.filter(centre=centre).first()


def centre_performance(centre, *, since, until):
    """The figures of the four-yearly evaluation of a centre over ``since``–``until`` (dates):
    activities it led that were delivered, Parties reached, participants, funds mobilised per
    currency, requests it took and the ratings Parties gave them."""
    delivered = Activity.objects.filter(
        lead_centre=centre, status=Activity.Status.COMPLETED, actual_end__gte=since, actual_end__lte=until,
    )
    approved = Participation.objects.filter(report__activity__in=delivered, report__status=ActivityReport.Status.APPROVED)
    people = approved.aggregate(women=Coalesce(Sum("women"), 0), men=Coalesce(Sum("men"), 0), other=Coalesce(Sum("unspecified"), 0))
    funds = list(
        BudgetLine.objects.filter(activity__lead_centre=centre, activity__planned_start__lte=until, activity__planned_end__gte=since)
        .exclude(activity__status=Activity.Status.CANCELLED)
        .values("currency").annotate(planned=Sum("planned"), secured=Sum("secured"), spent=Sum("spent")).order_by("currency")
    )
    taken = Request.objects.filter(centre=centre, submitted_at__date__gte=since, submitted_at__date__lte=until)
    requests = taken.aggregate(
        taken=Count("pk"),
        completed=Count("pk", filter=Q(status__in=[Request.Status.COMPLETED, Request.Status.CLOSED])),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        rating_sum=Coalesce(Sum("rating"), 0),
    )
    ratings = dict(taken.filter(rating__isnull=False).values_list("rating").annotate(n=Count("pk")).order_by())
    by_type = dict(delivered.values_list("type").annotate(n=Count("pk")).order_by())
    return {
        "delivered": delivered.count(),
        "by_type": [(Activity.Type(key).label, by_type[key]) for key in Activity.Type.values if key in by_type],
        "parties": approved.values("country").distinct().count(),
        "participants": people["women"] + people["men"] + people["other"],
        "women": people["women"], "men": people["men"], "unspecified": people["other"],
        "funds": funds,
        "requests": requests["taken"], "requests_completed": requests["completed"], "rated": requests["rated"],
        "average_rating": round(requests["rating_sum"] / requests["rated"], 1) if requests["rated"] else None,
        "ratings": [(score, ratings.get(score, 0)) for score in range(5, 0, -1)],
    }


def evaluation_period(plan=None):
    """The four years a centre's performance is read over: the plan's period, else the last four years."""
    if plan is not None:
        return datetime.date(plan.start_year, 1, 1), datetime.date(plan.end_year, 12, 31)
    today = timezone.localdate()
    return datetime.date(today.year - 3, 1, 1), datetime.date(today.year, 12, 31)


def region_overview(actor, group, programme):
    """A region's plan lines, activities, requests and needs in one place."""
    areas = []
    if programme is not None:
        areas = list(
            programme.plan.priority_areas.filter(Q(regional_groups=group) | Q(regional_groups__isnull=True))
            .distinct().prefetch_related("themes", "regional_groups")
        )
    activities = activities_for(actor, programme, ActivityFilters(region=group.code)) if programme is not None else Activity.objects.none()
    requests = Request.objects.filter(country__regional_group=group).exclude(
        status__in=[Request.Status.CLOSED, Request.Status.DECLINED, Request.Status.WITHDRAWN]
    )
    needs = Need.objects.filter(country__regional_group=group, status__in=[Need.Status.OPEN, Need.Status.PARTLY_MET])
    addressed = Exists(Activity.objects.filter(needs=OuterRef("pk")).exclude(status=Activity.Status.CANCELLED))
    counts = list(
        needs.annotate(addressed=addressed).values("theme").annotate(
            total=Count("pk"), addressed_count=Count("pk", filter=Q(addressed=True)),
        ).order_by("-total", "theme")[:15]
    )
    themes = Theme.objects.in_bulk([row["theme"] for row in counts])
    needs_by_theme = [(themes[row["theme"]], row["total"], row["addressed_count"]) for row in counts]
    return {
        "areas": areas,
        "activities": activities,
        "requests": requests.select_related("country").order_by("-submitted_at")[:20],
        "request_count": requests.count(),
        "needs_by_theme": needs_by_theme,
        "need_count": needs.count(),
    }


def current_programme(actor):
    """The programme of this biennium if there is one, else the latest the reader sees."""
    programmes = programme_policy.visible_to(actor)
    year = timezone.localdate().year
    return programmes.filter(start_year__in=[year, year - 1]).first() or programmes.first()

