from django import forms
from django.utils.translation import gettext_lazy as _

from tahub.assessments.models import Need, NeedObservation, QuestionnaireVersion
from tahub.assessments.services.cycles import default_invited_countries
from tahub.reference.models import Convention, Country, RegionalGroup, Theme


class DateInput(forms.DateInput):
    input_type = "date"


class CycleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    version = forms.ModelChoiceField(
        label=_("Questionnaire version"),
        queryset=QuestionnaireVersion.objects.filter(status=QuestionnaireVersion.Status.PUBLISHED).select_related("questionnaire"),
    )
    conventions = forms.ModelMultipleChoiceField(
        label=_("Conventions concerned"), queryset=Convention.objects.order_by("order"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    period_start = forms.DateField(label=_("Period covered from"), widget=DateInput)
    period_end = forms.DateField(label=_("Period covered to"), widget=DateInput)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Closes on"), widget=DateInput)
    reminder_days = forms.IntegerField(label=_("Remind this many days before the deadline"), min_value=0, max_value=90, initial=14)
    offers_survey = forms.BooleanField(label=_("The available-assistance survey runs alongside"), required=False)
    countries = forms.ModelMultipleChoiceField(
        label=_("Invited Parties"),
        queryset=Country.objects.parties().order_by("name_en"),
        help_text=_("By default every Party classified as developing or as an economy in transition."),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["countries"].initial = list(default_invited_countries().values_list("pk", flat=True))


class ExtendForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput)


class NeedFilterForm(forms.Form):
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All")), *NeedObservation.Level.choices[1:]])
    regional_group = forms.ChoiceField(label=_("UN regional group"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Need.Status.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("All"))] + [(t.code, t.label) for t in Theme.objects.filter(parent__isnull=True)]
        self.fields["regional_group"].choices = [("", _("All"))] + [(g.code, g.name) for g in RegionalGroup.objects.all()]
