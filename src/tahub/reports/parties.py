"""The Party report: one Party's needs across cycles, its requests and the offers matched to it.

Read for the Party's focal points and the Secretariat (``permissions.party_report_country_for``);
it uses the same report structure as the cycle summary, so the same XLSX and DOCX renderers
write it.
"""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tahub.assessments.models import NeedObservation
from tahub.assessments.selectors import needs_of_country_for
from tahub.assistance.permissions import request_policy
from tahub.matching.models import Match, subject_url
from tahub.matching.permissions import match_policy
from tahub.reports.definition import COUNT, TEXT, Cell, Column, Report, Row, Section, Table

LEVELS = dict(NeedObservation.Level.choices)
MATCHED = (Match.Status.CONFIRMED, Match.Status.CONVEYED)


def _needs_table(actor, country):
    needs = list(needs_of_country_for(actor, country))
    cycles = {}
    for need in needs:
        for observation in need.observation_list:
            if observation.cycle is not None:
                cycles[observation.cycle_id] = observation.cycle
    ordered = sorted(cycles.values(), key=lambda cycle: cycle.opens_on)
    rows = []
    for need in needs:
        levels = {o.cycle_id: str(LEVELS[o.level]) for o in need.observation_list if o.cycle_id}
        rows.append(Row(
            str(need.pk), need.theme.label, {}, link=subject_url("need", need.pk),
            extra={"status": need.get_status_display(), **{f"c{cycle.pk}": levels.get(cycle.pk, "—") for cycle in ordered}},
        ))
    return Table(
        key="party_needs", title=_("Needs across cycles"),
        description=_("The level each cycle reported for each of the Party's needs, and the need's status now."),
        columns=[], rows=rows, row_header=_("Theme"),
        text_columns=[Column("status", _("Status"), TEXT), *[Column(f"c{c.pk}", c.title, TEXT) for c in ordered]],
    )


def _requests_table(actor, country):
    requests = (
        request_policy.visible_to(actor).filter(Q(country=country) | Q(co_requesters=country)).distinct()
        .annotate(conveyed=Count("matches", filter=Q(matches__status=Match.Status.CONVEYED), distinct=True))
        .order_by("-submitted_at")
    )
    rows = [
        Row(str(r.pk), r.title, {"conveyed": Cell(r.conveyed)}, link=r.get_absolute_url(), extra={
            "status": r.get_status_display(), "submitted": timezone.localdate(r.submitted_at).isoformat(),
        })
        for r in requests
    ]
    return Table(
        key="party_requests", title=_("Requests for assistance"), description=_("The Party's requests, newest first."),
        columns=[Column("conveyed", _("Offers conveyed"), COUNT)], rows=rows, row_header=_("Request"),
        text_columns=[Column("status", _("Status"), TEXT), Column("submitted", _("Submitted"), TEXT)],
    )


def _matches_table(actor, country):
    matches = (
        match_policy.visible_to(actor).filter(country=country, status__in=MATCHED)
        .select_related("offer__provider", "need__theme", "request")
        .prefetch_related(Prefetch("offer__themes"))
        .order_by("-pk")
    )
    rows = [
        Row(str(m.pk), m.offer.title, {}, link=m.get_absolute_url(), extra={
            "provider": m.offer.provider.name,
            "for": m.need.theme.label if m.need_id else m.request.title,
            "status": m.get_status_display(),
            "answer": m.get_party_answer_display() or "—",
        })
        for m in matches
    ]
    return Table(
        key="party_matches", title=_("Offers matched"),
        description=_("Offers the Secretariat confirmed or conveyed for the Party's needs and requests."),
        columns=[], rows=rows, row_header=_("Offer"),
        text_columns=[Column("provider", _("Provider"), TEXT), Column("for", _("For"), TEXT),
                      Column("status", _("Status"), TEXT), Column("answer", _("Party's answer"), TEXT)],
    )


def _activities_table(country):
    """Completed activities the Party's people took part in (approved reports), with how many."""
    from django.db.models import Sum

    from tahub.planning.models import Activity, ActivityReport, Participation

    taken_part = (
        Participation.objects.filter(country=country, report__status=ActivityReport.Status.APPROVED)
        .values("report__activity").annotate(people=Sum("women") + Sum("men") + Sum("unspecified"))
    )
    people = {row["report__activity"]: row["people"] for row in taken_part}
    activities = Activity.objects.filter(pk__in=people, status=Activity.Status.COMPLETED).order_by("-actual_end", "code")
    rows = [
        Row(str(a.pk), f"{a.code} {a.title}", {"people": Cell(people[a.pk])}, link=a.get_absolute_url(),
            extra={"type": a.get_type_display(), "ended": a.actual_end.isoformat() if a.actual_end else "", "lead": a.lead_label})
        for a in activities
    ]
    return Table(
        key="party_activities", title=_("Activities delivered"),
        description=_("Completed activities of the programmes of work in which people from the Party took part."),
        columns=[Column("people", _("Participants"), COUNT)], rows=rows, row_header=_("Activity"),
        text_columns=[Column("type", _("Type"), TEXT), Column("ended", _("Ended"), TEXT), Column("lead", _("Lead"), TEXT)],
    )


def party_report(actor, country):
    needs = _needs_table(actor, country)
    requests = _requests_table(actor, country)
    matches = _matches_table(actor, country)
    return Report(
        key=f"party-{country.iso3}", title=_("Technical assistance report: %(party)s") % {"party": country.name},
        subtitle=country.regional_group.name if country.regional_group else "",
        sections=[
            Section("needs", _("Needs"), "", [needs]),
            Section("requests", _("Requests and offers"), "", [requests, matches]),
            Section("activities", _("Activities delivered"), "", [_activities_table(country)]),
        ],
        audience="full", language=get_language() or "en", generated_at=timezone.now(),
    )
