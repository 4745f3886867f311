"""Reads of offers for the catalogue, offer and provider pages, country profiles, downloads and the API.

Every read starts from ``offer_policy.visible_to``: no page, download or API call can show an
offer its reader may not see. Filters are subqueries over indexed link tables, so a page
costs the same few queries whatever the number of offers.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from tahub.accounts.actors import memberships_of
from tahub.accounts.models import Organisation
from tahub.accounts.roles import Role
from tahub.offers.models import Offer, OfferLanguage
from tahub.offers.permissions import audiences_for, offer_policy, provider_ids
from tahub.offers.search import search
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme
from tahub.reference.selectors import code_and_children

SORTS = ("relevance", "newest", "ending", "title")


@dataclass
class CatalogueFilters:
    q: str = ""
    kind: str = ""
    theme: str = ""
    country: str = ""  # ISO3 of an eligible country
    regional_group: str = ""
    language: str = ""
    modality: str = ""
    provider_type: str = ""
    convention: str = ""
    open_now: bool = False
    include_closed: bool = False
    sort: str = ""


def eligible_for(country):
    """The condition an offer meets when ``country`` is eligible for it."""
    through_countries = Offer.eligible_countries.through.objects.filter(country_id=country.pk).values("offer_id")
    condition = Q(pk__in=through_countries)
    if country.regional_group_id:
        groups = Offer.eligible_groups.through.objects.filter(regionalgroup_id=country.regional_group_id)
        condition |= Q(pk__in=groups.values("offer_id"))
    if country.classification == Country.Classification.DEVELOPING:
        condition |= Q(eligible_developing=True)
    if country.classification == Country.Classification.TRANSITION:
        condition |= Q(eligible_transition=True)
    if country.ldc:
        condition |= Q(eligible_ldc=True)
    if country.sids:
        condition |= Q(eligible_sids=True)
    return condition


def own_party(actor):
    """The Party of a focal point or contributor (the first, if several), whose eligible offers come first."""
    return next(
        (m.country for m in memberships_of(actor) if m.role in (Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)), None
    )


def _with_details(offers):
    return offers.select_related("provider").prefetch_related(
        Prefetch("kinds", queryset=KindOfHelp.objects.select_related("parent"), to_attr="kind_list"),
        Prefetch("themes", queryset=Theme.objects.all(), to_attr="theme_list"),
        Prefetch("languages", queryset=OfferLanguage.objects.all(), to_attr="language_list"),
    )


def offer_catalogue_for(actor, filters=None):
    """Listed offers ``actor`` may see, filtered and sorted; a Party user's eligible offers first."""
    f = filters or CatalogueFilters()
    statuses = [Offer.Status.PUBLISHED, Offer.Status.CLOSED] if f.include_closed else [Offer.Status.PUBLISHED]
    offers = offer_policy.visible_to(actor).filter(status__in=statuses)
    if f.kind:
        through = Offer.kinds.through.objects.filter(kindofhelp__in=code_and_children(KindOfHelp, f.kind))
        offers = offers.filter(pk__in=through.values("offer_id"))
    if f.theme:
        through = Offer.themes.through.objects.filter(theme__in=code_and_children(Theme, f.theme))
        offers = offers.filter(pk__in=through.values("offer_id"))
    if f.country:
        country = Country.objects.filter(iso3=f.country.upper()).first()
        offers = offers.filter(eligible_for(country)) if country else offers.none()
    if f.regional_group:
        groups = Offer.eligible_groups.through.objects.filter(regionalgroup__code=f.regional_group)
        countries = Offer.eligible_countries.through.objects.filter(country__regional_group__code=f.regional_group)
        offers = offers.filter(Q(pk__in=groups.values("offer_id")) | Q(pk__in=countries.values("offer_id")))
    if f.language:
        offers = offers.filter(pk__in=OfferLanguage.objects.filter(code=f.language).values("offer_id"))
    if f.modality:
        offers = offers.filter(modality=f.modality)
    if f.provider_type:
        offers = offers.filter(provider__type=f.provider_type)
    if f.convention:
        through = Offer.conventions.through.objects.filter(convention__code=f.convention)
        offers = offers.filter(pk__in=through.values("offer_id"))
    if f.open_now:
        offers = offers.open_now()
    offers = search(offers, f.q)
    order = []
    party = own_party(actor)
    # Filtered by the reader's own Party, every offer listed is one it is eligible for.
    if party is not None and f.country.upper() != party.iso3:
        offers = offers.annotate(
            eligible_first=Case(When(eligible_for(party), then=Value(1)), default=Value(0), output_field=IntegerField())
        )
        order.append("-eligible_first")
    sort = f.sort if f.sort in SORTS else ("relevance" if f.q else "newest")
    order += {
        "relevance": ["-rank", "-published_at", "-pk"],
        "newest": ["-published_at", "-pk"],
        "ending": [F("ends_on").asc(nulls_last=True), "-pk"],
        "title": ["title", "pk"],
    }[sort]
    return _with_details(offers).order_by(*order)


