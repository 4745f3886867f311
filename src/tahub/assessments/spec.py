"""A questionnaire definition as plain data: what the XLSForm files, the database and the
validation engine exchange. No ORM here, so parsing and checking are tested without a database.

Labels are dicts keyed by language suffix (``en``, ``fr``, ``es``, ``ru``, ``ar``, ``zh``); English
is required and the others fall back to it.
"""

from dataclasses import dataclass, field
from enum import StrEnum

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
# XLSForm column suffixes (``label::English``) for each language.
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ru": "Русский",
    "ar": "العربية",
    "zh": "中文",
}


class QuestionType(StrEnum):
    SELECT_ONE = "select_one"
    SELECT_MULTIPLE = "select_multiple"
    YES_NO = "yes_no"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    TEXT = "text"
    LONG_TEXT = "long_text"
    THEME_MATRIX = "theme_matrix"


CHOICE_TYPES = {QuestionType.SELECT_ONE, QuestionType.SELECT_MULTIPLE}
NEED_LEVELS = ("none", "low", "medium", "high")


@dataclass
class ChoiceSpec:
    value: str
    labels: dict


@dataclass
class QuestionSpec:
    """One question. ``relevant`` and ``constraint`` are expressions (see ``logic.py``):
    ``relevant`` refers to earlier questions as ``${code}``; ``constraint`` refers to the
    question's own value as ``.``."""

    code: str
    type: QuestionType
    labels: dict
    hints: dict = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_messages: dict = field(default_factory=dict)
    choice_list: str = ""  # name of a choice list, for select_one / select_multiple
    themes: list = field(default_factory=list)  # theme codes for a theme matrix; empty = all top-level
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None


@dataclass
class SectionSpec:
    code: str
    labels: dict
    questions: list = field(default_factory=list)
    relevant: str = ""


@dataclass
class QuestionnaireSpec:
    sections: list = field(default_factory=list)
    choice_lists: dict = field(default_factory=dict)  # name -> [ChoiceSpec]

    def questions(self):
        return [question for section in self.sections for question in section.questions]

    def question(self, code):
        return next((q for q in self.questions() if q.code == code), None)
