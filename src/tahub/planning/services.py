"""Every change to mandates, plans, programmes, activities, reports and evaluations.

Each service checks the actor's right to act (``actor`` None is the system: commands, tasks,
the demo), validates, writes inside one transaction and names the actor in the history.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.assessments.models import Need, NeedObservation
from tahub.core.audit import audited, one_history_entry
from tahub.planning.models import (
    Activity,
    ActivityReport,
    BudgetLine,
    Decision,
    Evaluation,
    ExpectedResult,
    IndicatorValue,
    Material,
    Meeting,
    Objective,
    Paragraph,
    Participation,
    Partner,
    Plan,
    PriorityArea,
    Programme,
)
from tahub.planning.permissions import (
    activity_policy,
    evaluation_policy,
    plan_policy,
    report_policy,
)
from tahub.reference.models import Theme

REPORTED_LEVELS = ("high", "medium", "low")


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def _secretariat(actor):
    if actor is not None:
        _require(plan_policy.can(actor, "manage"))


def _checked(obj, exclude=()):
    obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    return obj


# -- Mandates ----------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor, convention, number, starts_on, ends_on, place):
    _secretariat(actor)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("A meeting ends on or after the day it starts.")})
    if Meeting.objects.filter(convention=convention, number=number).exists():
        raise ValidationError({"number": _("This meeting is already recorded.")})
    meeting = Meeting(convention=convention, number=number, starts_on=starts_on, ends_on=ends_on, place=place)
    audited(_checked(meeting), actor).save()
    return meeting


@transaction.atomic
def decision_create(*, actor, meeting, symbol, title, url=""):
    _secretariat(actor)
    symbol = symbol.strip()
    if Decision.objects.filter(symbol__iexact=symbol).exists():
        raise ValidationError({"symbol": _("A decision with this symbol is already recorded.")})
    decision = Decision(meeting=meeting, symbol=symbol, title=title.strip(), url=url)
    audited(_checked(decision), actor).save()
    return decision


@transaction.atomic
def paragraph_save(*, actor, decision, paragraph=None, **fields):
    """Add a paragraph to ``decision`` or change ``paragraph``."""
    _secretariat(actor)
    paragraph = paragraph or Paragraph(decision=decision, order=decision.paragraphs.count() + 1)
    for name, value in fields.items():
        setattr(paragraph, name, value)
    taken = Paragraph.objects.filter(decision=decision, number=paragraph.number).exclude(pk=paragraph.pk)
    if taken.exists():
        raise ValidationError({"number": _("This decision already has a paragraph with this number.")})
    if paragraph.due_by and not paragraph.asks_action:
        raise ValidationError({"due_by": _("Only a paragraph that asks for action has a date to act by.")})
    audited(_checked(paragraph, exclude=["decision"]), actor).save()
    return paragraph


# -- The four-year plan -----------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, title, start_year, end_year, conventions, goal, objectives=None):
    """A draft plan; ``objectives`` maps a convention to its objective."""
    _secretariat(actor)
    if end_year < start_year:
        raise ValidationError({"end_year": _("A plan ends in or after the year it starts.")})
    plan = Plan(title=title, start_year=start_year, end_year=end_year, goal=goal)
    with one_history_entry(plan, actor, created=True):
        _checked(plan).save()
        plan.conventions.set(conventions)
    for convention, text in (objectives or {}).items():
        if text.strip():
            Objective.objects.create(plan=plan, convention=convention, text=text.strip())
    return plan


@transaction.atomic
def plan_update(*, actor, plan, conventions=None, objectives=None, paragraphs=None, **fields):
    _secretariat(actor)
    if plan.status == Plan.Status.ADOPTED:
        raise ValidationError(_("An adopted plan no longer changes."))
    with one_history_entry(plan, actor, created=False):
        for name, value in fields.items():
            setattr(plan, name, value)
        if plan.end_year < plan.start_year:
            raise ValidationError({"end_year": _("A plan ends in or after the year it starts.")})
        _checked(plan).save()
        if conventions is not None:
            plan.conventions.set(conventions)
        if paragraphs is not None:
            plan.paragraphs.set(paragraphs)
    if objectives is not None:
        plan.objectives.all().delete()
        for convention, text in objectives.items():
            if text.strip():
                Objective.objects.create(plan=plan, convention=convention, text=text.strip())
    return plan


@transaction.atomic
def plan_submit(*, actor, plan):
    _secretariat(actor)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan is submitted."))
    if not plan.priority_areas.exists():
        raise ValidationError(_("A plan is submitted with at least one priority area."))
    plan.status, plan.submitted_at = Plan.Status.SUBMITTED, timezone.now()
    audited(plan, actor).save()
    return plan


@transaction.atomic
def plan_adopt(*, actor, plan, decision):
    """The COP adopted the plan by ``decision``."""
    _secretariat(actor)
    if plan.status == Plan.Status.ADOPTED:
        raise ValidationError(_("The plan is already adopted."))
    if decision is None:
        raise ValidationError({"decision": _("Name the decision that adopted the plan.")})
    plan.status, plan.adopted_by, plan.adopted_at = Plan.Status.ADOPTED, decision, timezone.now()
    plan.submitted_at = plan.submitted_at or plan.adopted_at
    audited(plan, actor).save()
    return plan


def _with_subthemes(themes):
    ids = {theme.pk for theme in themes}
    ids |= set(Theme.objects.filter(parent__in=ids).values_list("pk", flat=True))
    return ids


def evidence_for(*, actor, cycle, themes, regional_groups, levels):
    """The needs a cycle found on ``themes`` (and their sub-themes) in ``regional_groups`` (all
    when empty) at ``levels``, and the figures the cycle's summary gives for them.

    Returns ``(needs, snapshot)``: the needs to link and the dated snapshot kept with the area.
    """
    from tahub.reports.context import FULL
    from tahub.reports.figures import spec_for
    from tahub.reports.selectors import summary_context

    theme_ids = _with_subthemes(themes)
    group_codes = {group.code for group in regional_groups}
    observations = NeedObservation.objects.filter(cycle=cycle, level__in=levels, need__theme__in=theme_ids)
    if group_codes:
        observations = observations.filter(need__country__regional_group__code__in=group_codes)
    needs = list(Need.objects.filter(pk__in=observations.values("need_id")).order_by("pk"))
    by_level = {level: 0 for level in REPORTED_LEVELS}
    for level in observations.values_list("level", flat=True):
        by_level[level] += 1
    context = summary_context(actor, cycle, audience=FULL)
    table = spec_for(context, "needs_by_theme_and_group").compute(context)
    group_names = {group.code: group.name for group in context.regional_groups()}
    codes = set(Theme.objects.filter(pk__in=theme_ids).values_list("code", flat=True))
    rows = []
    for row in table.rows:
        group, theme = row.key.split("|", 1)
        if theme in codes and (not group_codes or group in group_codes):
            if not any(cell.value for cell in row.cells.values()):
                continue
            rows.append({"key": row.key, "label": row.label, "group": group_names.get(group, group),
                         **{k: cell.value for k, cell in row.cells.items()}})
    snapshot = {
        "cycle": {"id": cycle.pk, "title": cycle.title},
        "taken_on": timezone.localdate().isoformat(),
        "levels": list(levels),
        "themes": sorted(codes),
        "regions": sorted(group_codes),
        "needs": len(needs),
        "parties": len({need.country_id for need in needs}),
        "by_level": by_level,
        "summary_rows": rows,
        "need_ids": [need.pk for need in needs],
    }
    return needs, snapshot


@transaction.atomic
def priority_area_create(*, actor, plan, title, themes, rationale, regional_groups=(), cycle=None, levels=("high", "medium"),
                         needs=None, paragraphs=()):
    """A priority area of ``plan``. With ``cycle``, its needs are those the cycle found on its
    themes and regions at ``levels`` and the evidence snapshot is taken now; ``needs`` adds needs
    chosen one by one."""
    _secretariat(actor)
    if plan.status == Plan.Status.ADOPTED:
        raise ValidationError(_("An adopted plan no longer changes."))
    if not themes:
        raise ValidationError({"themes": _("Choose at least one theme.")})
    chosen = list(needs or [])
    evidence = {}
    if cycle is not None:
        found, evidence = evidence_for(actor=actor, cycle=cycle, themes=themes, regional_groups=regional_groups, levels=levels)
        chosen = list({need.pk: need for need in [*found, *chosen]}.values())
    elif chosen:
        evidence = {"taken_on": timezone.localdate().isoformat(), "needs": len(chosen),
                    "parties": len({need.country_id for need in chosen}), "need_ids": sorted(n.pk for n in chosen)}
    number = (plan.priority_areas.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    area = PriorityArea(plan=plan, number=number, title=title, rationale=rationale, evidence=evidence,
                        evidence_taken_on=timezone.localdate() if evidence else None)
    with one_history_entry(area, actor, created=True):
        _checked(area, exclude=["plan"]).save()
        area.themes.set(themes)
        area.regional_groups.set(regional_groups)
        area.needs.set(chosen)
        area.paragraphs.set(paragraphs)
    return area


@transaction.atomic
def expected_result_add(*, actor, area, text, indicator, unit, target, baseline=Decimal("0")):
    _secretariat(actor)
    if Decimal(target) < Decimal(baseline):
        raise ValidationError({"target": _("The target is at least the baseline.")})
    result = ExpectedResult(priority_area=area, text=text, indicator=indicator, unit=unit, baseline=baseline, target=target)
    audited(_checked(result, exclude=["priority_area"]), actor).save()
    return result


# -- The programme of work ----------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor, plan, start_year, title=""):
    _secretariat(actor)
    if not plan.start_year <= start_year <= plan.end_year - 1:
        raise ValidationError({"start_year": _("The biennium lies within the plan's period.")})
    if Programme.objects.filter(start_year=start_year).exists():
        raise ValidationError({"start_year": _("There is already a programme for this biennium.")})
    programme = Programme(
        plan=plan, start_year=start_year,
        title=title or _("Programme of technical assistance %(biennium)s") % {"biennium": f"{start_year}–{start_year + 1}"},
    )
    audited(_checked(programme, exclude=["plan"]), actor).save()
    return programme


@transaction.atomic
def programme_publish(*, actor, programme):
    _secretariat(actor)
    programme.status = Programme.Status.PUBLISHED
    audited(programme, actor).save()
    return programme


def _next_code(programme):
    prefix = f"{programme.start_year}-"
    taken = Activity.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix):]) for code in taken if code[len(prefix):].isdigit()]
    return f"{prefix}{(max(numbers, default=0) + 1):03d}"


LINKS = ("themes", "conventions", "countries", "regional_groups", "paragraphs", "needs", "requests", "matches")


def _validate_activity(activity):
    errors = {}
    if activity.code and Activity.objects.filter(code=activity.code).exclude(pk=activity.pk).exists():
        errors["code"] = _("Another activity has this code.")
    lead = activity.lead
    if lead == Activity.Lead.CENTRE and not activity.lead_centre_id:
        errors["lead_centre"] = _("Name the centre that leads the activity.")
    if lead == Activity.Lead.REGIONAL_FOCAL_POINT and not activity.lead_group_id:
        errors["lead_group"] = _("Name the region whose focal point leads the activity.")
    if lead == Activity.Lead.PARTNER and not activity.lead_organisation_id:
        errors["lead_organisation"] = _("Name the partner organisation that leads the activity.")
    if activity.planned_start and activity.planned_end and activity.planned_end < activity.planned_start:
        errors["planned_end"] = _("The activity ends on or after the day it starts.")
    if activity.actual_start and activity.actual_end and activity.actual_end < activity.actual_start:
        errors["actual_end"] = _("The activity ends on or after the day it starts.")
    if activity.status in (Activity.Status.POSTPONED, Activity.Status.CANCELLED) and not activity.status_reason.strip():
        errors["status_reason"] = _("Say why the activity was postponed or cancelled.")
    if activity.centre_own and lead != Activity.Lead.CENTRE:
        errors["centre_own"] = _("Only a centre's activity is the centre's own.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def activity_create(*, actor, programme, partners=(), budget=(), **fields):
    """An activity in ``programme``. Centre staff create their centre's activities only (their own,
    in the centre's business plan). ``partners``: (organisation, role); ``budget``: dicts of
    BudgetLine fields."""
    if actor is not None:
        _require(activity_policy.can(actor, "create"))
        if not plan_policy.can(actor, "manage"):
            from tahub.planning.permissions import centre_ids

            if fields.get("lead_centre") is None or fields["lead_centre"].pk not in centre_ids(actor):
                raise PermissionDenied
            fields["lead"], fields["centre_own"] = Activity.Lead.CENTRE, True
    links = {name: fields.pop(name) for name in LINKS if name in fields}
    activity = Activity(programme=programme, code=fields.pop("code", "") or _next_code(programme), **fields)
    activity.created_by = actor if getattr(actor, "is_authenticated", False) else None
    _validate_activity(activity)
    with one_history_entry(activity, actor, created=True):
        _checked(activity, exclude=["programme", "created_by"]).save()
        for name, values in links.items():
            getattr(activity, name).set(values)
    for organisation, role in partners:
        partner_add(actor=None, activity=activity, organisation=organisation, role=role)
    for line in budget:
        budget_line_save(actor=None, activity=activity, **line)
    return activity


@transaction.atomic
def activity_update(*, actor, activity, **fields):
    if actor is not None:
        _require(activity_policy.can(actor, "change", activity))
        if not plan_policy.can(actor, "manage"):
            for locked in ("lead", "lead_centre", "centre_own", "programme"):
                fields.pop(locked, None)  # centre staff keep the activity their centre's
    links = {name: fields.pop(name) for name in LINKS if name in fields}
    with one_history_entry(activity, actor, created=False):
        for name, value in fields.items():
            setattr(activity, name, value)
        _validate_activity(activity)
        _checked(activity, exclude=["programme", "created_by"]).save()
        for name, values in links.items():
            getattr(activity, name).set(values)
    return activity


ALLOWED_MOVES = {
    Activity.Status.PLANNED: {Activity.Status.IN_PREPARATION, Activity.Status.ONGOING, Activity.Status.POSTPONED, Activity.Status.CANCELLED},
    Activity.Status.IN_PREPARATION: {Activity.Status.ONGOING, Activity.Status.POSTPONED, Activity.Status.CANCELLED},
    Activity.Status.ONGOING: {Activity.Status.COMPLETED, Activity.Status.POSTPONED, Activity.Status.CANCELLED},
    Activity.Status.POSTPONED: {Activity.Status.PLANNED, Activity.Status.IN_PREPARATION, Activity.Status.CANCELLED},
    Activity.Status.COMPLETED: set(),
    Activity.Status.CANCELLED: set(),
}


@transaction.atomic
def activity_set_status(*, actor, activity, status, reason="", on=None):
    """Move an activity on. Starting sets its actual start, completing its actual end (``on``, or
    today); postponing and cancelling say why."""
    if actor is not None:
        _require(activity_policy.can(actor, "set_status", activity))
    status = Activity.Status(status)
    if status not in ALLOWED_MOVES[Activity.Status(activity.status)]:
        raise ValidationError({"status": _("An activity that is %(now)s cannot become %(then)s.") % {
            "now": activity.get_status_display().lower(), "then": status.label.lower()}})
    day = on or timezone.localdate()
    activity.status, activity.status_reason = status, reason.strip()
    if status == Activity.Status.ONGOING and not activity.actual_start:
        activity.actual_start = day
    if status == Activity.Status.COMPLETED:
        activity.actual_start = activity.actual_start or min(day, activity.planned_start)
        activity.actual_end = activity.actual_end or max(day, activity.actual_start)
    _validate_activity(activity)
    audited(activity, actor).save()
    return activity


@transaction.atomic
def budget_line_save(*, actor, activity, source, currency, planned=0, secured=0, spent=0, funder=None):
    """Set the line of ``activity`` for ``source`` in ``currency`` (one currency per line)."""
    if actor is not None:
        _require(activity_policy.can(actor, "change", activity))
    line = BudgetLine.objects.filter(activity=activity, source=source, currency=currency).first() or BudgetLine(
        activity=activity, source=source, currency=currency
    )
    line.planned, line.secured, line.spent, line.funder = Decimal(planned), Decimal(secured), Decimal(spent), funder
    audited(_checked(line, exclude=["activity", "funder"]), actor).save()
    return line


@transaction.atomic
def budget_line_remove(*, actor, line):
    """Take a line out of its activity's budget (entered by mistake, or the source fell away)."""
    if actor is not None:
        _require(activity_policy.can(actor, "change", line.activity))
    audited(line, actor).delete()


