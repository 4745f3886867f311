"""The planning over JSON: COP decisions and what answers them, the four-year plans, the
programmes of work and their activities, and the reports on what the activities delivered.

Reads call the selectors and writes the services the pages call, with the same keyword
arguments; who may see or do what is decided by the policies in ``permissions.py`` and the
services, never here. Writes name reference data by code (themes, conventions, regional groups),
countries by ISO3, centres by slug and everything else by id; an unknown code or id is refused
with a 422 naming the field, before anything is written. Amounts of money are decimals (strings
in JSON), each with its currency: nothing adds amounts of two currencies.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tahub.accounts.models import Organisation
from tahub.api.auth import AUTH_OPTIONAL, AUTH_REQUIRED
from tahub.api.lookups import rows_by_code, unknown_codes_message
from tahub.api.types import SearchText
from tahub.assessments.permissions import need_policy
from tahub.assistance.permissions import request_policy
from tahub.matching.permissions import match_policy
from tahub.offers.models import LANGUAGES
from tahub.planning import selectors, services
from tahub.planning.models import (
    CURRENCIES,
    Activity,
    ActivityReport,
    Decision,
    ExpectedResult,
    Material,
    Paragraph,
    Partner,
    Plan,
    PriorityArea,
    Programme,
)
from tahub.planning.permissions import activity_policy, is_planner, plan_policy, report_policy
from tahub.reference.models import Convention, Country, RegionalCentre, RegionalGroup, Theme

router = Router(tags=["planning"])

# Inline enums: a model's ``Status`` or ``Type`` would share one OpenAPI component with every other.
Answer = Literal[selectors.UNANSWERED, selectors.PLANNED, selectors.DELIVERED]
ParagraphVerb = Literal[tuple(Paragraph.Verb.values)]
ParagraphAddressee = Literal[tuple(Paragraph.Addressee.values)]
PlanStatus = Literal[tuple(Plan.Status.values)]
ProgrammeStatus = Literal[tuple(Programme.Status.values)]
ActivityType = Literal[tuple(Activity.Type.values)]
ActivityLevel = Literal[tuple(Activity.Level.values)]
ActivityLead = Literal[tuple(Activity.Lead.values)]
ActivityStatus = Literal[tuple(Activity.Status.values)]
PartnerRole = Literal[tuple(Partner.Role.values)]
Currency = Literal[tuple(code for code, _label in CURRENCIES)]
ReportStatus = Literal[tuple(ActivityReport.Status.values)]
MaterialKind = Literal[tuple(Material.Kind.values)]

LANGUAGE_CODES = {code for code, _label in LANGUAGES}
# A count of people: within what the database stores.
PEOPLE = {"ge": 0, "le": 2_147_483_647}


def _listed(obj, attr, related):
    """A prefetched list: ``attr`` as the selector prefetches it, else the related manager's rows."""
    rows = getattr(obj, attr, None)
    return rows if rows is not None else list(getattr(obj, related).all())


# --- output: mandates ------------------------------------------------------------------------


class MeetingOut(Schema):
    convention: str = Field(description="Convention code (see /conventions)")
    number: int = Field(description="COP-<number>")
    starts_on: date
    ends_on: date
    place: str

    @staticmethod
    def resolve_convention(obj):
        return obj.convention.code


class ParagraphOut(Schema):
    id: int
    number: str = Field(description="As in the decision: 4, 6 (a)")
    verb: ParagraphVerb
    addressee: ParagraphAddressee
    text: str
    illustrative: bool = Field(description="The text summarises the paragraph; it is not the official text")
    asks_action: bool
    due_by: date | None
    answer: Answer = Field(
        description="unanswered; planned (a plan, priority area or activity answers it); delivered (an "
        "activity answering it is completed with an approved final report)"
    )
    plans: list[int] = Field(description="Ids of the plans the caller may see that answer it (see /plans)")
    priority_areas: list[int] = Field(description="Ids of the priority areas of those plans that answer it")
    activities: list[int] = Field(description="Ids of the activities the caller may see that answer it")

    @staticmethod
    def resolve_plans(obj):
        return [plan.pk for plan in obj.plan_list]

    @staticmethod
    def resolve_priority_areas(obj):
        return [area.pk for area in obj.area_list]

    @staticmethod
    def resolve_activities(obj):
        return obj.activity_ids


