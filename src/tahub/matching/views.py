"""Pages of matching: the matches people work on, one match, decisions, answers and alerts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tahub.accounts.actors import is_secretariat
from tahub.matching import alerts as alert_services
from tahub.matching import conveying, services
from tahub.matching.forms import ActionForm, AddForm, AlertForm, PartyAnswerForm, ProviderAnswerForm
from tahub.matching.models import AlertSubscription, Match, MatchingIndex, subject_url
from tahub.matching.permissions import match_policy
from tahub.matching.selectors import match_get_for, match_list_for, subject_get_for

# Lazy: worded in each reader's language when shown, not once when the module is imported.
DONE = {
    "confirm": gettext_lazy("The match is confirmed: convey it to both sides when ready."),
    "dismiss": gettext_lazy("The suggestion is dismissed and will not be suggested again."),
    "restore": gettext_lazy("The suggestion is back."),
    "convey": gettext_lazy("The match is conveyed: the Party's focal points and the provider were sent it."),
}


def _back(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
def match_list(request):
    status = request.GET.get("status", "")
    status = status if status in Match.Status.values else ""
    matches = match_list_for(request.user, status=status)
    page = Paginator(matches, 50).get_page(request.GET.get("page"))
    return render(request, "matching/match_list.html", {
        "page": page, "status": status, "statuses": Match.Status.choices, "query": f"status={status}" if status else "",
        "can_alert": bool(alert_services.alert_kinds_for(request.user)),
        "last_run": MatchingIndex.objects.order_by("-pk").first() if is_secretariat(request.user) else None,
    })


@login_required
def match_detail(request, pk):
    match = match_get_for(request.user, pk)
    sides = match_policy.sides_of(request.user, match)
    context = {
        "match": match,
        "sides": sides,
        "shared": conveying.shared_with_provider(match),
        "can": {action: match_policy.can(request.user, action, match) for action in ("confirm", "dismiss", "restore", "convey")},
        "can_answer_provider": match_policy.can(request.user, "answer_provider", match),
        "can_answer_party": match_policy.can(request.user, "answer_party", match),
        "provider_form": ProviderAnswerForm(initial={"answer": match.provider_answer, "reason": match.provider_reason}),
        "party_form": PartyAnswerForm(initial={"answer": match.party_answer, "reason": match.party_reason}),
        "sent": list(match.messages.select_related("recipient")) if "staff" in sides else [],
    }
    return render(request, "matching/match_detail.html", context)


@login_required
@require_POST
def match_action(request, pk):
    match = match_get_for(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the actions offered."))
        return _back(request, match)
    action = form.cleaned_data["action"]
    try:
        if action == "confirm":
            services.match_confirm(actor=request.user, match=match)
        elif action == "dismiss":
            services.match_dismiss(actor=request.user, match=match, reason=form.cleaned_data["reason"])
        elif action == "restore":
            services.match_restore(actor=request.user, match=match)
        else:
            conveying.match_convey(actor=request.user, match=match)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, DONE[action])
    return _back(request, match)


@login_required
@require_POST
def match_answer(request, pk):
    match = match_get_for(request.user, pk)
    side = request.POST.get("side")
    if side not in ("provider", "party"):
        raise PermissionDenied
    form = (ProviderAnswerForm if side == "provider" else PartyAnswerForm)(request.POST)
    if not match_policy.can(request.user, f"answer_{side}", match):
        raise PermissionDenied
    if form.is_valid():
        answer = conveying.match_answer_provider if side == "provider" else conveying.match_answer_party
        try:
            answer(actor=request.user, match=match, answer=form.cleaned_data["answer"], reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your answer is recorded."))
    else:
        messages.error(request, _("Choose one of the answers offered."))
    return redirect(match)


@login_required
@require_POST
def match_add(request, kind, pk):
    subject = subject_get_for(request.user, kind, pk)
    form = AddForm(request.POST)
    if form.is_valid():
        try:
            offer = services.offer_to_add(form.cleaned_data["offer"])
            services.match_add(actor=request.user, subject=subject, offer=offer, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The offer is matched: convey it to both sides when ready."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(subject_url(kind, subject.pk))


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request):
    kinds = alert_services.alert_kinds_for(request.user)
    current = {s.kind: s for s in AlertSubscription.objects.filter(user=request.user)}
    form = AlertForm(request.POST or None, kinds=kinds, current=current)
    if request.method == "POST" and form.is_valid():
        for kind in kinds:
            alert_services.alert_set(
                actor=request.user, kind=kind, active=form.cleaned_data[f"{kind}_on"],
                frequency=form.cleaned_data[f"{kind}_frequency"],
            )
        messages.success(request, _("Your alerts are saved."))
        return redirect("matching:alerts")
    return render(request, "matching/alerts.html", {"form": form, "kinds": kinds})


@csrf_exempt  # the token in the address is the secret; mail programs post without a form
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token):
    """Works without signing in: the link in each alert e-mail carries the token. A GET only asks
    (mail scanners follow links); the button, or a one-click POST from the mail program, stops it."""
    subscription = AlertSubscription.objects.filter(token=token).select_related("user").first()
    if subscription is None:
        raise Http404
    if request.method == "POST":
        alert_services.alert_unsubscribe(token=token)
        subscription.refresh_from_db()
    return render(request, "matching/unsubscribe.html", {"subscription": subscription, "done": request.method == "POST"})
