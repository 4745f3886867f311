import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tahub.matching.models import AlertSubscription, Match

ACTIONS = ("confirm", "dismiss", "restore", "convey")


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(label=_("Why dismiss it?"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next = forms.CharField(required=False)


class AddForm(forms.Form):
    offer = forms.CharField(
        label=_("Offer"), max_length=300,
        help_text=_("The offer's number or the address of its page, e.g. 1234 or …/offers/1234/."),
    )
    note = forms.CharField(label=_("Why this offer?"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_offer(self):
        found = re.findall(r"\d+", self.cleaned_data["offer"])
        if not found:
            raise forms.ValidationError(_("Give the offer's number or the address of its page."))
        return int(found[-1])


class ProviderAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=Match.ProviderAnswer.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required if you are not able to help: say why."),
    )


class PartyAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=Match.PartyAnswer.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required if the offer is not relevant: say why."),
    )


class AlertForm(forms.Form):
    """One checkbox and frequency per alert the person may receive."""

    def __init__(self, *args, kinds, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            subscription = current.get(kind)
            self.fields[f"{kind}_on"] = forms.BooleanField(
                label=AlertSubscription.Kind(kind).label, required=False,
                initial=bool(subscription and subscription.is_active),
            )
            self.fields[f"{kind}_frequency"] = forms.ChoiceField(
                label=_("How often"), choices=AlertSubscription.Frequency.choices,
                initial=subscription.frequency if subscription else AlertSubscription.Frequency.WEEKLY,
            )