class DecisionOut(Schema):
    id: int
    symbol: str = Field(description="For example BC-14/18")
    title: str
    url: str = Field(description="The official text")
    meeting: MeetingOut
    paragraphs: list[ParagraphOut]

    @staticmethod
    def resolve_paragraphs(obj):
        return obj.paragraph_list


# --- output: plans and programmes ------------------------------------------------------------


class ObjectiveOut(Schema):
    convention: str = Field(description="Convention code")
    text: str

    @staticmethod
    def resolve_convention(obj):
        return obj.convention.code


class ExpectedResultOut(Schema):
    id: int = Field(description="Name it in a report's indicator_values")
    text: str
    indicator: str
    unit: str
    baseline: Decimal
    target: Decimal


class PriorityAreaOut(Schema):
    id: int
    number: int
    title: str
    themes: list[str] = Field(description="Theme codes")
    regions: list[str] = Field(description="UN regional group codes; empty: every region")
    rationale: str
    evidence: dict[str, Any] = Field(
        description="The needs evidence as taken when the area was drafted (it does not move when needs change)"
    )
    evidence_taken_on: date | None
    needs: list[int] = Field(description="Ids of the needs the area rests on")
    paragraphs: list[int] = Field(description="Ids of the decision paragraphs it answers")
    results: list[ExpectedResultOut]

    @staticmethod
    def resolve_themes(obj):
        return [theme.code for theme in obj.themes.all()]

    @staticmethod
    def resolve_regions(obj):
        return [group.code for group in obj.regional_groups.all()]

    @staticmethod
    def resolve_needs(obj):
        return [need.pk for need in obj.needs.all()]

    @staticmethod
    def resolve_paragraphs(obj):
        return [paragraph.pk for paragraph in obj.paragraphs.all()]

    @staticmethod
    def resolve_results(obj):
        return list(obj.results.all())


class PlanOut(Schema):
    id: int
    url: str = Field(description="The page")
    title: str
    period: str = Field(description="For example 2026–2029")
    start_year: int
    end_year: int
    status: PlanStatus
    conventions: list[str] = Field(description="Convention codes")
    adopted_by: str | None = Field(description="Symbol of the decision that adopted the plan")
    submitted_at: datetime | None
    adopted_at: datetime | None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_conventions(obj):
        return [convention.code for convention in obj.conventions.all()]

    @staticmethod
    def resolve_adopted_by(obj):
        return obj.adopted_by.symbol if obj.adopted_by_id else None


class PlanDetailOut(PlanOut):
    goal: str
    objectives: list[ObjectiveOut]
    paragraphs: list[int] = Field(description="Ids of the decision paragraphs the plan as a whole answers")
    priority_areas: list[PriorityAreaOut]

    @staticmethod
    def resolve_objectives(obj):
        return list(obj.objectives.all())

    @staticmethod
    def resolve_paragraphs(obj):
        return [paragraph.pk for paragraph in obj.paragraphs.all()]

    @staticmethod
    def resolve_priority_areas(obj):
        return list(obj.priority_areas.all())


class ProgrammeOut(Schema):
    id: int
    url: str = Field(description="The page")
    title: str
    biennium: str = Field(description="For example 2026–2027")
    start_year: int
    end_year: int
    status: ProgrammeStatus
    plan: int = Field(description="Id of the plan the programme is under")
    activity_count: int

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_plan(obj):
        return obj.plan_id


# --- output: activities and reports ------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str
    acronym: str


class PartnerOut(Schema):
    id: int = Field(description="Id of this partnership (to remove it)")
    organisation: OrganisationRef
    role: PartnerRole


class BudgetLineOut(Schema):
    """One source of funds in one currency; lines in different currencies are never added up."""

    id: int = Field(description="Id of this line (to remove it)")
    source: str
    funder: OrganisationRef | None
    currency: Currency
    planned: Decimal
    secured: Decimal
    spent: Decimal


class ParticipantsOut(Schema):
    total: int
    women: int
    men: int
    unspecified: int = Field(description="Sex not stated")


class ParticipationOut(Schema):
    country: str = Field(description="ISO3")
    women: int
    men: int
    unspecified: int
    total: int

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3


class MaterialOut(Schema):
    kind: MaterialKind
    title: str
    url: str


