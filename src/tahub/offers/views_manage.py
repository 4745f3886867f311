"""Pages where providers manage their organisation's offers and the Secretariat manages all:
the list, the offer form (create, and edit with publish, close, withdraw), attachments.

The views parse and render; every write is an ``offers.services`` call, which checks the
permission again and refuses a bad offer whole.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tahub.accounts.actors import is_secretariat
from tahub.accounts.models import Organisation
from tahub.assessments.selectors import survey_invitation_get_for, survey_invitations_of
from tahub.assessments.services import survey as survey_services
from tahub.offers import services
from tahub.offers.forms import (
    AttachmentForm,
    MyOffersFilterForm,
    NoNewOffersForm,
    OfferActionForm,
    OfferForm,
    offer_initial,
)
from tahub.offers.models import Offer, OfferAttachment
from tahub.offers.permissions import offer_policy, provider_ids
from tahub.offers.selectors import offer_get_for

PAGE_SIZE = 50
# What can happen next to an offer in each state (withdrawing is possible until it is withdrawn).
NEXT_ACTIONS = {
    Offer.Status.DRAFT: ["publish", "withdraw"],
    Offer.Status.PUBLISHED: ["close", "withdraw"],
    Offer.Status.CLOSED: ["publish", "withdraw"],
    Offer.Status.WITHDRAWN: [],
}


def offers_managed_by(actor):
    """The offers ``actor`` manages: every offer for the Secretariat, its organisations' for a provider."""
    offers = Offer.objects.select_related("provider").order_by("-updated_at", "-pk")
    if is_secretariat(actor):
        return offers
    return offers.filter(provider__in=provider_ids(actor))


def attachment_get_for(actor, pk):
    """An attachment of an offer ``actor`` may see, or 404 (its existence is not disclosed)."""
    attachments = OfferAttachment.objects.filter(offer__in=offer_policy.visible_to(actor))
    try:
        return attachments.get(pk=pk)
    except OfferAttachment.DoesNotExist as exc:
        raise Http404 from exc


def _require_manager(actor):
    # The people who may create offers are those who manage them: providers and the Secretariat.
    if not offer_policy.can(actor, "create"):
        raise PermissionDenied


def _offer_to_change(actor, pk):
    """The offer, 404 when ``actor`` may not see it, 403 when they see it but may not change it."""
    offer = offer_get_for(actor, pk)
    if not offer_policy.can(actor, "change", offer):
        raise PermissionDenied
    return offer


@login_required
@require_GET
def my_offers(request):
    _require_manager(request.user)
    if is_secretariat(request.user):
        providers = Organisation.objects.filter(pk__in=Offer.objects.values("provider_id")).order_by("name")
    else:
        providers = Organisation.objects.filter(pk__in=provider_ids(request.user)).order_by("name")
    form = MyOffersFilterForm(request.GET or None, providers=providers)
    form.is_valid()  # a stale value (a provider no longer listed, say) drops that filter only
    filters = getattr(form, "cleaned_data", {})
    offers = offers_managed_by(request.user)
    if filters.get("provider"):
        offers = offers.filter(provider=filters["provider"])
    if filters.get("status"):
        offers = offers.filter(status=filters["status"])
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "show_provider_filter": is_secretariat(request.user) or len(provider_ids(request.user)) > 1,
        "surveys": survey_invitations_of(request.user),
    }
    return render(request, "offers/manage_list.html", context)


