"""Helpers for content that carries its own translations (names and labels in six languages)."""

from django.utils.translation import get_language

# Suffix of a translated field for each interface language.
LANGUAGE_SUFFIXES = {"ar": "ar", "zh-hans": "zh", "en": "en", "fr": "fr", "es": "es", "ru": "ru"}
SUFFIXES = tuple(LANGUAGE_SUFFIXES.values())


def current_suffix():
    return LANGUAGE_SUFFIXES.get((get_language() or "en").lower(), "en")


class Translated:
    """Read the value of a six-language field set in the active language.

    ``name = Translated("name")`` on a model with ``name_en`` … ``name_zh`` gives
    ``obj.name`` in the current language, falling back to English when missing;
    ``is_fallback(obj, "name")`` tells a template to mark the fallback.
    """

    def __init__(self, base):
        self.base = base

    def __set_name__(self, owner, attr):
        self.attr = attr

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = getattr(obj, f"{self.base}_{current_suffix()}", "")
        return value or getattr(obj, f"{self.base}_en")


def is_fallback(obj, base):
    """True when the active language has no own text and English is shown instead."""
    suffix = current_suffix()
    return suffix != "en" and not getattr(obj, f"{base}_{suffix}", "")


def pick(texts):
    """``(text, is_fallback)`` from a ``{suffix: text}`` dict in the active language, else English."""
    texts = texts or {}
    own = texts.get(current_suffix(), "")
    if own:
        return own, False
    return texts.get("en", ""), current_suffix() != "en"
