"""Forms of the pages where providers and the Secretariat manage offers.

``OfferForm`` only parses what was posted; whether the offer as a whole holds (a value has a
currency, the end follows the start, someone is eligible…) is for ``offers.services`` to say,
and its errors are put back next to the fields they concern.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from tahub.accounts.models import Organisation
from tahub.core.forms import DateInput, SectionedForm, tree_choices
from tahub.offers.models import LANGUAGES, Offer
from tahub.offers.permissions import offer_policy, provider_ids
from tahub.offers.services import OfferData
from tahub.reference.models import Convention, Country, KindOfHelp, RegionalGroup, Theme

# The eligibility checkboxes and the OfferData flag each sets.
ELIGIBLE_CLASSES = [
    ("developing", _("All developing-country Parties")),
    ("transition", _("All Parties with economies in transition")),
    ("ldc", _("Least developed countries (LDCs)")),
    ("sids", _("Small island developing States (SIDS)")),
]
MIN_LINK_ROWS = 3
MAX_LINK_ROWS = 20


class OfferForm(SectionedForm, forms.Form):
    """An offer as a provider or the Secretariat writes it. ``offer`` given: the form edits it
    (no provider to choose, the ``lock_version`` it was loaded at travels with the form)."""

    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Organisation.objects.none())
    received_as = forms.CharField(
        label=_("Received as"), required=False, max_length=200,
        help_text=_("The letter or e-mail the offer came in, e.g. “Letter of 3 March 2026, ref. ENV/123”."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, lists starting with “-”, links as [text](https://…). HTML is removed."),
    )
    kinds = forms.ModelMultipleChoiceField(
        label=_("Kinds of help"), queryset=KindOfHelp.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    conventions = forms.ModelMultipleChoiceField(
        label=_("Conventions"), queryset=Convention.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    eligibility = forms.MultipleChoiceField(
        label=_("Groups of Parties"), choices=ELIGIBLE_CLASSES, required=False, widget=forms.CheckboxSelectMultiple
    )
    eligible_groups = forms.ModelMultipleChoiceField(
        label=_("UN regional groups"), queryset=RegionalGroup.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible_countries = forms.ModelMultipleChoiceField(
        label=_("Countries"), queryset=Country.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    modality = forms.ChoiceField(label=_("Modality"), choices=Offer.Modality.choices, widget=forms.RadioSelect)
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("To"), required=False, widget=DateInput, help_text=_("Empty for a standing offer."))
    places = forms.IntegerField(label=_("Places"), required=False, min_value=0)
    expert_days = forms.IntegerField(label=_("Expert days"), required=False, min_value=0)
    countries_capacity = forms.IntegerField(label=_("Number of countries"), required=False, min_value=0)
    amount = forms.DecimalField(label=_("Value"), required=False, max_digits=14, decimal_places=2)
    currency = forms.CharField(
        label=_("Currency"), required=False, max_length=3, help_text=_("ISO 4217 code, e.g. USD.")
    )
    in_kind_days = forms.IntegerField(label=_("In-kind days"), required=False, min_value=0)
    how_to_apply = forms.CharField(
        label=_("How to apply"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who may see the offer once published"), choices=Offer.Visibility.choices,
        initial=Offer.Visibility.PUBLIC, widget=forms.RadioSelect,
    )

    # The parts of the page: (key, legend, help, field names); the "links" part shows ``link_rows``.
    SECTIONS = [
        ("offer", _("The offer"), "", ["provider", "received_as", "title", "description", "kinds", "themes", "conventions"]),
        (
            "eligibility", _("Who is eligible"), _("Choose at least one: a Party is eligible when any of these includes it."),
            ["eligibility", "eligible_groups", "eligible_countries"],
        ),
        ("delivery", _("Delivery"), "", ["languages", "modality", "starts_on", "ends_on"]),
        (
            "capacity", _("Capacity and value"), "",
            ["places", "expert_days", "countries_capacity", "amount", "currency", "in_kind_days"],
        ),
        ("apply", _("How to apply"), "", ["how_to_apply", "contact_name", "contact_email"]),
        (
            "links", _("Links"),
            _("Pages with more on the offer: a title and an address each. Empty a row to remove its link."), [],
        ),
        ("visibility", _("Visibility"), "", ["visibility"]),
    ]

    def __init__(self, *args, actor, offer=None, provider=None, **kwargs):
        """``provider`` fixes the organisation of a new offer (an answer to its survey invitation)."""
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.fixed_provider = offer.provider if offer is not None else provider
        if offer is not None:
            del self.fields["provider"], self.fields["received_as"]
            self.fields["lock_version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
        elif provider is not None:
            del self.fields["provider"]
            if not offer_policy.can(actor, "record_for_provider") or provider.pk in provider_ids(actor):
                del self.fields["received_as"]
        else:
            providers = list(offer_policy.providers_for(actor).order_by("name"))
            if len(providers) == 1:
                # One organisation: nothing to choose (nor to tamper with); the page names it.
                self.fixed_provider = providers[0]
                del self.fields["provider"]
            else:
                self.fields["provider"].queryset = offer_policy.providers_for(actor)
                self.fields["provider"].choices = [("", "---------")] + [(p.pk, str(p)) for p in providers]
            if not offer_policy.can(actor, "record_for_provider"):
                del self.fields["received_as"]
        kinds = list(KindOfHelp.objects.order_by("order", "code"))
        self.fields["kinds"].queryset = KindOfHelp.objects.all()
        self.fields["kinds"].choices = tree_choices(kinds, _("%(name)s (in general)"))
        themes = list(Theme.objects.order_by("order", "code"))
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["themes"].choices = tree_choices(themes, _("%(name)s (the whole theme)"))
        self.fields["conventions"].queryset = Convention.objects.order_by("order")
        self.fields["eligible_groups"].queryset = RegionalGroup.objects.order_by("order")
        self.fields["eligible_countries"].queryset = Country.objects.parties().order_by_name()
        self._add_link_rows()

    # Links: a few title + address rows; blank rows are ignored.

    def _link_row_count(self):
        posted = [
            int(key.rsplit("_", 1)[1]) for key in (self.data or {})
            if key.startswith("link_title_") and key.rsplit("_", 1)[1].isdigit()
        ]
        existing = len(self.initial.get("links", []))
        return min(MAX_LINK_ROWS, max(MIN_LINK_ROWS, existing + 1, max(posted, default=-1) + 1))

    def _add_link_rows(self):
        for index, (title, url) in enumerate(self.initial.get("links", [])):
            self.initial[f"link_title_{index}"] = title
            self.initial[f"link_url_{index}"] = url
        for index in range(self._link_row_count()):
            self.fields[f"link_title_{index}"] = forms.CharField(
                label=_("Title of link %(number)s") % {"number": index + 1}, required=False, max_length=200
            )
            self.fields[f"link_url_{index}"] = forms.URLField(
                label=_("Address of link %(number)s") % {"number": index + 1}, required=False, max_length=200,
                assume_scheme="https",
            )

    def link_rows(self):
        count = sum(1 for name in self.fields if name.startswith("link_title_"))
        return [(self[f"link_title_{index}"], self[f"link_url_{index}"]) for index in range(count)]

    def clean(self):
        cleaned = super().clean()
        links = []
        for title_field, url_field in self.link_rows():
            title = (cleaned.get(title_field.name) or "").strip()
            url = cleaned.get(url_field.name) or ""
            if url_field.name in self.errors:
                continue
            if title and not url:
                self.add_error(url_field.name, _("Give the address of this link, or remove its title."))
            elif url and not title:
                self.add_error(title_field.name, _("Give this link a title."))
            elif title:
                links.append((title, url))
        cleaned["links"] = links
        return cleaned

    def chosen_provider(self):
        """The organisation a new offer is from: the one chosen, or the user's only one."""
        return self.cleaned_data.get("provider") or self.fixed_provider

    def offer_data(self):
        """The valid form as the services take it."""
        data = self.cleaned_data
        classes = set(data["eligibility"])
        return OfferData(
            title=data["title"], description=data["description"], modality=data["modality"],
            kinds=list(data["kinds"]), themes=list(data["themes"]), conventions=list(data["conventions"]),
            languages=list(data["languages"]),
            eligible_developing="developing" in classes, eligible_transition="transition" in classes,
            eligible_ldc="ldc" in classes, eligible_sids="sids" in classes,
            eligible_groups=list(data["eligible_groups"]), eligible_countries=list(data["eligible_countries"]),
            starts_on=data["starts_on"], ends_on=data["ends_on"], places=data["places"],
            expert_days=data["expert_days"], countries_capacity=data["countries_capacity"],
            amount=data["amount"], currency=data["currency"], in_kind_days=data["in_kind_days"],
            how_to_apply=data["how_to_apply"], contact_name=data["contact_name"],
            contact_email=data["contact_email"], visibility=data["visibility"], links=data["links"],
        )



