"""Matches between what Parties need or ask for and what providers offer.

A ``Match`` pairs one offer with one need or one request. The scorer writes and replaces
*suggested* matches; once a person confirms, dismisses, adds or conveys one, it is theirs and
no recompute touches it again (a dismissed pair is never suggested again). Conveying records
what was sent to whom (``ConveyedMessage``), and each side's answer is kept on the match.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Weights(models.Model):
    """The one place where the Secretariat tunes the scoring (a single row)."""

    theme = models.FloatField(_("theme fit"), default=3.0)
    kinds = models.FloatField(_("kinds of help in common"), default=1.5)
    level = models.FloatField(_("need level or urgency"), default=0.5)
    language = models.FloatField(_("language fit"), default=1.0)
    modality = models.FloatField(_("modality fit"), default=0.5)
    timing = models.FloatField(_("timing overlap"), default=0.5)
    capacity = models.FloatField(_("remaining capacity"), default=0.5)
    text = models.FloatField(_("text similarity"), default=3.0)
    threshold = models.FloatField(
        _("threshold"), default=0.5, help_text=_("Suggestions scoring less (0 to 1) are not shown; coverage counts the offers above it.")
    )
    per_subject = models.PositiveSmallIntegerField(_("suggestions kept per need or request"), default=20)
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scoring weights")
        verbose_name_plural = _("scoring weights")
        constraints = [
            models.CheckConstraint(condition=models.Q(threshold__gte=0, threshold__lte=1), name="weights_threshold_range"),
        ]

    def __str__(self):
        return str(_("Scoring weights"))

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def as_dict(self):
        from tahub.matching.scoring import FACTORS

        return {name: getattr(self, name) for name in FACTORS}


class TextVector(models.Model):
    """The hashed character n-gram counts of one record's text, kept until the text changes."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("offer")
        NEED = "need", _("need")
        REQUEST = "request", _("request")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    digest = models.CharField(max_length=32)
    indices = models.BinaryField()
    counts = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="text_vector_unique")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class MatchingIndex(models.Model):
    """What the last full recompute learnt from all the texts: their n-grams' document frequencies."""

    idf = models.BinaryField()
    documents = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.documents} documents, {self.built_at:%Y-%m-%d %H:%M}"


class MatchQuerySet(models.QuerySet):
    def suggested(self):
        return self.filter(status=Match.Status.SUGGESTED)

    def decided(self):
        return self.exclude(status=Match.Status.SUGGESTED)

    def for_subject(self, subject):
        return self.filter(**{Match.subject_field(subject): subject})


