import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tahub.assessments.models import QuestionnaireVersion
from tahub.assessments.selectors import version_spec
from tahub.assessments.services.questionnaires import (
    questionnaire_version_copy,
    questionnaire_version_import,
    questionnaire_version_publish,
    questionnaire_version_replace,
)
from tahub.assessments.spec import (
    ChoiceSpec,
    QuestionnaireSpec,
    QuestionSpec,
    QuestionType,
    SectionSpec,
)

pytestmark = pytest.mark.django_db


def small_spec(extra_label=""):
    return QuestionnaireSpec(
        sections=[
            SectionSpec(
                "general",
                {"en": "General", "fr": "Généralités"},
                [
                    QuestionSpec("has_law", QuestionType.YES_NO, {"en": "Is there a law?" + extra_label}, required=True),
                    QuestionSpec(
                        "modalities", QuestionType.SELECT_MULTIPLE, {"en": "Modalities"}, choice_list="modalities",
                        relevant="${has_law} = 'yes'",
                    ),
                    QuestionSpec("staff", QuestionType.INTEGER, {"en": "Staff"}, min_value=0, max_value=1000),
                ],
            ),
            SectionSpec("needs", {"en": "Needs"}, [QuestionSpec("matrix", QuestionType.THEME_MATRIX, {"en": "Needs"}, themes=["monitoring", "emergency"])]),
        ],
        choice_lists={"modalities": [ChoiceSpec("online", {"en": "Online"}), ChoiceSpec("in_person", {"en": "In person"})]},
    )


def test_an_imported_version_reads_back_as_the_same_spec(personas):
    version = questionnaire_version_import(actor=personas.secretariat, spec=small_spec(), code="needs", labels={"en": "Needs"})

    assert version.number == 1 and version.status == QuestionnaireVersion.Status.DRAFT
    assert version_spec(version) == small_spec()
    assert version.history.get().history_user == personas.secretariat


def test_only_the_secretariat_imports_and_publishes(personas):
    with pytest.raises(PermissionDenied):
        questionnaire_version_import(actor=personas.focal_kenya, spec=small_spec(), code="needs", labels={"en": "x"})
    version = questionnaire_version_import(actor=None, spec=small_spec(), code="needs", labels={"en": "x"})
    with pytest.raises(PermissionDenied):
        questionnaire_version_publish(actor=personas.rfp_africa, version=version)


def test_a_published_version_is_frozen_and_changes_go_into_a_copy(personas):
    version = questionnaire_version_import(actor=personas.secretariat, spec=small_spec(), code="needs", labels={"en": "x"})
    questionnaire_version_publish(actor=personas.secretariat, version=version)

    with pytest.raises(ValidationError):
        questionnaire_version_replace(actor=personas.secretariat, version=version, spec=small_spec(" (changed)"))
    with pytest.raises(ValidationError):
        questionnaire_version_publish(actor=personas.secretariat, version=version)

    copy = questionnaire_version_copy(actor=personas.secretariat, version=version)
    questionnaire_version_replace(actor=personas.secretariat, version=copy, spec=small_spec(" (changed)"))

    assert copy.number == 2 and copy.copied_from == version
    assert version_spec(version) == small_spec()
    assert version_spec(copy).question("has_law").labels["en"].endswith("(changed)")


def test_the_admin_cannot_edit_a_published_version(personas, client_for):
    version = questionnaire_version_import(actor=None, spec=small_spec(), code="needs", labels={"en": "x"})
    questionnaire_version_publish(actor=None, version=version)
    client = client_for(personas.secretariat)

    response = client.post(f"/admin/assessments/questionnaireversion/{version.pk}/change/", {"name": "hacked"})

    version.refresh_from_db()
    assert response.status_code == 403 and version.name == ""
