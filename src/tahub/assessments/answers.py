"""Turn posted form fields into raw answers and back: the HTML twin of the XLSX and API inputs.

Field names: ``q-<code>`` for a question, ``q-<code>-<theme>-level`` / ``-kinds`` / ``-comment``
for a theme-matrix row. Values stay as entered; the validation engine judges them.
"""

from tahub.assessments.spec import QuestionType


def field_name(code, *parts):
    return "-".join(["q", code, *parts])


def answers_from_post(questions, post, *, theme_codes):
    """Raw answers for ``questions`` (one section) from a QueryDict."""
    answers = {}
    for question in questions:
        name = field_name(question.code)
        if question.type == QuestionType.THEME_MATRIX:
            rows = {}
            for theme in theme_codes(question):
                level = post.get(field_name(question.code, theme, "level"), "")
                kinds = post.getlist(field_name(question.code, theme, "kinds"))
                comment = post.get(field_name(question.code, theme, "comment"), "")
                if level or kinds or comment:
                    rows[theme] = {"level": level, "kinds": kinds, "comment": comment}
            answers[question.code] = rows
        elif question.type == QuestionType.SELECT_MULTIPLE:
            answers[question.code] = post.getlist(name)
        else:
            answers[question.code] = post.get(name, "")
    return answers
