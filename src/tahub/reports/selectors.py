"""Reads of the reports app: the cycle summary (one computation for the page, the API and every
download) and the records behind each of its figures."""

import hashlib

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Max, OuterRef, Subquery, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tahub.accounts.actors import is_secretariat, memberships_of
from tahub.accounts.roles import Role
from tahub.assessments.models import (
    Cycle,
    Invitation,
    Need,
    NeedObservation,
    ProviderInvitation,
    Response,
)
from tahub.assessments.permissions import cycle_policy, need_policy
from tahub.matching.models import Coverage, subject_url
from tahub.matching.selectors import uncovered_needs
from tahub.offers.models import Offer
from tahub.offers.permissions import offer_policy
from tahub.reference.models import RegionalCentre, RegionalGroup
from tahub.reports.context import FULL, PUBLIC, Scope, SummaryContext
from tahub.reports.definition import (
    COUNT,
    NUMBER,
    SCORE,
    TEXT,
    Cell,
    Column,
    Report,
    Row,
    Section,
    Table,
)
from tahub.reports.figures import LEVEL_LABELS, RESPONDED, summary_specs, theme_areas
from tahub.reports.models import SummarySettings

CACHE_SECONDS = 3600


def section_titles():
    return {
        "participation": (_("Participation"), _("Who was asked, who answered and whose answers were accepted.")),
        "needs": (_("Needs"), _("What the Parties reported needing, how much, and how it changed.")),
        "availability": (_("Assistance available"), _("What providers reported in the survey and what is open now.")),
        "gaps": (_("Gap analysis"), _("Where needs are great and matching assistance is scarce.")),
    }


# -- scope and audience ---------------------------------------------------------------------


def scope_from(value):
    """``"region:AFRICA"`` or ``"centre:bcrc-senegal"`` (or nothing: all Parties); 404 if unknown."""
    if not value:
        return Scope()
    kind, _sep, code = value.partition(":")
    if kind == "region":
        group = RegionalGroup.objects.filter(code=code).first()
        if group is None:
            raise Http404
        return Scope("region", group.code, group.name, (group.pk,))
    if kind == "centre":
        centre = RegionalCentre.objects.filter(slug=code).first()
        if centre is None:
            raise Http404
        countries = list(centre.countries_served.values_list("pk", "regional_group_id"))
        groups = tuple(sorted({group for _pk, group in countries if group}))
        return Scope("centre", centre.slug, centre.acronym, groups, tuple(pk for pk, _group in countries))
    raise Http404


def sees_in_full(actor, scope):
    """The Secretariat sees every figure; a regional focal point those of its group, centre staff
    those of the Parties their centre serves (they see those Parties' needs anyway)."""
    if is_secretariat(actor):
        return True
    if scope.kind == "region":
        return any(
            m.role == Role.REGIONAL_FOCAL_POINT and m.regional_group_id in scope.group_ids for m in memberships_of(actor)
        )
    if scope.kind == "centre":
        centre = RegionalCentre.objects.filter(slug=scope.code).values_list("pk", flat=True).first()
        return any(m.role == Role.CENTRE_STAFF and m.centre_id == centre for m in memberships_of(actor))
    return False


def scopes_for(actor):
    """The regional groups and centres whose reports ``actor`` may read (in full)."""
    groups = [g for g in RegionalGroup.objects.order_by("order") if sees_in_full(actor, Scope("region", g.code, g.name, (g.pk,)))]
    centres = [
        c for c in RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE).order_by("acronym")
        if sees_in_full(actor, Scope("centre", c.slug, c.acronym))
    ]
    return groups, centres


def previous_cycle(cycle, *, published_only=False):
    """The cycle opened before ``cycle`` (for the public, the published one before it)."""
    earlier = Cycle.objects.exclude(status=Cycle.Status.DRAFT).filter(opens_on__lt=cycle.opens_on)
    if published_only:
        earlier = earlier.filter(status=Cycle.Status.PUBLISHED)
    return earlier.order_by("-opens_on").first()


