"""The implementation report of a programme of work (and of the plan it belongs to).

Built with the summaries' report framework (``tahub.reports.definition``): each table is declared
once and computed by the database; the page, the JSON (API), the XLSX and the DOCX all read the
same computed ``Report``, so their figures agree. Amounts are summed within a currency only.

Sections: delivery (activities by status, type, lead, region and priority area), resources
(budget per currency), results (indicators against their targets), mandates (the decision
paragraphs addressed to the Secretariat and what answers them) and needs (which needs the
programme's activities address and which remain).
"""

from dataclasses import dataclass, field

from django.db.models import Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tahub.assessments.models import Need
from tahub.planning.models import (
    Activity,
    ActivityReport,
    BudgetLine,
    IndicatorValue,
    Participation,
)
from tahub.planning.selectors import DELIVERED, UNANSWERED, paragraphs_with_answers
from tahub.reference.models import RegionalGroup, Theme
from tahub.reports.context import FULL
from tahub.reports.definition import (
    AMOUNT,
    COUNT,
    NUMBER,
    PERCENT,
    SUM,
    TEXT,
    Cell,
    Column,
    Derived,
    Grouping,
    Measure,
    Report,
    Row,
    RowSpec,
    Section,
    Source,
    Table,
    TableSpec,
    percent,
)
from tahub.reports.figures import area_of


@dataclass
class ProgrammeContext:
    """What the report is computed for; it answers the questions the framework asks of a summary
    context (no Party-level figure is shown, so nothing is withheld)."""

    programme: object
    audience: str = FULL
    weights: dict = field(default_factory=dict)
    forced: set = field(default_factory=set)
    _memo: dict = field(default_factory=dict, repr=False)

    public = False

    def withhold(self, parties):
        return False

    def may_follow(self, source):
        return False

    def link(self, table, row, column):
        return ""

    def remember(self, name, compute):
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]


def _participants():
    approved = Participation.objects.filter(
        report__activity=OuterRef("pk"), report__status=ActivityReport.Status.APPROVED,
    ).values("report__activity").annotate(n=Sum("women") + Sum("men") + Sum("unspecified")).values("n")
    return Coalesce(Subquery(approved, output_field=IntegerField()), Value(0))


def _activities(context):
    return Activity.objects.filter(programme=context.programme).annotate(participants=_participants())


def _budget(context):
    return BudgetLine.objects.filter(activity__programme=context.programme).exclude(activity__status=Activity.Status.CANCELLED)


def _addressed(context, *statuses):
    """The needs the programme's activities (not cancelled; of ``statuses`` when given) address."""
    activities = Activity.objects.filter(programme=context.programme, needs__isnull=False).exclude(status=Activity.Status.CANCELLED)
    if statuses:
        activities = activities.filter(status__in=statuses)
    return activities.values("needs")


def _needs(context):
    """Needs of the plan's priority areas and needs any of the programme's activities address."""
    in_plan = Need.objects.filter(priority_areas__plan=context.programme.plan_id).values("pk")
    return Need.objects.filter(Q(pk__in=in_plan) | Q(pk__in=_addressed(context)))


ACTIVITIES = Source("activities", _activities, "activities")
BUDGET = Source("budget", _budget, "budget_lines")
NEEDS = Source("needs", _needs, "needs")

ACTIVITY_MEASURES = (
    Measure("activities", gettext_lazy("Activities")),
    Measure("completed", gettext_lazy("Completed"), Q(status=Activity.Status.COMPLETED)),
    Measure("participants", gettext_lazy("Participants"), kind=SUM, amount_field="participants"),
)
SHARE_DONE = (Derived("done", gettext_lazy("Completed (%)"), percent("completed", "activities"), ("completed", "activities")),)


def _choices(choices):
    return lambda context: [(value, label) for value, label in choices]


def _areas(context):
    areas = context.remember("areas", lambda: list(context.programme.plan.priority_areas.order_by("number")))
    return [(str(area.pk), str(area)) for area in areas] + [("None", _("No priority area"))]


def _groups(context):
    return context.remember("groups", lambda: list(RegionalGroup.objects.order_by("order")))


def _activities_with_regions(context):
    """The activities, each flagged for every region it is for (itself, or through its Parties)."""
    flags = {
        f"for_{group.pk}": Exists(Activity.objects.filter(
            Q(regional_groups=group) | Q(countries__regional_group=group), pk=OuterRef("pk"),
        ))
        for group in _groups(context)
    }
    return _activities(context).annotate(**flags)


ACTIVITY_REGIONS = Source("activity_regions", _activities_with_regions, "activities")


def _region_rows(context):
    rows = [RowSpec(group.code, group.name, Q(**{f"for_{group.pk}": True})) for group in _groups(context)]
    return (*rows, RowSpec("global", _("Global activities"), Q(level=Activity.Level.GLOBAL)))


