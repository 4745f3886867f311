"""Every read of reference data that a page, the API or an export needs."""

import re
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from tahub.core.i18n import SUFFIXES
from tahub.reference.models import Country, KindOfHelp, RegionalCentre, RegionalGroup, Theme
from tahub.reference.permissions import (
    centre_policy,
    convention_policy,
    country_policy,
    kind_of_help_policy,
    regional_group_policy,
    theme_policy,
)


@dataclass
class CountryFilters:
    """Filters of the Parties directory and of ``GET /api/v1/countries``; all optional."""

    q: str = ""
    regional_group: str = ""
    classification: str = ""
    basel_party: str = ""
    centre: str = ""
    ldc: bool | None = None
    sids: bool | None = None
    landlocked: bool | None = None


def country_list_for(actor, filters=None):
    filters = filters or CountryFilters()
    countries = country_policy.visible_to(actor).select_related("regional_group")
    if filters.q:
        term = filters.q.strip()
        by_name = Q()
        for suffix in SUFFIXES:
            by_name |= Q(**{f"name_{suffix}__icontains": term})
        countries = countries.filter(by_name | Q(iso3__iexact=term) | Q(iso2__iexact=term))
    if filters.regional_group:
        countries = countries.filter(regional_group__code=filters.regional_group)
    if filters.classification:
        countries = countries.filter(classification=filters.classification)
    if filters.basel_party:
        countries = countries.filter(basel_party=filters.basel_party)
    if filters.centre:
        countries = countries.filter(centres__slug=filters.centre)
    for flag in ("ldc", "sids", "landlocked"):
        if getattr(filters, flag) is not None:
            countries = countries.filter(**{flag: getattr(filters, flag)})
    return countries.order_by_name()


def _centres_with_host():
    return RegionalCentre.objects.select_related("host_country", "coordinating_centre").order_by("acronym")


def country_get_for(actor, iso3):
    """One country with its group and the centres serving it; 404 when unknown."""
    if not re.fullmatch(r"[A-Za-z]{3}", iso3):
        raise Http404
    queryset = country_policy.visible_to(actor).select_related("regional_group").prefetch_related(
        Prefetch("centres", queryset=_centres_with_host())
    )
    return country_policy.get_for(actor, queryset, iso3=iso3.upper())


def centre_list_for(actor, *, status=""):
    centres = (
        centre_policy.visible_to(actor)
        .select_related("host_country", "coordinating_centre")
        .annotate(served_count=Count("countries_served", distinct=True))
        .order_by("status", "acronym")
    )
    if status:
        centres = centres.filter(status=status)
    return centres


def centre_get_for(actor, slug):
    if not re.fullmatch(r"[a-z0-9-]+", slug):
        raise Http404
    queryset = (
        centre_policy.visible_to(actor)
        .select_related("host_country__regional_group", "coordinating_centre")
        .annotate(served_count=Count("countries_served", distinct=True))
        .prefetch_related(
            Prefetch("countries_served", queryset=Country.objects.select_related("regional_group").order_by_name()),
            Prefetch("coordinated_centres", queryset=_centres_with_host()),
        )
    )
    return centre_policy.get_for(actor, queryset, slug=slug)


def centre_country_grid(centre):
    """Countries of the M49 regions a centre works in, grouped by sub-region, served ones marked.

    Gives the centre page its map-like grid: ``[(region, [(subregion, [(country, served)])])]``.
    """
    served = {country.pk for country in centre.countries_served.all()}
    regions = {country.m49_region for country in centre.countries_served.all()} or {centre.host_country.m49_region}
    countries = Country.objects.filter(m49_region__in=regions).order_by("m49_region", "m49_subregion", "name_en")
    grid = {}
    for country in countries:
        grid.setdefault(country.m49_region, {}).setdefault(country.m49_subregion, []).append((country, country.pk in served))
    return [(region, list(subregions.items())) for region, subregions in grid.items()]


def regional_group_list_for(actor):
    return regional_group_policy.visible_to(actor).annotate(country_count=Count("countries")).order_by("order")


def convention_list_for(actor):
    return convention_policy.visible_to(actor).order_by("order")


def theme_list_for(actor):
    return theme_policy.visible_to(actor).select_related("parent").order_by("order", "code")


def kind_of_help_list_for(actor):
    return kind_of_help_policy.visible_to(actor).select_related("parent").order_by("order", "code")


def code_and_children(model, code):
    """The ids of the theme or kind of help ``code`` and of its refinements (a subquery)."""
    return model.objects.filter(Q(code=code) | Q(parent__code=code)).values("pk")


def tree(items):
    """``[(top, [children])]`` from a flat, ordered list of two-level items."""
    children = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    return [(item, children.get(item.pk, [])) for item in items if item.parent_id is None]


def reference_counts():
    """Figures for the home page, in one query per table."""
    return {
        "parties": Country.objects.parties().count(),
        "countries": Country.objects.count(),
        "centres_active": RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE).count(),
        "themes": Theme.objects.count(),
        "kinds_of_help": KindOfHelp.objects.filter(parent__isnull=True).count(),
        "regional_groups": RegionalGroup.objects.count(),
    }
