"""The tables of the needs-and-availability summary of a cycle, declared once.

Each ``TableSpec`` names the records it counts and the filters of its rows and figures; the
database does the counting (``definition.TableSpec.compute``) and the records page lists the
records behind a figure with the same filters. Which figures the public may see is decided in
``definition`` from the number of Parties behind each one.
"""

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tahub.accounts.models import Organisation
from tahub.assessments.models import Invitation, Need, NeedObservation, ProviderInvitation, Response
from tahub.assessments.selectors import PartyGroup, party_group_filter
from tahub.matching.selectors import open_coverage
from tahub.offers.models import Offer
from tahub.reference.models import Country, KindOfHelp, Theme
from tahub.reports.definition import (
    AMOUNT,
    SCORE,
    SUM,
    Derived,
    Grouping,
    Measure,
    RowSpec,
    Source,
    TableSpec,
    percent,
)

REPORTED = ("low", "medium", "high")
RESPONDED = (Response.Status.SUBMITTED, Response.Status.RETURNED, Response.Status.ACCEPTED)
LEVEL_LABELS = dict(NeedObservation.Level.choices)


def area_of(theme_path):
    """The top-level theme (area) of a theme: its parent's code, or its own when it has none."""
    return Coalesce(F(f"{theme_path}__parent__code"), F(f"{theme_path}__code"))


# -- the records counted ----------------------------------------------------------------------


def _invitations(context):
    """The cycle's invitations, each with the status of its Party's current response (joined)."""
    current = FilteredRelation(
        "country__responses",
        condition=Q(country__responses__cycle=context.cycle, country__responses__is_current=True),
    )
    return (
        Invitation.objects.filter(cycle=context.cycle)
        .filter(context.scope.countries("country"))
        .annotate(current=current, response_status=F("current__status"))
    )


def _observations(context, cycles=None):
    """The needs the cycle's accepted responses reported (level low, medium or high)."""
    cycles = [context.cycle] if cycles is None else cycles
    return NeedObservation.objects.filter(cycle__in=cycles, level__in=REPORTED).filter(
        context.scope.countries("need__country")
    )


def _trend_observations(context):
    return _observations(context, context.trend_cycles)


def _changes(context):
    """Every need reported in the cycle or the one before, with what each of the two said."""
    def level_in(cycle):
        if cycle is None:
            return Value("")
        return Coalesce(
            Subquery(NeedObservation.objects.filter(need=OuterRef("pk"), cycle=cycle).order_by().values("level")[:1]),
            Value(""),
        )

    cycles = [c for c in (context.cycle, context.previous) if c is not None]
    accepted = Response.objects.current().filter(
        cycle=context.cycle, country=OuterRef("country"), status=Response.Status.ACCEPTED
    )
    reported = NeedObservation.objects.filter(cycle__in=cycles, level__in=REPORTED).values("need")
    return (
        Need.objects.filter(pk__in=reported)
        .filter(context.scope.countries("country"))
        .annotate(now=level_in(context.cycle), before=level_in(context.previous), reassessed=Exists(accepted))
    )


def _offers(context):
    """Offers the audience may count (for the public only those the public catalogue shows) that
    were reported in the cycle's survey or are open now: the two figures every offer table gives."""
    reported, open_now = _offer_measures(context.cycle)
    offers = Offer.objects.filter(reported | open_now)
    if context.public:
        offers = offers.filter(status=Offer.Status.PUBLISHED, visibility=Offer.Visibility.PUBLIC)
    elif not context.secretariat:  # a region's or centre's own people: what members may read
        offers = offers.filter(
            status=Offer.Status.PUBLISHED, visibility__in=[Offer.Visibility.PUBLIC, Offer.Visibility.PARTIES]
        )
    if context.scope.kind != "all":
        offers = offers.filter(_eligible_in(context.scope.group_ids, context.scope.country_ids))
    return offers


def _coverage(context):
    return open_coverage().filter(need__isnull=False).filter(context.scope.countries("country"))


