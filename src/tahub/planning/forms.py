"""Forms of the planning pages. They gather and check input; the services decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tahub.accounts.models import Organisation
from tahub.assessments.models import Cycle, Need
from tahub.core.forms import DateInput
from tahub.offers.models import LANGUAGES
from tahub.planning.models import (
    CURRENCIES,
    Activity,
    Decision,
    Evaluation,
    Material,
    Meeting,
    Paragraph,
    Partner,
    Plan,
    PriorityArea,
)
from tahub.reference.models import Convention, Country, RegionalCentre, RegionalGroup, Theme

SEVERAL = _("Hold Ctrl (or ⌘) to choose several.")


def _multiple(label, queryset, *, required=False, size=6, help_text=SEVERAL):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=queryset, required=required, widget=forms.SelectMultiple(attrs={"size": size}), help_text=help_text,
    )


def _paragraph_choices():
    return Paragraph.objects.select_related("decision").filter(asks_action=True).order_by("-decision__meeting__starts_on", "order")


class DecisionForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.select_related("convention"))
    symbol = forms.CharField(label=_("Symbol"), max_length=20, help_text=_("For example BC-14/18."))
    title = forms.CharField(label=_("Title"), max_length=255)
    url = forms.URLField(label=_("Official text"), required=False, assume_scheme="https")


class ParagraphForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=12, help_text=_("As in the decision: 4, 6 (a)."))
    verb = forms.ChoiceField(label=_("Operative verb"), choices=Paragraph.Verb.choices)
    addressee = forms.ChoiceField(label=_("Addressed to"), choices=Paragraph.Addressee.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    illustrative = forms.BooleanField(label=_("The text summarises the paragraph (not the official text)"), required=False)
    asks_action = forms.BooleanField(label=_("Asks for action"), required=False)
    due_by = forms.DateField(label=_("By"), required=False, widget=DateInput)


class PlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    start_year = forms.IntegerField(label=_("From"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("To"), min_value=2000, max_value=2100)
    conventions = forms.ModelMultipleChoiceField(
        label=_("Conventions"), queryset=Convention.objects.all(), widget=forms.CheckboxSelectMultiple,
    )
    goal = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for convention in Convention.objects.all():
            self.fields[f"objective_{convention.code}"] = forms.CharField(
                label=_("Objective under the %(convention)s") % {"convention": convention.name}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), max_length=5000,
            )

    def objectives(self):
        return {c: self.cleaned_data.get(f"objective_{c.code}", "") for c in self.cleaned_data["conventions"]}


class AdoptForm(forms.Form):
    decision = forms.ModelChoiceField(label=_("Adopted by decision"), queryset=Decision.objects.all())


class PlanParagraphsForm(forms.Form):
    paragraphs = _multiple(_("Decision paragraphs the plan answers"), Paragraph.objects.none(), size=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraphs"].queryset = _paragraph_choices()


LEVEL_CHOICES = [("high", _("High")), ("medium", _("Medium")), ("low", _("Low"))]


class PriorityAreaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    themes = _multiple(_("Themes"), Theme.objects.all(), required=True, size=10,
                       help_text=_("A theme includes its sub-themes. Hold Ctrl (or ⌘) to choose several."))
    regional_groups = forms.ModelMultipleChoiceField(
        label=_("Regions"), queryset=RegionalGroup.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None: every region."),
    )
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    cycle = forms.ModelChoiceField(
        label=_("Needs evidence from the cycle"), queryset=Cycle.objects.none(), required=False,
        help_text=_("The needs this cycle found on these themes and regions are linked, and their figures kept with today's date."),
    )
    levels = forms.MultipleChoiceField(
        label=_("Needs at the levels"), choices=LEVEL_CHOICES, initial=["high", "medium"], widget=forms.CheckboxSelectMultiple, required=False,
    )
    paragraphs = _multiple(_("Decision paragraphs it answers"), Paragraph.objects.none(), size=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = Cycle.objects.exclude(status=Cycle.Status.DRAFT).order_by("-opens_on")
        self.fields["paragraphs"].queryset = _paragraph_choices()

    def clean(self):
        data = super().clean()
        if data.get("cycle") and not data.get("levels"):
            self.add_error("levels", _("Choose the levels of the needs to draw on."))
        return data


class ResultForm(forms.Form):
    text = forms.CharField(label=_("Expected result"), max_length=255)
    indicator = forms.CharField(label=_("Indicator"), max_length=255)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=12, decimal_places=2, initial=0, min_value=0)
    target = forms.DecimalField(label=_("Target"), max_digits=12, decimal_places=2, min_value=0)


class ProgrammeForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.all())
    start_year = forms.IntegerField(label=_("Biennium from"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=255, required=False, help_text=_("Left empty: named after the biennium."))


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    type = forms.ChoiceField(label=_("Type"), choices=Activity.Type.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Activity.Level.choices)
    priority_area = forms.ModelChoiceField(label=_("Priority area"), queryset=PriorityArea.objects.none(), required=False)
    themes = _multiple(_("Themes"), Theme.objects.all(), required=True, size=8)
    conventions = forms.ModelMultipleChoiceField(label=_("Conventions"), queryset=Convention.objects.all(), widget=forms.CheckboxSelectMultiple)
    countries = _multiple(_("Target Parties"), Country.objects.none(), size=8)
    regional_groups = forms.ModelMultipleChoiceField(
        label=_("Target regions"), queryset=RegionalGroup.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
    )
    lead = forms.ChoiceField(label=_("Delivery lead"), choices=Activity.Lead.choices)
    lead_centre = forms.ModelChoiceField(label=_("Leading centre"), queryset=RegionalCentre.objects.all(), required=False)
    lead_group = forms.ModelChoiceField(label=_("Region of the leading regional focal point"), queryset=RegionalGroup.objects.all(), required=False)
    lead_organisation = forms.ModelChoiceField(label=_("Leading partner"), queryset=Organisation.objects.filter(is_active=True), required=False)
    languages = forms.MultipleChoiceField(label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, required=False)
    planned_start = forms.DateField(label=_("Planned start"), widget=DateInput)
    planned_end = forms.DateField(label=_("Planned end"), widget=DateInput)
    paragraphs = _multiple(_("Decision paragraphs answered"), Paragraph.objects.none(), size=6)
    needs = _multiple(_("Needs addressed"), Need.objects.none(), size=8,
                      help_text=_("The needs behind the plan's priority areas. Hold Ctrl (or ⌘) to choose several."))

    def __init__(self, *args, programme, centre_only=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority_area"].queryset = PriorityArea.objects.filter(plan=programme.plan_id)
        self.fields["needs"].queryset = (
            Need.objects.filter(pk__in=PriorityArea.needs.through.objects.filter(priorityarea__plan=programme.plan_id).values("need"))
            .select_related("country", "theme").order_by("country__name_en", "theme__order")
        )
        self.fields["countries"].queryset = Country.objects.parties().eligible_for_assistance().order_by("name_en")
        self.fields["paragraphs"].queryset = _paragraph_choices()
        if centre_only is not None:  # centre staff: their centre leads
            self.fields["lead"].choices = [(Activity.Lead.CENTRE, Activity.Lead.CENTRE.label)]
            self.fields["lead_centre"].queryset = RegionalCentre.objects.filter(pk__in=centre_only)
            self.fields["lead_centre"].required = True
            del self.fields["lead_group"], self.fields["lead_organisation"]

    def values(self):
        data = dict(self.cleaned_data)
        for name in ("lead_group", "lead_organisation"):
            data.setdefault(name, None)
        data["countries"] = list(data["countries"])
        data["needs"] = list(data["needs"])
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Activity.Status.choices)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text=_("Needed to postpone or cancel."))
    on = forms.DateField(label=_("On"), required=False, widget=DateInput, help_text=_("Left empty: today."))


class BudgetLineForm(forms.Form):
    source = forms.CharField(label=_("Source of funds"), max_length=120)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    planned = forms.DecimalField(label=_("Planned"), max_digits=14, decimal_places=2, min_value=0, initial=0)
    secured = forms.DecimalField(label=_("Secured"), max_digits=14, decimal_places=2, min_value=0, initial=0)
    spent = forms.DecimalField(label=_("Spent"), max_digits=14, decimal_places=2, min_value=0, initial=0)


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True).order_by("name"),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Partner.Role.choices)


class ParticipationForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.order_by("name_en"), required=False)
    women = forms.IntegerField(label=_("Women"), min_value=0, initial=0, required=False)
    men = forms.IntegerField(label=_("Men"), min_value=0, initial=0, required=False)
    unspecified = forms.IntegerField(label=_("Not stated"), min_value=0, initial=0, required=False)


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *Material.Kind.choices], required=False)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")


ParticipationFormSet = forms.formset_factory(ParticipationForm, extra=0)
MaterialFormSet = forms.formset_factory(MaterialForm, extra=0)


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("What was done and achieved"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)
    final = forms.BooleanField(label=_("Final report: the activity is completed"), required=False, initial=True)

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.results = list(results)
        for result in self.results:
            self.fields[f"result_{result.pk}"] = forms.DecimalField(
                label=f"{result.indicator} ({result.unit})", required=False, min_value=0, max_digits=12, decimal_places=2,
                help_text=_("Target %(target)s; baseline %(baseline)s.") % {"target": result.target, "baseline": result.baseline},
            )

    def indicator_values(self):
        return [
            (result, self.cleaned_data[f"result_{result.pk}"], "")
            for result in self.results if self.cleaned_data.get(f"result_{result.pk}") is not None
        ]


def participations_from(formset):
    return [
        (form.cleaned_data["country"], form.cleaned_data.get("women") or 0, form.cleaned_data.get("men") or 0,
         form.cleaned_data.get("unspecified") or 0)
        for form in formset if form.cleaned_data.get("country")
    ]


def materials_from(formset):
    return [
        (form.cleaned_data["kind"] or Material.Kind.REPORT, form.cleaned_data["title"], form.cleaned_data.get("url") or "")
        for form in formset if form.cleaned_data.get("title")
    ]


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000,
                              help_text=_("Needed to return the report."))


class EvaluationForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the activity?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 — very useful")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 — not useful"))],
    )
    outcome = forms.ChoiceField(label=_("The needs the activity addressed are now"), choices=Evaluation.Outcome.choices, widget=forms.RadioSelect)
    applied = forms.CharField(label=_("What has been applied since"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class FilterForm(forms.Form):
    """The filters of the programme list and timeline (GET)."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any")), *Activity.Status.choices])
    type = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any")), *Activity.Type.choices])
    lead = forms.ChoiceField(label=_("Lead"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    q = forms.CharField(label=_("Title or code"), required=False, max_length=100)
    # Kept from the link that opened the list (a theme, a decision paragraph), not chosen here.
    theme = forms.CharField(required=False, widget=forms.HiddenInput)
    paragraph = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        centres = [(f"centre:{c.slug}", c.acronym) for c in RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE)]
        self.fields["lead"].choices = [("", _("Any")), *Activity.Lead.choices, (_("Regional centre"), centres)]
        self.fields["region"].choices = [("", _("Any")), *[(g.code, g.name) for g in RegionalGroup.objects.all()]]
