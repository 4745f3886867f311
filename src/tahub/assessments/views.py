from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tahub.accounts.actors import memberships_of
from tahub.accounts.roles import Role
from tahub.assessments.answers import answers_from_post, field_name
from tahub.assessments.forms import ContributorInviteForm, CycleForm, ExtendForm
from tahub.assessments.models import Invitation
from tahub.assessments.permissions import cycle_policy, response_policy
from tahub.assessments.selectors import (
    contributors_of,
    cycle_get_for,
    cycle_list_for,
    cycle_tracking,
    response_get_for,
    survey_tracking,
    version_spec,
)
from tahub.assessments.services import contributors as contributor_services
from tahub.assessments.services import cycles as cycle_services
from tahub.assessments.services import responses as response_services
from tahub.assessments.spec import NEED_LEVELS, QuestionType
from tahub.reference.models import KindOfHelp, Theme


@login_required
def cycle_list(request):
    context = {"cycles": cycle_list_for(request.user), "can_create": cycle_policy.can(request.user, "create")}
    return render(request, "assessments/cycle_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request):
    if not cycle_policy.can(request.user, "create"):
        raise PermissionDenied
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycle_services.cycle_create(
                actor=request.user, title=data["title"], version=data["version"], period_start=data["period_start"],
                period_end=data["period_end"], opens_on=data["opens_on"], closes_on=data["closes_on"],
                conventions=data["conventions"], countries=data["countries"], offers_survey=data["offers_survey"],
                reminder_days=data["reminder_days"], providers=data["providers"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Cycle created as a draft. Open it to send the invitations."))
            return redirect("assessments:cycle_detail", pk=cycle.pk)
    return render(request, "assessments/cycle_form.html", {"form": form})


def _own_countries(user):
    return [m.country for m in memberships_of(user) if m.role in (Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)]


@login_required
def cycle_detail(request, pk):
    cycle = cycle_get_for(request.user, pk)
    manage = cycle_policy.can(request.user, "manage", cycle)
    own = [c for c in _own_countries(request.user) if Invitation.objects.filter(cycle=cycle, country=c).exists()]
    context = {
        "cycle": cycle,
        "can_manage": manage,
        "own_countries": own,
        "extend_form": ExtendForm(),
        "tracking": cycle_tracking(cycle) if manage or not own else None,
        "survey": survey_tracking(cycle) if manage and cycle.offers_survey else None,
    }
    if context["tracking"] is not None and not manage:
        # Regional focal points and centres see only the Parties they follow.
        visible = set(response_policy.visible_to(request.user).values_list("country_id", flat=True))
        context["tracking"]["rows"] = [row for row in context["tracking"]["rows"] if row["country"].pk in visible]
    return render(request, "assessments/cycle_detail.html", context)


@login_required
@require_POST
def cycle_action(request, pk):
    cycle = cycle_get_for(request.user, pk)
    if not cycle_policy.can(request.user, "manage", cycle):
        raise PermissionDenied
    action = request.POST.get("action")
    actions = {
        "open": (cycle_services.cycle_open, _("The cycle is open; invitations are being sent.")),
        "close": (cycle_services.cycle_close, _("The cycle is closed.")),
        "publish": (cycle_services.cycle_publish_results, _("The results are published.")),
    }
    try:
        if action == "remind":
            from tahub.assessments.tasks import send_reminders

            send_reminders.enqueue(cycle.pk, force=True)
            if cycle.offers_survey:
                messages.success(
                    request,
                    _("Reminders are being sent to the Parties that have not submitted and to the providers "
                      "that have not answered the survey."),
                )
            else:
                messages.success(request, _("Reminders are being sent to the Parties that have not submitted."))
        elif action in actions:
            service, message = actions[action]
            service(actor=request.user, cycle=cycle)
            messages.success(request, message)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessments:cycle_detail", pk=cycle.pk)


@login_required
@require_POST
def invitation_extend(request, pk, invitation_pk):
    cycle = cycle_get_for(request.user, pk)
    if not cycle_policy.can(request.user, "manage", cycle):
        raise PermissionDenied
    invitation = cycle.invitations.filter(pk=invitation_pk).select_related("country").first()
    if invitation is None:
        raise Http404
    form = ExtendForm(request.POST)
    if form.is_valid():
        try:
            cycle_services.invitation_extend(actor=request.user, invitation=invitation, deadline=form.cleaned_data["deadline"])
            messages.success(request, _("Deadline extended for %(party)s.") % {"party": invitation.country.name})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Give a valid date."))
    return redirect("assessments:cycle_detail", pk=cycle.pk)


@login_required
@require_POST
def response_open(request, pk, iso3):
    cycle = cycle_get_for(request.user, pk)
    country = next((c for c in _own_countries(request.user) if c.iso3 == iso3), None)
    if country is None:
        raise PermissionDenied
    try:
        response = response_services.response_start(actor=request.user, cycle=cycle, country=country)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    return redirect("assessments:response_detail", pk=response.pk)


def _theme_codes(question):
    return question.themes or list(Theme.objects.filter(parent__isnull=True).values_list("code", flat=True))


def _matrix_context(spec):
    """Themes and kinds of help each theme-matrix question shows, read once."""
    themes = {theme.code: theme for theme in Theme.objects.all()}
    kinds = list(KindOfHelp.objects.filter(parent__isnull=False).select_related("parent"))
    return themes, kinds


def _section_or_404(spec, code):
    section = next((s for s in spec.sections if s.code == code), None)
    if section is None:
        raise Http404
    return section


@login_required
def response_detail(request, pk):
    """Overview: sections with progress, problems, queries, and the submit button."""
    response = response_get_for(request.user, pk)
    spec = version_spec(response.cycle.version)
    result = response_services.validate(response, for_submission=False)
    submit_check = response_services.validate(response, for_submission=True)
    answered = {code for code in result.values if result.values[code] not in (None, "", [], {})}
    sections = [
        {
            "section": section,
            "total": sum(1 for q in section.questions if q.code in result.relevant),
            "answered": sum(1 for q in section.questions if q.code in answered),
            "problems": [p for p in submit_check.problems if any(q.code == p.code for q in section.questions)],
        }
        for section in spec.sections
    ]
    section_of = {q.code: s.code for s in spec.sections for q in s.questions}
    problems = [
        {"code": p.code, "message": p.message, "section": section_of.get(p.code, spec.sections[0].code)}
        for p in submit_check.problems
    ]
    can_assign = response_policy.can(request.user, "assign", response)
    editable = response_policy.editable_sections(request.user, response)
    for item in sections:
        item["assigned"] = editable is not None and item["section"].code in editable
    context = {
        "response": response,
        "sections": sections,
        "problems": problems,
        "can_assign": can_assign,
        "contributors": contributors_of(response) if can_assign else [],
        "invite_form": (
            ContributorInviteForm(sections=spec.sections, initial={"preferred_language": get_language()})
            if can_assign else None
        ),
        "can_edit": response_policy.can(request.user, "edit", response),
        "can_submit": response_policy.can(request.user, "submit", response),
        "can_review": response_policy.can(request.user, "review", response),
        "queries": response.queries.all(),
        "spec": spec,
    }
    return render(request, "assessments/response_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def response_section(request, pk, section):
    response = response_get_for(request.user, pk)
    spec = version_spec(response.cycle.version)
    section_spec = _section_or_404(spec, section)
    editable = response_policy.editable_sections(request.user, response)
    can_edit = response_policy.can(request.user, "edit", response) and (editable is None or section in editable)
    answers = response.answers
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        posted = answers_from_post(section_spec.questions, request.POST, theme_codes=_theme_codes)
        confirm = request.POST.getlist("confirm")
        try:
            lock_version = int(request.POST.get("lock_version", "-1"))
            response, result = response_services.response_save(
                actor=request.user, response=response, answers=posted, lock_version=lock_version, confirm=confirm
            )
        except (ValueError, response_services.StaleResponse):
            messages.error(
                request,
                _("Someone saved this response after you opened it. Your changes were not saved: "
                  "the page now shows the latest answers; enter your changes again."),
            )
            return redirect("assessments:response_section", pk=response.pk, section=section)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("assessments:response_detail", pk=response.pk)
        problems = [p for p in result.problems if any(q.code == p.code for q in section_spec.questions)]
        if problems:
            messages.warning(request, _("Saved. Some answers need attention; they are kept as you entered them."))
        else:
            messages.success(request, _("Saved."))
        following = request.POST.get("next_section")
        if following and any(s.code == following for s in spec.sections):
            return redirect("assessments:response_section", pk=response.pk, section=following)
        return redirect("assessments:response_section", pk=response.pk, section=section)
    result = response_services.validate(response, for_submission=False)
    themes, kinds = _matrix_context(spec)
    index = spec.sections.index(section_spec)
    context = {
        "response": response,
        "spec": spec,
        "section": section_spec,
        "questions": [
            _question_context(q, answers.get(q.code), result, response, spec, themes, kinds)
            for q in section_spec.questions
        ],
        "can_edit": can_edit,
        "previous_section": spec.sections[index - 1] if index > 0 else None,
        "next_section": spec.sections[index + 1] if index + 1 < len(spec.sections) else None,
        "levels": NEED_LEVELS,
    }
    return render(request, "assessments/response_section.html", context)


def _question_context(question, raw, result, response, spec, themes, kinds):
    context = {
        "spec": question,
        "name": field_name(question.code),
        "raw": raw,
        "shown": question.code in result.relevant,
        "problems": [p for p in result.problems if p.code == question.code],
        "prefilled_from": response.prefilled.get(question.code, ""),
        "queries": [q for q in response.queries.all() if q.question_code == question.code and not q.resolved],
        "choices": spec.choice_lists.get(question.choice_list, []),
    }
    if question.type == QuestionType.THEME_MATRIX:
        rows = raw if isinstance(raw, dict) else {}
        context["matrix"] = [
            {
                "theme": themes.get(code),
                "code": code,
                "level": (rows.get(code) or {}).get("level", ""),
                "kinds": (rows.get(code) or {}).get("kinds", []),
                "comment": (rows.get(code) or {}).get("comment", ""),
                "prefix": field_name(question.code, code),
            }
            for code in _theme_codes(question)
            if code in themes
        ]
        context["kinds"] = kinds
    return context


@login_required
@require_POST
def response_submit(request, pk):
    response = response_get_for(request.user, pk)
    try:
        response_services.response_submit(
            actor=request.user, response=response, lock_version=int(request.POST.get("lock_version", "-1"))
        )
    except (ValueError, response_services.StaleResponse):
        messages.error(request, _("The response changed since you opened this page. Check it, then submit again."))
    except response_services.ResponseInvalid:
        messages.error(request, _("The response cannot be submitted yet: see the problems listed below."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Submitted. A receipt has been sent by e-mail."))
    return redirect("assessments:response_detail", pk=response.pk)


@login_required
def response_print(request, pk):
    response = response_get_for(request.user, pk)
    spec = version_spec(response.cycle.version)
    themes = {theme.code: theme for theme in Theme.objects.all()}
    kinds = {kind.code: kind for kind in KindOfHelp.objects.all()}
    result = response_services.validate(response, for_submission=False)
    return render(
        request, "assessments/response_print.html",
        {"response": response, "spec": spec, "result": result, "themes": themes, "kinds": kinds},
    )


@login_required
@require_POST
def response_review(request, pk):
    response = response_get_for(request.user, pk)
    decision = request.POST.get("decision")
    try:
        if decision == "accept":
            response_services.response_accept(actor=request.user, response=response)
            messages.success(request, _("Accepted. The needs it reports are recorded."))
        elif decision == "return":
            queries = [
                (code, text)
                for code, text in zip(request.POST.getlist("query_code"), request.POST.getlist("query_text"), strict=False)
                if text.strip()
            ]
            response_services.response_return(actor=request.user, response=response, queries=queries)
            messages.success(request, _("Returned to the Party with your queries."))
        elif decision == "amend":
            amendment = response_services.response_amend(actor=request.user, response=response)
            messages.success(request, _("A new version is open for amendment."))
            return redirect("assessments:response_detail", pk=amendment.pk)
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assessments:response_detail", pk=response.pk)


@login_required
@require_POST
def response_contributors(request, pk):
    """The focal point invites a contributor, or changes the sections a contributor drafts."""
    response = response_get_for(request.user, pk)
    if not response_policy.can(request.user, "assign", response):
        raise PermissionDenied
    spec = version_spec(response.cycle.version)
    sections = request.POST.getlist("sections")
    try:
        if request.POST.get("user"):
            person = next((p for p, _assigned in contributors_of(response) if str(p.pk) == request.POST["user"]), None)
            if person is None:
                raise Http404
            contributor_services.contributor_assign(actor=request.user, response=response, user=person, sections=sections)
            messages.success(request, _("Sections of %(person)s saved.") % {"person": person.full_name})
        else:
            form = ContributorInviteForm(request.POST, sections=spec.sections)
            if not form.is_valid():
                for errors in form.errors.values():
                    messages.error(request, " ".join(errors))
                return redirect(f"{response_detail_url(response)}#contributors")
            data = form.cleaned_data
            contributor_services.contributor_invite(
                actor=request.user, response=response, email=data["email"], full_name=data["full_name"],
                sections=data["sections"], preferred_language=data["preferred_language"],
                site_url=request.build_absolute_uri("/"),
            )
            messages.success(request, _("%(email)s is invited to contribute.") % {"email": data["email"]})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{response_detail_url(response)}#contributors")


def response_detail_url(response):
    return reverse("assessments:response_detail", kwargs={"pk": response.pk})
