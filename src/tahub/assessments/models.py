"""Questionnaires: versioned definitions with sections, questions and choice lists.

Six-language texts of questionnaire elements are stored as ``{suffix: text}`` dicts (the same
shape as ``spec.py``), read in the active language with ``core.i18n.pick``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tahub.assessments.spec import QuestionType
from tahub.core.i18n import pick


class MultilingualLabel:
    """``label`` (and ``label_is_fallback``) in the active language, from ``labels``."""

    @property
    def label(self):
        return pick(self.labels)[0]

    @property
    def label_is_fallback(self):
        return pick(self.labels)[1]


class Questionnaire(MultilingualLabel, models.Model):
    class Purpose(models.TextChoices):
        NEEDS = "needs", _("Needs of Parties")
        OFFERS = "offers", _("Assistance available")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    labels = models.JSONField(_("title"), default=dict)
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.NEEDS)

    class Meta:
        ordering = ["code"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return self.label or self.code


class QuestionnaireVersion(models.Model):
    """One version of a questionnaire. Published versions are frozen: a change is a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("version name"), max_length=40, blank=True, help_text=_("For example 2026.1"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["questionnaire", "-number"]
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "number"], name="version_number_unique")]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}{f' ({self.name})' if self.name else ''}"

    @property
    def is_frozen(self):
        return self.status == self.Status.PUBLISHED


class Section(MultilingualLabel, models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(_("code"), max_length=60)
    order = models.PositiveIntegerField(_("order"))
    labels = models.JSONField(_("labels"), default=dict)
    relevant = models.TextField(_("shown when"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="section_code_unique")]

    def __str__(self):
        return self.label or self.code


class ChoiceList(models.Model):
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="choice_lists")
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["version", "name"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="choice_list_name_unique")]

    def __str__(self):
        return self.name


class Choice(MultilingualLabel, models.Model):
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="choices")
    value = models.CharField(_("value"), max_length=60)
    order = models.PositiveIntegerField(_("order"))
    labels = models.JSONField(_("labels"), default=dict)

    class Meta:
        ordering = ["choice_list", "order"]
        constraints = [models.UniqueConstraint(fields=["choice_list", "value"], name="choice_value_unique")]

    def __str__(self):
        return self.value


class Question(MultilingualLabel, models.Model):
    """A question. Its ``code`` is stable: the same code in a later version means the same question."""

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=60)
    order = models.PositiveIntegerField(_("order"))
    type = models.CharField(_("type"), max_length=20, choices=[(t.value, t.value) for t in QuestionType])
    labels = models.JSONField(_("labels"), default=dict)
    hints = models.JSONField(_("hints"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    relevant = models.TextField(_("shown when"), blank=True)
    constraint = models.TextField(_("constraint"), blank=True)
    constraint_messages = models.JSONField(_("constraint messages"), default=dict, blank=True)
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    themes = models.JSONField(_("themes"), default=list, blank=True)
    min_value = models.DecimalField(_("minimum"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=18, decimal_places=4, null=True, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="question_code_unique")]

    def __str__(self):
        return self.code