class IndicatorValueOut(Schema):
    result: int = Field(description="Id of the expected result (see the plan's priority areas)")
    value: Decimal
    note: str

    @staticmethod
    def resolve_result(obj):
        return obj.result_id


class ActivityReportOut(Schema):
    id: int
    url: str = Field(description="The page")
    activity: int = Field(description="Id of the activity")
    status: ReportStatus
    final: bool = Field(description="The activity is completed with this report")
    summary: str
    created_at: datetime
    submitted_at: datetime | None
    reviewed_at: datetime | None
    review_comment: str = Field(description="The Secretariat's comment: given to the Secretariat and the activity's lead only")
    participants: ParticipantsOut = Field(description="Totals over the countries")
    participations: list[ParticipationOut]
    materials: list[MaterialOut]
    indicator_values: list[IndicatorValueOut]

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_review_comment(obj, context):
        return obj.review_comment if report_policy.can(context["request"].user, "read_review", obj) else ""

    @staticmethod
    def resolve_activity(obj):
        return obj.activity_id

    @staticmethod
    def resolve_participants(obj):
        rows = list(obj.participations.all())
        women, men, other = (sum(getattr(row, name) for row in rows) for name in ("women", "men", "unspecified"))
        return {"total": women + men + other, "women": women, "men": men, "unspecified": other}

    @staticmethod
    def resolve_participations(obj):
        return list(obj.participations.all())

    @staticmethod
    def resolve_materials(obj):
        return list(obj.materials.all())

    @staticmethod
    def resolve_indicator_values(obj):
        return list(obj.indicator_values.all())


REPORT_OUTPUTS = ("participations__country", "materials", "indicator_values")


class ActivityOut(Schema):
    """An activity in a list."""

    id: int
    url: str = Field(description="The page")
    code: str = Field(description="<biennium start>-<number>, e.g. 2026-004")
    title: str
    programme: int = Field(description="Id of the programme of work")
    priority_area: int | None = Field(description="Id of the plan's priority area it serves")
    type: ActivityType
    level: ActivityLevel
    status: ActivityStatus
    lead: ActivityLead
    lead_label: str = Field(description="Who leads, in words")
    lead_centre: str | None = Field(description="Slug of the leading centre (see /centres)")
    lead_group: str | None = Field(description="Regional group code of the leading regional focal point")
    lead_organisation: OrganisationRef | None = Field(description="The leading partner organisation")
    centre_own: bool = Field(description="In the centre's business plan, not in the Secretariat's programme")
    themes: list[str] = Field(description="Theme codes")
    conventions: list[str] = Field(description="Convention codes")
    countries: list[str] = Field(description="ISO3 of the target Parties")
    regions: list[str] = Field(description="UN regional group codes of the target regions")
    languages: list[str] = Field(description="Language codes: ar, zh, en, fr, ru, es, pt")
    planned_start: date
    planned_end: date
    actual_start: date | None
    actual_end: date | None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_programme(obj):
        return obj.programme_id

    @staticmethod
    def resolve_priority_area(obj):
        return obj.priority_area_id

    @staticmethod
    def resolve_lead_label(obj):
        return str(obj.lead_label)

    @staticmethod
    def resolve_lead_centre(obj):
        return obj.lead_centre.slug if obj.lead_centre_id else None

    @staticmethod
    def resolve_lead_group(obj):
        return obj.lead_group.code if obj.lead_group_id else None

    @staticmethod
    def resolve_themes(obj):
        return [theme.code for theme in obj.themes.all()]

    @staticmethod
    def resolve_conventions(obj):
        return [convention.code for convention in obj.conventions.all()]

    @staticmethod
    def resolve_countries(obj):
        return sorted(country.iso3 for country in _listed(obj, "country_list", "countries"))

    @staticmethod
    def resolve_regions(obj):
        return [group.code for group in obj.regional_groups.all()]


