from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tahub.core.i18n import is_fallback

register = template.Library()


@register.simple_tag
def fallback_marker(obj, base):
    """A visible note when a text is shown in English for want of a translation."""
    if not is_fallback(obj, base):
        return ""
    return format_html(' <span class="fallback" lang="en">({})</span>', _("in English"))