def _theme_areas(context):
    return context.remember("theme_areas", lambda: [
        (t.code, t.label) for t in Theme.objects.filter(parent__isnull=True).order_by("order")
    ])


def delivery_tables(context):
    return [
        TableSpec("by_status", gettext_lazy("Activities by status"), gettext_lazy("Every activity of the programme by where it stands."),
                  ACTIVITIES, ACTIVITY_MEASURES[:1] + ACTIVITY_MEASURES[2:], Grouping(("status",), _choices(Activity.Status.choices)),
                  row_header=gettext_lazy("Status")),
        TableSpec("by_type", gettext_lazy("Activities by type"), gettext_lazy("Activities, those completed and their participants, by type."),
                  ACTIVITIES, ACTIVITY_MEASURES, Grouping(("type",), _choices(Activity.Type.choices)), derived=SHARE_DONE,
                  row_header=gettext_lazy("Type")),
        TableSpec("by_lead", gettext_lazy("Activities by delivery lead"), gettext_lazy("Who leads the activities."),
                  ACTIVITIES, ACTIVITY_MEASURES, Grouping(("lead",), _choices(Activity.Lead.choices)), derived=SHARE_DONE,
                  row_header=gettext_lazy("Lead")),
        TableSpec("by_region", gettext_lazy("Activities by region"),
                  gettext_lazy("Activities for a region or for Parties of it (an activity for several regions is counted in each)."),
                  ACTIVITY_REGIONS, ACTIVITY_MEASURES, tuple(_region_rows(context)), derived=SHARE_DONE,
                  row_header=gettext_lazy("Region")),
        TableSpec("by_priority_area", gettext_lazy("Activities by priority area"), gettext_lazy("Activities under each priority area of the plan."),
                  ACTIVITIES, ACTIVITY_MEASURES, Grouping(("priority_area_id",), _areas), derived=SHARE_DONE,
                  row_header=gettext_lazy("Priority area")),
    ]


def budget_tables(context):
    measures = (
        Measure("planned", gettext_lazy("Planned"), kind=AMOUNT, amount_field="planned"),
        Measure("secured", gettext_lazy("Secured"), kind=AMOUNT, amount_field="secured"),
        Measure("spent", gettext_lazy("Spent"), kind=AMOUNT, amount_field="spent"),
        Measure("lines", gettext_lazy("Budget lines")),
    )
    return [
        TableSpec("budget", gettext_lazy("Budget by currency"),
                  gettext_lazy("Planned, secured and spent, in each currency (amounts in different currencies are never added; "
                               "cancelled activities are left out)."),
                  BUDGET, measures, Grouping(("currency",), None),
                  derived=(Derived("secured_share", gettext_lazy("Secured of planned (%)"), percent("secured", "planned"), ("secured", "planned")),),
                  row_header=gettext_lazy("Currency")),
    ]


def needs_tables(context):
    open_now = Q(status__in=[Need.Status.OPEN, Need.Status.PARTLY_MET])
    addressed = Q(pk__in=_addressed(context))
    measures = (
        Measure("needs", gettext_lazy("Needs")),
        Measure("addressed", gettext_lazy("Addressed by an activity"), addressed),
        Measure("delivered", gettext_lazy("Addressed by a completed activity"), Q(pk__in=_addressed(context, Activity.Status.COMPLETED))),
        Measure("met", gettext_lazy("Met"), Q(status=Need.Status.MET)),
        Measure("partly_met", gettext_lazy("Partly met"), Q(status=Need.Status.PARTLY_MET)),
        Measure("remaining", gettext_lazy("Open, no activity yet"), open_now & ~addressed),
    )
    return [
        TableSpec("needs_by_area", gettext_lazy("Needs coverage by area"),
                  gettext_lazy("The needs behind the plan's priority areas and those the programme's activities address: "
                               "which are addressed, met, and which remain."),
                  NEEDS, measures, Grouping(("theme__code",), _theme_areas, area_of("theme")), row_header=gettext_lazy("Area")),
        TableSpec("needs_by_region", gettext_lazy("Needs coverage by regional group"), gettext_lazy("The same by regional group."),
                  NEEDS, measures, Grouping(("country__regional_group__code",),
                                            lambda c: [(g.code, g.name) for g in RegionalGroup.objects.order_by("order")]),
                  row_header=gettext_lazy("Regional group")),
    ]


