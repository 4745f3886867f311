"""Pages of requests for assistance: filing, lists and the board, a request with its timeline and
actions, "my work", the Secretariat's dashboard, and the public list of published requests.

The views parse and render; every write is an ``assistance.services`` call, which checks the
permission again.
"""

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tahub.assistance import exports, services
from tahub.assistance.forms import (
    AnswerForm,
    AssignForm,
    DeclineRoutingForm,
    FeedbackForm,
    LinkNeedForm,
    MessageForm,
    MoveForm,
    ProposeCentreForm,
    RequestFilterForm,
    RequestForm,
)
from tahub.assistance.models import Request
from tahub.assistance.permissions import NEEDS_COMMENT, request_policy, routing_policy
from tahub.assistance.selectors import (
    attachment_get_for,
    board_columns_for,
    board_for,
    dashboard,
    my_work_for,
    published_requests,
    request_get_for,
    request_list_for,
    timeline,
)
from tahub.matching.selectors import match_panel_context
from tahub.offers.selectors import offer_get_for

PAGE_SIZE = 25
# What a button says for each move (the state the request goes to).
MOVE_LABELS = {
    Request.Status.UNDER_REVIEW: gettext_lazy("Start the review"),
    Request.Status.MORE_INFORMATION: gettext_lazy("Ask the Party for more information"),
    Request.Status.ACCEPTED: gettext_lazy("Accept the request"),
    Request.Status.HELP_IDENTIFIED: gettext_lazy("Help identified"),
    Request.Status.IN_DELIVERY: gettext_lazy("Delivery has started"),
    Request.Status.COMPLETED: gettext_lazy("Delivery is completed"),
    Request.Status.CLOSED: gettext_lazy("Close the request"),
    Request.Status.DECLINED: gettext_lazy("Decline the request"),
    Request.Status.WITHDRAWN: gettext_lazy("Withdraw the request"),
}


