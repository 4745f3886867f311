"""Offers and providers over JSON: the public catalogue to read, and providers' own offers to write.

Reads call the catalogue's selectors and writes the services the pages call; who may see or
change what is decided by ``offer_policy``, never here. Writes name reference data by code
(kinds, themes, conventions, regional groups, languages) and countries by ISO3; an unknown code
is refused with a 422 naming the field, before anything is written.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tahub.accounts.models import Organisation
from tahub.api.auth import AUTH_OPTIONAL, AUTH_REQUIRED
from tahub.api.lookups import rows_by_code, unknown_codes_message
from tahub.api.types import SearchText
from tahub.offers.models import LANGUAGES, Offer
from tahub.offers.permissions import offer_policy, provider_ids
from tahub.offers.selectors import (
    SORTS,
    CatalogueFilters,
    offer_get_for,
    offer_rows_for,
    offers_of_provider_for,
    provider_get_for,
    providers_with_offers_for,
)
from tahub.offers.services import (
    OfferData,
    offer_close,
    offer_create,
    offer_publish,
    offer_update,
    offer_withdraw,
)
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme

router = Router(tags=["offers"])

LanguageCode = Literal[tuple(code for code, _label in LANGUAGES)]


# --- output ----------------------------------------------------------------------------------


class ProviderRef(Schema):
    id: int
    name: str
    acronym: str
    type: str


class LinkOut(Schema):
    title: str
    url: str


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


def _listed(offer, attr, related):
    """A prefetched list: ``attr`` as the catalogue prefetches it, else the related manager's rows."""
    items = getattr(offer, attr, None)
    return items if items is not None else list(getattr(offer, related).all())


class OfferSummaryOut(Schema):
    """An offer in a provider's list: what every offer read prefetches."""

    id: int
    url: str = Field(description="The offer's page")
    title: str
    kinds: list[str] = Field(description="Codes of the kinds of help (see /kinds-of-help)")
    themes: list[str] = Field(description="Theme codes (see /themes)")
    languages: list[str]
    modality: str
    starts_on: date | None
    ends_on: date | None = Field(description="Empty for a standing offer")
    is_open: bool
    visibility: str
    status: str
    published_at: datetime | None

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_kinds(obj):
        return [kind.code for kind in _listed(obj, "kind_list", "kinds")]

    @staticmethod
    def resolve_themes(obj):
        return [theme.code for theme in _listed(obj, "theme_list", "themes")]

    @staticmethod
    def resolve_languages(obj):
        return [language.code for language in _listed(obj, "language_list", "languages")]


class OfferOut(OfferSummaryOut):
    description: str = Field(description="Markdown, without HTML")
    provider: ProviderRef
    conventions: list[str]
    eligible_developing: bool
    eligible_transition: bool
    eligible_ldc: bool
    eligible_sids: bool
    eligible_groups: list[str] = Field(description="UN regional group codes")
    eligible_countries: list[str] = Field(description="ISO3 codes")
    places: int | None
    expert_days: int | None
    countries_capacity: int | None
    amount: Decimal | None
    currency: str
    in_kind_days: int | None

    @staticmethod
    def resolve_conventions(obj):
        return [convention.code for convention in _listed(obj, "convention_list", "conventions")]

    @staticmethod
    def resolve_eligible_groups(obj):
        return [group.code for group in _listed(obj, "eligible_group_list", "eligible_groups")]

    @staticmethod
    def resolve_eligible_countries(obj):
        return sorted(country.iso3 for country in _listed(obj, "eligible_country_list", "eligible_countries"))


class OfferDetailOut(OfferOut):
    how_to_apply: str
    contact_name: str
    contact_email: str
    links: list[LinkOut]
    attachments: list[AttachmentOut]
    withdrawn_reason: str
    closed_at: datetime | None
    updated_at: datetime
    lock_version: int = Field(description="Send it back when changing the offer; a stale one is refused (409)")
    can_change: bool = Field(description="Whether the caller may change, publish, close or withdraw it")
    received_as: str = Field(description="For those who manage the offer: the letter or e-mail it came in")

    @staticmethod
    def resolve_links(obj):
        return list(obj.links.all())

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())

    @staticmethod
    def resolve_received_as(obj):
        return obj.received_as if obj.can_change else ""


def _detail(request, offer_id):
    """The offer as the caller may now see it, and whether they manage it."""
    offer = offer_get_for(request.user, offer_id)
    offer.can_change = offer_policy.can(request.user, "change", offer)
    return offer


