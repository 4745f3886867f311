"""Writes to questionnaire definitions: import, publish (freeze), copy into a new version."""

from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.assessments.models import (
    Choice,
    ChoiceList,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Section,
)
from tahub.assessments.permissions import version_policy
from tahub.assessments.selectors import version_spec
from tahub.core.audit import audited


def _require(actor, action, obj=None):
    # ``actor`` None is the system itself (set-up commands, demo data).
    if actor is not None and not version_policy.can(actor, action, obj):
        raise PermissionDenied




def _decimal(value):
    return None if value is None else Decimal(str(value))


def _write_spec(version, spec):
    lists = {}
    for name, choices in spec.choice_lists.items():
        choice_list = ChoiceList.objects.create(version=version, name=name)
        lists[name] = choice_list
        Choice.objects.bulk_create(
            Choice(choice_list=choice_list, value=choice.value, order=order, labels=choice.labels)
            for order, choice in enumerate(choices)
        )
    order = 0
    for section_order, section_spec in enumerate(spec.sections):
        section = Section.objects.create(
            version=version, code=section_spec.code, order=section_order, labels=section_spec.labels,
            relevant=section_spec.relevant,
        )
        questions = []
        for question in section_spec.questions:
            order += 1
            questions.append(
                Question(
                    version=version, section=section, code=question.code, order=order, type=question.type.value,
                    labels=question.labels, hints=question.hints, required=question.required,
                    relevant=question.relevant, constraint=question.constraint,
                    constraint_messages=question.constraint_messages,
                    choice_list=lists.get(question.choice_list), themes=list(question.themes),
                    min_value=_decimal(question.min_value), max_value=_decimal(question.max_value),
                    max_length=question.max_length,
                )
            )
        Question.objects.bulk_create(questions)


@transaction.atomic
def questionnaire_version_import(*, actor, spec, code, labels, name="", purpose=Questionnaire.Purpose.NEEDS):
    """Create a new draft version of questionnaire ``code`` holding ``spec``."""
    _require(actor, "import")
    questionnaire, _created = Questionnaire.objects.get_or_create(
        code=code, defaults={"labels": labels, "purpose": purpose}
    )
    number = (questionnaire.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1
    version = audited(QuestionnaireVersion(questionnaire=questionnaire, number=number, name=name), actor)
    version.save()
    _write_spec(version, spec)
    return version


@transaction.atomic
def questionnaire_version_publish(*, actor, version):
    """Freeze a draft version: from now on it cannot change, and cycles may use it."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise ValidationError(_("This version is already published; copy it to make changes."))
    _require(actor, "publish", version)
    if not version.questions.exists():
        raise ValidationError(_("A version without questions cannot be published."))
    version.status = QuestionnaireVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "is_authenticated", False) else None
    audited(version, actor).save()
    return version


@transaction.atomic
def questionnaire_version_copy(*, actor, version, name=""):
    """Start a new draft version from an existing one (the way to change a published version)."""
    _require(actor, "copy", version)
    spec = version_spec(version)
    copy = questionnaire_version_import(
        actor=actor, spec=spec, code=version.questionnaire.code, labels=version.questionnaire.labels, name=name
    )
    copy.copied_from = version
    copy.save(update_fields=["copied_from"])
    return copy


@transaction.atomic
def questionnaire_version_replace(*, actor, version, spec):
    """Replace the content of a draft version (e.g. from an edited XLSForm). Published: refused."""
    version = QuestionnaireVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise ValidationError(_("A published version cannot be changed; copy it into a new version."))
    _require(actor, "change", version)
    version.questions.all().delete()
    version.sections.all().delete()
    version.choice_lists.all().delete()
    _write_spec(version, spec)
    audited(version, actor).save()
    return version


DEFAULT_QUESTIONNAIRE = Path(__file__).resolve().parent.parent / "data" / "basel_ta_needs"


@transaction.atomic
def questionnaire_load(*, actor, source, publish=False, known_themes=None):
    """Load a questionnaire definition (an XLSForm workbook, or a folder of its sheets as CSV).

    Idempotent: when the questionnaire already has a version with the same name, nothing is
    created and that version is returned with ``created`` False.
    """
    from tahub.assessments.xlsform import read_csv_folder, read_workbook

    source = Path(source)
    if source.is_dir():
        spec, settings = read_csv_folder(source, known_themes=known_themes)
    else:
        spec, settings = read_workbook(source.read_bytes(), known_themes=known_themes)
    code = settings.get("form_id") or source.stem
    name = str(settings.get("version") or "")
    existing = QuestionnaireVersion.objects.filter(questionnaire__code=code, name=name).first() if name else None
    if existing is not None:
        return existing, False
    labels = {"en": settings.get("form_title") or code}
    version = questionnaire_version_import(actor=actor, spec=spec, code=code, labels=labels, name=name)
    if publish:
        version = questionnaire_version_publish(actor=actor, version=version)
    return version, True
