from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tahub.accounts.models import Organisation
from tahub.assessments.models import Cycle, Need, NeedObservation, QuestionnaireVersion
from tahub.assessments.selectors import PartyGroup, cycle_list_for, need_party_choices_for
from tahub.assessments.services.cycles import default_invited_countries
from tahub.assessments.services.survey import default_invited_providers
from tahub.core.forms import DateInput
from tahub.core.i18n import pick
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme


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

    providers = forms.ModelMultipleChoiceField(
        label=_("Providers asked in the available-assistance survey"),
        queryset=Organisation.objects.filter(is_active=True).order_by("name"), required=False,
        help_text=_(
            "Used only when the survey runs. By default the governments of developed-country Parties and the "
            "intergovernmental organisations that have someone in tahub to answer."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["countries"].initial = list(default_invited_countries().values_list("pk", flat=True))
            self.fields["providers"].initial = list(default_invited_providers().values_list("pk", flat=True))


class ContributorInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"))
    preferred_language = forms.ChoiceField(label=_("Language of the e-mails"), choices=settings.LANGUAGES)
    sections = forms.MultipleChoiceField(
        label=_("Sections to draft"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(section.code, pick(section.labels)[0]) for section in sections]


class ExtendForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DateInput)


REPORTED_LEVEL_CHOICES = [choice for choice in NeedObservation.Level.choices if choice[0] != NeedObservation.Level.NONE]


def _grouped_under_top_level(nodes, value, whole):
    """Choices of a two-level tree: one group per top-level node, which comes first as a choice of its own.

    ``whole`` labels that first choice, with ``%(name)s`` for the node's label.
    """
    children = {}
    for node in nodes:
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node)
    return [
        (top.label, [(value(top), whole % {"name": top.label}), *[(value(child), child.label) for child in children.get(top.pk, [])]])
        for top in nodes
        if top.parent_id is None
    ]


class NeedFilterForm(forms.Form):
    """Filters of the needs list; the Parties and cycles offered are those ``actor`` may see."""

    country = forms.ChoiceField(label=_("Party"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    kind = forms.ChoiceField(label=_("Kind of help"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All")), *REPORTED_LEVEL_CHOICES])
    regional_group = forms.ChoiceField(label=_("UN regional group"), required=False)
    classification = forms.ChoiceField(
        label=_("Group of Parties"), required=False, choices=[("", _("All")), *PartyGroup.choices]
    )
    cycle = forms.ModelChoiceField(label=_("Cycle"), required=False, queryset=Cycle.objects.none(), empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Need.Status.choices])

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All"))] + [(c.iso3, c.name) for c in need_party_choices_for(actor)]
        self.fields["theme"].choices = [("", _("All"))] + [(t.code, t.label) for t in Theme.objects.filter(parent__isnull=True)]
        self.fields["kind"].choices = [("", _("All"))] + _grouped_under_top_level(
            list(KindOfHelp.objects.all()), lambda kind: kind.code, _("%(name)s: any")
        )
        self.fields["regional_group"].choices = [("", _("All"))] + [(g.code, g.name) for g in RegionalGroup.objects.all()]
        self.fields["cycle"].queryset = cycle_list_for(actor)


class NeedRecordForm(forms.Form):
    """A need the Secretariat learnt of outside an assessment cycle."""

    country = forms.ModelChoiceField(label=_("Party"), queryset=Country.objects.none())
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    level = forms.ChoiceField(label=_("Level of need"), choices=REPORTED_LEVEL_CHOICES, widget=forms.RadioSelect)
    kinds = forms.ModelMultipleChoiceField(
        label=_("Kinds of help"), queryset=KindOfHelp.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(label=_("Comment"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.ChoiceField(
        label=_("Source"), choices=[choice for choice in Need.Source.choices if choice[0] != Need.Source.ASSESSMENT]
    )
    source_reference = forms.CharField(
        label=_("Source reference"), required=False, max_length=255,
        help_text=_("The request number, the national report, the decision symbol or the meeting."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.parties().order_by_name()
        themes = list(Theme.objects.all())
        self.fields["theme"].queryset = Theme.objects.all()
        self.fields["theme"].choices = [("", "---------")] + _grouped_under_top_level(
            themes, lambda theme: theme.pk, _("%(name)s (the whole theme)")
        )
        self.fields["kinds"].queryset = KindOfHelp.objects.filter(parent__isnull=False)


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Need.Status.choices)
