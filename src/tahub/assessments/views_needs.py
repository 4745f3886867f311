"""Pages of the needs: the list, one need with its history, and the Secretariat's writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tahub.assessments.forms import NeedFilterForm, NeedRecordForm, NeedStatusForm
from tahub.assessments.models import Need, NeedObservation
from tahub.assessments.permissions import need_policy
from tahub.assessments.selectors import need_get_for, need_list_for
from tahub.assessments.services import needs as need_services
from tahub.matching.selectors import match_panel_context


def _labels():
    # Labels translated once per page, not once per row.
    return {"levels": dict(NeedObservation.Level.choices), "sources": dict(Need.Source.choices)}


@login_required
def need_list(request):
    form = NeedFilterForm(request.GET or None, actor=request.user)
    form.is_valid()  # a stale value (a cycle no longer visible, say) drops that filter only
    filters = getattr(form, "cleaned_data", {})
    needs = need_list_for(request.user, **{key: value for key, value in filters.items() if value})
    page = Paginator(needs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_record": need_policy.can(request.user, "record"),
        **_labels(),
    }
    return render(request, "assessments/need_list.html", context)


@login_required
def need_detail(request, pk):
    need = need_get_for(request.user, pk)
    context = {
        "need": need,
        "can_set_status": need_policy.can(request.user, "set_status", need),
        "status_form": NeedStatusForm(initial={"status": need.status}),
        **_labels(),
        **match_panel_context(request.user, need),
    }
    return render(request, "assessments/need_detail.html", context)


@login_required
@require_POST
def need_status(request, pk):
    """Set a need's status; also confirms a proposed status, which is posted as the new one."""
    need = need_get_for(request.user, pk)
    if not need_policy.can(request.user, "set_status", need):
        raise PermissionDenied
    form = NeedStatusForm(request.POST)
    if form.is_valid():
        need = need_services.need_set_status(actor=request.user, need=need, status=form.cleaned_data["status"])
        messages.success(request, _("The need is now “%(status)s”.") % {"status": need.get_status_display()})
    else:
        messages.error(request, _("Choose one of the statuses offered."))
    return redirect("assessments:need_detail", pk=need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def need_record(request):
    if not need_policy.can(request.user, "record"):
        raise PermissionDenied
    form = NeedRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = need_services.need_record(
                actor=request.user, country=data["country"], theme=data["theme"], level=data["level"],
                kinds=data["kinds"], comment=data["comment"], source=data["source"],
                source_reference=data["source_reference"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The need is recorded."))
            return redirect("assessments:need_detail", pk=need.pk)
    return render(request, "assessments/need_record.html", {"form": form})