def offer_get_for(actor, pk):
    offers = _with_details(offer_policy.visible_to(actor)).select_related("recorded_by", "survey_cycle").prefetch_related(
        "conventions", "eligible_groups", "eligible_countries", "links", "attachments"
    )
    return offer_policy.get_for(actor, offers, pk=pk)


def offers_of_provider_for(actor, provider):
    """``(current, earlier)``: the provider's open offers, and those closed (or, for its own people, every other)."""
    offers = _with_details(offer_policy.visible_to(actor).filter(provider=provider)).order_by("-published_at", "-pk")
    current = [offer for offer in offers if offer.status == Offer.Status.PUBLISHED]
    earlier = [offer for offer in offers if offer.status != Offer.Status.PUBLISHED]
    return current, earlier


def offers_for_country(actor, country, *, limit=10):
    """Open offers ``country`` is eligible for, as ``actor`` may see them: the first few and the total."""
    offers = offer_policy.visible_to(actor).open_now().filter(eligible_for(country))
    return list(_with_details(offers).order_by("-published_at", "-pk")[:limit]), offers.count()


def providers_with_offers():
    return Organisation.objects.filter(offers__status=Offer.Status.PUBLISHED).distinct().order_by("name")


# Catalogue pages and downloads.

def offer_rows_for(actor, filters=None):
    """The catalogue as ``offer_catalogue_for`` gives it, with what a result row shows (eligibility too)."""
    return offer_catalogue_for(actor, filters).prefetch_related(
        Prefetch("eligible_groups", queryset=RegionalGroup.objects.all(), to_attr="eligible_group_list"),
        Prefetch("eligible_countries", queryset=Country.objects.all(), to_attr="eligible_country_list"),
        Prefetch("conventions", queryset=Convention.objects.all(), to_attr="convention_list"),
    )


EXPORT_FIELDS = (
    "pk", "title", "description", "provider__name", "provider__type", "modality", "starts_on", "ends_on",
    "places", "expert_days", "countries_capacity", "amount", "currency", "in_kind_days", "how_to_apply",
    "contact_name", "contact_email", "visibility", "status", "published_at",
    "eligible_developing", "eligible_transition", "eligible_ldc", "eligible_sids",
)
# Each list an export row carries: (link table, the value it gives, the order of the values).
EXPORT_LINKS = {
    "kinds": (Offer.kinds.through, "kindofhelp_id", ("kindofhelp__order", "kindofhelp__code")),
    "themes": (Offer.themes.through, "theme_id", ("theme__order", "theme__code")),
    "conventions": (Offer.conventions.through, "convention_id", ("convention__order",)),
    "eligible_groups": (Offer.eligible_groups.through, "regionalgroup_id", ("regionalgroup__order",)),
    "eligible_countries": (Offer.eligible_countries.through, "country_id", ("country__name_en",)),
    "languages": (OfferLanguage, "code", ("code",)),
}