@login_required
@require_GET
def request_list(request):
    form = RequestFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(request_list_for(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The board counts every state under the other filters; its links replace the state chosen.
    board_query = query.copy()
    board_query.pop("status", None)
    board_query.pop("view", None)
    context = {
        "form": form, "page": page, "query": query.urlencode(), "board_query": board_query.urlencode(),
        "board": board_for(request.user, replace(filters, status="")),
        "can_file": request_policy.can(request.user, "file"),
    }
    if request.GET.get("view") == "board":
        context["columns"] = board_columns_for(request.user, replace(filters, status=""))
    template = "assistance/_request_results.html" if request.htmx else "assistance/request_list.html"
    return render(request, template, context)


def _from_offer(request):
    """What a request for the help of an offer (``?offer=<pk>``, one the person may see) starts with."""
    pk = request.GET.get("offer", "")
    if not pk.isdecimal() or len(pk) > 12:
        return {}
    try:
        offer = offer_get_for(request.user, int(pk))
    except Http404:
        return {}
    return {
        "title": offer.title,
        "themes": [theme.pk for theme in offer.theme_list],
        "kinds": [kind.pk for kind in offer.kind_list],
        "modality": offer.modality,
        "description": _("We would like to receive the help offered by %(provider)s in “%(title)s” (%(link)s).") % {
            "provider": offer.provider.name, "title": offer.title, "link": request.build_absolute_uri(offer.get_absolute_url()),
        },
    }


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not request_policy.can(request.user, "file"):
        raise PermissionDenied
    form = RequestForm(request.POST or None, request.FILES or None, actor=request.user, initial=_from_offer(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_file(
                actor=request.user, country=form.chosen_country(), data=form.request_data(),
                co_requesters=list(form.cleaned_data.get("co_requesters") or []),
                attachments=form.cleaned_data["attachments"],
                source_document=form.cleaned_data.get("source_document", ""),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Your request is submitted as %(reference)s.") % {"reference": created.reference})
            return redirect(created)
    return render(request, "assistance/request_form.html", {"form": form})


def _detail(request, item, **forms):
    actor = request.user
    full = request_policy.can(actor, "view_full", item)
    moves = request_policy.allowed_moves(actor, item) if full else []
    routings = list(item.routings.all())
    roles = request_policy.roles_on(actor, item)
    # A Party answers a question with the answer form (which moves the request back under review).
    answering = item.status == Request.Status.MORE_INFORMATION and "party" in roles and "staff" not in roles
    context = {
        "item": item,
        "full": full,
        "timeline": timeline(item) if full else [],
        "moves": [(to, MOVE_LABELS[to], to in NEEDS_COMMENT) for to in moves if not (answering and to == Request.Status.UNDER_REVIEW)],
        "can_message": request_policy.can(actor, "message", item),
        "can_answer": item.status == Request.Status.MORE_INFORMATION and "party" in roles,
        "can_feedback": request_policy.can(actor, "feedback", item),
        "can_assign": request_policy.can(actor, "assign", item),
        "can_route": request_policy.can(actor, "route", item),
        "can_link_need": full and bool({"staff", "party"} & roles) and item.is_open,
        "routings": routings,
        "my_routings": [r for r in routings if routing_policy.can(actor, "take", r)],
        "message_form": forms.get("message_form") or MessageForm(),
        "answer_form": forms.get("answer_form") or AnswerForm(initial={"lock_version": item.lock_version}),
        "feedback_form": forms.get("feedback_form") or FeedbackForm(),
        "assign_form": AssignForm(initial={"owner": item.owner_id}),
        "propose_form": ProposeCentreForm(),
        "decline_form": DeclineRoutingForm(),
        "need_form": LinkNeedForm(country=item.country, initial={"need": item.need_id}),
        "move_error": forms.get("move_error"),
        **(match_panel_context(actor, item) if full else {}),
    }
    return render(request, "assistance/request_detail.html", context)


@login_required
@require_GET
def request_detail(request, pk):
    return _detail(request, request_get_for(request.user, pk))


@login_required
@require_POST
def request_move(request, pk):
    item = request_get_for(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the actions offered."))
        return redirect(item)
    try:
        services.request_move(
            actor=request.user, request=item, to=form.cleaned_data["to"], comment=form.cleaned_data["comment"],
            lock_version=form.cleaned_data["lock_version"],
        )
    except services.StaleRequest:
        messages.error(request, _("Someone changed this request after you opened it; nothing was done. "
                                  "The page now shows where it stands: choose again."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Done: the request is now “%(status)s”.") % {
            "status": Request.Status(form.cleaned_data["to"]).label,
        })
    return redirect(item)


@login_required
@require_POST
def request_message(request, pk):
    item = request_get_for(request.user, pk)
    if not request_policy.can(request.user, "message", item):
        raise PermissionDenied
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_post(
                actor=request.user, request=item, body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your message is sent."))
            return redirect(item)
    return _detail(request, request_get_for(request.user, pk), message_form=form)


@login_required
@require_POST
def request_answer(request, pk):
    item = request_get_for(request.user, pk)
    if item.status != Request.Status.MORE_INFORMATION or "party" not in request_policy.roles_on(request.user, item):
        raise PermissionDenied
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_answer(
                actor=request.user, request=item, body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"], lock_version=form.cleaned_data["lock_version"],
            )
        except services.StaleRequest:
            messages.error(request, _("Someone changed this request after you opened it; your answer was not sent."))
            return redirect(item)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your answer is sent; the request is back under review."))
            return redirect(item)
    return _detail(request, request_get_for(request.user, pk), answer_form=form)


@login_required
@require_POST
def request_feedback(request, pk):
    item = request_get_for(request.user, pk)
    if not request_policy.can(request.user, "feedback", item):
        raise PermissionDenied
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.request_feedback(
                actor=request.user, request=item, rating=form.cleaned_data["rating"],
                need_met=form.cleaned_data["need_met"], comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you: your feedback is recorded and the request is closed."))
            return redirect(item)
    return _detail(request, request_get_for(request.user, pk), feedback_form=form)


@login_required
@require_POST
def request_assign(request, pk):
    item = request_get_for(request.user, pk)
    if not request_policy.can(request.user, "assign", item):
        raise PermissionDenied
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.request_assign(actor=request.user, request=item, owner=form.cleaned_data["owner"])
            messages.success(request, _("The owner is changed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose the new owner."))
    return redirect(item)


@login_required
@require_POST
def request_propose_centre(request, pk):
    item = request_get_for(request.user, pk)
    if not request_policy.can(request.user, "route", item):
        raise PermissionDenied
    form = ProposeCentreForm(request.POST)
    if form.is_valid():
        try:
            services.request_propose_centre(actor=request.user, request=item, centre=form.cleaned_data["centre"])
            messages.success(request, _("The centre is proposed; its staff are told."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Choose a centre."))
    return redirect(item)


@login_required
@require_POST
def request_link_need(request, pk):
    item = request_get_for(request.user, pk)
    form = LinkNeedForm(request.POST, country=item.country)
    if not form.is_valid():
        messages.error(request, _("Choose one of the Party's needs."))
        return redirect(item)
    try:
        services.request_link_need(actor=request.user, request=item, need=form.cleaned_data["need"])
        messages.success(request, _("The need the request answers is recorded."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(item)


def _routing_for(request, pk, routing_pk):
    item = request_get_for(request.user, pk)
    routing = item.routings.filter(pk=routing_pk).select_related("request__country", "centre").first()
    if routing is None:
        raise Http404
    return item, routing


@login_required
@require_POST
def routing_take(request, pk, routing_pk):
    item, routing = _routing_for(request, pk, routing_pk)
    try:
        services.routing_take(actor=request.user, routing=routing)
        messages.success(request, _("Your centre has taken the request: you now see it in full."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(item)


@login_required
@require_POST
def routing_decline(request, pk, routing_pk):
    item, routing = _routing_for(request, pk, routing_pk)
    form = DeclineRoutingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the centre cannot take the request."))
        return redirect(item)
    try:
        services.routing_decline(actor=request.user, routing=routing, reason=form.cleaned_data["reason"])
        messages.success(request, _("Declined: the request's owner is told."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(item)
    return redirect("assistance:my_work")


@login_required
@require_GET
def attachment_download(request, pk):
    attachment = attachment_get_for(request.user, pk)
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(stream, as_attachment=True, filename=attachment.filename, content_type=attachment.content_type)


@login_required
@require_GET
def my_work(request):
    return render(request, "assistance/my_work.html", {
        "sections": my_work_for(request.user), "can_file": request_policy.can(request.user, "file"),
        "can_dashboard": request_policy.can(request.user, "dashboard"),
    })


@login_required
@require_GET
def dashboard_page(request):
    if not request_policy.can(request.user, "dashboard"):
        raise PermissionDenied
    return render(request, "assistance/dashboard.html", {"figures": dashboard(request.user)})


@login_required
@require_GET
def dashboard_download(request, fmt):
    if not request_policy.can(request.user, "dashboard"):
        raise PermissionDenied
    filters = RequestFilterForm(request.GET or None).filters()
    return exports.requests_response(request_list_for(request.user, filters), fmt)


@require_GET
def published_list(request):
    form = RequestFilterForm(request.GET or None)
    page = Paginator(published_requests(form.filters()), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "assistance/published_list.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
def published_detail(request, pk):
    try:
        item = published_requests().get(pk=pk)
    except Request.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "assistance/published_detail.html", {"item": item})

