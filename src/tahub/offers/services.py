"""Every write to offers: create (by a provider, or recorded by the Secretariat on its behalf),
update, publish, close, withdraw, attach files, and close what has expired.

Each service validates the whole offer and refuses it whole: nothing is half-saved.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.assessments.services import survey
from tahub.core import uploads
from tahub.core.audit import audited, one_history_entry
from tahub.offers.models import LANGUAGES, Offer, OfferAttachment, OfferLanguage, OfferLink
from tahub.offers.permissions import offer_policy, provider_ids
from tahub.offers.search import index_offers

CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_ATTACHMENT_BYTES = uploads.MAX_ATTACHMENT_BYTES


class StaleOffer(Exception):
    """The offer changed since the form was loaded; nothing was saved."""


@dataclass
class OfferData:
    """Everything an offer says, as a form or the API hands it over."""

    title: str
    description: str
    modality: str
    kinds: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    conventions: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    eligible_developing: bool = False
    eligible_transition: bool = False
    eligible_ldc: bool = False
    eligible_sids: bool = False
    eligible_groups: list = field(default_factory=list)
    eligible_countries: list = field(default_factory=list)
    starts_on: date | None = None
    ends_on: date | None = None
    places: int | None = None
    expert_days: int | None = None
    countries_capacity: int | None = None
    amount: Decimal | None = None
    currency: str = ""
    in_kind_days: int | None = None
    how_to_apply: str = ""
    contact_name: str = ""
    contact_email: str = ""
    visibility: str = Offer.Visibility.PUBLIC
    links: list = field(default_factory=list)  # [(title, url)]


SCALAR_FIELDS = (
    "title", "description", "modality", "eligible_developing", "eligible_transition", "eligible_ldc",
    "eligible_sids", "starts_on", "ends_on", "places", "expert_days", "countries_capacity", "amount", "currency",
    "in_kind_days", "how_to_apply", "contact_name", "contact_email", "visibility",
)


def strip_html(text):
    """Markdown source without any HTML: tags go, the text between them stays (scripts go whole)."""
    return html.unescape(nh3.clean(text or "", tags=set())).strip()


def _clean(data):
    """Check ``data`` as a whole; raise one ValidationError naming every problem by field."""
    data.title = strip_html(data.title)[:200]
    data.description = strip_html(data.description)
    data.how_to_apply = strip_html(data.how_to_apply)
    data.currency = (data.currency or "").strip().upper()
    errors = {}
    if not data.title:
        errors["title"] = _("Give the offer a title.")
    if not data.description:
        errors["description"] = _("Describe the offer.")
    if data.modality not in Offer.Modality.values:
        errors["modality"] = _("Choose how the help is delivered.")
    if data.visibility not in Offer.Visibility.values:
        errors["visibility"] = _("Choose who may see the offer.")
    if not data.kinds:
        errors["kinds"] = _("Choose at least one kind of help.")
    if not data.themes:
        errors["themes"] = _("Choose at least one theme.")
    codes = {code for code, _label in LANGUAGES}
    if not data.languages or not set(data.languages) <= codes:
        errors["languages"] = _("Choose the languages the help is given in.")
    if not (
        data.eligible_developing or data.eligible_transition or data.eligible_ldc or data.eligible_sids
        or data.eligible_groups or data.eligible_countries
    ):
        errors["eligible_countries"] = _(
            "Say who is eligible: all developing or transition Parties, LDCs, SIDS, regional groups or countries."
        )
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The end comes before the start.")
    if data.amount is not None and data.amount < 0:
        errors["amount"] = _("The value cannot be negative.")
    if data.amount is not None and not CURRENCY.match(data.currency):
        errors["currency"] = _("Give the currency of the value as a three-letter ISO 4217 code, e.g. USD or EUR.")
    if data.amount is None and data.currency:
        errors["amount"] = _("Give the value in %(currency)s, or leave the currency empty.") % {"currency": data.currency}
    for title, url in data.links:
        if not title.strip() or not re.match(r"^https?://", url or ""):
            errors["links"] = _("Each link needs a title and an address starting with http:// or https://.")
    if errors:
        raise ValidationError(errors)
    return data


def _write(offer, data, actor):
    created = offer.pk is None
    for name in SCALAR_FIELDS:
        setattr(offer, name, getattr(data, name))
    with one_history_entry(offer, actor, created=created):
        offer.save()
        offer.kinds.set(data.kinds)
        offer.themes.set(data.themes)
        offer.conventions.set(data.conventions)
        offer.eligible_groups.set(data.eligible_groups)
        offer.eligible_countries.set(data.eligible_countries)
    offer.languages.all().delete()
    OfferLanguage.objects.bulk_create(OfferLanguage(offer=offer, code=code) for code in dict.fromkeys(data.languages))
    offer.links.all().delete()
    OfferLink.objects.bulk_create(OfferLink(offer=offer, title=title.strip(), url=url) for title, url in data.links)
    index_offers([offer.pk])
    return offer


@transaction.atomic
def offer_create(*, actor, provider, data, received_as="", survey_cycle=None):
    """A draft offer of ``provider``. A Secretariat officer creating it for another organisation
    records it on the provider's behalf (``received_as``: the letter or e-mail it came in).

    With ``survey_cycle`` the offer is the provider's answer to that cycle's available-assistance
    survey, which must be open and ask the provider; the provider then counts as having answered.
    """
    if actor is not None:
        if not offer_policy.providers_for(actor).filter(pk=provider.pk).exists():
            raise PermissionDenied
    invitation = None
    if survey_cycle is not None:
        invitation = survey.survey_invitation_for_offer(actor=actor, cycle=survey_cycle, provider=provider)
    data = _clean(data)
    offer = Offer(provider=provider, survey_cycle=survey_cycle)
    if actor is not None and offer_policy.can(actor, "record_for_provider"):
        own = provider.pk in provider_ids(actor)
        if not own:
            offer.recorded_by = actor
            offer.received_as = received_as.strip()[:200]
    offer = _write(offer, data, actor)
    if invitation is not None:
        survey.survey_record_offer(invitation=invitation)
    return offer


def _locked(offer):
    return Offer.objects.select_for_update().get(pk=offer.pk)


def _require(actor, action, offer):
    if actor is not None and not offer_policy.can(actor, action, offer):
        raise PermissionDenied


@transaction.atomic
def offer_update(*, actor, offer, data, lock_version):
    offer = _locked(offer)
    _require(actor, "change", offer)
    if offer.lock_version != lock_version:
        raise StaleOffer
    if offer.status == Offer.Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn offer cannot be changed."))
    data = _clean(data)
    offer.lock_version += 1
    return _write(offer, data, actor)


@transaction.atomic
def offer_publish(*, actor, offer):
    offer = _locked(offer)
    _require(actor, "publish", offer)
    if offer.status not in (Offer.Status.DRAFT, Offer.Status.CLOSED):
        raise ValidationError(_("Only a draft or closed offer can be published."))
    if offer.ends_on and offer.ends_on < timezone.localdate():
        raise ValidationError(_("The offer has ended; change its period before publishing it."))
    offer.status = Offer.Status.PUBLISHED
    offer.published_at = offer.published_at or timezone.now()
    offer.closed_at = None
    offer.lock_version += 1
    audited(offer, actor).save()
    return offer


@transaction.atomic
def offer_close(*, actor, offer):
    offer = _locked(offer)
    _require(actor, "close", offer)
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError(_("Only a published offer can be closed."))
    offer.status = Offer.Status.CLOSED
    offer.closed_at = timezone.now()
    offer.lock_version += 1
    audited(offer, actor).save()
    return offer


@transaction.atomic
def offer_withdraw(*, actor, offer, reason):
    offer = _locked(offer)
    _require(actor, "withdraw", offer)
    if offer.status == Offer.Status.WITHDRAWN:
        raise ValidationError(_("The offer is already withdrawn."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the offer is withdrawn.")})
    offer.status = Offer.Status.WITHDRAWN
    offer.withdrawn_reason = strip_html(reason)
    offer.lock_version += 1
    audited(offer, actor).save()
    return offer


def offers_close_expired(*, today=None):
    """Close every published offer whose end date has passed; returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    for offer in Offer.objects.filter(status=Offer.Status.PUBLISHED, ends_on__lt=today).only("pk"):
        with transaction.atomic():
            offer = _locked(offer)
            if offer.status == Offer.Status.PUBLISHED and offer.ends_on and offer.ends_on < today:
                offer.status = Offer.Status.CLOSED
                offer.closed_at = timezone.now()
                offer.lock_version += 1
                offer.save()
                closed += 1
    return closed


@transaction.atomic
def offer_attach(*, actor, offer, upload):
    """Attach a file, checked by its content (not its name) and its size; stored under a name we choose."""
    _require(actor, "attach", offer)
    data, extension, content_type = uploads.check_document(upload, max_bytes=MAX_ATTACHMENT_BYTES)
    token = uploads.new_token()
    attachment = OfferAttachment(
        offer=offer, filename=uploads.display_name(upload.name, extension), content_type=content_type,
        size=len(data), token=token, extension=f".{extension}", uploaded_by=actor,
    )
    attachment.file.save(f"{token}.{extension}", ContentFile(data), save=False)
    attachment.save()
    return attachment
