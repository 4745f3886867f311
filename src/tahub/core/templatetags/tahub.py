from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tahub.core.i18n import is_fallback, pick

register = template.Library()


@register.simple_tag
def translated(obj, base):
    """A six-language text in the active language; an English fallback is marked as such."""
    text = getattr(obj, base)
    if not is_fallback(obj, base):
        return text
    return format_html('<span lang="en">{}</span> <span class="fallback">({})</span>', text, _("in English"))


@register.simple_tag
def text_of(texts):
    """A ``{suffix: text}`` dict in the active language; an English fallback is marked."""
    text, fallback = pick(texts)
    if not fallback:
        return text
    return format_html('<span lang="en">{}</span> <span class="fallback">({})</span>', text, _("in English"))


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if hasattr(mapping, "get") else None