def summary_context(actor, cycle, scope=None, *, audience=None):
    """What ``actor`` reads of ``cycle``'s summary. A region's or a centre's summary is only for
    those who see it in full (404 for others): figures of a smaller set of Parties, withheld on
    their own, could be set against those of all Parties to work out a withheld one."""
    scope = scope or Scope()
    full = sees_in_full(actor, scope) if audience is None else audience == FULL
    if scope.kind != "all" and not full:
        raise Http404
    cycles = Cycle.objects.filter(opens_on__lte=cycle.opens_on).exclude(status=Cycle.Status.DRAFT)
    if not full:
        cycles = cycles.filter(status=Cycle.Status.PUBLISHED) | Cycle.objects.filter(pk=cycle.pk)
    settings = SummarySettings.current()
    return SummaryContext(
        cycle=cycle, previous=previous_cycle(cycle, published_only=not full), trend_cycles=list(cycles.order_by("opens_on")),
        weights=settings.weights, minimum=settings.public_minimum, audience=FULL if full else PUBLIC,
        scope=scope, follow_needs=full, secretariat=is_secretariat(actor) if audience is None else full,
    )


# -- the summary ----------------------------------------------------------------------------


def _fingerprint(context):
    """What the summary's figures are computed from, in a few indexed aggregates: any new,
    changed or deleted response, observation, need, offer, invitation, coverage or cycle changes it."""
    return (
        Response.objects.aggregate(at=Max("updated_at"), n=Count("pk")),
        NeedObservation.objects.aggregate(last=Max("pk"), n=Count("pk")),
        Need.history.aggregate(last=Max("history_id")),
        Offer.history.aggregate(last=Max("history_id")),
        Invitation.objects.filter(cycle=context.cycle).aggregate(last=Max("pk"), n=Count("pk")),
        Coverage.objects.aggregate(at=Max("computed_at"), n=Count("pk")),
        Cycle.history.aggregate(last=Max("history_id")),
        ProviderInvitation.history.aggregate(last=Max("history_id")),
        timezone.localdate(),  # "open now"
    )


def cycle_summary(context):
    """The whole summary of ``context.cycle`` as a ``Report`` (figures in the active language).

    Kept in the cache under what it was computed from (``_fingerprint``), so it is computed again
    as soon as any record behind it changes, and at the latest after an hour.
    """
    key = "reports:summary:" + hashlib.sha256(repr((
        context.cycle.pk, context.scope, context.audience, context.follow_needs, context.secretariat,
        sorted(context.weights.items()),
        context.minimum, [c.pk for c in context.trend_cycles], get_language(), _fingerprint(context),
    )).encode()).hexdigest()
    report = cache.get(key)
    if report is None:
        report = compute_summary(context)
        cache.set(key, report, CACHE_SECONDS)
    return report


def compute_summary(context):
    """``cycle_summary`` without the cache."""
    computed = {}
    sections = []
    titles = section_titles()
    for key, specs in summary_specs(context):
        tables = []
        for spec in specs:
            table = spec.compute(context)
            computed[spec.key] = table
            _withhold_the_same(context, table)
            if spec.shown:
                tables.append(table)
        if key == "needs":
            tables.insert(tables.index(computed["heat_map_counts"]) + 1, _top_needs(context, computed))
        if key == "gaps":
            tables.insert(0, _gaps(computed["needs_by_area_and_group"], computed["coverage_by_area_and_group"]))
            if context.secretariat:
                tables.append(_uncovered(context))
        sections.append(Section(key, *titles[key], tables))
    weights = context.weights
    notes = [
        _("Needs are weighted by level: high %(high)s, medium %(medium)s, low %(low)s.") % weights,
    ]
    if context.public:
        notes.append(
            _("Figures drawn from fewer than %(minimum)s Parties are withheld (—), and so are figures "
              "from which a withheld one could be worked out.") % {"minimum": context.minimum}
        )
    subtitle = context.scope.label or _("All invited Parties")
    return Report(
        key=f"cycle-{context.cycle.pk}", title=_("Summary of needs and available assistance: %(cycle)s") % {"cycle": context.cycle.title},
        subtitle=subtitle, sections=sections, audience=context.audience, language=get_language() or "en",
        generated_at=timezone.now(), notes=notes, annex=_responding_parties(context),
    )


# The same figure in two tables: when the first withholds it, so must the second (the public's
# summary only). A need score of an area is the heat map's total and the cycle's point of the trend.
SAME_FIGURE = {
    ("needs_by_area", "score"): [("heat_map", "total"), ("trends", "{cycle}")],
    ("needs_by_area", "needs"): [("heat_map_counts", "total")],
    ("needs_by_theme", "score"): [("trends_by_theme", "{cycle}")],
}