class ActivityDetailOut(ActivityOut):
    description: str
    status_reason: str = Field(description="Why it was postponed or cancelled")
    partners: list[PartnerOut]
    budget_lines: list[BudgetLineOut] = Field(description="Each in its own currency")
    paragraphs: list[int] = Field(description="Ids of the decision paragraphs it answers (see /decisions)")
    needs: list[int] = Field(description="Ids of the needs it addresses")
    requests: list[int] | None = Field(description="Ids of the requests it answers; null for those who do not plan")
    matches: list[int] | None = Field(description="Ids of the matches it delivers; null for those who do not plan")
    reports: list[ActivityReportOut] = Field(description="The reports the caller may see, newest first")
    updated_at: datetime
    can_change: bool = Field(description="Whether the caller may change it and move its status on")
    can_report: bool = Field(description="Whether the caller may report on it")

    @staticmethod
    def resolve_partners(obj):
        return list(obj.partners.all())

    @staticmethod
    def resolve_budget_lines(obj):
        return list(obj.budget_lines.all())

    @staticmethod
    def resolve_paragraphs(obj):
        return [paragraph.pk for paragraph in obj.paragraphs.all()]

    @staticmethod
    def resolve_needs(obj):
        return [need.pk for need in obj.needs.all()]

    @staticmethod
    def resolve_requests(obj):
        return obj.request_ids

    @staticmethod
    def resolve_matches(obj):
        return obj.match_ids

    @staticmethod
    def resolve_reports(obj):
        return obj.report_list


def _activity_detail(request, activity_id):
    """The activity as the caller may now see it, with what they may do on it."""
    actor = request.user
    activity = selectors.activity_get_for(actor, activity_id)
    prefetch_related_objects([activity], "budget_lines__funder")
    activity.report_list = list(selectors.reports_of(actor, activity).prefetch_related(*REPORT_OUTPUTS))
    planner = is_planner(actor)
    # Which requests and matches an activity answers is for those who plan.
    activity.request_ids = [item.pk for item in activity.requests.all()] if planner else None
    activity.match_ids = [match.pk for match in activity.matches.all()] if planner else None
    activity.can_change = activity_policy.can(actor, "change", activity)
    activity.can_report = activity_policy.can(actor, "report", activity)
    return activity


def _report(request, report_id):
    return selectors.report_get_for(request.user, report_id)


# --- reads -----------------------------------------------------------------------------------


@router.get(
    "/decisions", response=list[DecisionOut], auth=AUTH_OPTIONAL,
    summary="COP decisions with their paragraphs and, for each, what answers it",
)
def list_decisions(request):
    decisions = selectors.decisions_with_coverage(request.user)
    selectors.answering_activity_ids([p for decision in decisions for p in decision.paragraph_list], request.user)
    return decisions


@router.get(
    "/decisions/{decision_id}", response=DecisionOut, auth=AUTH_OPTIONAL,
    summary="One decision with its paragraphs and what answers each",
)
def get_decision(request, decision_id: int):
    # Decisions and their paragraphs are public (planning.permissions).
    decision = get_object_or_404(Decision.objects.select_related("meeting__convention"), pk=decision_id)
    paragraphs = selectors.paragraphs_with_answers([decision], request.user, shown=0)
    decision.paragraph_list = selectors.answering_activity_ids(paragraphs, request.user)
    return decision


PLAN_DETAIL = (
    "objectives__convention", "paragraphs", "priority_areas__themes", "priority_areas__regional_groups",
    "priority_areas__needs", "priority_areas__paragraphs", "priority_areas__results",
)


@router.get(
    "/plans", response=list[PlanOut], auth=AUTH_OPTIONAL,
    summary="Technical assistance plans: submitted and adopted ones, and drafts for those who plan",
)
def list_plans(request):
    return selectors.plans_for(request.user)


@router.get(
    "/plans/{plan_id}", response=PlanDetailOut, auth=AUTH_OPTIONAL,
    summary="One plan with its objectives, priority areas, their needs evidence and expected results",
)
def get_plan(request, plan_id: int):
    return plan_policy.get_for(request.user, selectors.plans_for(request.user).prefetch_related(*PLAN_DETAIL), pk=plan_id)


@router.get(
    "/programmes", response=list[ProgrammeOut], auth=AUTH_OPTIONAL,
    summary="Programmes of work: published ones, and drafts for those who plan",
)
def list_programmes(request):
    return selectors.programmes_for(request.user)


@router.get("/programmes/{programme_id}", response=ProgrammeOut, auth=AUTH_OPTIONAL, summary="One programme of work")
def get_programme(request, programme_id: int):
    programme = selectors.programme_get_for(request.user, programme_id)
    programme.activity_count = programme.activities.count()
    return programme


