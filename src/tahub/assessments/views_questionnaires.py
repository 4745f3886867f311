"""The questionnaires page: the versions and their XLSForm definitions to download; the Secretariat
imports, replaces, publishes and copies versions here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tahub.assessments.permissions import version_policy
from tahub.assessments.selectors import version_get_for, version_overview_for, version_spec
from tahub.assessments.services import questionnaires as services
from tahub.assessments.workbook import MAX_UPLOAD_BYTES, WORKBOOK_TYPE
from tahub.assessments.xlsform import DefinitionError, write_workbook


def _may_edit(user):
    # Whoever may import definitions edits them (the Secretariat); which version may still change
    # (drafts only) is the services' rule, refused with a message rather than a bare 403.
    return version_policy.can(user, "import")


def _render_list(request, *, refused="", problems=()):
    context = {
        "versions": version_overview_for(request.user),
        "can_edit": _may_edit(request.user),
        "limit_mb": MAX_UPLOAD_BYTES // 2**20,
        "refused": refused,
        "problems": problems,
    }
    return render(request, "assessments/questionnaire_list.html", context)


def _back():
    return redirect("assessments:questionnaire_list")


def _uploaded(request):
    """``(bytes, file name)`` of the posted workbook, or ``(None, "")`` with a message when none."""
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, _("Choose an XLSForm workbook to upload."))
        return None, ""
    # At most one byte over the limit: enough to refuse a larger file without holding it.
    return upload.read(MAX_UPLOAD_BYTES + 1), upload.name or ""


@login_required
@require_GET
def questionnaire_list(request):
    return _render_list(request)


@login_required
@require_GET
def questionnaire_xlsform(request, pk):
    """The version's definition as an XLSForm workbook, which imports back to the same questions."""
    version = version_get_for(request.user, pk)
    questionnaire = version.questionnaire
    settings = {
        "form_id": questionnaire.code,
        "form_title": questionnaire.labels.get("en") or questionnaire.code,
        "version": version.name or str(version.number),
    }
    download = HttpResponse(write_workbook(version_spec(version), settings), content_type=WORKBOOK_TYPE)
    # The code is a slug: safe as a file name.
    download["Content-Disposition"] = f'attachment; filename="{questionnaire.code}-v{version.number}.xlsx"'
    return download


@login_required
@require_POST
def questionnaire_import(request):
    if not _may_edit(request.user):
        raise PermissionDenied
    data, filename = _uploaded(request)
    if data is None:
        return _back()
    try:
        version = services.questionnaire_import_workbook(actor=request.user, data=data, filename=filename)
    except DefinitionError as error:
        refused = _("The workbook was not imported; nothing was changed. Correct these problems and upload it again:")
        return _render_list(request, refused=refused, problems=[str(problem) for problem in error.problems])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Version %(number)s of “%(title)s” was imported as a draft. Check it, then publish it.")
            % {"number": version.number, "title": version.questionnaire.label},
        )
    return _back()


@login_required
@require_POST
def questionnaire_replace(request, pk):
    version = version_get_for(request.user, pk)
    if not _may_edit(request.user):
        raise PermissionDenied
    data, _filename = _uploaded(request)
    if data is None:
        return _back()
    try:
        services.questionnaire_replace_workbook(actor=request.user, version=version, data=data)
    except DefinitionError as error:
        refused = _("The draft was not replaced; nothing was changed. Correct these problems and upload the workbook again:")
        return _render_list(request, refused=refused, problems=[str(problem) for problem in error.problems])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Draft version %(number)s of “%(title)s” now holds the workbook's questions.")
            % {"number": version.number, "title": version.questionnaire.label},
        )
    return _back()


@login_required
@require_POST
def questionnaire_action(request, pk):
    """Publish a draft (freeze it) or copy any version into a new draft."""
    version = version_get_for(request.user, pk)
    if not _may_edit(request.user):
        raise PermissionDenied
    action = request.POST.get("action")
    title = version.questionnaire.label
    try:
        if action == "publish":
            services.questionnaire_version_publish(actor=request.user, version=version)
            messages.success(
                request,
                _("Version %(number)s of “%(title)s” is published: cycles may use it, and it can no longer change.")
                % {"number": version.number, "title": title},
            )
        elif action == "copy":
            copy = services.questionnaire_version_copy(actor=request.user, version=version)
            messages.success(
                request,
                _("Version %(source)s of “%(title)s” was copied into the new draft version %(number)s.")
                % {"source": version.number, "title": title, "number": copy.number},
            )
        else:
            messages.error(request, _("Choose one of the actions offered."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back()