@transaction.atomic
def partner_add(*, actor, activity, organisation, role):
    if actor is not None:
        _require(activity_policy.can(actor, "change", activity))
    partner = Partner.objects.filter(activity=activity, organisation=organisation, role=role).first()
    if partner is None:
        partner = Partner(activity=activity, organisation=organisation, role=role)
        audited(_checked(partner, exclude=["activity", "organisation"]), actor).save()
    return partner


@transaction.atomic
def partner_remove(*, actor, partner):
    if actor is not None:
        _require(activity_policy.can(actor, "change", partner.activity))
    audited(partner, actor).delete()


# -- Outputs, results and their review ---------------------------------------------------------------


def _set_outputs(report, participations, materials, indicator_values):
    if participations is not None:
        report.participations.all().delete()
        seen = set()
        for country, women, men, unspecified in participations:
            if country.pk in seen:
                raise ValidationError({"participations": _("Each country is listed once.")})
            seen.add(country.pk)
            if women or men or unspecified:
                Participation.objects.create(report=report, country=country, women=women, men=men, unspecified=unspecified)
    if materials is not None:
        report.materials.all().delete()
        for kind, title, url in materials:
            _checked(Material(report=report, kind=kind, title=title, url=url), exclude=["report"]).save()
    if indicator_values is not None:
        report.indicator_values.all().delete()
        area = report.activity.priority_area_id
        for result, value, note in indicator_values:
            if result.priority_area_id != area:
                raise ValidationError({"indicator_values": _("Only the results of the activity's priority area are reported on.")})
            IndicatorValue.objects.create(report=report, result=result, value=Decimal(value), note=note)