class ActivityQuery(Schema):
    programme: int | None = Field(None, description="Id of a programme of work (404 if the caller may not see it)")
    status: ActivityStatus | None = None
    type: ActivityType | None = None
    lead: SearchText = Field("", description="secretariat, centre, regional_focal_point or partner; or centre:<slug>")
    region: SearchText = Field("", description="UN regional group code: activities for the region or its Parties")
    theme: SearchText = Field("", description="Theme code; a top-level theme includes its sub-themes")
    paragraph: int | None = Field(None, description="Id of a decision paragraph: the activities answering it")
    q: SearchText = Field("", description="Words in the code or title")


@router.get(
    "/activities", response=list[ActivityOut], auth=AUTH_OPTIONAL,
    summary="Activities the caller may see (those of published programmes; drafts too for those who plan)",
)
@paginate(PageNumberPagination)
def list_activities(request, query: Query[ActivityQuery]):
    programme = selectors.programme_get_for(request.user, query.programme) if query.programme is not None else None
    filters = selectors.ActivityFilters(
        status=query.status or "", type=query.type or "", lead=query.lead.strip(), region=query.region.strip(),
        theme=query.theme.strip(), paragraph=str(query.paragraph or ""), q=query.q.strip(),
    )
    return selectors.activities_for(request.user, programme, filters).prefetch_related("themes", "conventions")


@router.get(
    "/activities/{activity_id}", response=ActivityDetailOut, auth=AUTH_OPTIONAL,
    summary="One activity with its partners, budget, links and the reports the caller may see",
)
def get_activity(request, activity_id: int):
    return _activity_detail(request, activity_id)


# --- writes: activities --------------------------------------------------------------------------


class PartnerIn(Schema):
    organisation: int = Field(description="Id of the organisation")
    role: PartnerRole


class BudgetLineIn(Schema):
    source: str = Field(min_length=1, max_length=120, description="Source of funds; one line per source and currency")
    currency: Currency = Field(description="ISO 4217")
    planned: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    secured: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    spent: Decimal = Field(Decimal("0"), ge=0, max_digits=14, decimal_places=2)
    funder: int | None = Field(None, description="Id of the funding organisation")


class ActivityIn(Schema):
    """A new activity; its status starts as planned (move it on with POST …/status)."""

    code: str = Field("", max_length=30, description="Empty: the next code of the biennium, e.g. 2026-004")
    title: str = Field(max_length=255)
    description: str = Field(max_length=20000)
    type: ActivityType
    level: ActivityLevel
    priority_area: int | None = Field(None, description="Id of a priority area of the programme's plan")
    themes: list[str] = Field(description="Theme codes")
    conventions: list[str] = Field(default_factory=list, description="Convention codes")
    countries: list[str] = Field(default_factory=list, description="ISO3 of the target Parties")
    regions: list[str] = Field(default_factory=list, description="UN regional group codes of the target regions")
    lead: ActivityLead = Field(description="Centre staff always create their centre's own activities (lead: centre)")
    lead_centre: str | None = Field(None, description="Slug of the leading centre (lead: centre)")
    lead_group: str | None = Field(None, description="Regional group code of the leading regional focal point")
    lead_organisation: int | None = Field(None, description="Id of the leading partner organisation (lead: partner)")
    centre_own: bool = Field(False, description="In the centre's business plan, not in the Secretariat's programme")
    languages: list[str] = Field(default_factory=list, description="Language codes: ar, zh, en, fr, ru, es, pt")
    planned_start: date
    planned_end: date
    actual_start: date | None = None
    actual_end: date | None = None
    paragraphs: list[int] = Field(default_factory=list, description="Ids of the decision paragraphs it answers")
    needs: list[int] = Field(default_factory=list, description="Ids of the needs it addresses")
    requests: list[int] = Field(default_factory=list, description="Ids of the requests for assistance it answers")
    matches: list[int] = Field(default_factory=list, description="Ids of the matches it delivers")
    partners: list[PartnerIn] = Field(default_factory=list)
    budget_lines: list[BudgetLineIn] = Field(default_factory=list, description="Each in one currency")


