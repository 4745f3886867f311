"""Reads of offers for the catalogue, offer and provider pages, country profiles, downloads and the API.

Every read starts from ``offer_policy.visible_to``: no page, download or API call can show an
offer its reader may not see. Filters are subqueries over indexed link tables, so a page
costs the same few queries whatever the number of offers.
"""

from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When

from tahub.accounts.actors import memberships_of
from tahub.accounts.models import Organisation
from tahub.accounts.roles import Role
from tahub.offers.models import Offer, OfferLanguage
from tahub.offers.permissions import offer_policy
from tahub.offers.search import search
from tahub.reference.models import Country, KindOfHelp, Theme

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


def _code_and_children(model, code):
    return model.objects.filter(Q(code=code) | Q(parent__code=code)).values("pk")


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
        through = Offer.kinds.through.objects.filter(kindofhelp__in=_code_and_children(KindOfHelp, f.kind))
        offers = offers.filter(pk__in=through.values("offer_id"))
    if f.theme:
        through = Offer.themes.through.objects.filter(theme__in=_code_and_children(Theme, f.theme))
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
    if party is not None:
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
    offers = _with_details(offer_policy.visible_to(actor)).select_related("recorded_by").prefetch_related(
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
