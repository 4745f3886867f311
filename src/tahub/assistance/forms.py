"""Forms of the request pages: filing, the list's filters, and the actions on a request."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.assistance.models import Request
from tahub.assistance.permissions import centre_ids, party_ids, request_policy
from tahub.assistance.selectors import AGES, RequestFilters, possible_owners
from tahub.assistance.services import RequestData
from tahub.core.forms import DateInput, SectionedForm, tree_choices
from tahub.offers.models import LANGUAGES, Offer
from tahub.reference.models import (
    Convention,
    Country,
    KindOfHelp,
    RegionalCentre,
    RegionalGroup,
    Theme,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); the services check each."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


def attachments_field():
    return MultipleFileField(
        label=_("Attachments"), required=False,
        help_text=_("PDF, Word, Excel or PowerPoint files, or PNG or JPEG images; at most 10 MB each."),
    )


class RequestForm(SectionedForm, forms.Form):
    """A new request: for the focal point's own Party, or, for the Secretariat and centres, any
    Party they may file for (with co-requesters for a regional request)."""

    country = forms.ModelChoiceField(label=_("Requesting Party"), queryset=Country.objects.none())
    co_requesters = forms.ModelMultipleChoiceField(
        label=_("Other Parties concerned (regional request)"), queryset=Country.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}), help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    source_document = forms.CharField(
        label=_("Source document"), required=False, max_length=255,
        help_text=_("The letter, fax or e-mail the request came in, e.g. “Letter of 3 March 2026, ref. ENV/123”."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("The problem and the help wanted"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
    )
    kinds = forms.ModelMultipleChoiceField(
        label=_("Kinds of help"), queryset=KindOfHelp.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    conventions = forms.ModelMultipleChoiceField(
        label=_("Conventions"), queryset=Convention.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    urgency = forms.ChoiceField(
        label=_("Urgency"), choices=Request.Urgency.choices, initial=Request.Urgency.NORMAL, widget=forms.RadioSelect,
        help_text=_("Emergency: an incident involving hazardous or other wastes that needs help now."),
    )
    incident_what = forms.CharField(
        label=_("What happened"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    incident_where = forms.CharField(label=_("Where"), required=False, max_length=255)
    incident_when = forms.DateTimeField(label=_("When"), required=False, widget=DateTimeInput)
    incident_quantities = forms.CharField(label=_("Quantities, if known"), required=False, max_length=255)
    desired_start = forms.DateField(label=_("Desired start"), required=False, widget=DateInput)
    duration_months = forms.IntegerField(label=_("Duration in months"), required=False, min_value=1, max_value=120)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, required=False, widget=forms.CheckboxSelectMultiple
    )
    modality = forms.ChoiceField(
        label=_("Preferred modality"), required=False,
        choices=[("", _("No preference")), *Offer.Modality.choices], widget=forms.RadioSelect,
    )
    expected_outputs = forms.CharField(
        label=_("Expected outputs"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    contribution = forms.CharField(
        label=_("What the Party contributes"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Co-finance, staff time, premises, other in-kind support."),
    )
    other_providers = forms.CharField(
        label=_("Other providers already approached"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_public = forms.BooleanField(
        label=_("The request may appear in the public clearing-house (without names or contact details)"),
        required=False, help_text=_("So that providers of assistance can see it and offer help."),
    )
    attachments = attachments_field()

    SECTIONS = [
        ("party", _("Who requests"), "", ["country", "co_requesters", "source_document"]),
        ("request", _("The request"), "", ["title", "description", "kinds", "themes", "conventions"]),
        (
            "urgency", _("Urgency"),
            _("For an emergency, describe the incident: the Secretariat and your regional focal point are alerted at once."),
            ["urgency", "incident_what", "incident_where", "incident_when", "incident_quantities"],
        ),
        ("delivery", _("How and when"), "", ["desired_start", "duration_months", "languages", "modality"]),
        ("more", _("Outputs and contributions"), "", ["expected_outputs", "contribution", "other_providers"]),
        ("files", _("Documents and publication"), "", ["attachments", "is_public"]),
    ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_country = None
        secretariat = request_policy.can(actor, "file_for_any_party")
        centres = centre_ids(actor)
        own = Country.objects.filter(pk__in=party_ids(actor, Role.PARTY_FOCAL_POINT)).order_by_name()
        if secretariat:
            parties = Country.objects.parties().order_by_name()
        elif centres:
            parties = (own | Country.objects.filter(centres__in=centres)).distinct().order_by_name()
        else:
            parties = own
        self.fields["country"].queryset = parties
        if not secretariat and not centres and len(own) == 1:
            # One Party: nothing to choose (nor to tamper with); the page names it.
            self.fixed_country = own[0]
            del self.fields["country"]
        if secretariat or centres:
            self.fields["co_requesters"].queryset = parties
        else:
            del self.fields["co_requesters"]
        if not secretariat:
            del self.fields["source_document"]
        kinds = list(KindOfHelp.objects.order_by("order", "code"))
        self.fields["kinds"].queryset = KindOfHelp.objects.all()
        self.fields["kinds"].choices = tree_choices(kinds, _("%(name)s (in general)"))
        themes = list(Theme.objects.order_by("order", "code"))
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["themes"].choices = tree_choices(themes, _("%(name)s (the whole theme)"))
        self.fields["conventions"].queryset = Convention.objects.order_by("order")

    def chosen_country(self):
        return self.cleaned_data.get("country") or self.fixed_country

    def request_data(self):
        data = self.cleaned_data
        return RequestData(
            title=data["title"], description=data["description"], themes=list(data["themes"]),
            kinds=list(data["kinds"]), conventions=list(data["conventions"]), desired_start=data["desired_start"],
            duration_months=data["duration_months"], languages=list(data["languages"]), modality=data["modality"],
            expected_outputs=data["expected_outputs"], contribution=data["contribution"],
            other_providers=data["other_providers"], urgency=data["urgency"], incident_what=data["incident_what"],
            incident_where=data["incident_where"], incident_when=data["incident_when"],
            incident_quantities=data["incident_quantities"], is_public=data["is_public"],
        )


ALL = ("", _("All"))


class RequestFilterForm(forms.Form):
    q = forms.CharField(label=_("Words in the title or description"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("State"), required=False, choices=[ALL, *Request.Status.choices])
    urgency = forms.ChoiceField(label=_("Urgency"), required=False, choices=[ALL, *Request.Urgency.choices])
    regional_group = forms.ChoiceField(label=_("UN regional group"), required=False)
    country = forms.ChoiceField(label=_("Party"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    kind = forms.ChoiceField(label=_("Kind of help"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    centre = forms.ChoiceField(label=_("Centre"), required=False)
    age = forms.ChoiceField(
        label=_("Submitted"), required=False,
        choices=[ALL, ("week", _("In the last 7 days")), ("month", _("In the last month")),
                 ("quarter", _("In the last 3 months")), ("older", _("More than 3 months ago"))],
    )
    open_only = forms.BooleanField(label=_("Open only"), required=False)
    overdue_only = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regional_group"].choices = [ALL] + [
            (group.code, group.name) for group in RegionalGroup.objects.order_by("order")
        ]
        self.fields["country"].choices = [ALL] + [(c.iso3, c.name) for c in Country.objects.parties().order_by_name()]
        indent = "\u2003"
        self.fields["theme"].choices = [ALL] + [
            (t.code, f"{indent}{t.label}" if t.parent_id else t.label) for t in Theme.objects.order_by("order", "code")
        ]
        self.fields["kind"].choices = [ALL] + [
            (k.code, f"{indent}{k.label}" if k.parent_id else k.label) for k in KindOfHelp.objects.order_by("order", "code")
        ]
        self.fields["owner"].choices = [ALL] + [(str(u.pk), u.full_name or u.email) for u in possible_owners()]
        self.fields["centre"].choices = [ALL] + [
            (c.slug, c.acronym or c.name) for c in RegionalCentre.objects.order_by("acronym")
        ]

    def filters(self):
        """The valid filters (an invalid value drops that filter only)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        owner = data.get("owner") or ""
        return RequestFilters(
            q=data.get("q", ""), status=data.get("status", ""), urgency=data.get("urgency", ""),
            regional_group=data.get("regional_group", ""), country=data.get("country", ""),
            theme=data.get("theme", ""), kind=data.get("kind", ""), owner=int(owner) if owner.isdecimal() else None,
            centre=data.get("centre", ""), age=data.get("age", "") if data.get("age") in (*AGES, "older") else "",
            open_only=bool(data.get("open_only")), overdue_only=bool(data.get("overdue_only")),
        )


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Request.Status.choices, widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}))
    attachments = attachments_field()


class AnswerForm(MessageForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the help?"), coerce=int, widget=forms.RadioSelect,
        choices=[(5, _("5 — excellent")), (4, _("4 — good")), (3, _("3 — fair")), (2, _("2 — poor")), (1, _("1 — of no use"))],
    )
    need_met = forms.ChoiceField(label=_("Is the need met?"), choices=Request.NeedMet.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = possible_owners()


class ProposeCentreForm(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Centre"), queryset=RegionalCentre.objects.filter(status=RegionalCentre.Status.ACTIVE).order_by("acronym")
    )


class DeclineRoutingForm(forms.Form):
    reason = forms.CharField(label=_("Why the centre cannot take it"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class LinkNeedForm(forms.Form):
    need = forms.ModelChoiceField(label=_("Need answered"), queryset=None, required=False)

    def __init__(self, *args, country, **kwargs):
        super().__init__(*args, **kwargs)
        from tahub.assessments.models import Need

        self.fields["need"].queryset = Need.objects.filter(country=country).select_related("theme").order_by("theme__order")
        self.fields["need"].label_from_instance = lambda need: need.theme.label