class ActivityChangeIn(Schema):
    """What changes: only the fields sent. Centre staff cannot change the lead, leading centre or
    ``centre_own`` (those are ignored). The status moves with POST …/status."""

    code: str | None = Field(None, max_length=30)
    title: str | None = Field(None, max_length=255)
    description: str | None = Field(None, max_length=20000)
    type: ActivityType | None = None
    level: ActivityLevel | None = None
    priority_area: int | None = Field(None, description="Id of a priority area of the programme's plan; null: none")
    themes: list[str] | None = Field(None, description="Theme codes (replace the activity's)")
    conventions: list[str] | None = None
    countries: list[str] | None = Field(None, description="ISO3 codes")
    regions: list[str] | None = Field(None, description="UN regional group codes")
    lead: ActivityLead | None = None
    lead_centre: str | None = Field(None, description="Slug; null: none")
    lead_group: str | None = Field(None, description="Regional group code; null: none")
    lead_organisation: int | None = Field(None, description="Id; null: none")
    centre_own: bool | None = None
    languages: list[str] | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    actual_start: date | None = None
    actual_end: date | None = None
    paragraphs: list[int] | None = None
    needs: list[int] | None = None
    requests: list[int] | None = None
    matches: list[int] | None = None
    partners: list[PartnerIn] | None = Field(None, description="Partners to add (none are removed)")
    budget_lines: list[BudgetLineIn] | None = Field(
        None, description="Each sets the line of its source and currency; the other lines stay as they are"
    )


class ActivityStatusIn(Schema):
    status: ActivityStatus
    reason: str = Field("", max_length=5000, description="Required to postpone or cancel")
    on: date | None = Field(None, description="The day it started or ended; default today")


SCALARS = (
    "code", "title", "description", "type", "level", "lead", "centre_own",
    "planned_start", "planned_end", "actual_start", "actual_end",
)


def unknown_ids_message(ids):
    return _("Unknown ids: %(ids)s.") % {"ids": ", ".join(str(pk) for pk in ids)}


def _rows_by_id(queryset, ids, name, errors):
    """The rows of ``queryset`` with ``ids``, in the order given; the others go to ``errors[name]``."""
    wanted = list(dict.fromkeys(ids))
    found = queryset.in_bulk(wanted) if wanted else {}
    unknown = [pk for pk in wanted if pk not in found]
    if unknown:
        errors[name] = unknown_ids_message(unknown)
    return [found[pk] for pk in wanted if pk in found]


def _one(queryset, field, value, name, errors):
    """The row of ``queryset`` whose ``field`` is ``value`` (None for None); else an error for ``name``."""
    if value is None or value == "":
        return None
    row = queryset.filter(**{field: value}).first()
    if row is None:
        errors[name] = unknown_ids_message([value]) if field == "pk" else unknown_codes_message([value])
    return row


