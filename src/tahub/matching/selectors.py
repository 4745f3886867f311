"""Reading matches: a need's or request's panel, the lists people work from, and coverage.

Coverage (how many eligible open offers score above the threshold for each open need and
accepted request) is kept by every scoring run in ``Coverage``; the figures by theme, region
and kind of help are read here, and only here, by every page and report that shows them.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404

from tahub.assessments.models import Need
from tahub.assessments.selectors import need_get_for
from tahub.assistance.models import Request
from tahub.assistance.selectors import request_get_for
from tahub.matching import reasons as reason_words
from tahub.matching.features import NEED_STATES, REQUEST_STATES
from tahub.matching.models import Coverage, Match
from tahub.matching.permissions import match_policy

PANEL_SUGGESTIONS = 10


def _with_details(matches):
    return matches.select_related("offer__provider", "decided_by", "conveyed_by", "country")


def _worded(matches):
    names = reason_words.labels()
    for match in matches:
        match.reason_texts = reason_words.describe_all(match.reasons, names)
    return matches


def panel_for(actor, subject, *, limit=PANEL_SUGGESTIONS):
    """What a need's or request's page shows of its matches to ``actor``, or None if nothing.

    Deciders get the ranked suggestions with their reasons, the matches taken and those dismissed;
    the Party sees the matches conveyed to it."""
    matches = Match.objects.for_subject(subject)
    if match_policy.can_decide_on(actor, subject):
        suggested = list(_with_details(matches.suggested()).order_by("-score", "pk")[:limit])
        taken = list(_with_details(matches.filter(status__in=[Match.Status.CONFIRMED, Match.Status.CONVEYED])).order_by("-decided_at", "pk"))
        dismissed = list(_with_details(matches.filter(status=Match.Status.DISMISSED)).order_by("-decided_at", "pk"))
        _worded(suggested + taken + dismissed)
        coverage = Coverage.objects.filter(**{Match.subject_field(subject): subject}).first()
        return {
            "decider": True, "suggested": suggested, "taken": taken, "dismissed": dismissed, "coverage": coverage,
            "more": max(0, matches.suggested().count() - len(suggested)),
        }
    conveyed = list(match_policy.visible_to(actor).filter(pk__in=matches.values("pk")).select_related("offer__provider"))
    return {"decider": False, "taken": conveyed} if conveyed else None


def match_panel_context(actor, subject):
    """The template context of the panel on a need's or request's page."""
    from tahub.matching.forms import AddForm

    panel = panel_for(actor, subject)
    if panel is None:
        return {}
    return {"match_panel": panel, "subject": subject, "subject_kind": Match.subject_field(subject), "match_add_form": AddForm()}


def subject_get_for(actor, kind, pk):
    """The need or request (``kind``) ``actor`` decides matches on: 404 if they may not see it,
    PermissionDenied if they see it but do not decide."""
    if kind == "need":
        subject = need_get_for(actor, pk)
    elif kind == "request":
        subject = request_get_for(actor, pk)
    else:
        raise Http404
    if not match_policy.can_decide_on(actor, subject):
        raise PermissionDenied
    return subject


def match_list_for(actor, *, status=""):
    """The matches ``actor`` works on (conveyed ones for Parties and providers), newest first."""
    matches = match_policy.visible_to(actor)
    if status:
        matches = matches.filter(status=status)
    else:
        matches = matches.exclude(status__in=[Match.Status.SUGGESTED, Match.Status.DISMISSED])
    return _with_details(matches).select_related("need__theme", "request").order_by("-conveyed_at", "-decided_at", "-pk")


def match_get_for(actor, pk):
    visible = _with_details(match_policy.visible_to(actor)).select_related("need__theme", "request__country")
    match = match_policy.get_for(actor, visible, pk=pk)
    _worded([match])
    return match


# Coverage --------------------------------------------------------------------------------------


def open_coverage():
    """Coverage rows of the open needs and accepted requests."""
    return Coverage.objects.filter(
        Q(need__status__in=NEED_STATES) | Q(request__status__in=REQUEST_STATES)
    )


def _summarise(rows):
    found = defaultdict(lambda: {"subjects": 0, "uncovered": 0, "offers_above": 0})
    for key, subjects, uncovered, above in rows:
        found[key]["subjects"] += subjects
        found[key]["uncovered"] += uncovered
        found[key]["offers_above"] += above or 0
    return dict(found)


_TOTALS = {"n": Count("pk"), "uncovered": Count("pk", filter=Q(above_threshold=0)), "above": Sum("above_threshold")}


def coverage_by_theme():
    """{theme code: {"subjects", "uncovered", "offers_above"}}: needs by their theme, requests by each of theirs."""
    needs = open_coverage().filter(need__isnull=False).values("need__theme__code").annotate(**_TOTALS)
    requests = (
        open_coverage().filter(request__isnull=False).values("request__themes__code").annotate(**_TOTALS)
        .filter(request__themes__code__isnull=False)
    )
    return _summarise(
        [(r["need__theme__code"], r["n"], r["uncovered"], r["above"]) for r in needs]
        + [(r["request__themes__code"], r["n"], r["uncovered"], r["above"]) for r in requests]
    )


def coverage_by_region():
    """{regional group code: totals} of the Parties' needs and requests."""
    rows = open_coverage().values("country__regional_group__code").annotate(**_TOTALS)
    return _summarise([(r["country__regional_group__code"] or "", r["n"], r["uncovered"], r["above"]) for r in rows])


def coverage_by_kind():
    """{kind code: totals}: requests by each kind asked, needs by the kinds of their latest observation."""
    requests = (
        open_coverage().filter(request__isnull=False).values("request__kinds__code").annotate(**_TOTALS)
        .filter(request__kinds__code__isnull=False)
    )
    needs = (
        open_coverage().filter(need__isnull=False).values("need__observations__kinds__code").annotate(**_TOTALS)
        .filter(need__observations__kinds__code__isnull=False)
    )
    return _summarise(
        [(r["request__kinds__code"], r["n"], r["uncovered"], r["above"]) for r in requests]
        + [(r["need__observations__kinds__code"], r["n"], r["uncovered"], r["above"]) for r in needs]
    )


def uncovered_needs():
    """Open needs for which no eligible open offer scores above the threshold."""
    return Need.objects.filter(
        status__in=NEED_STATES, coverage__above_threshold=0
    ).select_related("country", "theme")


def uncovered_requests():
    return Request.objects.filter(status__in=REQUEST_STATES, coverage__above_threshold=0).select_related("country")
