"""From COP mandate to delivered activity.

- **Mandates**: COP meetings, their decisions and each decision's paragraphs (who is asked to do
  what, by when).
- **The four-year plan**: its objectives per convention, priority areas with the needs evidence
  behind them (a dated snapshot of the summaries' figures) and expected results with indicators.
- **The programme of work**: a biennium under a plan, with its activities (what, for whom, led by
  whom, when, with which money) and the mandates, needs, requests and matches each answers.
- **Outputs and results**: an activity's reports (participants by country and sex, materials,
  indicator values), reviewed by the Secretariat, and the follow-up evaluations its Parties answer.

Everything changes only through ``planning.services``; every change is in the history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tahub.offers.models import LANGUAGES

# Currencies budgets are kept in (ISO 4217). A budget line is in one currency; nothing adds
# amounts of two currencies.
CURRENCIES = [
    ("USD", "USD"), ("EUR", "EUR"), ("CHF", "CHF"), ("GBP", "GBP"), ("JPY", "JPY"), ("SEK", "SEK"),
    ("NOK", "NOK"), ("DKK", "DKK"), ("CAD", "CAD"), ("AUD", "AUD"), ("CNY", "CNY"), ("ZAR", "ZAR"),
]


# -- Mandates ---------------------------------------------------------------------------------


class Meeting(models.Model):
    """A meeting of a Conference of the Parties (COP-14 of the Basel Convention, 2019)."""

    convention = models.ForeignKey("reference.Convention", verbose_name=_("convention"), on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=120)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "convention__order"]
        verbose_name = _("COP meeting")
        verbose_name_plural = _("COP meetings")
        constraints = [models.UniqueConstraint(fields=["convention", "number"], name="meeting_per_convention_and_number")]

    def __str__(self):
        return _("COP-%(number)s of the %(convention)s (%(year)s)") % {
            "number": self.number, "convention": self.convention, "year": self.starts_on.year,
        }


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions")
    symbol = models.CharField(_("symbol"), max_length=20, unique=True, help_text=_("For example BC-14/18."))
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("official text"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-meeting__starts_on", "symbol"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.symbol} {self.title}"

    def get_absolute_url(self):
        return reverse("planning:decision_detail", args=[self.pk])


class Paragraph(models.Model):
    """An operative paragraph of a decision: who is asked to do what, and by when."""

    class Verb(models.TextChoices):
        DECIDES = "decides", _("Decides")
        REQUESTS = "requests", _("Requests")
        INVITES = "invites", _("Invites")
        ENCOURAGES = "encourages", _("Encourages")
        URGES = "urges", _("Urges")
        TAKES_NOTE = "takes_note", _("Takes note")
        WELCOMES = "welcomes", _("Welcomes")
        ADOPTS = "adopts", _("Adopts")
        EMPHASIZES = "emphasizes", _("Emphasizes")

    class Addressee(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        PARTIES = "parties", _("Parties")
        DEVELOPING_PARTIES = "developing_parties", _("Developing-country Parties and Parties with economies in transition")
        DEVELOPED_PARTIES = "developed_parties", _("Developed-country Parties")
        CENTRES = "centres", _("Regional centres")
        OTHERS = "others", _("Others")
        NONE = "none", _("No one (the COP itself)")

    decision = models.ForeignKey(Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="paragraphs")
    number = models.CharField(_("number"), max_length=12, help_text=_("As in the decision: 4, 6 (a)."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    verb = models.CharField(_("operative verb"), max_length=20, choices=Verb.choices)
    addressee = models.CharField(_("addressed to"), max_length=20, choices=Addressee.choices)
    text = models.TextField(_("text"))
    illustrative = models.BooleanField(
        _("illustrative text"), default=False,
        help_text=_("The text summarises the paragraph; it is not the official text of the decision."),
    )
    asks_action = models.BooleanField(_("asks for action"), default=False)
    due_by = models.DateField(_("by"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "order", "pk"]
        verbose_name = _("decision paragraph")
        verbose_name_plural = _("decision paragraphs")
        constraints = [models.UniqueConstraint(fields=["decision", "number"], name="paragraph_number_per_decision")]

    def __str__(self):
        return _("%(symbol)s, paragraph %(number)s") % {"symbol": self.decision.symbol, "number": self.number}

    @property
    def for_secretariat(self):
        return self.asks_action and self.addressee == self.Addressee.SECRETARIAT


# -- The four-year plan ---------------------------------------------------------------------------


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ADOPTED = "adopted", _("Adopted")

    title = models.CharField(_("title"), max_length=255)
    start_year = models.PositiveSmallIntegerField(_("from"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    end_year = models.PositiveSmallIntegerField(_("to"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    conventions = models.ManyToManyField("reference.Convention", verbose_name=_("conventions"), related_name="+")
    goal = models.TextField(_("goal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    adopted_by = models.ForeignKey(
        Decision, verbose_name=_("adopted by"), on_delete=models.PROTECT, null=True, blank=True, related_name="plans",
    )
    paragraphs = models.ManyToManyField(
        Paragraph, verbose_name=_("answers"), blank=True, related_name="plans",
        help_text=_("The decision paragraphs the plan as a whole answers."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[conventions])

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("technical assistance plan")
        verbose_name_plural = _("technical assistance plans")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("planning:plan_detail", args=[self.pk])

    @property
    def period(self):
        return f"{self.start_year}–{self.end_year}"


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    convention = models.ForeignKey("reference.Convention", verbose_name=_("convention"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objective"))

    class Meta:
        ordering = ["convention__order", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.text[:80]


class PriorityArea(models.Model):
    """A priority of the plan, with the needs evidence it rests on.

    ``evidence`` is a snapshot taken when the area was drafted: the needs chosen (by filters over
    the needs of a cycle, or one by one), their number by level and the Parties they come from, and
    the date. It does not move when needs change later; ``needs`` holds the needs themselves.
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="priority_areas")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=255)
    themes = models.ManyToManyField("reference.Theme", verbose_name=_("themes"), related_name="+")
    regional_groups = models.ManyToManyField(
        "reference.RegionalGroup", verbose_name=_("regions"), blank=True, related_name="+",
        help_text=_("None: every region."),
    )
    rationale = models.TextField(_("rationale"))
    needs = models.ManyToManyField("assessments.Need", verbose_name=_("needs"), blank=True, related_name="priority_areas")
    paragraphs = models.ManyToManyField(Paragraph, verbose_name=_("answers"), blank=True, related_name="priority_areas")
    evidence = models.JSONField(_("needs evidence"), default=dict, blank=True)
    evidence_taken_on = models.DateField(_("evidence taken on"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[themes, regional_groups])

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="priority_area_number_per_plan")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ExpectedResult(models.Model):
    priority_area = models.ForeignKey(PriorityArea, verbose_name=_("priority area"), on_delete=models.CASCADE, related_name="results")
    text = models.CharField(_("expected result"), max_length=255)
    indicator = models.CharField(_("indicator"), max_length=255)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("For example Parties, people trained, guidance documents."))
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority_area", "pk"]
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")

    def __str__(self):
        return self.text


