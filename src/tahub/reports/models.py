"""Reports: the weights their figures use, and the renderings made in the background."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SummarySettings(models.Model):
    """How needs are weighted and how small a public figure may be (a single row, admin-edited).

    Weights are whole numbers so that every figure of a summary is an exact count or sum,
    the same in every format.
    """

    weight_high = models.PositiveSmallIntegerField(_("weight of a high need"), default=3, validators=[MaxValueValidator(100)])
    weight_medium = models.PositiveSmallIntegerField(_("weight of a medium need"), default=2, validators=[MaxValueValidator(100)])
    weight_low = models.PositiveSmallIntegerField(_("weight of a low need"), default=1, validators=[MaxValueValidator(100)])
    public_minimum = models.PositiveSmallIntegerField(
        _("smallest number of Parties in a public figure"), default=3,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text=_("A figure drawn from fewer Parties than this is not shown to the public."),
    )
    changed_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("summary settings")
        verbose_name_plural = _("summary settings")

    def __str__(self):
        return str(_("Summary settings"))

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls.objects.create()

    @property
    def weights(self):
        return {"high": self.weight_high, "medium": self.weight_medium, "low": self.weight_low}


def new_token():
    """32 hex digits: the rendering's address, unguessable."""
    return secrets.token_hex(16)


def rendering_path(instance, filename):
    return f"reports/{instance.token}/{filename}"


class Rendering(models.Model):
    """A report file made by a background task, with its progress, kept for its requester."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        DOCX = "docx", _("Word document (DOCX)")
        XLSX = "xlsx", _("Spreadsheet (XLSX)")

    class Kind(models.TextChoices):
        CYCLE = "cycle", _("Cycle summary")
        PARTY = "party", _("Party report")
        REGION = "region", _("Regional report")
        CENTRE = "centre", _("Centre report")

    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    kind = models.CharField(_("report"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("of"), max_length=80, help_text=_("The cycle's id, the Party's ISO code, the group's code or the centre's slug."))
    cycle = models.ForeignKey("assessments.Cycle", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    language = models.CharField(_("language"), max_length=10)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("current step"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=rendering_path, blank=True)
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("report rendering")
        verbose_name_plural = _("report renderings")

    def __str__(self):
        return f"{self.get_kind_display()} {self.subject} ({self.format}, {self.language})"
