"""A small published questionnaire and an open cycle, built through the real services."""

from datetime import date

from tahub.assessments.services.cycles import cycle_create
from tahub.assessments.services.questionnaires import (
    questionnaire_version_import,
    questionnaire_version_publish,
)
from tahub.assessments.spec import (
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    QuestionType,
    SectionSpec,
)
from tahub.reference.models import Country


def needs_spec():
    return QuestionnaireSpec(
        sections=[
            SectionSpec(
                "capacity",
                {"en": "Capacity", "fr": "Capacités"},
                [
                    QuestionSpec(
                        "has_law", QuestionType.YES_NO, {"en": "Is there a law?"}, required=True
                    ),
                    QuestionSpec(
                        "law_year",
                        QuestionType.INTEGER,
                        {"en": "Year of the law"},
                        relevant="${has_law} = 'yes'",
                        required=True,
                        min_value=1950,
                        max_value=2030,
                    ),
                    QuestionSpec(
                        "modalities",
                        QuestionType.SELECT_MULTIPLE,
                        {"en": "Modalities"},
                        choice_list="modalities",
                    ),
                ],
            ),
            SectionSpec(
                "needs",
                {"en": "Needs"},
                [
                    QuestionSpec(
                        "matrix",
                        QuestionType.THEME_MATRIX,
                        {"en": "Needs by theme"},
                        themes=["monitoring", "emergency", "legal"],
                    )
                ],
            ),
        ],
        choice_lists={
            "modalities": [
                ChoiceSpec("online", {"en": "Online"}),
                ChoiceSpec("in_person", {"en": "In person"}),
            ]
        },
    )


def published_version():
    version = questionnaire_version_import(
        actor=None, spec=needs_spec(), code="needs", labels={"en": "Needs"}
    )
    return questionnaire_version_publish(actor=None, version=version)


def open_cycle(
    title="Needs 2026",
    *,
    opens_on=date(2026, 1, 1),
    closes_on=date(2026, 12, 31),
    countries=("KEN", "PER", "SEN"),
    version=None,
    providers=None,
):
    """An open cycle inviting ``countries``; with ``providers`` (organisations) the
    available-assistance survey runs alongside and asks them."""
    from tahub.assessments.services.cycles import cycle_open

    cycle = cycle_create(
        actor=None,
        title=title,
        version=version or published_version(),
        period_start=date(2022, 1, 1),
        period_end=date(2025, 12, 31),
        opens_on=opens_on,
        closes_on=closes_on,
        countries=Country.objects.filter(iso3__in=countries),
        offers_survey=providers is not None,
        providers=providers,
    )
    return cycle_open(actor=None, cycle=cycle)


def complete_answers():
    return {
        "has_law": "yes",
        "law_year": "2015",
        "modalities": ["online"],
        "matrix": {
            "monitoring": {
                "level": "high",
                "kinds": ["training", "advice.expert"],
                "comment": "No laboratory",
            },
            "emergency": {"level": "none", "kinds": [], "comment": ""},
            "legal": {"level": "low", "kinds": ["advice.legal"], "comment": ""},
        },
    }


def assign_sections(response, contributor, sections=None):
    """Let ``contributor`` draft ``sections`` (default: all) of the response, as its focal point would."""
    from tahub.assessments.selectors import version_spec
    from tahub.assessments.services.contributors import contributor_assign

    if sections is None:
        sections = [section.code for section in version_spec(response.cycle.version).sections]
    return contributor_assign(actor=None, response=response, user=contributor, sections=sections)