def _withhold_the_same(context, table):
    if not context.public:
        return
    for row in table.rows:
        for column, cell in row.cells.items():
            if cell.suppressed:
                for other, other_column in SAME_FIGURE.get((table.key, column), ()):
                    context.forced.add((other, row.key, other_column.format(cycle=f"c{context.cycle.pk}")))


def _top_needs(context, computed, top=5):
    """The five themes with the highest weighted score in each regional group (for the public,
    only themes whose area's figure for the group is shown: the themes would add up to it)."""
    by_theme_and_group = computed["needs_by_theme_and_group"]
    groups = {g.code: g.name for g in context.regional_groups()}
    area_of_theme = theme_areas(context)
    hidden_areas = {
        (row.key, column) for name in ("heat_map", "heat_map_counts") for row in computed[name].rows
        for column, cell in row.cells.items() if cell.suppressed
    }
    rows = []
    for code, name in groups.items():
        candidates = [
            row for row in by_theme_and_group.rows
            if row.key.startswith(f"{code}|") and not row.cells["score"].suppressed and row.cells["score"].value
            and (area_of_theme.get(row.key.split("|", 1)[1]), code) not in hidden_areas
        ]
        candidates.sort(key=lambda row: (-row.cells["score"].value, row.label))
        for rank, row in enumerate(candidates[:top], start=1):
            rows.append(Row(row.key, row.label, {"needs": row.cells["needs"], "score": row.cells["score"]},
                            extra={"group": name, "rank": rank}))
    return Table(
        key="top_needs", title=_("Top needs in each regional group"),
        description=_("The themes with the highest weighted score in each group."),
        columns=[Column("needs", _("Needs reported"), COUNT), Column("score", _("Weighted score"), SCORE)],
        rows=rows, row_header=_("Theme"),
        text_columns=[Column("group", _("Regional group"), TEXT), Column("rank", _("Rank"), TEXT)],
    )


def _gaps(needs, coverage, top=20):
    """Each area and group: the cycle's need score beside the open needs no offer matches.

    The gap is the need score in proportion to the open needs left uncovered; withheld when any
    figure it is computed from is.
    """
    open_cells = {row.key: row for row in coverage.rows}
    rows = []
    for row in needs.rows:
        found = open_cells[row.key]
        score, opened, uncovered = row.cells["score"], found.cells["open"], found.cells["uncovered"]
        eligible = found.cells["eligible"]
        hidden = score.suppressed or opened.suppressed or uncovered.suppressed
        if hidden:
            gap = Cell(None, suppressed=True)
        else:
            gap = Cell(round(score.value * uncovered.value / opened.value) if opened.value else 0)
        per_need = Cell(None, suppressed=True) if eligible.suppressed or opened.suppressed else Cell(
            round(eligible.value / opened.value) if opened.value else 0
        )
        if hidden or gap.value:
            rows.append(Row(row.key, row.label, {
                "score": score, "open": opened, "uncovered": uncovered, "per_need": per_need, "gap": gap,
            }))
    rows.sort(key=lambda r: (r.cells["gap"].value is None, -(r.cells["gap"].value or 0), r.label))
    return Table(
        key="gaps", title=_("The largest gaps"),
        description=_("Need score of the cycle, open needs, and open needs for which no eligible open offer scores above "
                      "the matching threshold; the gap is the score in proportion to the needs left uncovered."),
        columns=[
            Column("score", _("Weighted score"), SCORE), Column("open", _("Open needs"), COUNT),
            Column("uncovered", _("Needs no offer matches"), COUNT),
            Column("per_need", _("Eligible open offers per open need"), NUMBER), Column("gap", _("Gap"), SCORE),
        ],
        rows=rows[:top], row_header=_("Area and regional group"),
        note=_("Delivery is not part of the gap: the implementation report of each programme of work shows which "
               "needs its activities address."),
    )


LEVEL_ORDER = Case(
    When(level="high", then=Value(3)), When(level="medium", then=Value(2)), When(level="low", then=Value(1)),
    default=Value(0), output_field=IntegerField(),
)