class Match(models.Model):
    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        DISMISSED = "dismissed", _("Dismissed")
        CONVEYED = "conveyed", _("Conveyed")

    class Origin(models.TextChoices):
        COMPUTED = "computed", _("Suggested by tahub")
        MANUAL = "manual", _("Added by hand")

    class ProviderAnswer(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        UNABLE = "unable", _("Not able to help")

    class PartyAnswer(models.TextChoices):
        PURSUE = "pursue", _("Will pursue")
        NOT_RELEVANT = "not_relevant", _("Not relevant")

    need = models.ForeignKey(
        "assessments.Need", verbose_name=_("need"), on_delete=models.CASCADE, null=True, blank=True, related_name="matches"
    )
    request = models.ForeignKey(
        "assistance.Request", verbose_name=_("request"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="matches",
    )
    offer = models.ForeignKey("offers.Offer", verbose_name=_("offer"), on_delete=models.CASCADE, related_name="matches")
    country = models.ForeignKey(
        "reference.Country", verbose_name=_("Party"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The Party of the need or request."),
    )
    score = models.FloatField(_("score"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.COMPUTED)
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, help_text=_("Why it was added or dismissed."))
    conveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("conveyed by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    conveyed_at = models.DateTimeField(_("conveyed"), null=True, blank=True)

    provider_answer = models.CharField(_("provider's answer"), max_length=12, choices=ProviderAnswer.choices, blank=True)
    provider_reason = models.TextField(_("provider's reason"), blank=True)
    provider_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    provider_answered_at = models.DateTimeField(_("provider answered"), null=True, blank=True)
    party_answer = models.CharField(_("Party's answer"), max_length=12, choices=PartyAnswer.choices, blank=True)
    party_reason = models.TextField(_("Party's reason"), blank=True)
    party_answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    party_answered_at = models.DateTimeField(_("Party answered"), null=True, blank=True)

    objects = MatchQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["score", "reasons"])

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(need__isnull=True, request__isnull=False)
                | models.Q(need__isnull=False, request__isnull=True),
                name="match_one_subject",
            ),
            models.UniqueConstraint(fields=["need", "offer"], name="match_need_offer", condition=models.Q(need__isnull=False)),
            models.UniqueConstraint(
                fields=["request", "offer"], name="match_request_offer", condition=models.Q(request__isnull=False)
            ),
        ]
        indexes = [
            models.Index(fields=["need", "status", "-score"], name="match_need_rank"),
            models.Index(fields=["request", "status", "-score"], name="match_request_rank"),
            models.Index(fields=["offer", "status"], name="match_offer"),
            models.Index(fields=["status", "country"], name="match_status_country"),
        ]

    def __str__(self):
        return f"{self.subject} ↔ {self.offer}"

    def get_absolute_url(self):
        return reverse("matching:match_detail", args=[self.pk])

    @staticmethod
    def subject_field(subject):
        return "need" if subject._meta.model_name == "need" else "request"

    @property
    def subject(self):
        return self.need if self.need_id else self.request

    @property
    def subject_url(self):
        return subject_url("need", self.need_id) if self.need_id else subject_url("request", self.request_id)

    @property
    def is_conveyable(self):
        """Confirmed, and its offer still open."""
        return self.status == self.Status.CONFIRMED and self.offer.is_open

    @property
    def is_decided(self):
        return self.status != self.Status.SUGGESTED


class Coverage(models.Model):
    """How many eligible open offers a need or request has, and how many score above the threshold
    (kept by each scoring run; a need or request with none above it is uncovered)."""

    need = models.OneToOneField("assessments.Need", on_delete=models.CASCADE, null=True, blank=True, related_name="coverage")
    request = models.OneToOneField(
        "assistance.Request", on_delete=models.CASCADE, null=True, blank=True, related_name="coverage"
    )
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, related_name="+")
    eligible = models.PositiveIntegerField(_("eligible open offers"), default=0)
    above_threshold = models.PositiveIntegerField(_("offers above the threshold"), default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(need__isnull=True, request__isnull=False)
                | models.Q(need__isnull=False, request__isnull=True),
                name="coverage_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.need_id or self.request_id}: {self.above_threshold} of {self.eligible}"

    @property
    def is_uncovered(self):
        return self.above_threshold == 0


class ConveyedMessage(models.Model):
    """One e-mail sent when a match was conveyed: to whom, in which language, what it said."""

    class Side(models.TextChoices):
        PARTY = "party", _("Party")
        PROVIDER = "provider", _("Provider")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="messages")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("conveyed message")
        verbose_name_plural = _("conveyed messages")

    def __str__(self):
        return f"{self.email}: {self.subject}"


def subject_url(kind, pk):
    """The page of a need (``kind`` "need") or a request."""
    return reverse("assessments:need_detail" if kind == "need" else "assistance:request_detail", args=[pk])


def new_alert_token():
    return secrets.token_urlsafe(24)


class AlertSubscription(models.Model):
    """A person's digest of matches: new offers for their Party's needs, or new needs and requests
    for their organisation's offers. The token makes the unsubscribe link work without signing in."""

    class Kind(models.TextChoices):
        OFFERS_FOR_PARTY = "party", _("New offers matching my Party's open needs and requests")
        DEMAND_FOR_OFFERS = "provider", _("New requests and needs matching my organisation's offers")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_alerts")
    kind = models.CharField(_("alert"), max_length=10, choices=Kind.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    token = models.CharField(max_length=64, unique=True, default=new_alert_token, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("match alert")
        verbose_name_plural = _("match alerts")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="match_alert_unique")]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"