def offer_initial(offer):
    """What the edit form shows of ``offer`` (as ``selectors.offer_get_for`` prefetched it)."""
    flags = {
        "developing": offer.eligible_developing, "transition": offer.eligible_transition,
        "ldc": offer.eligible_ldc, "sids": offer.eligible_sids,
    }
    initial = {name: getattr(offer, name) for name in (
        "title", "description", "modality", "starts_on", "ends_on", "places", "expert_days", "countries_capacity",
        "amount", "currency", "in_kind_days", "how_to_apply", "contact_name", "contact_email", "visibility",
        "lock_version",
    )}
    initial.update(
        kinds=[kind.pk for kind in offer.kind_list],
        themes=[theme.pk for theme in offer.theme_list],
        conventions=[convention.pk for convention in offer.conventions.all()],
        languages=[language.code for language in offer.language_list],
        eligibility=[name for name, chosen in flags.items() if chosen],
        eligible_groups=[group.pk for group in offer.eligible_groups.all()],
        eligible_countries=[country.pk for country in offer.eligible_countries.all()],
        links=[(link.title, link.url) for link in offer.links.all()],
    )
    return initial


class OfferActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("publish", "publish"), ("close", "close"), ("withdraw", "withdraw")])
    reason = forms.CharField(
        label=_("Reason for withdrawal"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "required": True}),
        help_text=_("Shown on the offer's page."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, PNG or JPEG; at most 10 MB."),
    )


class MyOffersFilterForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Provider"), required=False, queryset=Organisation.objects.none(), empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Offer.Status.choices])

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers


class NoNewOffersForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, when you expect to have offers again, or whom the Secretariat could ask instead."),
    )
