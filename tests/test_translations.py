"""The translation catalogues: complete, compiled, in step with the templates, placeholders intact."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.utils import translation

import tahub
from tahub.accounts.roles import Perm, Role

PACKAGE_DIR = Path(tahub.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
LOCALES = ["fr", "es", "ar", "ru", "zh_Hans"]
PLURAL_FORMS = {"fr": 2, "es": 3, "ar": 6, "ru": 4, "zh_Hans": 1}

PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>|&\w+;")
# {% translate "..." %} or {% trans '...' %} with a literal string (filters, "as", "noop" may follow).
TRANSLATE_TAG = re.compile(r"""{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")
# _("...") inside a template tag or filter argument, e.g. |default:_("never").
TEMPLATE_GETTEXT = re.compile(r"""\b_\((?:"([^"]*)"|'([^']*)')\)""")


def po_path(locale):
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def catalogue(locale):
    return polib.pofile(str(po_path(locale)))


def translations(entries):
    """{(context, msgid): msgstr, or the tuple of plural forms} for the translated entries."""
    table = {}
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural))
            if all(forms):
                table[(entry.msgctxt, entry.msgid)] = forms
        elif entry.msgstr:
            table[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return table


def template_msgids():
    found = set()
    for template in sorted(TEMPLATES_DIR.rglob("*.html")) + sorted(TEMPLATES_DIR.rglob("*.txt")):
        text = template.read_text(encoding="utf-8")
        for pattern in (TRANSLATE_TAG, TEMPLATE_GETTEXT):
            for double, single in pattern.findall(text):
                found.add((template.relative_to(TEMPLATES_DIR).as_posix(), double or single))
    return found


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete_and_not_fuzzy(locale):
    assert po_path(locale).exists()
    po = catalogue(locale)

    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert len(po.translated_entries()) > 100
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Language"] == locale
    assert f"nplurals={PLURAL_FORMS[locale]};" in po.metadata["Plural-Forms"].replace(" ", "")
    for entry in po:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(PLURAL_FORMS[locale])), entry.msgid
            assert all(entry.msgstr_plural.values()), entry.msgid


@pytest.mark.parametrize("locale", ["ar", "ru", "zh_Hans"])
def test_draft_catalogues_say_they_need_review(locale):
    assert "Machine-made draft translation: to be reviewed by a translator." in catalogue(locale).header


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_matches_its_source(locale):
    mo_path = po_path(locale).with_suffix(".mo")
    assert mo_path.exists(), "run compilemessages"

    compiled = translations(polib.mofile(str(mo_path)))
    source = translations(catalogue(locale).translated_entries())

    assert compiled == source, "the .mo file is out of date: run compilemessages"


def test_every_literal_template_string_is_in_the_catalogues():
    found = template_msgids()
    assert len(found) > 50  # the scan itself works

    for locale in LOCALES:
        msgids = {entry.msgid for entry in catalogue(locale)}
        missing = sorted(f"{template}: {msgid}" for template, msgid in found if msgid not in msgids)
        assert missing == [], f"{locale}: run makemessages and translate"


def test_role_and_permission_labels_are_in_the_catalogues():
    with translation.override(None):
        labels = {str(label) for label in [*Role.labels, *Perm.labels]}

    for locale in LOCALES:
        msgids = {entry.msgid for entry in catalogue(locale)}
        assert sorted(labels - msgids) == [], locale


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_and_markup_are_kept(locale):
    for entry in catalogue(locale):
        if not entry.msgid:
            continue
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, text) for text in entry.msgstr_plural.values()]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for original, text in pairs:
            assert Counter(PLACEHOLDER.findall(text)) == Counter(PLACEHOLDER.findall(original)), (
                f"{locale}: placeholders differ in {text!r}"
            )
            assert Counter(HTML_TAG.findall(text)) == Counter(HTML_TAG.findall(original)), (
                f"{locale}: markup differs in {text!r}"
            )
            assert "\n" not in text or "\n" in original, f"{locale}: line break added in {text!r}"


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("fr", "Secretariat", "Secrétariat"),
        ("fr", "UN regional group", "Groupe régional de l'ONU"),
        ("fr", "Regional centres", "Centres régionaux"),
        ("es", "Secretariat", "Secretaría"),
        ("es", "Developing country", "País en desarrollo"),
        ("ru", "Parties", "Стороны"),
        ("ar", "Secretariat", "الأمانة"),
        ("zh-hans", "Parties", "缔约方"),
    ],
)
def test_strings_render_translated(language, msgid, expected):
    with translation.override(language):
        assert translation.gettext(msgid) == expected


@pytest.mark.parametrize(
    ("language", "count", "expected"),
    [
        ("fr", 1, "1 pays"),
        ("es", 2, "2 países"),
        ("ru", 1, "1 страна"),
        ("ru", 3, "3 страны"),
        ("ru", 11, "11 стран"),
        ("ar", 2, "2 بلدان"),
        ("ar", 11, "11 بلدًا"),
        ("zh-hans", 5, "5个国家"),
    ],
)
def test_plural_forms_follow_the_language(language, count, expected):
    with translation.override(language):
        text = translation.ngettext("%(counter)s country", "%(counter)s countries", count)

    assert text % {"counter": count} == expected