INVITATIONS = Source("invitations", _invitations, "parties")
NEEDS = Source("needs", _observations, "needs", parties="need__country")
NEED_KINDS = Source("need_kinds", _observations, "needs", parties="need__country", distinct=True)
TRENDS = Source("trends", _trend_observations, "needs", parties="need__country")
CHANGES = Source("changes", _changes, "need_records", parties="country")
OFFERS = Source("offers", _offers, "offers")
OFFER_TOPICS = Source("offer_topics", _offers, "offers", distinct=True)  # rows by kind or theme: a join
SURVEY_OFFERS = Source("survey_offers", lambda c: _offers(c).filter(survey_cycle=c.cycle), "offers")
OFFER_VALUES = Source("offer_values", lambda c: _offers(c).filter(amount__isnull=False), "offers")
COVERAGE = Source("coverage", _coverage, "coverage", parties="country")


# -- rows ---------------------------------------------------------------------------------


def _areas(context):
    return context.remember("areas", lambda: [
        (t.code, t.label) for t in Theme.objects.filter(parent__isnull=True).order_by("order")
    ])


def _themes(context):
    return context.remember("themes", lambda: [(t.code, t.label) for t in Theme.objects.order_by("order")])


def theme_areas(context):
    """Theme → its area: the themes of an area add up to the area's figures."""
    return context.remember("theme_areas", lambda: {
        t.code: t.parent.code if t.parent_id else t.code for t in Theme.objects.select_related("parent")
    })


def _classifications(context):
    """Developing countries and economies in transition together are all the Parties counted."""
    return {PartyGroup.DEVELOPING.value: "all", PartyGroup.TRANSITION.value: "all"}


def _groups(context):
    return [(g.code, g.name) for g in context.regional_groups()]


def _kind_areas(context):
    return context.remember("kinds", lambda: [
        (k.code, k.label) for k in KindOfHelp.objects.filter(parent__isnull=True).order_by("order")
    ])


def _provider_types(context):
    return [(value, label) for value, label in Organisation.Type.choices]


def _area_and_group(context):
    return [(f"{area}|{group}", f"{area_label} — {group_label}") for area, area_label in _areas(context)
            for group, group_label in _groups(context)]


def _party_groups(path):
    return tuple(RowSpec(group.value, group.label, party_group_filter(group, path)) for group in PartyGroup)


def _eligible_in(group_ids, country_ids=()):
    """Offers a Party of the groups (or one of the countries) is eligible for.

    Written with ``Exists`` rather than joins, so an offer naming several groups or countries is
    still one row: counts need no DISTINCT and sums of amounts stay right.
    """
    parties = Country.objects.filter(pk__in=country_ids) if country_ids else Country.objects.filter(regional_group__in=group_ids)
    found = list(parties.values_list("pk", "classification", "ldc", "sids"))
    kinds = {(classification, ldc, sids) for _pk, classification, ldc, sids in found}
    groups = Offer.eligible_groups.through.objects.filter(offer_id=OuterRef("pk"), regionalgroup_id__in=group_ids)
    countries = Offer.eligible_countries.through.objects.filter(
        offer_id=OuterRef("pk"), country_id__in=[pk for pk, *_rest in found]
    )
    flags = [
        ("eligible_developing", any(c == Country.Classification.DEVELOPING for c, _ldc, _sids in kinds)),
        ("eligible_transition", any(c == Country.Classification.TRANSITION for c, _ldc, _sids in kinds)),
        ("eligible_ldc", any(ldc for _c, ldc, _sids in kinds)),
        ("eligible_sids", any(sids for _c, _ldc, sids in kinds)),
    ]
    condition = Q(pk__in=[])
    for flag, applies in flags:  # the cheap tests first: most offers are open to a whole classification
        if applies:
            condition |= Q(**{flag: True})
    return condition | Q(Exists(groups)) | Q(Exists(countries))


def _eligible_rows(context):
    return tuple(RowSpec(group.code, group.name, _eligible_in([group.pk])) for group in context.regional_groups())


# -- measures -----------------------------------------------------------------------------


def _level_measures():
    return (
        Measure("needs", _("Needs reported")),
        Measure("high", LEVEL_LABELS["high"], Q(level="high")),
        Measure("medium", LEVEL_LABELS["medium"], Q(level="medium")),
        Measure("low", LEVEL_LABELS["low"], Q(level="low")),
        Measure("score", _("Weighted score"), kind=SCORE, depends=("high", "medium", "low")),
    )


