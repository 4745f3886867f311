"""Requests for assistance: what a Party asks for, who owns it, where it stands, what was said.

The Secretariat assists Parties "upon request" (Article 16(1)(g)). A request is filed once and
its text never changes afterwards: what follows is recorded beside it, as state changes
(``RequestEvent``), messages and attachments. Requests change only through
``assistance.services``.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tahub.core.models import StoredDocument
from tahub.offers.models import LANGUAGES, Offer


class Request(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        MORE_INFORMATION = "more_information", _("More information needed")
        ACCEPTED = "accepted", _("Accepted")
        HELP_IDENTIFIED = "help_identified", _("Help identified")
        IN_DELIVERY = "in_delivery", _("In delivery")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        EMERGENCY = "emergency", _("Emergency")

    class NeedMet(models.TextChoices):
        MET = "met", _("Yes, the need is met")
        PARTLY = "partly", _("Partly")
        NOT_MET = "not_met", _("No")

    # States in which the request waits for someone, with a service level; the rest are ended.
    OPEN = (
        Status.SUBMITTED, Status.UNDER_REVIEW, Status.MORE_INFORMATION, Status.ACCEPTED,
        Status.HELP_IDENTIFIED, Status.IN_DELIVERY,
    )
    ENDED = (Status.CLOSED, Status.DECLINED, Status.WITHDRAWN)

    country = models.ForeignKey(
        "reference.Country", verbose_name=_("requesting Party"), on_delete=models.PROTECT,
        related_name="assistance_requests",
    )
    co_requesters = models.ManyToManyField(
        "reference.Country", verbose_name=_("other Parties concerned"), blank=True, related_name="+",
        help_text=_("For a regional request: the other Parties whose focal points request it too."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("the problem and the help wanted"))
    themes = models.ManyToManyField("reference.Theme", verbose_name=_("themes"), related_name="requests")
    kinds = models.ManyToManyField("reference.KindOfHelp", verbose_name=_("kinds of help"), related_name="requests")
    conventions = models.ManyToManyField(
        "reference.Convention", verbose_name=_("conventions"), blank=True, related_name="requests"
    )
    desired_start = models.DateField(_("desired start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(_("duration in months"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    modality = models.CharField(
        _("preferred modality"), max_length=12, choices=Offer.Modality.choices, blank=True
    )
    expected_outputs = models.TextField(_("expected outputs"), blank=True)
    contribution = models.TextField(
        _("what the Party contributes"), blank=True, help_text=_("Co-finance, staff time, premises, other in-kind support.")
    )
    other_providers = models.TextField(_("other providers already approached"), blank=True)

    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    incident_what = models.TextField(_("what happened"), blank=True)
    incident_where = models.CharField(_("where"), max_length=255, blank=True)
    incident_when = models.DateTimeField(_("when"), null=True, blank=True)
    incident_quantities = models.CharField(_("quantities, if known"), max_length=255, blank=True)

    is_public = models.BooleanField(
        _("may appear in the public clearing-house"), default=False,
        help_text=_("Without names or contact details, so that providers can offer help."),
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    status_changed_at = models.DateTimeField(_("in this state since"), default=timezone.now)
    due_at = models.DateTimeField(_("due"), null=True, blank=True, help_text=_("When the current state's service level ends."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="owned_requests",
    )
    centre = models.ForeignKey(
        "reference.RegionalCentre", verbose_name=_("centre"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="requests", help_text=_("The regional centre that took the request."),
    )
    need = models.ForeignKey(
        "assessments.Need", verbose_name=_("need answered"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="requests",
    )

    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    source_document = models.CharField(
        _("source document"), max_length=255, blank=True,
        help_text=_("The letter, fax or e-mail the Secretariat recorded the request from."),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    decision_reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was declined or withdrawn."))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    need_met = models.CharField(_("need met"), max_length=10, choices=NeedMet.choices, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback given"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[co_requesters, themes, kinds, conventions])

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("request for assistance")
        verbose_name_plural = _("requests for assistance")
        indexes = [
            models.Index(fields=["status", "due_at"], name="request_status_due"),
            models.Index(fields=["-submitted_at", "-id"], name="request_newest"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("assistance:request_detail", args=[self.pk])

    @property
    def reference(self):
        return f"R-{self.submitted_at:%Y}-{self.pk:05d}"

    @property
    def language_labels(self):
        names = dict(LANGUAGES)
        return [str(names.get(code, code)) for code in self.languages]

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def is_emergency(self):
        return self.urgency == self.Urgency.EMERGENCY

    @property
    def is_overdue(self):
        return self.is_open and self.due_at is not None and self.due_at < timezone.now()


class RequestEvent(models.Model):
    """One step on the request's timeline: a state change, an assignment or a routing decision."""

    class Kind(models.TextChoices):
        STATUS = "status", _("State changed")
        OWNER = "owner", _("Owner assigned")
        CENTRE_PROPOSED = "centre_proposed", _("Centre proposed")
        CENTRE_TOOK = "centre_took", _("Centre took the request")
        CENTRE_DECLINED = "centre_declined", _("Centre declined")
        FEEDBACK = "feedback", _("Feedback given")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Request.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Request.Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self):
        return f"{self.request_id}: {self.get_kind_display()}"


class CentreRouting(models.Model):
    """A regional centre serving the Party, proposed to deliver the request: it takes or declines it."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        TAKEN = "taken", _("Taken")
        DECLINED = "declined", _("Declined")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="routings")
    centre = models.ForeignKey("reference.RegionalCentre", on_delete=models.PROTECT, related_name="routings")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["request", "centre__acronym"]
        constraints = [models.UniqueConstraint(fields=["request", "centre"], name="routing_unique")]

    def __str__(self):
        return f"{self.request_id} → {self.centre}"


class RequestMessage(models.Model):
    """A message in the request's conversation."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.request_id}: {self.body[:40]}"


def attachment_path(instance, filename):
    # The server chooses the stored name; the original name is kept in ``filename``.
    return f"requests/{instance.request_id}/{instance.token}{instance.extension}"


class RequestAttachment(StoredDocument):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        RequestMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path)

    class Meta(StoredDocument.Meta):
        pass


class ServiceLevel(models.Model):
    """How many working days a request may stay in a state, by urgency; set by the Secretariat."""

    status = models.CharField(_("state"), max_length=20, choices=Request.Status.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Request.Urgency.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["urgency", "status"]
        verbose_name = _("service level")
        verbose_name_plural = _("service levels")
        constraints = [models.UniqueConstraint(fields=["status", "urgency"], name="service_level_unique")]

    def __str__(self):
        return f"{self.get_urgency_display()} · {self.get_status_display()}: {self.working_days}"


class Notification(models.Model):
    """Something a person should hear about a request (a step on its timeline or a message), kept
    until it is sent: at once, or in their daily digest. It is worded when sent, in their language."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="request_notifications")
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(RequestEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.ForeignKey(RequestMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "user"], name="notification_pending")]

    def __str__(self):
        return f"{self.user_id}: {self.request_id}"