def activity_fields_from(actor, payload, programme, given, activity=None):
    """The service's keyword arguments for the fields in ``given``, with partners and budget lines;
    every unknown code or id is reported at once (422), nothing is guessed. What the activity says
    (a code already taken among it) is then checked by the service."""
    errors = {}
    fields = {name: getattr(payload, name) for name in SCALARS if name in given}
    if "code" in fields:
        code = fields.pop("code") or ""
        code = code.strip()
        if code:
            fields["code"] = code  # else: a new activity gets the next code, a changed one keeps its own
    if "languages" in given:
        languages = list(dict.fromkeys(payload.languages or []))
        unknown = [code for code in languages if code not in LANGUAGE_CODES]
        if unknown:
            errors["languages"] = unknown_codes_message(unknown)
        fields["languages"] = languages
    by_code = (
        ("themes", "themes", Theme, "code", lambda code: code),
        ("conventions", "conventions", Convention, "code", lambda code: code),
        ("countries", "countries", Country, "iso3", str.upper),
        ("regions", "regional_groups", RegionalGroup, "code", lambda code: code),
    )
    for name, target, model, field, normal in by_code:
        if name in given:
            fields[target] = rows_by_code(model, field, [normal(code) for code in getattr(payload, name) or []], name, errors)
    if "lead_centre" in given:
        fields["lead_centre"] = _one(RegionalCentre.objects.all(), "slug", payload.lead_centre, "lead_centre", errors)
    if "lead_group" in given:
        fields["lead_group"] = _one(RegionalGroup.objects.all(), "code", payload.lead_group, "lead_group", errors)
    if "lead_organisation" in given:
        fields["lead_organisation"] = _one(Organisation.objects.all(), "pk", payload.lead_organisation, "lead_organisation", errors)
    if "priority_area" in given:
        areas = PriorityArea.objects.filter(plan_id=programme.plan_id)
        fields["priority_area"] = _one(areas, "pk", payload.priority_area, "priority_area", errors)
    # Links name only what the caller may see: an id they may not see is unknown to them.
    by_id = (
        ("paragraphs", Paragraph.objects.all()),
        ("needs", need_policy.visible_to(actor)),
        ("requests", request_policy.visible_to(actor)),
        ("matches", match_policy.visible_to(actor)),
    )
    for name, queryset in by_id:
        if name in given:
            fields[name] = _rows_by_id(queryset, getattr(payload, name) or [], name, errors)
    partners = []
    if payload.partners:
        organisations = _rows_by_id(Organisation.objects.all(), [p.organisation for p in payload.partners], "partners", errors)
        by_pk = {organisation.pk: organisation for organisation in organisations}
        partners = [(by_pk[p.organisation], p.role) for p in payload.partners if p.organisation in by_pk]
    budget = []
    if payload.budget_lines:
        funders = _rows_by_id(Organisation.objects.all(), [line.funder for line in payload.budget_lines if line.funder], "budget_lines", errors)
        by_pk = {organisation.pk: organisation for organisation in funders}
        budget = [
            {"source": line.source.strip(), "currency": line.currency, "planned": line.planned, "secured": line.secured,
             "spent": line.spent, "funder": by_pk.get(line.funder)}
            for line in payload.budget_lines
        ]
    if errors:
        raise ValidationError(errors)
    return fields, partners, budget


@router.post(
    "/programmes/{programme_id}/activities", response={201: ActivityDetailOut}, auth=AUTH_REQUIRED,
    summary="Add an activity to a programme (Secretariat; centre staff: their centre's own activities)",
)
def create_activity(request, programme_id: int, payload: ActivityIn):
    actor = request.user
    programme = selectors.programme_get_for(actor, programme_id)
    activity_policy.require(actor, "create")
    fields, partners, budget = activity_fields_from(actor, payload, programme, set(ActivityIn.model_fields) - {"partners", "budget_lines"})
    activity = services.activity_create(actor=actor, programme=programme, partners=partners, budget=budget, **fields)
    return Status(201, _activity_detail(request, activity.pk))


@router.patch(
    "/activities/{activity_id}", response=ActivityDetailOut, auth=AUTH_REQUIRED,
    summary="Change an activity: only the fields sent (Secretariat; centre staff: their centre's activities)",
)
def update_activity(request, activity_id: int, payload: ActivityChangeIn):
    actor = request.user
    activity = selectors.activity_get_for(actor, activity_id)
    activity_policy.require(actor, "change", activity)
    given = payload.model_fields_set - {"partners", "budget_lines"}
    fields, partners, budget = activity_fields_from(actor, payload, activity.programme, given, activity=activity)
    with transaction.atomic():
        if fields:
            services.activity_update(actor=actor, activity=activity, **fields)
        for organisation, role in partners:
            services.partner_add(actor=actor, activity=activity, organisation=organisation, role=role)
        for line in budget:
            services.budget_line_save(actor=actor, activity=activity, **line)
    return _activity_detail(request, activity_id)


@router.delete(
    "/activities/{activity_id}/partners/{partner_id}", response={204: None}, auth=AUTH_REQUIRED,
    summary="Remove a partner from an activity (those who may change the activity)",
)
def remove_partner(request, activity_id: int, partner_id: int):
    activity = selectors.activity_get_for(request.user, activity_id)
    services.partner_remove(actor=request.user, partner=get_object_or_404(activity.partners, pk=partner_id))
    return Status(204, None)


@router.delete(
    "/activities/{activity_id}/budget-lines/{line_id}", response={204: None}, auth=AUTH_REQUIRED,
    summary="Remove a line from an activity's budget (those who may change the activity)",
)
def remove_budget_line(request, activity_id: int, line_id: int):
    activity = selectors.activity_get_for(request.user, activity_id)
    services.budget_line_remove(actor=request.user, line=get_object_or_404(activity.budget_lines, pk=line_id))
    return Status(204, None)