class ProviderOut(ProviderRef):
    country: str | None = Field(description="ISO3 of the provider's country, if any")
    website: str
    offer_count: int = Field(description="Published offers the caller may see")

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3 if obj.country else None


class ProviderDetailOut(ProviderRef):
    country: str | None
    website: str
    current: list[OfferSummaryOut] = Field(description="Published offers")
    earlier: list[OfferSummaryOut] = Field(
        description="Closed offers (and, for the provider's own people, every other)"
    )

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3 if obj.country else None


# --- reads -----------------------------------------------------------------------------------


class OfferQuery(Schema):
    q: SearchText = Field("", description="Words in the title or description (all must match)")
    kind: SearchText = Field("", description="Code of a kind of help; a top-level kind includes its refinements")
    theme: SearchText = Field("", description="Theme code; a top-level theme includes its sub-themes")
    country: SearchText = Field("", description="ISO3 of a country eligible for the offer")
    regional_group: SearchText = Field("", description="UN regional group code, e.g. AFRICA")
    language: LanguageCode | None = None
    modality: Offer.Modality | None = None
    provider_type: Organisation.Type | None = None
    convention: SearchText = Field("", description="Convention code, e.g. basel")
    open_now: bool = Field(False, description="Only offers running today")
    include_closed: bool = Field(False, description="Closed offers too")
    sort: Literal[SORTS] | None = Field(None, description="Default: relevance with search words, else newest")


@router.get("/offers", response=list[OfferOut], auth=AUTH_OPTIONAL, summary="Offers of help the caller may see")
@paginate(PageNumberPagination)
def list_offers(request, query: Query[OfferQuery]):
    filters = CatalogueFilters(
        q=query.q,
        kind=query.kind,
        theme=query.theme,
        country=query.country,
        regional_group=query.regional_group,
        language=query.language or "",
        modality=query.modality or "",
        provider_type=query.provider_type or "",
        convention=query.convention,
        open_now=query.open_now,
        include_closed=query.include_closed,
        sort=query.sort or "",
    )
    return offer_rows_for(request.user, filters)


@router.get("/offers/{offer_id}", response=OfferDetailOut, auth=AUTH_OPTIONAL, summary="One offer")
def get_offer(request, offer_id: int):
    return _detail(request, offer_id)


@router.get(
    "/providers", response=list[ProviderOut], auth=AUTH_OPTIONAL,
    summary="Providers with published offers the caller may see",
)
@paginate(PageNumberPagination)
def list_providers(request):
    return providers_with_offers_for(request.user)


@router.get(
    "/providers/{provider_id}", response=ProviderDetailOut, auth=AUTH_OPTIONAL,
    summary="One provider with what it offers now and has offered before",
)
def get_provider(request, provider_id: int):
    provider = provider_get_for(request.user, provider_id)
    provider.current, provider.earlier = offers_of_provider_for(request.user, provider)
    return provider


# --- writes ----------------------------------------------------------------------------------


class LinkIn(Schema):
    title: str = Field(max_length=200)
    url: str = Field(max_length=200)


class OfferIn(Schema):
    """What an offer says; other fields (status, provider on a change, history) are ignored."""

    title: str = Field(max_length=200)
    description: str = Field(description="Markdown; HTML is removed")
    modality: str = Field(description="in_person, online, hybrid or self_paced")
    kinds: list[str] = Field(description="Codes of kinds of help")
    themes: list[str] = Field(description="Theme codes")
    conventions: list[str] = Field(default_factory=list, description="Convention codes")
    languages: list[str] = Field(description="Language codes: ar, zh, en, fr, ru, es, pt")
    eligible_developing: bool = False
    eligible_transition: bool = False
    eligible_ldc: bool = False
    eligible_sids: bool = False
    eligible_groups: list[str] = Field(default_factory=list, description="UN regional group codes")
    eligible_countries: list[str] = Field(default_factory=list, description="ISO3 codes")
    starts_on: date | None = None
    ends_on: date | None = Field(None, description="Empty for a standing offer")
    places: int | None = Field(None, ge=0)
    expert_days: int | None = Field(None, ge=0)
    countries_capacity: int | None = Field(None, ge=0)
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)
    currency: str = Field("", max_length=3, description="ISO 4217, required with an amount")
    in_kind_days: int | None = Field(None, ge=0)
    how_to_apply: str = ""
    contact_name: str = Field("", max_length=200)
    contact_email: str = Field("", max_length=254)
    visibility: str = Field(Offer.Visibility.PUBLIC, description="public, parties or secretariat")
    links: list[LinkIn] = Field(default_factory=list)