def offer_export_rows_for(actor, filters=None, *, chunk_size=2000):
    """Every offer of the catalogue as ``offer_catalogue_for`` gives it (same filters, order and
    visibility), as plain dicts of ``EXPORT_FIELDS`` plus the lists of ``EXPORT_LINKS``, streamed.

    A download of 20,000 offers cannot afford model instances (building them took most of the
    time), nor a list of 20,000 ids as query parameters: the links are read with the selection as
    a subquery, one query per link table, and the offers are streamed as values in chunks.
    """
    offers = offer_catalogue_for(actor, filters).prefetch_related(None)
    selected = offers.order_by().values("pk")
    links = {}
    for name, (model, value, ordering) in EXPORT_LINKS.items():
        pairs = model.objects.filter(offer_id__in=selected).order_by("offer_id", *ordering).values_list("offer_id", value)
        by_offer = links[name] = {}
        for offer_id, item in pairs:
            by_offer.setdefault(offer_id, []).append(item)
    for row in offers.values(*EXPORT_FIELDS).iterator(chunk_size=chunk_size):
        for name, by_offer in links.items():
            row[name] = by_offer.get(row["pk"], [])
        yield row


COUNTS_CACHE_SECONDS = 600


def open_offer_counts_for(actor, kind=""):
    """Open offers ``actor`` may see, per top-level kind of help and, within the top-level ``kind``
    (a code), per top-level theme: ``{"kinds": {kind_code: n}, "themes": {theme_code: n}}``.

    The counts are the same for everyone who sees the same audiences and manages the same
    providers, and change only when an offer does: they are cached under a key made of those,
    the day, and the state of the offers table (its latest change, read through an index), so any change to any offer gives new counts at once, in every process. (Offers are
    never deleted: they are withdrawn, which is a change.)
    """
    return _cached(_readers_key(actor, "open-counts", kind), lambda: _open_offer_counts(actor, kind))


def catalogue_count_for(actor, filters):
    """How many offers ``offer_catalogue_for(actor, filters)`` holds, cached as the counts are."""
    return _cached(
        _readers_key(actor, "catalogue-count", repr(filters)), lambda: offer_catalogue_for(actor, filters).count()
    )


def _readers_key(actor, name, detail):
    """A cache key for what every reader with ``actor``'s audiences and providers sees today, given
    the state of the offers table (the latest change and its offer, read through an index)."""
    latest = Offer.objects.order_by("-updated_at", "-pk").values_list("updated_at", "pk").first()
    parts = (
        timezone.localdate(), latest and latest[0].timestamp(), latest and latest[1],
        ",".join(sorted(audiences_for(actor))), ",".join(map(str, sorted(provider_ids(actor)))), detail,
    )
    return f"offers:{name}:" + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


def _cached(key, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNTS_CACHE_SECONDS)
    return value


def _open_offer_counts(actor, kind):
    """One grouped query (the two groupings as a union). A refinement counts towards its parent, and
    an offer counts once per group however many of its kinds or themes fall in it."""
    offers = offer_policy.visible_to(actor).open_now().order_by()
    grouped = offers.values(kind=Coalesce("kinds__parent__code", "kinds__code"), theme=Value("", output_field=CharField()))
    grouped = grouped.annotate(n=Count("pk", distinct=True))
    if kind:
        of_kind = Offer.kinds.through.objects.filter(kindofhelp__in=code_and_children(KindOfHelp, kind))
        per_theme = offers.filter(pk__in=of_kind.values("offer_id")).values(
            kind=Value(kind, output_field=CharField()), theme=Coalesce("themes__parent__code", "themes__code")
        )
        grouped = grouped.union(per_theme.annotate(n=Count("pk", distinct=True)), all=True)
    counts = {"kinds": {}, "themes": {}}
    for row in grouped:
        if row["theme"] == "" and row["kind"] is not None:
            counts["kinds"][row["kind"]] = row["n"]
        elif row["theme"]:
            counts["themes"][row["theme"]] = row["n"]
    return counts


def provider_get_for(actor, pk):
    """A provider with at least one offer ``actor`` may see; 404 otherwise (as if it did not exist)."""
    providers = Organisation.objects.select_related("country").filter(
        pk__in=offer_policy.visible_to(actor).values("provider_id")
    )
    try:
        return providers.get(pk=pk)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


def providers_with_offers_for(actor):
    """Providers with published offers ``actor`` may see, by name, each with its ``offer_count`` of them."""
    published = offer_policy.visible_to(actor).filter(status=Offer.Status.PUBLISHED).order_by()
    counts = dict(published.values_list("provider").annotate(n=Count("pk")))
    providers = list(Organisation.objects.select_related("country").filter(pk__in=counts).order_by("name"))
    for provider in providers:
        provider.offer_count = counts[provider.pk]
    return providers