@transaction.atomic
def report_create(*, actor, activity, summary, final=True, participations=(), materials=(), indicator_values=()):
    if actor is not None:
        _require(activity_policy.can(actor, "report", activity))
    if activity.status == Activity.Status.CANCELLED:
        raise ValidationError(_("A cancelled activity has nothing to report."))
    if not summary.strip():
        raise ValidationError({"summary": _("Say what was done and achieved.")})
    report = ActivityReport(activity=activity, summary=summary.strip(), final=final,
                            prepared_by=actor if getattr(actor, "is_authenticated", False) else None)
    audited(report, actor).save()
    _set_outputs(report, participations, materials, indicator_values)
    return report


@transaction.atomic
def report_update(*, actor, report, summary=None, final=None, participations=None, materials=None, indicator_values=None):
    if actor is not None:
        _require(report_policy.can(actor, "change", report))
    elif not report.editable:
        raise ValidationError(_("Only a draft or returned report changes."))
    if summary is not None:
        report.summary = summary.strip()
    if final is not None:
        report.final = final
    audited(report, actor).save()
    _set_outputs(report, participations, materials, indicator_values)
    return report


@transaction.atomic
def report_submit(*, actor, report):
    if actor is not None:
        _require(report_policy.can(actor, "submit", report))
    report.status, report.submitted_at = ActivityReport.Status.SUBMITTED, timezone.now()
    audited(report, actor).save()
    return report


