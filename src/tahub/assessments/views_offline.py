"""The offline questionnaire: download a response as an XLSX workbook, upload it back as the draft."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tahub.assessments.permissions import response_policy
from tahub.assessments.selectors import response_get_for, version_spec
from tahub.assessments.services import responses as response_services
from tahub.assessments.workbook import (
    MAX_UPLOAD_BYTES,
    WORKBOOK_TYPE,
    WorkbookError,
    read_response_workbook,
    response_workbook,
)

# Problems listed on the page after a refused upload; the rest are counted.
MAX_LISTED_PROBLEMS = 200


def _language(request):
    wanted = (request.GET.get("lang") or "").lower().replace("_", "-")
    codes = {code for code, _name in settings.LANGUAGES}
    if wanted == "zh":
        wanted = "zh-hans"
    return wanted if wanted in codes else (get_language() or "en")


@login_required
@require_http_methods(["GET", "POST"])
def response_workbook_view(request, pk):
    response = response_get_for(request.user, pk)
    if request.method == "POST":
        return _upload(request, response)
    language = _language(request)
    data = response_workbook(response, version_spec(response.cycle.version), language=language)
    download = HttpResponse(data, content_type=WORKBOOK_TYPE)
    name = f"{response.country.iso3}-{response.cycle.pk}-questionnaire-{language}.xlsx"
    download["Content-Disposition"] = f'attachment; filename="{name}"'
    return download


def _upload(request, response):
    if not response_policy.can(request.user, "edit", response):
        raise PermissionDenied
    back = redirect("assessments:response_detail", pk=response.pk)
    upload = request.FILES.get("workbook")
    if upload is None:
        messages.error(request, _("Choose the filled-in workbook to upload."))
        return back
    # Read at most one byte over the limit: enough to refuse a larger file without holding it.
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    try:
        answers = read_response_workbook(
            data, response=response, spec=version_spec(response.cycle.version)
        )
        response_services.response_save(
            actor=request.user,
            response=response,
            answers=answers,
            lock_version=response.lock_version,
        )
    except WorkbookError as error:
        messages.error(
            request,
            _(
                "The workbook was not imported; nothing was changed. Correct these problems and upload it again:"
            ),
        )
        for problem in error.problems[:MAX_LISTED_PROBLEMS]:
            messages.error(request, problem)
        hidden = len(error.problems) - MAX_LISTED_PROBLEMS
        if hidden > 0:
            messages.error(request, _("… and %(count)d more problems.") % {"count": hidden})
    except response_services.StaleResponse:
        messages.error(
            request,
            _("Someone saved this response while the workbook was being read; upload it again."),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The workbook was imported as your draft. Check it, then submit it online.")
        )
    return back