def _uncovered(context, limit=100):
    latest = NeedObservation.objects.filter(need=OuterRef("pk")).order_by("-observed_on", "-pk")
    needs = (
        uncovered_needs().filter(context.scope.countries("country"))
        .select_related("country__regional_group", "theme")
        .annotate(level=Subquery(latest.values("level")[:1]))
        .annotate(rank=LEVEL_ORDER)
        .order_by("-rank", "country__name_en", "theme__order")[:limit]
    )
    rows = [
        Row(str(need.pk), need.country.name, {}, link=subject_url("need", need.pk),
            extra={"theme": need.theme.label, "level": str(LEVEL_LABELS.get(need.level, "")),
                   "group": need.country.regional_group.name if need.country.regional_group else ""})
        for need in needs
    ]
    return Table(
        key="uncovered", title=_("Open needs no offer matches"),
        description=_("The highest first (at most %(limit)s); visible to the Secretariat only.") % {"limit": limit},
        columns=[], rows=rows, row_header=_("Party"),
        text_columns=[Column("group", _("Regional group"), TEXT), Column("theme", _("Theme"), TEXT),
                      Column("level", _("Level"), TEXT)],
    )


def response_labels(*, full):
    """How a Party's response is named in reports: to readers other than the Secretariat (and a
    region's own), a response the Secretariat returned with queries is simply "Submitted"."""
    labels = dict(Response.Status.choices)
    if not full:
        labels[Response.Status.RETURNED] = labels[Response.Status.SUBMITTED]
    return labels


def _responding_parties(context):
    invitations = (
        Invitation.objects.filter(cycle=context.cycle).filter(context.scope.countries("country"))
        .select_related("country__regional_group")
        .annotate(response_status=Subquery(
            Response.objects.current().filter(cycle=context.cycle, country=OuterRef("country")).order_by().values("status")[:1]
        ))
        .filter(response_status__in=RESPONDED)
        .order_by("country__name_en")
    )
    statuses = response_labels(full=not context.public)
    rows = [
        Row(invitation.country.iso3, invitation.country.name, {},
            extra={"group": invitation.country.regional_group.name if invitation.country.regional_group else "",
                   "status": str(statuses[invitation.response_status])})
        for invitation in invitations
    ]
    return Table(
        key="responding_parties", title=_("Responding Parties"), description=_("Parties that responded to the cycle."),
        columns=[], rows=rows, row_header=_("Party"),
        text_columns=[Column("group", _("Regional group"), TEXT), Column("status", _("Response"), TEXT)],
    )


# -- the records behind a figure ------------------------------------------------------------


def figure_records_for(actor, context, spec, row_key, measure_key):
    """The records counted in one figure, as far as ``actor`` may see them; 404 for figures
    whose records are Parties' answers when the reader may not follow them."""
    if spec.source.parties and not context.follow_needs:
        raise Http404
    try:
        records = spec.records(context, row_key, measure_key)
    except (KeyError, StopIteration) as exc:
        raise Http404 from exc
    kind = spec.source.record_kind
    if kind == "needs":
        records = records.filter(need__in=need_policy.visible_to(actor).values("pk")).select_related(
            "need__country", "need__theme", "cycle"
        ).order_by("need__country__name_en", "need__theme__order")
    elif kind == "need_records":
        records = records.filter(pk__in=need_policy.visible_to(actor).values("pk")).select_related(
            "country", "theme"
        ).order_by("country__name_en", "theme__order")
    elif kind == "coverage":
        records = records.filter(need__in=need_policy.visible_to(actor).values("pk")).select_related(
            "need__country", "need__theme"
        ).order_by("country__name_en", "need__theme__order")
    elif kind == "offers":
        records = records.filter(pk__in=offer_policy.visible_to(actor).values("pk")).select_related(
            "provider"
        ).order_by("title", "pk")
    else:
        records = records.select_related("country__regional_group").order_by("country__name_en")
    return kind, records


# -- which cycles ---------------------------------------------------------------------------


def report_cycles_for(actor):
    """The cycles whose summary ``actor`` may read, newest first."""
    return cycle_policy.visible_to(actor).exclude(status=Cycle.Status.DRAFT).order_by("-opens_on")


def published_cycles():
    return list(Cycle.objects.filter(status=Cycle.Status.PUBLISHED).order_by("-opens_on"))
