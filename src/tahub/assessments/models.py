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


class Cycle(models.Model):
    """A needs-assessment campaign: a published questionnaire version sent to invited Parties."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Results published")

    title = models.CharField(_("title"), max_length=200)
    conventions = models.ManyToManyField("reference.Convention", verbose_name=_("conventions"), blank=True)
    period_start = models.DateField(_("period covered from"))
    period_end = models.DateField(_("period covered to"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    version = models.ForeignKey(
        QuestionnaireVersion, verbose_name=_("questionnaire version"), on_delete=models.PROTECT, related_name="cycles"
    )
    offers_survey = models.BooleanField(_("available-assistance survey runs alongside"), default=False)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind this many days before the deadline"), default=14
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[conventions])

    class Meta:
        ordering = ["-opens_on"]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """A Party invited to a cycle, with its own deadline when extended."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="invitations")
    country = models.ForeignKey("reference.Country", verbose_name=_("Party"), on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("extended deadline"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "country__name_en"]
        constraints = [models.UniqueConstraint(fields=["cycle", "country"], name="invitation_unique")]

    def __str__(self):
        return f"{self.cycle} — {self.country}"

    @property
    def effective_deadline(self):
        return self.deadline or self.cycle.closes_on


class ResponseQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Response(models.Model):
    """A Party's answers to a cycle's questionnaire.

    Submitted and accepted responses are frozen; an amendment after acceptance is a new
    ``Response`` row (``number`` + 1) and the earlier one stays readable. ``answers`` keeps
    each value exactly as entered (text, lists, theme-matrix rows), even when invalid.
    ``lock_version`` refuses stale saves (optimistic locking).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned with queries")
        ACCEPTED = "accepted", _("Accepted")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="responses")
    country = models.ForeignKey("reference.Country", verbose_name=_("Party"), on_delete=models.PROTECT, related_name="responses")
    number = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    prefilled = models.JSONField(
        _("pre-filled answers"), default=dict, blank=True,
        help_text=_("Question code → title of the cycle the answer was copied from, until confirmed or changed."),
    )
    lock_version = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "country__name_en", "-number"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "country", "number"], name="response_number_unique"),
        ]

    def __str__(self):
        return f"{self.country} — {self.cycle} (v{self.number})"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE


class SectionAssignment(models.Model):
    """The sections of a cycle's questionnaire a contributor may draft for their Party.

    Set by the Party's focal point; only a focal point submits. Kept per cycle and Party (not
    per response), so an amendment keeps the same division of work.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    country = models.ForeignKey("reference.Country", verbose_name=_("Party"), on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("contributor"), on_delete=models.CASCADE, related_name="section_assignments"
    )
    sections = models.JSONField(_("sections"), default=list, blank=True, help_text=_("Codes of the assigned sections."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "country", "user__full_name"]
        verbose_name = _("section assignment")
        verbose_name_plural = _("section assignments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "country", "user"], name="section_assignment_unique"),
        ]

    def __str__(self):
        return f"{self.user} — {self.country} — {self.cycle}"


class ReviewQuery(models.Model):
    """A question the Secretariat attaches to an answer when returning a response."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="queries")
    question_code = models.CharField(_("question"), max_length=60)
    text = models.TextField(_("query"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("reply"), blank=True)
    resolved = models.BooleanField(_("resolved"), default=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.question_code}: {self.text[:40]}"


class Need(models.Model):
    """A Party's need for help on one theme: one record that lives across cycles."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PARTLY_MET = "partly_met", _("Partly met")
        MET = "met", _("Met")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        ASSESSMENT = "assessment", _("Needs assessment")
        REQUEST = "request", _("Request for assistance")
        NATIONAL_REPORT = "national_report", _("National report")
        COP_DECISION = "cop_decision", _("COP decision")
        MEETING = "meeting", _("Meeting")

    country = models.ForeignKey("reference.Country", verbose_name=_("Party"), on_delete=models.PROTECT, related_name="needs")
    theme = models.ForeignKey("reference.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="needs")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    proposed_status = models.CharField(
        _("proposed status"), max_length=12, choices=Status.choices, blank=True,
        help_text=_("Suggested when a later cycle reports no need; the Secretariat confirms."),
    )
    source = models.CharField(_("first source"), max_length=20, choices=Source.choices, default=Source.ASSESSMENT)
    source_reference = models.CharField(_("source reference"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name_en", "theme__order"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        constraints = [models.UniqueConstraint(fields=["country", "theme"], name="need_per_party_and_theme")]

    def __str__(self):
        return f"{self.country} — {self.theme}"


class NeedObservation(models.Model):
    """What one cycle (or another source) said about a need: level, kinds of help, comment."""

    class Level(models.TextChoices):
        NONE = "none", _("None")
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="observations")
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, null=True, blank=True, related_name="observations")
    response = models.ForeignKey(Response, on_delete=models.PROTECT, null=True, blank=True, related_name="observations")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    kinds = models.ManyToManyField("reference.KindOfHelp", verbose_name=_("kinds of help"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Need.Source.choices, default=Need.Source.ASSESSMENT)
    source_reference = models.CharField(_("source reference"), max_length=255, blank=True)
    observed_on = models.DateField(_("observed on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["need", "observed_on"]
        constraints = [
            models.UniqueConstraint(fields=["need", "cycle"], name="one_observation_per_cycle"),
        ]

    def __str__(self):
        return f"{self.need}: {self.level} ({self.observed_on})"


class ProviderInvitation(models.Model):
    """A provider asked, in a cycle's available-assistance survey, what assistance it can offer.

    It answers by reporting offers (``offers.Offer.survey_cycle``) through the same form as any
    offer, or by stating that it has no new offers; ``responded_at`` records the first answer.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="provider_invitations")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("provider"), on_delete=models.PROTECT, related_name="survey_invitations"
    )
    invited_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    no_new_offers = models.BooleanField(_("no new offers"), default=False)
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "organisation__name"]
        verbose_name = _("provider invitation")
        verbose_name_plural = _("provider invitations")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "organisation"], name="provider_invitation_unique"),
        ]

    def __str__(self):
        return f"{self.cycle} — {self.organisation}"


class SentMail(models.Model):
    """Every e-mail a cycle sent: invitations, reminders, receipts (to Parties and to providers)."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        RECEIPT = "receipt", _("Receipt")
        RETURNED = "returned", _("Returned with queries")
        CONTRIBUTOR = "contributor", _("Invitation to contribute")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="mails")
    country = models.ForeignKey("reference.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("The provider, for the e-mails of the available-assistance survey."),
    )
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
