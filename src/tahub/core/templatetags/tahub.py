from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tahub.core.i18n import is_fallback

register = template.Library()


@register.simple_tag
def translated(obj, base):
    """A six-language text in the active language; an English fallback is marked as such."""
    text = getattr(obj, base)
    if not is_fallback(obj, base):
        return text
    return format_html('<span lang="en">{}</span> <span class="fallback">({})</span>', text, _("in English"))