LEVEL_PARTS = (("needs", ("high", "medium", "low")),)


def _offer_measures(cycle):
    reported = Q(survey_cycle=cycle) & ~Q(status=Offer.Status.WITHDRAWN)
    today = timezone.localdate()
    open_now = Q(status=Offer.Status.PUBLISHED) & (Q(starts_on__isnull=True) | Q(starts_on__lte=today)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    return reported, open_now


# -- the tables ---------------------------------------------------------------------------


def participation_tables(context):
    responded = Q(response_status__in=RESPONDED)
    measures = (
        Measure("invited", _("Invited")),
        Measure("responded", _("Responded"), responded),
        Measure("accepted", _("Accepted"), Q(response_status=Response.Status.ACCEPTED)),
    )
    rate = (Derived("rate", _("Response rate (%)"), percent("responded", "invited"), ("responded", "invited")),)
    return [
        TableSpec(
            "participation", _("Participation"), _("Parties invited, those that responded and those whose response was accepted."),
            INVITATIONS, measures, (RowSpec("all", _("All invited Parties"), Q()),), derived=rate,
        ),
        TableSpec(
            "participation_by_group", _("Participation by regional group"), _("The same figures for each UN regional group."),
            INVITATIONS, measures, Grouping(("country__regional_group__code",), _groups), derived=rate,
            chart="bar", chart_columns=("invited", "responded"), row_header=_("Regional group"),
        ),
        TableSpec(
            "participation_by_classification", _("Participation by classification"),
            _("Developing countries and economies in transition; least developed countries and small island developing States among them."),
            INVITATIONS, measures, _party_groups("country"), derived=rate, row_header=_("Parties"),
        ),
    ]


def needs_tables(context):
    levels = _level_measures()
    regions = context.regional_groups()
    region_measures = tuple(
        Measure(g.code, g.name, Q(need__country__regional_group=g), kind=SCORE) for g in regions
    )
    region_parties = tuple(
        Measure(g.code, g.name, Q(need__country__regional_group=g)) for g in regions
    )
    tables = [
        TableSpec(
            "needs_by_area", _("Needs by area"),
            _("Needs reported in accepted responses, by area of technical assistance (a theme and its sub-themes), with their levels."),
            NEEDS, levels, Grouping(("need__theme__code",), _areas, area_of("need__theme")),
            partitions=LEVEL_PARTS, chart="bar", chart_columns=("high", "medium", "low"), row_header=_("Area"),
        ),
        TableSpec(
            "needs_by_theme", _("Needs by theme"), _("The same for each theme and sub-theme."),
            NEEDS, levels, Grouping(("need__theme__code",), _themes), partitions=LEVEL_PARTS, row_header=_("Theme"),
            skip_empty=True, row_groups=theme_areas,
        ),
        TableSpec(
            "needs_by_kind", _("Needs by kind of help"),
            _("Needs for which the Party asked for each kind of help (a need may ask for several)."),
            NEED_KINDS, (Measure("needs", _("Needs reported")), Measure("score", _("Weighted score"), kind=SCORE)),
            Grouping(("kinds__code",), _kind_areas, area_of("kinds")), chart="bar", chart_columns=("needs",),
            row_header=_("Kind of help"),
        ),
        TableSpec(
            "needs_by_group", _("Needs by regional group"), _("Needs reported by the Parties of each UN regional group."),
            NEEDS, levels, Grouping(("need__country__regional_group__code",), _groups), partitions=LEVEL_PARTS,
            row_header=_("Regional group"),
        ),
        TableSpec(
            "needs_by_classification", _("Needs by classification"), _("Needs reported by each group of Parties."),
            NEEDS, levels, _party_groups("need__country"), partitions=LEVEL_PARTS, row_header=_("Parties"),
            row_groups=_classifications,
        ),
        TableSpec(
            "heat_map", _("Need intensity by area and regional group"),
            _("Weighted score of the needs reported, for each area and regional group: the darker, the greater the need."),
            NEEDS, (*region_measures, Measure("total", _("All groups"), kind=SCORE)),
            Grouping(("need__theme__code",), _areas, area_of("need__theme")),
            partitions=(("total", tuple(g.code for g in regions)),), chart="heat",
            chart_columns=tuple(g.code for g in regions), row_header=_("Area"),
        ),
        TableSpec(
            "heat_map_counts", _("Needs by area and regional group"), _("The number of needs behind each score of the table above."),
            NEEDS, (*region_parties, Measure("total", _("All groups"))),
            Grouping(("need__theme__code",), _areas, area_of("need__theme")),
            partitions=(("total", tuple(g.code for g in regions)),), row_header=_("Area"),
        ),
        TableSpec(
            "needs_by_theme_and_group", _("Needs by theme and regional group"), _("Each theme's needs in each group."),
            NEEDS, levels, Grouping(("need__country__regional_group__code", "need__theme__code"), _theme_and_group),
            partitions=LEVEL_PARTS, shown=False,
        ),
    ]
    previous = context.previous
    tables.append(
        TableSpec(
            "changes", _("Compared with the previous cycle"),
            _("Needs newly reported, still reported and no longer reported by Parties that answered again; "
              "needs of Parties whose response to this cycle is not accepted are not reassessed."),
            CHANGES,
            (
                Measure("reported", _("Reported now"), Q(now__in=REPORTED)),
                Measure("new", _("New"), Q(now__in=REPORTED) & ~Q(before__in=REPORTED)),
                Measure("persisting", _("Still reported"), Q(now__in=REPORTED, before__in=REPORTED)),
                Measure("previous", _("Reported before"), Q(before__in=REPORTED)),
                Measure("dropped", _("No longer reported"), Q(before__in=REPORTED, reassessed=True) & ~Q(now__in=REPORTED)),
                Measure("not_reassessed", _("Not reassessed"), Q(before__in=REPORTED, reassessed=False) & ~Q(now__in=REPORTED)),
            ),
            Grouping(("theme__code",), _themes),
            partitions=(("reported", ("new", "persisting")), ("previous", ("persisting", "dropped", "not_reassessed"))),
            row_header=_("Theme"), skip_empty=True,
            note=_("Compared with: %(cycle)s") % {"cycle": previous.title} if previous else _("There is no earlier cycle to compare with."),
        )
    )
    by_cycle = tuple(Measure(f"c{c.pk}", c.title, Q(cycle=c), kind=SCORE) for c in context.trend_cycles)
    tables.append(
        TableSpec(
            "trends", _("Trends across cycles"), _("Weighted score of the needs reported in each cycle, by area."),
            TRENDS, by_cycle, Grouping(("need__theme__code",), _areas, area_of("need__theme")), chart="line",
            chart_columns=tuple(f"c{c.pk}" for c in context.trend_cycles), row_header=_("Area"),
        )
    )
    tables.append(
        TableSpec(
            "trends_by_theme", _("Trends across cycles, by theme"), _("The same for each theme and sub-theme."),
            TRENDS, by_cycle, Grouping(("need__theme__code",), _themes), row_header=_("Theme"), skip_empty=True,
            row_groups=theme_areas,
        )
    )
    return tables


def _theme_and_group(context):
    return [(f"{group}|{theme}", theme_label) for group, _label in _groups(context) for theme, theme_label in _themes(context)]


def availability_tables(context):
    reported, open_now = _offer_measures(context.cycle)
    measures = (Measure("reported", _("Reported in the survey"), reported), Measure("open", _("Open now"), open_now))
    return [
        TableSpec(
            "offers_by_kind", _("Assistance available by kind of help"),
            _("Offers reported in the cycle's available-assistance survey, and offers open now."),
            OFFER_TOPICS, measures, Grouping(("kinds__code",), _kind_areas, area_of("kinds")), chart="bar",
            chart_columns=("reported", "open"), row_header=_("Kind of help"),
        ),
        TableSpec(
            "offers_by_area", _("Assistance available by area"), _("An offer may cover several areas."),
            OFFER_TOPICS, measures, Grouping(("themes__code",), _areas, area_of("themes")), chart="bar",
            chart_columns=("reported", "open"), row_header=_("Area"),
        ),
        TableSpec(
            "offers_by_region", _("Assistance available by eligible region"),
            _("Offers a Party of each regional group is eligible for: by name, by its group or by its classification."),
            OFFERS, measures, _eligible_rows(context), row_header=_("Regional group"),
        ),
        TableSpec(
            "offers_by_provider_type", _("Assistance available by type of provider"), "",
            OFFERS, measures, Grouping(("provider__type",), _provider_types), row_header=_("Type of provider"),
        ),
        TableSpec(
            "offers_value", _("Value of the assistance available"),
            _("Amounts are summed within each currency and never converted."),
            OFFER_VALUES,
            (
                Measure("reported", _("Offers reported"), reported),
                Measure("reported_amount", _("Amount reported"), reported, kind=AMOUNT, amount_field="amount"),
                Measure("open", _("Offers open now"), open_now),
                Measure("open_amount", _("Amount open now"), open_now, kind=AMOUNT, amount_field="amount"),
            ),
            Grouping(("currency",), None), row_header=_("Currency"),
        ),
        TableSpec(
            "providers", _("Providers that answered the survey"),
            _("Providers asked in the cycle's available-assistance survey that answered, with the offers they reported."),
            SURVEY_OFFERS, measures[:1], Grouping(("provider_id",), _responding_providers), row_header=_("Provider"),
        ),
    ]


def _responding_providers(context):
    answered = (
        ProviderInvitation.objects.filter(cycle=context.cycle)
        .filter(Q(responded_at__isnull=False) | Q(no_new_offers=True))
        .select_related("organisation")
        .order_by("organisation__name")
    )
    return [(str(invitation.organisation_id), invitation.organisation.name) for invitation in answered]


def gap_tables(context):
    regions = context.regional_groups()
    return [
        TableSpec(
            "needs_by_area_and_group", _("Need intensity by area and regional group"), "",
            NEEDS, (Measure("needs", _("Needs reported")), Measure("score", _("Weighted score"), kind=SCORE)),
            Grouping(("need__theme__code", "need__country__regional_group__code"), _area_and_group,
                     Concat(area_of("need__theme"), Value("|"), F("need__country__regional_group__code"))),
            shown=False,
        ),
        TableSpec(
            "coverage_by_area_and_group", _("Open needs and the offers matching them"), "",
            COVERAGE,
            (
                Measure("open", _("Open needs")),
                Measure("uncovered", _("Needs no offer matches"), Q(above_threshold=0)),
                Measure("covered", _("Needs with a matching offer"), Q(above_threshold__gt=0)),
                Measure("eligible", _("Eligible open offers, summed over the needs"), kind=SUM, amount_field="eligible"),
            ),
            Grouping(("need__theme__code", "country__regional_group__code"), _area_and_group,
                     Concat(area_of("need__theme"), Value("|"), F("country__regional_group__code"))),
            partitions=(("open", ("uncovered", "covered")),), shown=False,
        ),
        TableSpec(
            "coverage_by_group", _("Open needs and the offers matching them, by regional group"),
            _("Open needs (of any cycle) and those for which no eligible open offer scores above the matching threshold."),
            COVERAGE,
            (
                Measure("open", _("Open needs")),
                Measure("uncovered", _("Needs no offer matches"), Q(above_threshold=0)),
                Measure("covered", _("Needs with a matching offer"), Q(above_threshold__gt=0)),
            ),
            Grouping(("country__regional_group__code",), _groups), partitions=(("open", ("uncovered", "covered")),),
            row_header=_("Regional group"), chart="bar", chart_columns=("covered", "uncovered"),
        ) if regions else None,
    ]


def summary_specs(context):
    """Every table of the cycle summary, by section: ``[(section key, [TableSpec])]``."""
    return [
        ("participation", participation_tables(context)),
        ("needs", needs_tables(context)),
        ("availability", availability_tables(context)),
        ("gaps", [spec for spec in gap_tables(context) if spec is not None]),
    ]


def spec_for(context, key):
    for _section, specs in summary_specs(context):
        for spec in specs:
            if spec.key == key:
                return spec
    raise KeyError(key)
