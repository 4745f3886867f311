"""Pages of the planning: decisions and what answers them, plans and their priority areas, the
programme of work (list, timeline, implementation report, IATI export), activities and their
reports, follow-up evaluations, a centre's business plan and performance, a region's overview."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tahub.accounts.actors import is_secretariat
from tahub.planning import forms, services
from tahub.planning.models import (
    Activity,
    ActivityReport,
    Decision,
    Paragraph,
    Plan,
    PriorityArea,
    Programme,
)
from tahub.planning.permissions import (
    activity_policy,
    centre_ids,
    centres_of,
    evaluation_policy,
    is_planner,
    may_see_centre,
    may_see_region,
    plan_policy,
    programme_policy,
    regions_of,
    report_policy,
)
from tahub.planning.selectors import (
    ActivityFilters,
    activities_for,
    activity_get_for,
    centre_activities,
    centre_performance,
    current_programme,
    decisions_with_coverage,
    evaluation_period,
    paragraphs_with_answers,
    plan_get_for,
    plans_for,
    programme_get_for,
    programmes_for,
    region_overview,
    report_get_for,
    reports_awaiting_review,
    reports_of,
    timeline,
)
from tahub.reference.models import RegionalCentre, RegionalGroup

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIST_ROWS = 50  # activities per page of a list
TIMELINE_ROWS = 100  # bars per page of the timeline
REGION_ROWS = 25  # activities a region's overview lists before linking to the full list


def _form_errors(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _done(request, text, target):
    messages.success(request, text)
    return redirect(target)


# -- overview, decisions -------------------------------------------------------------------------


def index(request):
    user = request.user
    return render(request, "planning/index.html", {
        "programmes": programmes_for(user), "plans": plans_for(user), "current": current_programme(user),
        "awaiting": reports_awaiting_review(user)[:20] if is_secretariat(user) else [],
        "centres": centres_of(user), "regions": regions_of(user) if user.is_authenticated else [],
        "secretariat": is_secretariat(user),
    })


def decision_list(request):
    decisions = decisions_with_coverage(request.user)
    return render(request, "planning/decision_list.html", {
        "decisions": decisions, "unanswered": sum(d.unanswered for d in decisions),
        "can_add": plan_policy.can(request.user, "manage"),
    })


def decision_detail(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("meeting__convention"), pk=pk)
    paragraphs = paragraphs_with_answers([decision], request.user)
    return render(request, "planning/decision_detail.html", {
        "decision": decision, "paragraphs": paragraphs, "can_add": plan_policy.can(request.user, "manage"),
        "form": forms.ParagraphForm() if plan_policy.can(request.user, "manage") else None,
    })


@login_required
def decision_create(request):
    plan_policy.require(request.user, "manage")
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _done(request, _("Decision %(symbol)s recorded: add its paragraphs.") % {"symbol": decision.symbol}, decision)
    return render(request, "planning/form.html", {"form": form, "title": _("Record a decision"), "back": "planning:decisions"})


@login_required
@require_POST
def paragraph_create(request, pk):
    plan_policy.require(request.user, "manage")
    decision = get_object_or_404(Decision, pk=pk)
    form = forms.ParagraphForm(request.POST)
    if form.is_valid():
        try:
            services.paragraph_save(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Paragraph %(number)s added.") % {"number": form.cleaned_data["number"]})
    else:
        messages.error(request, " ".join(f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()))
    return redirect(decision)


# -- plans ----------------------------------------------------------------------------------------


def plan_list(request):
    return render(request, "planning/plan_list.html", {"plans": plans_for(request.user), "can_add": plan_policy.can(request.user, "manage")})


def plan_detail(request, pk):
    plan = plan_get_for(request.user, pk)
    areas = plan.priority_areas.prefetch_related("themes", "regional_groups", "results", "paragraphs__decision").order_by("number")
    manage = plan_policy.can(request.user, "manage") and plan.status != Plan.Status.ADOPTED
    return render(request, "planning/plan_detail.html", {
        "plan": plan, "areas": areas, "objectives": plan.objectives.select_related("convention"),
        "paragraphs": plan.paragraphs.select_related("decision"), "programmes": programmes_for(request.user).filter(plan=plan),
        "manage": manage, "adopt_form": forms.AdoptForm() if manage else None,
        "paragraphs_form": forms.PlanParagraphsForm(initial={"paragraphs": plan.paragraphs.all()}) if manage else None,
        "result_form": forms.ResultForm() if manage else None,
    })


@login_required
def plan_create(request):
    plan_policy.require(request.user, "manage")
    form = forms.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=request.user, title=data["title"], start_year=data["start_year"], end_year=data["end_year"],
                conventions=data["conventions"], goal=data["goal"], objectives=form.objectives(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _done(request, _("Draft plan created: add its priority areas."), plan)
    return render(request, "planning/form.html", {"form": form, "title": _("Draft a technical assistance plan"), "back": "planning:plans"})


@login_required
@require_POST
def plan_action(request, pk, action):
    plan = plan_get_for(request.user, pk)
    plan_policy.require(request.user, "manage", plan)
    try:
        if action == "submit":
            services.plan_submit(actor=request.user, plan=plan)
            messages.success(request, _("The plan is submitted."))
        elif action == "adopt":
            form = forms.AdoptForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the decision that adopted the plan."))
            services.plan_adopt(actor=request.user, plan=plan, decision=form.cleaned_data["decision"])
            messages.success(request, _("The plan is adopted by %(symbol)s.") % {"symbol": form.cleaned_data["decision"].symbol})
        elif action == "paragraphs":
            form = forms.PlanParagraphsForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose paragraphs from the list."))
            services.plan_update(actor=request.user, plan=plan, paragraphs=form.cleaned_data["paragraphs"])
            messages.success(request, _("The paragraphs the plan answers are saved."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(plan)


@login_required
def area_create(request, pk):
    plan = plan_get_for(request.user, pk)
    plan_policy.require(request.user, "manage", plan)
    form = forms.PriorityAreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = services.priority_area_create(
                actor=request.user, plan=plan, title=data["title"], themes=list(data["themes"]),
                regional_groups=list(data["regional_groups"]), rationale=data["rationale"], cycle=data["cycle"],
                levels=tuple(data["levels"]) or ("high", "medium"), paragraphs=data["paragraphs"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Priority area %(number)s added with %(needs)s needs as evidence.") % {
                "number": area.number, "needs": area.evidence.get("needs", 0)})
            return redirect(f"{plan.get_absolute_url()}#area-{area.number}")
    return render(request, "planning/form.html", {
        "form": form, "title": _("Add a priority area to %(plan)s") % {"plan": plan.title}, "back_url": plan.get_absolute_url(),
    })


@login_required
@require_POST
def result_create(request, pk):
    area = get_object_or_404(PriorityArea.objects.select_related("plan"), pk=pk)
    plan_policy.require(request.user, "manage", area.plan)
    form = forms.ResultForm(request.POST)
    if form.is_valid():
        try:
            services.expected_result_add(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Expected result added."))
    else:
        messages.error(request, _("Give the result, its indicator, unit and target."))
    return redirect(f"{area.plan.get_absolute_url()}#area-{area.number}")


# -- programmes ------------------------------------------------------------------------------------


def programme_list(request):
    return render(request, "planning/programme_list.html", {
        "programmes": programmes_for(request.user), "can_add": plan_policy.can(request.user, "manage"),
    })


@login_required
def programme_create(request):
    plan_policy.require(request.user, "manage")
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _done(request, _("Programme created: add its activities."), programme)
    return render(request, "planning/form.html", {"form": form, "title": _("Create a programme of work"), "back": "planning:programmes"})


@login_required
@require_POST
def programme_publish(request, pk):
    programme = programme_get_for(request.user, pk)
    programme_policy.require(request.user, "publish", programme)
    services.programme_publish(actor=request.user, programme=programme)
    return _done(request, _("The programme is published."), programme)


def _filtered(request, programme):
    """The filters from the query, their form, the activities they leave, and what the page
    says of them (``filter_form``, ``query``, ``answering``: the paragraph they answer)."""
    filters = ActivityFilters.from_query(request.GET)
    shared = {
        "filter_form": forms.FilterForm(request.GET or None), "query": urlencode(filters.query),
        "answering": Paragraph.objects.select_related("decision").filter(pk=filters.paragraph).first()
        if filters.paragraph.isdigit() else None,
    }
    return activities_for(request.user, programme, filters), shared


def programme_detail(request, pk):
    programme = programme_get_for(request.user, pk)
    activities, shared = _filtered(request, programme)
    page = Paginator(activities, LIST_ROWS).get_page(request.GET.get("page"))
    return render(request, "planning/programme_detail.html", {
        "programme": programme, "page": page, **shared,
        "can_add": programme_policy.can(request.user, "add_activity", programme),
        "can_publish": programme_policy.can(request.user, "publish", programme) and programme.status == Programme.Status.DRAFT,
    })


def programme_timeline(request, pk):
    programme = programme_get_for(request.user, pk)
    activities, shared = _filtered(request, programme)
    # A bar names the activity, its lead and dates: not the regions and Parties a list row shows.
    page = Paginator(activities.prefetch_related(None), TIMELINE_ROWS).get_page(request.GET.get("page"))
    return render(request, "planning/timeline.html", {
        "programme": programme, "page": page, "timeline": timeline(programme, page.object_list), **shared,
    })


def programme_report(request, pk, fmt="html"):
    from tahub.planning.report import implementation_report
    from tahub.reports import exports

    programme = programme_get_for(request.user, pk)
    report = implementation_report(programme)
    name = f"tahub-implementation-{programme.start_year}-{report.language}"
    if fmt == "xlsx":
        response = HttpResponse(exports.render_xlsx(report), content_type=XLSX)
    elif fmt == "docx":
        from tahub.reports.documents import render_docx

        response = HttpResponse(render_docx(report), content_type=DOCX)
    elif fmt == "json":
        return HttpResponse(exports.render_json(report), content_type="application/json")
    elif fmt == "html":
        return render(request, "planning/report.html", {"programme": programme, "report": report})
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def programme_iati(request, pk):
    from tahub.planning.iati import iati_activities

    programme = programme_get_for(request.user, pk)
    activities = activity_policy.visible_to(request.user).filter(programme=programme)
    response = HttpResponse(iati_activities(activities), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="tahub-iati-{programme.start_year}.xml"'
    return response


# -- activities -------------------------------------------------------------------------------------


def _activity_values(form):
    values = form.values()
    values.setdefault("lead_centre", None)
    return values


@login_required
def activity_create(request, pk):
    programme = programme_get_for(request.user, pk)
    activity_policy.require(request.user, "create")
    centre_only = None if is_secretariat(request.user) else centre_ids(request.user)
    form = forms.ActivityForm(request.POST or None, programme=programme, centre_only=centre_only)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, programme=programme, **_activity_values(form))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _done(request, _("Activity %(code)s created.") % {"code": activity.code}, activity)
    return render(request, "planning/form.html", {
        "form": form, "title": _("New activity in %(programme)s") % {"programme": programme}, "back_url": programme.get_absolute_url(),
    })


@login_required
def activity_edit(request, pk):
    activity = activity_get_for(request.user, pk)
    activity_policy.require(request.user, "change", activity)
    centre_only = None if is_secretariat(request.user) else centre_ids(request.user)
    initial = {
        name: getattr(activity, name) for name in (
            "title", "description", "type", "level", "priority_area", "lead", "lead_centre", "lead_group", "lead_organisation",
            "languages", "planned_start", "planned_end",
        )
    } | {name: getattr(activity, name).all() for name in ("themes", "conventions", "countries", "regional_groups", "paragraphs", "needs")}
    form = forms.ActivityForm(request.POST or None, programme=activity.programme, centre_only=centre_only, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, **_activity_values(form))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _done(request, _("Activity %(code)s saved.") % {"code": activity.code}, activity)
    return render(request, "planning/form.html", {
        "form": form, "title": _("Change %(activity)s") % {"activity": activity}, "back_url": activity.get_absolute_url(),
    })


def activity_detail(request, pk):
    activity = activity_get_for(request.user, pk)
    user = request.user
    can_change = activity_policy.can(user, "change", activity)
    lines = list(activity.budget_lines.all())
    return render(request, "planning/activity_detail.html", {
        "activity": activity, "reports": reports_of(user, activity), "budget": lines,
        "currencies": sorted({line.currency for line in lines}),
        "can_change": can_change, "can_report": activity_policy.can(user, "report", activity)
        and activity.status != Activity.Status.CANCELLED,
        "status_form": forms.StatusForm() if can_change else None,
        "budget_form": forms.BudgetLineForm() if can_change else None,
        "partner_form": forms.PartnerForm() if can_change else None,
        "planner": is_planner(user),
    })


@login_required
@require_POST
def activity_status(request, pk):
    activity = activity_get_for(request.user, pk)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.activity_set_status(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The activity is now “%(status)s”.") % {"status": activity.get_status_display()})
    else:
        messages.error(request, _("Choose a status."))
    return redirect(activity)


@login_required
@require_POST
def activity_budget(request, pk):
    activity = activity_get_for(request.user, pk)
    activity_policy.require(request.user, "change", activity)
    form = forms.BudgetLineForm(request.POST)
    if form.is_valid():
        try:
            services.budget_line_save(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Budget line saved."))
    else:
        messages.error(request, _("Give the source, the currency and amounts of zero or more."))
    return redirect(f"{activity.get_absolute_url()}#budget")


@login_required
@require_POST
def budget_line_remove(request, pk, line):
    activity = activity_get_for(request.user, pk)
    item = get_object_or_404(activity.budget_lines, pk=line)
    services.budget_line_remove(actor=request.user, line=item)
    messages.success(request, _("Budget line removed."))
    return redirect(f"{activity.get_absolute_url()}#budget")


@login_required
@require_POST
def partner_add(request, pk):
    activity = activity_get_for(request.user, pk)
    activity_policy.require(request.user, "change", activity)
    form = forms.PartnerForm(request.POST)
    if form.is_valid():
        services.partner_add(actor=request.user, activity=activity, **form.cleaned_data)
        messages.success(request, _("Partner added."))
    else:
        messages.error(request, _("Choose the organisation and its role."))
    return redirect(f"{activity.get_absolute_url()}#partners")


@login_required
@require_POST
def partner_remove(request, pk, partner):
    activity = activity_get_for(request.user, pk)
    item = get_object_or_404(activity.partners, pk=partner)
    services.partner_remove(actor=request.user, partner=item)
    messages.success(request, _("Partner removed."))
    return redirect(f"{activity.get_absolute_url()}#partners")


# -- reports ----------------------------------------------------------------------------------------


def _report_forms(request, activity, report=None):
    results = activity.priority_area.results.all() if activity.priority_area_id else []
    initial = {}
    participations = materials = []
    if report is not None:
        initial = {"summary": report.summary, "final": report.final} | {
            f"result_{value.result_id}": value.value for value in report.indicator_values.all()
        }
        participations = [{"country": p.country, "women": p.women, "men": p.men, "unspecified": p.unspecified}
                          for p in report.participations.all()]
        materials = [{"kind": m.kind, "title": m.title, "url": m.url} for m in report.materials.all()]
    elif activity.countries.exists():
        participations = [{"country": country} for country in activity.countries.all()[:30]]
    data = request.POST if request.method == "POST" else None
    form = forms.ReportForm(data, results=results, initial=initial)
    people = forms.ParticipationFormSet(data, prefix="people", initial=participations + [{}] * 4)
    made = forms.MaterialFormSet(data, prefix="materials", initial=materials + [{}] * 2)
    return form, people, made


def _save_report(request, activity, report=None):
    form, people, made = _report_forms(request, activity, report)
    if request.method == "POST" and form.is_valid() and people.is_valid() and made.is_valid():
        values = {
            "summary": form.cleaned_data["summary"], "final": form.cleaned_data["final"],
            "participations": forms.participations_from(people), "materials": forms.materials_from(made),
            "indicator_values": form.indicator_values(),
        }
        try:
            if report is None:
                report = services.report_create(actor=request.user, activity=activity, **values)
            else:
                services.report_update(actor=request.user, report=report, **values)
            if "submit" in request.POST:
                services.report_submit(actor=request.user, report=report)
                return _done(request, _("The report is sent to the Secretariat for approval."), report)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _done(request, _("The report is saved as a draft."), report)
    return render(request, "planning/report_form.html", {"form": form, "people": people, "materials": made, "activity": activity, "report": report})


@login_required
def report_create(request, pk):
    activity = activity_get_for(request.user, pk)
    activity_policy.require(request.user, "report", activity)
    return _save_report(request, activity)


@login_required
def report_edit(request, pk):
    report = report_get_for(request.user, pk)
    report_policy.require(request.user, "change", report)
    return _save_report(request, report.activity, report)


def report_detail(request, pk):
    report = report_get_for(request.user, pk)
    participations = list(report.participations.all())
    return render(request, "planning/report_detail.html", {
        "report": report, "activity": report.activity, "participations": participations,
        "totals": {key: sum(getattr(p, key) for p in participations) for key in ("women", "men", "unspecified", "total")},
        "can_change": report_policy.can(request.user, "change", report),
        "can_review": report_policy.can(request.user, "approve", report), "review_form": forms.ReviewForm(),
        "show_comment": report_policy.can(request.user, "read_review", report),
    })


@login_required
@require_POST
def report_review(request, pk, action):
    report = report_get_for(request.user, pk)
    form = forms.ReviewForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "approve":
            services.report_approve(actor=request.user, report=report, comment=comment)
            messages.success(request, _("The report is approved."))
        elif action == "return":
            services.report_return(actor=request.user, report=report, comment=comment)
            messages.success(request, _("The report is returned with your comment."))
        elif action == "submit":
            if not report_policy.can(request.user, "submit", report):
                raise PermissionDenied
            services.report_submit(actor=request.user, report=report)
            messages.success(request, _("The report is sent to the Secretariat for approval."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(report)


# -- evaluations --------------------------------------------------------------------------------------


@login_required
def evaluation(request, pk):
    item = evaluation_policy.get_for(request.user, evaluation_policy.visible_to(request.user).select_related("activity", "country"), pk=pk)
    can_answer = evaluation_policy.can(request.user, "answer", item)
    form = forms.EvaluationForm(request.POST or None) if can_answer else None
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            services.evaluation_answer(actor=request.user, evaluation=item, **form.cleaned_data)
            return _done(request, _("Thank you: your answer is recorded and your Party's needs updated."), item)
    return render(request, "planning/evaluation.html", {
        "evaluation": item, "form": form, "needs": item.activity.needs.filter(country=item.country).select_related("theme"),
    })


# -- a centre, a region --------------------------------------------------------------------------------


def _chosen_programme(request):
    programmes = list(programmes_for(request.user))
    chosen = request.GET.get("programme")
    programme = next((p for p in programmes if str(p.pk) == chosen), None) or current_programme(request.user)
    return programme, programmes


@login_required
def centre(request, slug):
    item = get_object_or_404(RegionalCentre, slug=slug)
    if not may_see_centre(request.user, item):
        raise Http404
    programme, programmes = _chosen_programme(request)
    activities = centre_activities(request.user, item, programme) if programme else Activity.objects.none()
    page = Paginator(activities, LIST_ROWS).get_page(request.GET.get("page"))
    since, until = evaluation_period(programme.plan if programme else None)
    return render(request, "planning/centre.html", {
        "centre": item, "programme": programme, "programmes": programmes, "page": page,
        "query": urlencode({"programme": programme.pk}) if programme else "",
        "performance": centre_performance(item, since=since, until=until), "since": since, "until": until,
        "can_add": programme is not None and (item.pk in centre_ids(request.user) or is_secretariat(request.user)),
        "awaiting": ActivityReport.objects.filter(activity__lead_centre=item, status=ActivityReport.Status.SUBMITTED).count(),
    })


@login_required
def region(request, code):
    group = get_object_or_404(RegionalGroup, code=code)
    if not may_see_region(request.user, group):
        raise Http404
    programme, programmes = _chosen_programme(request)
    overview = region_overview(request.user, group, programme)
    activities = overview.pop("activities")
    return render(request, "planning/region.html", {
        "group": group, "programme": programme, "programmes": programmes, **overview,
        "activities": activities[:REGION_ROWS], "activity_count": activities.count(),
    })
