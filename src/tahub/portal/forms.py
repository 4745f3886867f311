from django import forms
from django.utils.translation import gettext_lazy as _

from tahub.reference.models import Country, RegionalCentre, RegionalGroup


class PartyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or ISO code"), required=False, max_length=100)
    regional_group = forms.ChoiceField(label=_("UN regional group"), required=False)
    classification = forms.ChoiceField(
        label=_("Classification"), required=False, choices=[("", _("All")), *Country.Classification.choices]
    )
    basel_party = forms.ChoiceField(
        label=_("Basel Convention status"), required=False, choices=[("", _("All")), *Country.PartyStatus.choices]
    )
    centre = forms.ChoiceField(label=_("Served by centre"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regional_group"].choices = [("", _("All"))] + [
            (group.code, group.name) for group in RegionalGroup.objects.order_by("order")
        ]
        self.fields["centre"].choices = [("", _("All"))] + [
            (centre.slug, centre.acronym) for centre in RegionalCentre.objects.order_by("acronym")
        ]
