"""Read endpoints for reference data: countries, regional groups, centres, themes, kinds of help."""

from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from tahub.api.auth import AUTH_OPTIONAL
from tahub.api.types import SearchText
from tahub.core.i18n import is_fallback
from tahub.reference.models import Country, RegionalCentre
from tahub.reference.selectors import (
    CountryFilters,
    centre_get_for,
    centre_list_for,
    convention_list_for,
    country_get_for,
    country_list_for,
    kind_of_help_list_for,
    regional_group_list_for,
    theme_list_for,
)

router = Router(tags=["reference"], auth=AUTH_OPTIONAL)


class Names(Schema):
    en: str
    fr: str
    es: str
    ru: str
    ar: str
    zh: str


def _names(obj, base):
    return {suffix: getattr(obj, f"{base}_{suffix}") for suffix in ("en", "fr", "es", "ru", "ar", "zh")}


class RegionalGroupOut(Schema):
    code: str
    name: str
    names: Names
    country_count: int

    @staticmethod
    def resolve_names(obj):
        return _names(obj, "name")


class ConventionOut(Schema):
    code: str
    name: str
    names: Names

    @staticmethod
    def resolve_names(obj):
        return _names(obj, "name")


class CountryOut(Schema):
    iso3: str
    iso2: str
    name: str = Field(description="Name in the language of the request (Accept-Language or ?lang=)")
    names: Names
    kind: str
    regional_group: str | None = Field(None, description="UN regional group code")
    m49_region: str
    m49_subregion: str
    basel_party: str
    classification: str
    classification_source: str
    ldc: bool
    sids: bool
    landlocked: bool

    @staticmethod
    def resolve_names(obj):
        return _names(obj, "name")

    @staticmethod
    def resolve_regional_group(obj):
        return obj.regional_group.code if obj.regional_group else None


class CentreRef(Schema):
    acronym: str
    slug: str
    name: str


class CountryDetailOut(CountryOut):
    centres: list[CentreRef]

    @staticmethod
    def resolve_centres(obj):
        return list(obj.centres.all())


class CentreOut(Schema):
    acronym: str
    slug: str
    name: str
    host_country: str
    city: str
    status: str
    closed_on: str | None
    is_coordinating_centre: bool
    coordinating_centre: str | None
    also_stockholm_centre: bool | None
    countries_served_count: int

    @staticmethod
    def resolve_host_country(obj):
        return obj.host_country.iso3

    @staticmethod
    def resolve_closed_on(obj):
        return obj.closed_on.isoformat() if obj.closed_on else None

    @staticmethod
    def resolve_coordinating_centre(obj):
        return obj.coordinating_centre.acronym if obj.coordinating_centre else None

    @staticmethod
    def resolve_countries_served_count(obj):
        return obj.served_count


class CentreDetailOut(CentreOut):
    countries_served: list[str]
    countries_served_note: str

    @staticmethod
    def resolve_countries_served(obj):
        return [country.iso3 for country in obj.countries_served.all()]


class LabelledOut(Schema):
    code: str
    parent: str | None
    label: str
    labels: Names
    label_is_fallback: bool

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent else None

    @staticmethod
    def resolve_labels(obj):
        return _names(obj, "label")

    @staticmethod
    def resolve_label_is_fallback(obj):
        return is_fallback(obj, "label")


class ThemeOut(LabelledOut):
    article_16_area: bool


class CountryQuery(Schema):
    q: SearchText = Field("", description="Part of a name in any of the six languages, or an ISO code")
    regional_group: SearchText = Field("", description="UN regional group code, e.g. AFRICA")
    classification: Country.Classification | None = None
    basel_party: Country.PartyStatus | None = None
    centre: SearchText = Field("", description="Slug of a regional centre serving the country")
    ldc: bool | None = None
    sids: bool | None = None
    landlocked: bool | None = None


@router.get("/countries", response=list[CountryOut], summary="List countries and Parties")
@paginate(PageNumberPagination)
def list_countries(request, query: Query[CountryQuery]):
    filters = CountryFilters(
        q=query.q,
        regional_group=query.regional_group,
        classification=query.classification or "",
        basel_party=query.basel_party or "",
        centre=query.centre,
        ldc=query.ldc,
        sids=query.sids,
        landlocked=query.landlocked,
    )
    return country_list_for(request.user, filters)


@router.get("/countries/{iso3}", response=CountryDetailOut, summary="One country with the centres serving it")
def get_country(request, iso3: str):
    return country_get_for(request.user, iso3)


@router.get("/regional-groups", response=list[RegionalGroupOut], summary="The five UN regional groups")
@paginate(PageNumberPagination)
def list_regional_groups(request):
    return regional_group_list_for(request.user)


@router.get("/conventions", response=list[ConventionOut], summary="Basel, Rotterdam and Stockholm conventions")
@paginate(PageNumberPagination)
def list_conventions(request):
    return convention_list_for(request.user)


@router.get("/centres", response=list[CentreOut], summary="Regional and coordinating centres")
@paginate(PageNumberPagination)
def list_centres(request, status: Literal[tuple(RegionalCentre.Status.values)] | None = None):  # type: ignore[valid-type]
    # An inline list of values: the enum's class name (Status) would clash with other models' in the schema.
    return centre_list_for(request.user, status=status or "")


@router.get("/centres/{slug}", response=CentreDetailOut, summary="One centre with the countries it serves")
def get_centre(request, slug: str):
    return centre_get_for(request.user, slug)


@router.get("/themes", response=list[ThemeOut], summary="Technical assistance themes (two-level tree)")
@paginate(PageNumberPagination)
def list_themes(request):
    return theme_list_for(request.user)


@router.get("/kinds-of-help", response=list[LabelledOut], summary="Kinds of help of Article 16(1)(g), refined")
@paginate(PageNumberPagination)
def list_kinds_of_help(request):
    return kind_of_help_list_for(request.user)
