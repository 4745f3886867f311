from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tahub.reports.models import Rendering


class RenderForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=Rendering.Format.choices, initial=Rendering.Format.DOCX)
    language = forms.ChoiceField(label=_("Language of the document"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.translation import get_language

        self.fields["language"].initial = get_language()
