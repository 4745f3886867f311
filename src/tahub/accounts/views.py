from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tahub.accounts.actors import memberships_of
from tahub.accounts.forms import PeopleFilterForm, PreferencesForm, TokenCreateForm
from tahub.accounts.permissions import token_policy
from tahub.accounts.selectors import people_list_for, token_get_for, token_list_for
from tahub.accounts.services import api_token_create, api_token_revoke, user_set_preferences


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    initial = {
        "preferred_language": request.user.preferred_language,
        "notify_daily": "daily" if request.user.notify_daily else "immediate",
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user_set_preferences(
                actor=request.user, user=request.user, preferred_language=form.cleaned_data["preferred_language"],
                notify_daily=form.cleaned_data["notify_daily"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your preferences are saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"memberships": memberships_of(request.user), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    can_create = token_policy.can(request.user, "create")
    form = TokenCreateForm(request.POST or None)
    new_secret = None
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                token, new_secret = api_token_create(
                    actor=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Token “%(name)s” created. Copy it now: it will not be shown again.") % {"name": token.name})
                form = TokenCreateForm()
    context = {"tokens": token_list_for(request.user), "form": form, "can_create": can_create, "new_secret": new_secret}
    return render(request, "accounts/token_list.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    token = token_get_for(request.user, pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:token_list")


@login_required
def people_list(request):
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = people_list_for(request.user, q=filters.get("q", ""), role=filters.get("role", ""))
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/people_list.html", {"form": form, "page": page})