class OfferCreateIn(OfferIn):
    provider: int | None = Field(
        None, description="Id of the provider organisation; may be left out by someone who manages only one"
    )
    received_as: str = Field(
        "", max_length=200, description="Secretariat recording for a provider: the letter or e-mail it came in"
    )


class OfferUpdateIn(OfferIn):
    lock_version: int


class WithdrawIn(Schema):
    reason: str = Field(max_length=2000)


def offer_data_from(payload):
    """``OfferData`` of an API body; every unknown code is reported at once (422), nothing is guessed.

    What the offer says is then checked by the service, as for the form.
    """
    errors = {}
    languages = {code for code, _label in LANGUAGES}
    unknown_languages = [code for code in dict.fromkeys(payload.languages) if code not in languages]
    if unknown_languages:
        errors["languages"] = unknown_codes_message(unknown_languages)
    if payload.contact_email:
        try:
            validate_email(payload.contact_email)
        except ValidationError:
            errors["contact_email"] = _("Enter a valid e-mail address.")
    values = payload.model_dump(include=set(OfferIn.model_fields) - {"links"})
    values.update(
        kinds=rows_by_code(KindOfHelp, "code", payload.kinds, "kinds", errors),
        themes=rows_by_code(Theme, "code", payload.themes, "themes", errors),
        conventions=rows_by_code(Convention, "code", payload.conventions, "conventions", errors),
        eligible_groups=rows_by_code(RegionalGroup, "code", payload.eligible_groups, "eligible_groups", errors),
        eligible_countries=rows_by_code(
            Country, "iso3", [code.upper() for code in payload.eligible_countries], "eligible_countries", errors
        ),
        links=[(link.title, link.url) for link in payload.links],
    )
    if errors:
        raise ValidationError(errors)
    return OfferData(**values)


def _provider(request, provider_id):
    """The organisation the caller creates for: the one named, or the only one they manage."""
    if provider_id is not None:
        provider = Organisation.objects.filter(pk=provider_id).first()
        if provider is None:
            raise ValidationError({"provider": _("No organisation has the id %(id)s.") % {"id": provider_id}})
        return provider
    # Only the organisations the caller holds the provider role for: the Secretariat always names one.
    providers = list(Organisation.objects.filter(pk__in=provider_ids(request.user), is_active=True)[:2])
    if len(providers) != 1:
        raise ValidationError({"provider": _("Say which provider organisation the offer is from (its id).")})
    return providers[0]


@router.post(
    "/offers", response={201: OfferDetailOut}, auth=AUTH_REQUIRED,
    summary="Create a draft offer of the caller's organisation, or record one for a provider (Secretariat)",
)
def create_offer(request, payload: OfferCreateIn):
    offer_policy.require(request.user, "create")
    provider = _provider(request, payload.provider)
    offer = offer_create(
        actor=request.user, provider=provider, data=offer_data_from(payload), received_as=payload.received_as
    )
    return Status(201, _detail(request, offer.pk))


@router.put(
    "/offers/{offer_id}", response=OfferDetailOut, auth=AUTH_REQUIRED,
    summary="Change an offer (everything it says); refused with 409 when lock_version is stale",
)
def update_offer(request, offer_id: int, payload: OfferUpdateIn):
    offer = offer_get_for(request.user, offer_id)
    offer_policy.require(request.user, "change", offer)
    offer_update(actor=request.user, offer=offer, data=offer_data_from(payload), lock_version=payload.lock_version)
    return _detail(request, offer_id)


@router.post("/offers/{offer_id}/publish", response=OfferDetailOut, auth=AUTH_REQUIRED, summary="Publish a draft or closed offer")
def publish_offer(request, offer_id: int):
    offer_publish(actor=request.user, offer=offer_get_for(request.user, offer_id))
    return _detail(request, offer_id)


@router.post("/offers/{offer_id}/close", response=OfferDetailOut, auth=AUTH_REQUIRED, summary="Close a published offer")
def close_offer(request, offer_id: int):
    offer_close(actor=request.user, offer=offer_get_for(request.user, offer_id))
    return _detail(request, offer_id)


@router.post(
    "/offers/{offer_id}/withdraw", response=OfferDetailOut, auth=AUTH_REQUIRED,
    summary="Withdraw an offer, saying why",
)
def withdraw_offer(request, offer_id: int, payload: WithdrawIn):
    offer_withdraw(actor=request.user, offer=offer_get_for(request.user, offer_id), reason=payload.reason)
    return _detail(request, offer_id)