def indicator_table(context):
    """Each expected result of the plan: baseline, target and the value the programme's approved
    reports give (summed over its activities)."""
    programme = context.programme
    reached = dict(
        IndicatorValue.objects.filter(report__activity__programme=programme, report__status=ActivityReport.Status.APPROVED)
        .values_list("result").annotate(total=Sum("value")).order_by()
    )
    rows = []
    for area in programme.plan.priority_areas.prefetch_related("results").order_by("number"):
        for result in area.results.all():
            value = reached.get(result.pk) or 0
            share = round(100 * (value - result.baseline) / (result.target - result.baseline)) if result.target > result.baseline else 0
            rows.append(Row(str(result.pk), result.text, {
                "baseline": Cell(result.baseline), "target": Cell(result.target), "reached": Cell(value), "progress": Cell(max(0, share)),
            }, extra={"area": str(area.number), "indicator": f"{result.indicator} ({result.unit})"}))
    return Table(
        key="indicators", title=_("Indicator progress"),
        description=_("The expected results of the plan, with the values reported in the programme's approved reports."),
        columns=[Column("baseline", _("Baseline"), AMOUNT), Column("target", _("Target"), AMOUNT),
                 Column("reached", _("Reached"), AMOUNT), Column("progress", _("Progress towards the target (%)"), PERCENT)],
        rows=rows, row_header=_("Expected result"),
        text_columns=[Column("area", _("Priority area"), TEXT), Column("indicator", _("Indicator"), TEXT)],
    )


def mandate_tables(context):
    """The paragraphs asking the Secretariat to act, by decision: answered by a completed
    activity, only planned, or unanswered; and each unanswered one."""
    by_decision = {}
    unanswered = []
    for paragraph in paragraphs_with_answers(shown=0):
        if not paragraph.for_secretariat:
            continue
        decision = paragraph.decision
        counts = by_decision.setdefault(decision.symbol, {"asked": 0, "delivered": 0, "planned": 0, "unanswered": 0, "title": decision.title})
        counts["asked"] += 1
        counts[paragraph.answer] += 1
        if paragraph.answer == UNANSWERED:
            unanswered.append(paragraph)
    coverage = Table(
        key="paragraphs", title=_("Decision paragraphs addressed to the Secretariat"),
        description=_("Paragraphs asking the Secretariat to act, and what answers them: a completed activity with an approved report "
                      "(delivered), a plan, priority area or activity not yet delivered (planned), or nothing (unanswered)."),
        columns=[Column("asked", _("Paragraphs"), COUNT), Column(DELIVERED, _("Delivered"), COUNT),
                 Column("planned", _("Planned"), COUNT), Column(UNANSWERED, _("Unanswered"), COUNT)],
        rows=[Row(symbol, symbol, {k: Cell(v) for k, v in counts.items() if k != "title"}, extra={"title": counts["title"]})
              for symbol, counts in by_decision.items()],
        row_header=_("Decision"), text_columns=[Column("title", _("Title"), TEXT)],
    )
    flagged = Table(
        key="unanswered", title=_("Paragraphs nothing answers yet"),
        description=_("Paragraphs asking the Secretariat to act that no plan, priority area or activity answers."),
        columns=[Column("due", _("Days until due"), NUMBER)],
        rows=[Row(str(p.pk), str(p), {"due": Cell((p.due_by - timezone.localdate()).days if p.due_by else None)},
                  extra={"text": p.text[:200]}) for p in unanswered],
        row_header=_("Paragraph"), text_columns=[Column("text", _("Text"), TEXT)],
        note=_("A negative number of days: the date has passed."),
    )
    return coverage, flagged


def implementation_report(programme, language=None):
    """The computed implementation report of ``programme`` (in ``language``, else the active one)."""
    with translation.override(language or translation.get_language() or "en"):
        context = ProgrammeContext(programme=programme)
        plan = programme.plan
        delivery = [spec.compute(context) for spec in delivery_tables(context)]
        budget = [spec.compute(context) for spec in budget_tables(context)]
        needs = [spec.compute(context) for spec in needs_tables(context)]
        return Report(
            key=f"programme-{programme.pk}",
            title=_("Implementation of the technical assistance plan %(period)s") % {"period": plan.period},
            subtitle=_("Programme of work %(biennium)s: %(title)s") % {"biennium": programme.biennium, "title": programme.title},
            sections=[
                Section("delivery", _("Delivery"), _("What the programme's activities are, who leads them and where they stand."), delivery),
                Section("resources", _("Resources"), _("The money for the activities, in each currency."), budget),
                Section("results", _("Results"), _("Progress towards the plan's expected results."), [indicator_table(context)]),
                Section("mandates", _("Mandates"), _("The decisions of the Conference of the Parties the work answers."),
                        list(mandate_tables(context))),
                Section("needs", _("Needs"), _("The needs the activities address, and those that remain."), needs),
            ],
            audience=FULL, language=translation.get_language(), generated_at=timezone.now(),
            notes=[_("Participants are counted from approved reports only. Amounts are never added across currencies.")],
            intro=_("The Secretariat has the honour to circulate the report on the implementation of the technical assistance "
                    "plan and of the programme of work, prepared from the records held in tahub."),
        )