def _survey_invitation(request):
    """The survey invitation a new offer answers (``?survey=<pk>``), or None; 404 when it is not
    one of an organisation the person answers for."""
    pk = request.GET.get("survey", "")
    if not pk:
        return None
    if not pk.isdecimal() or len(pk) > 12:
        raise Http404
    return survey_invitation_get_for(request.user, int(pk))


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request):
    _require_manager(request.user)
    invitation = _survey_invitation(request)
    provider = invitation.organisation if invitation is not None else None
    form = OfferForm(request.POST or None, actor=request.user, provider=provider)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(
                actor=request.user, provider=form.chosen_provider(), data=form.offer_data(),
                received_as=form.cleaned_data.get("received_as", ""),
                survey_cycle=invitation.cycle if invitation is not None else None,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("The offer is saved as a draft. Publish it when it is ready to be seen.")
            )
            return redirect("offers:offer_edit", pk=offer.pk)
    return render(request, "offers/manage_create.html", {"form": form, "invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, pk):
    """A provider's answer to a cycle's available-assistance survey: the offers it reported, a
    link to report another, or the statement that it has no new offers."""
    invitation = survey_invitation_get_for(request.user, pk)
    form = NoNewOffersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey_services.survey_declare_no_new_offers(
                actor=request.user, invitation=invitation, comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your answer that you have no new offers is recorded."))
            return redirect("offers:survey_answer", pk=invitation.pk)
    reported = (
        Offer.objects.filter(survey_cycle=invitation.cycle, provider=invitation.organisation)
        .order_by("-created_at", "-pk")
    )
    context = {"invitation": invitation, "form": form, "reported": reported, "is_open": invitation.cycle.status == "open"}
    return render(request, "offers/survey_answer.html", context)


def _edit_page(request, offer, *, form=None, action_form=None, attach_form=None):
    context = {
        "offer": offer,
        "form": form or OfferForm(initial=offer_initial(offer), actor=request.user, offer=offer),
        "action_form": action_form or OfferActionForm(),
        "attach_form": attach_form or AttachmentForm(),
        "actions": [action for action in NEXT_ACTIONS[offer.status] if offer_policy.can(request.user, action, offer)],
        "can_attach": offer.status != Offer.Status.WITHDRAWN and offer_policy.can(request.user, "attach", offer),
    }
    return render(request, "offers/manage_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    offer = _offer_to_change(request.user, pk)
    if request.method != "POST":
        return _edit_page(request, offer)
    form = OfferForm(request.POST, initial=offer_initial(offer), actor=request.user, offer=offer)
    if form.is_valid():
        try:
            services.offer_update(
                actor=request.user, offer=offer, data=form.offer_data(),
                lock_version=form.cleaned_data["lock_version"],
            )
        except services.StaleOffer:
            messages.error(
                request,
                _("Someone changed this offer after you opened it. Your changes were not saved: the page now "
                  "shows the latest version; enter your changes again."),
            )
            return redirect("offers:offer_edit", pk=offer.pk)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("offers:offer_edit", pk=offer.pk)
    return _edit_page(request, offer, form=form)


@login_required
@require_POST
def offer_action(request, pk):
    """Publish, close or withdraw (with a reason) the offer."""
    offer = _offer_to_change(request.user, pk)
    form = OfferActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the actions offered."))
        return redirect("offers:offer_edit", pk=offer.pk)
    action = form.cleaned_data["action"]
    if not offer_policy.can(request.user, action, offer):
        raise PermissionDenied
    try:
        if action == "publish":
            services.offer_publish(actor=request.user, offer=offer)
            done = _("The offer is published.")
        elif action == "close":
            services.offer_close(actor=request.user, offer=offer)
            done = _("The offer is closed: it stays on record but no longer appears as open.")
        else:
            services.offer_withdraw(actor=request.user, offer=offer, reason=form.cleaned_data["reason"])
            done = _("The offer is withdrawn.")
    except ValidationError as exc:
        if hasattr(exc, "error_dict") and "reason" in exc.error_dict:
            form.add_error("reason", exc.error_dict["reason"])
            return _edit_page(request, offer, action_form=form)
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("offers:offer_edit", pk=offer.pk)


@login_required
@require_POST
def offer_attach(request, pk):
    offer = _offer_to_change(request.user, pk)
    if not offer_policy.can(request.user, "attach", offer):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.offer_attach(actor=request.user, offer=offer, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.filename})
            return redirect("offers:offer_edit", pk=offer.pk)
    return _edit_page(request, offer, attach_form=form)


@require_GET
def attachment_download(request, pk):
    """The file, to whoever may see its offer (the public for public published offers)."""
    attachment = attachment_get_for(request.user, pk)
    try:
        stream = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        stream, as_attachment=True, filename=attachment.filename, content_type=attachment.content_type
    )