@transaction.atomic
def report_return(*, actor, report, comment):
    if actor is not None:
        _require(report_policy.can(actor, "return", report))
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should change.")})
    report.status, report.review_comment = ActivityReport.Status.RETURNED, comment.strip()
    report.reviewed_by, report.reviewed_at = (actor if getattr(actor, "is_authenticated", False) else None), timezone.now()
    audited(report, actor).save()
    return report


def evaluation_months():
    return settings.TAHUB_EVALUATION_AFTER_MONTHS


def _months_after(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in range(min(day.day, 31), 0, -1):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def reached_parties(activity, report=None):
    """The Parties an activity reached: those whose people took part (from ``report``, else its
    approved reports), or its target Parties when it reports no participants (a publication)."""
    reports = [report] if report is not None else list(activity.reports.filter(status=ActivityReport.Status.APPROVED))
    reached = set(Participation.objects.filter(report__in=reports).values_list("country_id", flat=True))
    return reached or set(activity.countries.values_list("pk", flat=True))


def _set_needs(needs, status, actor, *, only_from):
    changed = []
    for need in needs:
        if need.status in only_from:
            need.status, need.proposed_status = status, ""
            audited(need, actor).save()
            changed.append(need)
    return changed


@transaction.atomic
def report_approve(*, actor, report, comment=""):
    """Approve a report. A final report completes the activity: the open needs it addresses of
    the Parties it reached become partly met (their follow-up evaluation may later say met), and
    each Party reached is asked for a follow-up evaluation some months after the activity ended."""
    if actor is not None:
        _require(report_policy.can(actor, "approve", report))
    elif report.status != ActivityReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report is approved."))
    report.status, report.review_comment = ActivityReport.Status.APPROVED, comment.strip()
    report.reviewed_by, report.reviewed_at = (actor if getattr(actor, "is_authenticated", False) else None), timezone.now()
    audited(report, actor).save()
    activity = report.activity
    if not report.final:
        return report
    if activity.status != Activity.Status.COMPLETED:
        if activity.status in (Activity.Status.PLANNED, Activity.Status.IN_PREPARATION, Activity.Status.POSTPONED):
            activity.status = Activity.Status.ONGOING
        activity_set_status(actor=None, activity=activity, status=Activity.Status.COMPLETED, on=activity.actual_end or activity.planned_end)
        audited(activity, actor)
    reached = reached_parties(activity, report)
    needs = activity.needs.filter(country__in=reached)
    _set_needs(needs, Need.Status.PARTLY_MET, actor, only_from={Need.Status.OPEN})
    due = _months_after(activity.actual_end, evaluation_months())
    for country_id in sorted(reached):
        Evaluation.objects.get_or_create(activity=activity, country_id=country_id, defaults={"due_on": due})
    return report


@transaction.atomic
def evaluation_answer(*, actor, evaluation, usefulness, outcome, applied=""):
    """A focal point's follow-up answer. "Met" and "partly met" set the Party's needs the activity
    addressed accordingly; "not met" reopens those that were only partly met."""
    if actor is not None:
        _require(evaluation_policy.can(actor, "answer", evaluation))
    outcome = Evaluation.Outcome(outcome)
    evaluation.usefulness, evaluation.outcome, evaluation.applied = usefulness, outcome, applied.strip()
    evaluation.answered_at = timezone.now()
    evaluation.answered_by = actor if getattr(actor, "is_authenticated", False) else None
    _checked(evaluation, exclude=["activity", "country", "answered_by"])
    audited(evaluation, actor).save()
    needs = evaluation.activity.needs.filter(country=evaluation.country)
    if outcome == Evaluation.Outcome.MET:
        _set_needs(needs, Need.Status.MET, actor, only_from={Need.Status.OPEN, Need.Status.PARTLY_MET})
    elif outcome == Evaluation.Outcome.PARTLY_MET:
        _set_needs(needs, Need.Status.PARTLY_MET, actor, only_from={Need.Status.OPEN})
    else:
        _set_needs(needs, Need.Status.OPEN, actor, only_from={Need.Status.PARTLY_MET})
    return evaluation


def evaluations_send(*, today=None):
    """E-mail the focal points of each Party whose follow-up evaluation is due and not yet sent.
    Returns the number of e-mails sent."""
    from tahub.planning.notifications import send_evaluation

    today = today or timezone.localdate()
    sent = 0
    due = Evaluation.objects.filter(due_on__lte=today, sent_at__isnull=True, answered_at__isnull=True)
    for evaluation in due.select_related("activity", "country"):
        with transaction.atomic():
            sent += send_evaluation(evaluation)
            evaluation.sent_at = timezone.now()
            evaluation.save(update_fields=["sent_at"])
    return sent
