"""Writes to questionnaire definitions: import, publish (freeze), copy into a new version."""

import io
import zipfile
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
from tahub.assessments.workbook import MAX_UPLOAD_BYTES
from tahub.assessments.xlsform import FORM_ID_RE
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


def _theme_codes():
    from tahub.reference.models import Theme

    return set(Theme.objects.values_list("code", flat=True))


def _check_upload(data):
    """Refuse a file the way a response workbook is refused (``workbook._open``): the same size
    limit, and XLSX judged by the content, never by the file's name."""
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)s MB); a questionnaire definition is at most %(limit)s MB.")
            % {"size": f"{len(data) / 2**20:.1f}", "limit": MAX_UPLOAD_BYTES // 2**20}
        )
    not_xlsx = ValidationError(
        _("The file is not an XLSX workbook. Save the questionnaire definition in Excel format (.xlsx) and upload it again.")
    )
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValidationError(_("The file is damaged and cannot be read as an XLSX workbook.")) from exc
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx


def _read_definition(data, *, known_themes):
    """``(spec, settings)`` of an XLSForm workbook given as bytes; ``ValidationError`` for a file
    that is not a workbook within the limits, ``xlsform.DefinitionError`` listing every fault."""
    from tahub.assessments.xlsform import read_workbook

    _check_upload(data)
    return read_workbook(data, known_themes=known_themes)


def _identity(settings, filename):
    """``(code, labels, name)`` of the questionnaire a definition describes, from its settings
    sheet; without a ``form_id`` the file's name (without extension) is the code."""
    code = settings.get("form_id") or Path(filename or "").stem
    if not FORM_ID_RE.fullmatch(code):
        raise ValidationError(
            _("The workbook does not say which questionnaire it defines: give its code as form_id on the settings sheet.")
        )
    return code, {"en": settings.get("form_title") or code}, str(settings.get("version") or "")


def _version_named(code, name):
    """The version of questionnaire ``code`` that a definition's ``version`` setting names: the
    one with that name, or the unnamed one with that number (an unnamed version exports so)."""
    if not name:
        return None
    versions = QuestionnaireVersion.objects.filter(questionnaire__code=code)
    version = versions.filter(name=name).order_by("number").first()
    if version is None and name.isdecimal() and len(name) <= 9:
        version = versions.filter(name="", number=int(name)).first()
    return version


def questionnaire_import_workbook(*, actor, data, filename=""):
    """Create a new draft version from an XLSForm workbook (bytes) uploaded by ``actor``.

    All or nothing: a workbook with any fault raises ``xlsform.DefinitionError`` listing them
    all, and nothing is written.
    """
    _require(actor, "import")
    spec, settings = _read_definition(data, known_themes=_theme_codes())
    code, labels, name = _identity(settings, filename)
    existing = _version_named(code, name)
    if existing is not None:
        raise ValidationError(
            _(
                "The workbook's version “%(name)s” is already version %(number)s of this questionnaire. "
                "To add a new version, give it a new name in the version column of the settings sheet; "
                "to change a draft, replace it from the workbook instead."
            )
            % {"name": name, "number": existing.number}
        )
    return questionnaire_version_import(actor=actor, spec=spec, code=code, labels=labels, name=name)


def questionnaire_replace_workbook(*, actor, version, data):
    """Replace the content of a draft version from an XLSForm workbook (bytes). Published: refused."""
    if version.is_frozen:
        raise ValidationError(_("A published version cannot be changed; copy it into a new version."))
    _require(actor, "change", version)
    spec, settings = _read_definition(data, known_themes=_theme_codes())
    code = version.questionnaire.code
    if settings.get("form_id") and settings["form_id"] != code:
        raise ValidationError(
            _("The workbook defines the questionnaire “%(found)s”, not “%(expected)s”; nothing was changed.")
            % {"found": settings["form_id"], "expected": code}
        )
    return questionnaire_version_replace(actor=actor, version=version, spec=spec)


DEFAULT_QUESTIONNAIRE = Path(__file__).resolve().parent.parent / "data" / "basel_ta_needs"


@transaction.atomic
def questionnaire_load(*, actor, source, publish=False, known_themes=None):
    """Load a questionnaire definition (an XLSForm workbook, or a folder of its sheets as CSV).

    Idempotent: when the questionnaire already has the version the definition names (see
    ``_version_named``), nothing is created and that version is returned with ``created`` False.
    A workbook is read as an upload is (``questionnaire_import_workbook``): the same limits and
    checks, so ``ValidationError`` or ``xlsform.DefinitionError`` when it is refused.
    """
    from tahub.assessments.xlsform import read_csv_folder

    source = Path(source)
    if source.is_dir():
        spec, settings = read_csv_folder(source, known_themes=known_themes)
    else:
        spec, settings = _read_definition(source.read_bytes(), known_themes=known_themes)
    code, labels, name = _identity(settings, source.name)
    existing = _version_named(code, name)
    if existing is not None:
        return existing, False
    version = questionnaire_version_import(actor=actor, spec=spec, code=code, labels=labels, name=name)
    if publish:
        version = questionnaire_version_publish(actor=actor, version=version)
    return version, True
