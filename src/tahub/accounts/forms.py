from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tahub.accounts.roles import Role


class SignInForm(AuthenticationForm):
    username = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}))


class TokenCreateForm(forms.Form):
    EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("One year")), ("", _("Never"))]

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “national reporting script”."))
    expires_in = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, required=False, initial="90")

    def expires_at(self):
        days = self.cleaned_data.get("expires_in")
        return timezone.now() + timedelta(days=int(days)) if days else None


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)


class PreferencesForm(forms.Form):
    preferred_language = forms.ChoiceField(label=_("Language of the e-mails tahub sends you"), choices=settings.LANGUAGES)
    notify_daily = forms.TypedChoiceField(
        label=_("News of requests for assistance"), coerce=lambda value: value == "daily", widget=forms.RadioSelect,
        choices=[("immediate", _("One e-mail for each piece of news, at once")), ("daily", _("One digest e-mail a day"))],
        help_text=_("Emergencies are always sent at once."),
    )
