"""Differences between two sets of answers, question by question, in words people read.

Used by the response history: an amendment against the accepted version, a resubmission
against what was returned, one saved state against the one before it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tahub.assessments.spec import QuestionType
from tahub.core.i18n import pick


@dataclass
class Change:
    code: str
    label: str
    before: str
    after: str


def _blank(value):
    return value in (None, "", [], {})


def _choice_label(spec, question, value):
    for choice in spec.choice_lists.get(question.choice_list, []):
        if choice.value == value:
            return pick(choice.labels)[0]
    return str(value)


def display(spec, question, value, *, themes=None, kinds=None):
    """One answer as text: choice labels, yes/no in words, lists joined; "—" when unanswered."""
    if _blank(value):
        return "—"
    if question.type == QuestionType.YES_NO:
        return {"yes": _("Yes"), "no": _("No")}.get(value, str(value))
    if question.type == QuestionType.SELECT_ONE:
        return _choice_label(spec, question, value)
    if question.type == QuestionType.SELECT_MULTIPLE and isinstance(value, list):
        return ", ".join(_choice_label(spec, question, item) for item in value)
    if question.type == QuestionType.THEME_MATRIX and isinstance(value, dict):
        return "; ".join(
            _matrix_row(code, row, themes or {}, kinds or {}) for code, row in value.items() if not _blank_row(row)
        ) or "—"
    return str(value)


def _blank_row(row):
    return not isinstance(row, dict) or all(_blank(item) for item in row.values())


def _matrix_row(code, row, themes, kinds):
    if not isinstance(row, dict):
        return f"{themes.get(code, code)}: {row}"
    parts = [str(row.get("level") or "—")]
    if row.get("kinds"):
        parts.append(", ".join(str(kinds.get(kind, kind)) for kind in row["kinds"]))
    if row.get("comment"):
        parts.append(f"“{row['comment']}”")
    return f"{themes.get(code, code)}: " + " — ".join(parts)


def answer_changes(spec, before, after, *, themes=None, kinds=None):
    """Every question whose answer differs between ``before`` and ``after``, in questionnaire order.

    A theme matrix reports only the themes whose row changed.
    """
    changes = []
    for question in spec.questions():
        old, new = before.get(question.code), after.get(question.code)
        if _blank(old) and _blank(new) or old == new:
            continue
        if question.type == QuestionType.THEME_MATRIX and isinstance(old or {}, dict) and isinstance(new or {}, dict):
            old, new = old or {}, new or {}
            codes = [code for code in {**old, **new} if (old.get(code) or {}) != (new.get(code) or {})]
            codes = [code for code in codes if not (_blank_row(old.get(code) or {}) and _blank_row(new.get(code) or {}))]
            if not codes:
                continue
            old = {code: old.get(code) or {} for code in codes}
            new = {code: new.get(code) or {} for code in codes}
        changes.append(Change(
            code=question.code,
            label=pick(question.labels)[0],
            before=display(spec, question, old, themes=themes, kinds=kinds),
            after=display(spec, question, new, themes=themes, kinds=kinds),
        ))
    return changes
