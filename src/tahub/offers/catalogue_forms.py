"""The catalogue's filter form: GET parameters in, ``CatalogueFilters`` out (for the page and the downloads)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tahub.accounts.models import Organisation
from tahub.offers.models import LANGUAGES, Offer
from tahub.offers.selectors import CatalogueFilters
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme

ALL = ("", _("All"))
# Relevance without search words is newest first; a Party's own eligible offers lead in every order.
SORTS = [
    ("relevance", _("Relevance")),
    ("newest", _("Newest")),
    ("ending", _("Ending soon")),
    ("title", _("Title")),
]


def _tree_choices(items):
    """Top-level items, each followed by its refinements (indented), as select options."""
    return [(item.code, f"— {item.label}" if item.parent_id else item.label) for item in items]


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Kind of help"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    country = forms.ChoiceField(label=_("Eligible country"), required=False)
    regional_group = forms.ChoiceField(label=_("UN regional group"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[ALL, *LANGUAGES])
    modality = forms.ChoiceField(label=_("Modality"), required=False, choices=[ALL, *Offer.Modality.choices])
    provider_type = forms.ChoiceField(
        label=_("Provider type"), required=False, choices=[ALL, *Organisation.Type.choices]
    )
    convention = forms.ChoiceField(label=_("Convention"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    include_closed = forms.BooleanField(label=_("Include closed offers"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Kept for the page's kind → theme navigation, so the trees are read once.
        self.kinds = list(KindOfHelp.objects.select_related("parent").order_by("order", "code"))
        self.themes = list(Theme.objects.select_related("parent").order_by("order", "code"))
        self.fields["kind"].choices = [ALL, *_tree_choices(self.kinds)]
        self.fields["theme"].choices = [ALL, *_tree_choices(self.themes)]
        self.fields["country"].choices = [ALL] + [
            (country.iso3, country.name) for country in Country.objects.parties().order_by_name()
        ]
        self.fields["regional_group"].choices = [ALL] + [
            (group.code, group.name) for group in RegionalGroup.objects.order_by("order")
        ]
        self.fields["convention"].choices = [ALL] + [
            (convention.code, convention.name) for convention in Convention.objects.order_by("order")
        ]

    def filters(self):
        """The filters of the fields that are valid; a bad value is reported and left out, not guessed."""
        if not self.is_bound:
            return CatalogueFilters()
        self.is_valid()
        return CatalogueFilters(**{name: value for name, value in self.cleaned_data.items() if value})