@router.post(
    "/activities/{activity_id}/status", response=ActivityDetailOut, auth=AUTH_REQUIRED,
    summary="Move an activity on (planned, in preparation, ongoing, completed; postponed or cancelled, saying why)",
)
def set_activity_status(request, activity_id: int, payload: ActivityStatusIn):
    services.activity_set_status(
        actor=request.user, activity=selectors.activity_get_for(request.user, activity_id), status=payload.status,
        reason=payload.reason, on=payload.on,
    )
    return _activity_detail(request, activity_id)


# --- writes: reports -----------------------------------------------------------------------------


class ParticipationIn(Schema):
    country: str = Field(max_length=3, description="ISO3; each country once")
    women: int = Field(0, **PEOPLE)
    men: int = Field(0, **PEOPLE)
    unspecified: int = Field(0, description="Sex not stated", **PEOPLE)


class MaterialIn(Schema):
    kind: MaterialKind
    title: str = Field(max_length=255)
    url: str = Field("", max_length=200)


class IndicatorValueIn(Schema):
    result: int = Field(description="Id of an expected result of the activity's priority area")
    value: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=255)


class ReportIn(Schema):
    summary: str = Field(max_length=20000, description="What was done and achieved")
    final: bool = Field(True, description="The activity is completed with this report once approved")
    participations: list[ParticipationIn] = Field(default_factory=list)
    materials: list[MaterialIn] = Field(default_factory=list)
    indicator_values: list[IndicatorValueIn] = Field(default_factory=list)


class ApproveIn(Schema):
    comment: str = Field("", max_length=5000)


class ReturnIn(Schema):
    comment: str = Field(max_length=5000, description="What should change")


def report_outputs_from(payload):
    """The participations, materials and indicator values of a report body, as the service takes them."""
    errors = {}
    countries = rows_by_code(Country, "iso3", [row.country.upper() for row in payload.participations], "participations", errors)
    by_iso3 = {country.iso3: country for country in countries}
    results = _rows_by_id(ExpectedResult.objects.all(), [row.result for row in payload.indicator_values], "indicator_values", errors)
    by_pk = {result.pk: result for result in results}
    if errors:
        raise ValidationError(errors)
    return {
        "participations": [
            (by_iso3[row.country.upper()], row.women, row.men, row.unspecified) for row in payload.participations
        ],
        "materials": [(row.kind, row.title, row.url) for row in payload.materials],
        "indicator_values": [(by_pk[row.result], row.value, row.note) for row in payload.indicator_values],
    }


@router.post(
    "/activities/{activity_id}/reports", response={201: ActivityReportOut}, auth=AUTH_REQUIRED,
    summary="Report on an activity (its lead): a draft, submitted for review with POST /reports/{id}/submit",
)
def create_report(request, activity_id: int, payload: ReportIn):
    actor = request.user
    activity = selectors.activity_get_for(actor, activity_id)
    activity_policy.require(actor, "report", activity)
    report = services.report_create(
        actor=actor, activity=activity, summary=payload.summary, final=payload.final, **report_outputs_from(payload)
    )
    return Status(201, _report(request, report.pk))


@router.post(
    "/reports/{report_id}/submit", response=ActivityReportOut, auth=AUTH_REQUIRED,
    summary="Submit a draft or returned report for the Secretariat's review",
)
def submit_report(request, report_id: int):
    services.report_submit(actor=request.user, report=_report(request, report_id))
    return _report(request, report_id)


@router.post(
    "/reports/{report_id}/approve", response=ActivityReportOut, auth=AUTH_REQUIRED,
    summary="Approve a submitted report (Secretariat); a final report completes the activity",
)
def approve_report(request, report_id: int, payload: ApproveIn | None = None):
    comment = payload.comment if payload is not None else ""
    services.report_approve(actor=request.user, report=_report(request, report_id), comment=comment)
    return _report(request, report_id)


@router.post(
    "/reports/{report_id}/return", response=ActivityReportOut, auth=AUTH_REQUIRED,
    summary="Return a submitted report for changes, saying what should change (Secretariat)",
)
def return_report(request, report_id: int, payload: ReturnIn):
    services.report_return(actor=request.user, report=_report(request, report_id), comment=payload.comment)
    return _report(request, report_id)
