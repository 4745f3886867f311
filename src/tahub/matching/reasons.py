"""Reasons kept as data (codes and numbers) put into words in the reader's language."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tahub.assessments.models import NeedObservation
from tahub.offers.models import LANGUAGES
from tahub.reference.models import KindOfHelp, Theme


def labels():
    """Theme and kind labels by code, in the active language (two queries)."""
    return {
        "themes": {theme.code: theme.label for theme in Theme.objects.all()},
        "kinds": {kind.code: kind.label for kind in KindOfHelp.objects.all()},
    }


def _names(codes, table):
    return ", ".join(str(table.get(code, code)) for code in codes)


def describe(reason, names):
    factor = reason.get("factor")
    if factor == "theme":
        themes = _names(reason.get("themes", []), names["themes"])
        return {
            "exact": _("Theme: %(themes)s (the same)"),
            "related": _("Theme: %(themes)s (a broader or narrower theme)"),
            "area": _("Same area: %(themes)s"),
        }.get(reason.get("fit"), "%(themes)s") % {"themes": themes}
    if factor == "kinds":
        return _("Kind of help: %(kinds)s") % {"kinds": _names(reason.get("kinds", []), names["kinds"])}
    if factor == "level":
        if reason.get("level") == "emergency":
            return _("Emergency")
        levels = dict(NeedObservation.Level.choices)
        return _("Need level: %(level)s") % {"level": levels.get(reason.get("level"), reason.get("level"))}
    if factor == "language":
        languages = dict(LANGUAGES)
        return _("Language: %(languages)s") % {"languages": _names(reason.get("languages", []), languages)}
    if factor == "modality":
        return _("Modality as wished")
    value = reason.get("value", 0)
    if factor == "timing":
        return _("Timing overlap: %(percent)s%%") % {"percent": round(value * 100)}
    if factor == "capacity":
        return _("Remaining capacity: %(percent)s%%") % {"percent": round(value * 100)}
    if factor == "text":
        return _("Text similarity: %(value)s") % {"value": number_format(value, 2)}
    return str(reason)


def describe_all(reasons, names):
    return [describe(reason, names) for reason in reasons]
