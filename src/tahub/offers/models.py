"""Offers of technical assistance: what providers make available, for whom, when and how.

Article 16(1)(g) names four kinds of help (sources of assistance and training, know-how,
advice and expertise, resources): an offer names its kinds, themes and conventions, who is
eligible, in which languages and how it is delivered. Offers change only through
``offers.services``; every change is in the history.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tahub.core.models import StoredDocument

# Languages an offer may be given in: the six UN languages, then others common in the regions.
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
]


class OfferQuerySet(models.QuerySet):
    def open_on(self, day):
        """Published offers running on ``day`` (a standing offer has no end)."""
        return self.filter(status=Offer.Status.PUBLISHED).filter(
            models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=day),
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=day),
        )

    def open_now(self):
        return self.open_on(timezone.localdate())


class Offer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PARTIES = "parties", _("Parties only")
        SECRETARIAT = "secretariat", _("Secretariat only")

    class Modality(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")
        SELF_PACED = "self_paced", _("Self-paced material")

    provider = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="offers"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), help_text=_("Markdown; HTML is removed."))
    kinds = models.ManyToManyField("reference.KindOfHelp", verbose_name=_("kinds of help"), related_name="offers")
    themes = models.ManyToManyField("reference.Theme", verbose_name=_("themes"), related_name="offers")
    conventions = models.ManyToManyField(
        "reference.Convention", verbose_name=_("conventions"), related_name="offers", blank=True
    )

    # Eligibility: any of these makes a Party eligible.
    eligible_developing = models.BooleanField(_("all developing-country Parties"), default=False)
    eligible_transition = models.BooleanField(_("all Parties with economies in transition"), default=False)
    eligible_ldc = models.BooleanField(_("least developed countries"), default=False)
    eligible_sids = models.BooleanField(_("small island developing States"), default=False)
    eligible_groups = models.ManyToManyField(
        "reference.RegionalGroup", verbose_name=_("eligible regional groups"), related_name="+", blank=True
    )
    eligible_countries = models.ManyToManyField(
        "reference.Country", verbose_name=_("eligible countries"), related_name="eligible_offers", blank=True
    )

    modality = models.CharField(_("modality"), max_length=12, choices=Modality.choices)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Empty for a standing offer."))
    places = models.PositiveIntegerField(_("places"), null=True, blank=True)
    expert_days = models.PositiveIntegerField(_("expert days"), null=True, blank=True)
    countries_capacity = models.PositiveIntegerField(_("number of countries"), null=True, blank=True)
    amount = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code, e.g. USD."))
    in_kind_days = models.PositiveIntegerField(_("in-kind days"), null=True, blank=True)
    how_to_apply = models.TextField(_("how to apply"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", help_text=_("The Secretariat officer who recorded the offer on the provider's behalf."),
    )
    received_as = models.CharField(
        _("received as"), max_length=200, blank=True, help_text=_("The letter or e-mail the offer came in, if recorded for the provider.")
    )
    survey_cycle = models.ForeignKey(
        "assessments.Cycle", verbose_name=_("reported in the survey of"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="survey_offers",
        help_text=_("The assessment cycle whose available-assistance survey the offer was reported in."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)
    # PostgreSQL full-text index (English, French, Spanish and unstemmed), kept by ``offers.search``;
    # on SQLite the FTS5 table ``offers_offer_fts`` plays this part and this column stays empty.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = OfferQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[kinds, themes, conventions, eligible_groups, eligible_countries])

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [
            models.Index(fields=["status", "visibility", "-published_at"], name="offer_catalogue"),
            models.Index(fields=["ends_on"], name="offer_ends_on"),
            models.Index(fields=["updated_at", "id"], name="offer_updated_at"),
            # The newest first whatever the visibilities read (the index above serves one at a time).
            models.Index(fields=["status", "-published_at", "-id"], name="offer_listing"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="offer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | ~models.Q(currency=""), name="offer_value_has_currency"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("offers:offer_detail", args=[self.pk])

    @property
    def is_open(self):
        today = timezone.localdate()
        return (
            self.status == self.Status.PUBLISHED
            and (self.starts_on is None or self.starts_on <= today)
            and (self.ends_on is None or self.ends_on >= today)
        )


class OfferLanguage(models.Model):
    """A language the offer is given in (a row each, so the catalogue filters by index)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(_("language"), max_length=5, choices=LANGUAGES)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["offer", "code"], name="offer_language_unique")]
        indexes = [models.Index(fields=["code", "offer"], name="offer_language_code")]

    def __str__(self):
        return self.get_code_display()


class OfferLink(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"))

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    # The server chooses the stored name; the original name is kept in ``filename``.
    return f"offers/{instance.offer_id}/{instance.token}{instance.extension}"


class OfferAttachment(StoredDocument):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)

    class Meta(StoredDocument.Meta):
        pass