# -- The programme of work --------------------------------------------------------------------------


class Programme(models.Model):
    """The Secretariat's programme of technical assistance for a biennium, under a plan."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="programmes")
    start_year = models.PositiveSmallIntegerField(_("biennium from"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("programme of work")
        verbose_name_plural = _("programmes of work")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("planning:programme_detail", args=[self.pk])

    @property
    def end_year(self):
        return self.start_year + 1

    @property
    def biennium(self):
        return f"{self.start_year}–{self.end_year}"


class ActivityQuerySet(models.QuerySet):
    def delivered(self):
        return self.filter(status=Activity.Status.COMPLETED)


class Activity(models.Model):
    class Type(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")
        ONLINE_COURSE = "online_course", _("Online course")
        EXPERT_MISSION = "expert_mission", _("Expert mission")
        STUDY_VISIT = "study_visit", _("Study visit")
        NATIONAL_PROJECT = "national_project", _("National project")
        REGIONAL_PROJECT = "regional_project", _("Regional project")
        GUIDANCE = "guidance", _("Guidance or publication")
        MEETING = "meeting", _("Meeting")
        SMALL_GRANT = "small_grant", _("Small grant")

    class Level(models.TextChoices):
        NATIONAL = "national", _("National")
        SUBREGIONAL = "subregional", _("Sub-regional")
        REGIONAL = "regional", _("Regional")
        GLOBAL = "global", _("Global")

    class Lead(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        CENTRE = "centre", _("Regional centre")
        REGIONAL_FOCAL_POINT = "regional_focal_point", _("Regional focal point")
        PARTNER = "partner", _("Partner organisation")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PREPARATION = "in_preparation", _("In preparation")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    programme = models.ForeignKey(Programme, verbose_name=_("programme of work"), on_delete=models.PROTECT, related_name="activities")
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    priority_area = models.ForeignKey(
        PriorityArea, verbose_name=_("priority area"), on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
    )
    themes = models.ManyToManyField("reference.Theme", verbose_name=_("themes"), related_name="activities")
    conventions = models.ManyToManyField("reference.Convention", verbose_name=_("conventions"), related_name="+")
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    countries = models.ManyToManyField("reference.Country", verbose_name=_("target Parties"), blank=True, related_name="activities")
    regional_groups = models.ManyToManyField("reference.RegionalGroup", verbose_name=_("target regions"), blank=True, related_name="activities")
    lead = models.CharField(_("delivery lead"), max_length=25, choices=Lead.choices)
    lead_centre = models.ForeignKey(
        "reference.RegionalCentre", verbose_name=_("leading centre"), on_delete=models.PROTECT, null=True, blank=True, related_name="activities",
    )
    lead_group = models.ForeignKey(
        "reference.RegionalGroup", verbose_name=_("region of the leading regional focal point"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="led_activities",
    )
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("leading partner"), on_delete=models.PROTECT, null=True, blank=True, related_name="led_activities",
    )
    centre_own = models.BooleanField(
        _("the centre's own activity"), default=False,
        help_text=_("In the centre's business plan, not in the Secretariat's programme."),
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.TextField(_("reason"), blank=True, help_text=_("Why it was postponed or cancelled."))
    paragraphs = models.ManyToManyField(Paragraph, verbose_name=_("decision paragraphs answered"), blank=True, related_name="activities")
    needs = models.ManyToManyField("assessments.Need", verbose_name=_("needs addressed"), blank=True, related_name="activities")
    requests = models.ManyToManyField("assistance.Request", verbose_name=_("requests answered"), blank=True, related_name="activities")
    matches = models.ManyToManyField("matching.Match", verbose_name=_("matches delivered"), blank=True, related_name="activities")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[themes, countries, regional_groups, paragraphs, needs])

    class Meta:
        ordering = ["planned_start", "code"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [models.Index(fields=["programme", "status"]), models.Index(fields=["lead_centre", "programme"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(planned_end__gte=models.F("planned_start")), name="activity_planned_dates_in_order"),
            models.CheckConstraint(
                condition=models.Q(actual_start__isnull=True) | models.Q(actual_end__isnull=True)
                | models.Q(actual_end__gte=models.F("actual_start")),
                name="activity_actual_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("planning:activity_detail", args=[self.pk])

    @property
    def start(self):
        return self.actual_start or self.planned_start

    @property
    def end(self):
        return self.actual_end or self.planned_end

    @property
    def lead_label(self):
        if self.lead == self.Lead.CENTRE and self.lead_centre_id:
            return str(self.lead_centre)
        if self.lead == self.Lead.REGIONAL_FOCAL_POINT and self.lead_group_id:
            return _("Regional focal point, %(group)s") % {"group": self.lead_group}
        if self.lead == self.Lead.PARTNER and self.lead_organisation_id:
            return str(self.lead_organisation)
        return str(self.get_lead_display())

    def language_labels(self):
        names = dict(LANGUAGES)
        return [str(names.get(code, code)) for code in self.languages]


class Partner(models.Model):
    class Role(models.TextChoices):
        FUNDING = "funding", _("Funding")
        IMPLEMENTING = "implementing", _("Implementing")
        CO_ORGANISING = "co_organising", _("Co-organising")
        EXPERTISE = "expertise", _("Expertise")
        HOST = "host", _("Host")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey("accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="partnerships")
    role = models.CharField(_("role"), max_length=15, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [models.UniqueConstraint(fields=["activity", "organisation", "role"], name="partner_role_once")]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class BudgetLine(models.Model):
    """Money for an activity from one source in one currency: planned, secured and spent."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(_("source of funds"), max_length=120)
    funder = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("funding organisation"), on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    secured = models.DecimalField(_("secured"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    spent = models.DecimalField(_("spent"), max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["currency", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [models.UniqueConstraint(fields=["activity", "source", "currency"], name="budget_line_per_source_and_currency")]

    def __str__(self):
        return f"{self.source} ({self.currency})"


# -- Outputs and results ---------------------------------------------------------------------------


class ActivityReport(models.Model):
    """What an activity produced, reported by its lead and reviewed by the Secretariat."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("what was done and achieved"))
    final = models.BooleanField(_("final report"), default=True, help_text=_("The activity is completed with this report."))
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")

    def __str__(self):
        return _("Report on %(activity)s") % {"activity": self.activity.code}

    def get_absolute_url(self):
        return reverse("planning:report_detail", args=[self.pk])

    @property
    def editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class Participation(models.Model):
    """How many people from one country took part, by sex."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="participations")
    country = models.ForeignKey("reference.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+")
    women = models.PositiveIntegerField(_("women"), default=0)
    men = models.PositiveIntegerField(_("men"), default=0)
    unspecified = models.PositiveIntegerField(_("not stated"), default=0)

    class Meta:
        ordering = ["country__name_en"]
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [models.UniqueConstraint(fields=["report", "country"], name="participation_per_country")]

    def __str__(self):
        return f"{self.country}: {self.total}"

    @property
    def total(self):
        return self.women + self.men + self.unspecified


class Material(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training material")
        GUIDANCE = "guidance", _("Guidance")
        REPORT = "report", _("Report")
        TOOL = "tool", _("Tool or database")
        MEDIA = "media", _("Video or other media")

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("address"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title


class IndicatorValue(models.Model):
    """A value of an expected result's indicator reached by an activity, as reported."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="indicator_values")
    result = models.ForeignKey(ExpectedResult, verbose_name=_("expected result"), on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["result", "pk"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [models.UniqueConstraint(fields=["report", "result"], name="indicator_value_per_report")]

    def __str__(self):
        return f"{self.result.indicator}: {self.value}"


class Evaluation(models.Model):
    """The follow-up asked of a Party's focal points some months after an activity ended."""

    class Outcome(models.TextChoices):
        NOT_MET = "not_met", _("Not met")
        PARTLY_MET = "partly_met", _("Partly met")
        MET = "met", _("Met")

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evaluations")
    country = models.ForeignKey("reference.Country", verbose_name=_("Party"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("asked on"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    usefulness = models.PositiveSmallIntegerField(
        _("usefulness"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    outcome = models.CharField(_("the needs addressed are"), max_length=10, choices=Outcome.choices, blank=True)
    applied = models.TextField(_("what has been applied since"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "country__name_en"]
        verbose_name = _("follow-up evaluation")
        verbose_name_plural = _("follow-up evaluations")
        constraints = [models.UniqueConstraint(fields=["activity", "country"], name="evaluation_per_activity_and_party")]

    def __str__(self):
        return f"{self.activity.code} — {self.country}"

    def get_absolute_url(self):
        return reverse("planning:evaluation", args=[self.pk])
