"""Reads of requests for the pages, the API and the exports: permission-aware, joins baked in.

Every read of a protected request starts from ``request_policy.visible_to``; the public reads
only ``published_requests``, which carries no names, contact details, messages or files.
"""

import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from tahub.accounts.actors import is_secretariat
from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.assistance.models import (
    CentreRouting,
    Request,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
)
from tahub.assistance.permissions import centre_ids, group_ids, party_ids, request_policy
from tahub.reference.models import KindOfHelp, RegionalGroup, Theme
from tahub.reference.selectors import code_and_children

# The states a published request is shown in: accepted and still looking for help.
PUBLISHED_STATES = (Request.Status.ACCEPTED, Request.Status.HELP_IDENTIFIED)


@dataclass
class RequestFilters:
    status: str = ""
    urgency: str = ""
    regional_group: str = ""
    country: str = ""  # ISO3
    theme: str = ""
    kind: str = ""
    owner: int | None = None
    centre: str = ""  # slug
    age: str = ""  # "week", "month", "quarter", "older"
    open_only: bool = False
    overdue_only: bool = False
    q: str = ""


AGES = {"week": 7, "month": 31, "quarter": 92}


def _overdue_condition(now):
    return Q(status__in=Request.OPEN, due_at__lt=now)


def with_list_details(requests, now=None):
    """What a list row shows: the Party, its group, owner, centre, themes and kinds; overdue first
    flag computed by the database."""
    now = now or timezone.now()
    # A row never shows the long texts: they are left in the database.
    requests = requests.defer(
        "description", "expected_outputs", "contribution", "other_providers", "incident_what", "feedback",
        "decision_reason",
    )
    return requests.select_related("country__regional_group", "owner", "centre").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.all(), to_attr="theme_list"),
        Prefetch("kinds", queryset=KindOfHelp.objects.all(), to_attr="kind_list"),
    ).annotate(
        overdue=Case(When(_overdue_condition(now), then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def possible_owners():
    """Who may own a request: the active Secretariat officers and regional focal points, by name."""
    return User.objects.filter(
        is_active=True, memberships__is_active=True,
        memberships__role__in=[Role.SECRETARIAT, Role.REGIONAL_FOCAL_POINT],
    ).distinct().order_by("full_name", "email")


def request_list_for(actor, filters=None, *, now=None):
    """The requests ``actor`` may see, filtered, overdue and emergencies first, then newest."""
    f = filters or RequestFilters()
    now = now or timezone.now()
    requests = request_policy.visible_to(actor)
    if f.status:
        requests = requests.filter(status=f.status)
    if f.open_only:
        requests = requests.filter(status__in=Request.OPEN)
    if f.overdue_only:
        requests = requests.filter(_overdue_condition(now))
    if f.urgency:
        requests = requests.filter(urgency=f.urgency)
    if f.regional_group:
        requests = requests.filter(country__regional_group__code=f.regional_group)
    if f.country:
        requests = requests.filter(country__iso3=f.country.upper())
    if f.theme:
        through = Request.themes.through.objects.filter(theme__in=code_and_children(Theme, f.theme))
        requests = requests.filter(pk__in=through.values("request_id"))
    if f.kind:
        through = Request.kinds.through.objects.filter(kindofhelp__in=code_and_children(KindOfHelp, f.kind))
        requests = requests.filter(pk__in=through.values("request_id"))
    if f.owner:
        requests = requests.filter(owner_id=f.owner)
    if f.centre:
        requests = requests.filter(
            Q(centre__slug=f.centre) | Q(pk__in=CentreRouting.objects.filter(centre__slug=f.centre).values("request_id"))
        )
    if f.age in AGES:
        requests = requests.filter(submitted_at__gte=now - timedelta(days=AGES[f.age]))
    elif f.age == "older":
        requests = requests.filter(submitted_at__lt=now - timedelta(days=AGES["quarter"]))
    if f.q:
        requests = requests.filter(Q(title__icontains=f.q[:100]) | Q(description__icontains=f.q[:100]))
    emergency_open = Case(
        When(Q(urgency=Request.Urgency.EMERGENCY, status__in=Request.OPEN), then=Value(1)),
        default=Value(0), output_field=IntegerField(),
    )
    return with_list_details(requests, now).annotate(emergency_open=emergency_open).order_by(
        "-overdue", "-emergency_open", "-submitted_at", "-pk"
    )


def request_get_for(actor, pk):
    """The request or 404; with what its page shows (timeline, messages, files, routings)."""
    requests = request_policy.visible_to(actor).select_related(
        "country__regional_group", "owner", "centre", "filed_by", "need__theme"
    ).prefetch_related(
        "themes", "kinds", "conventions", "co_requesters",
        Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
        Prefetch("messages", queryset=RequestMessage.objects.select_related("author").prefetch_related("attachments")),
        Prefetch("attachments", queryset=RequestAttachment.objects.filter(message__isnull=True), to_attr="documents"),
        Prefetch("routings", queryset=CentreRouting.objects.select_related("centre", "decided_by")),
    )
    return request_policy.get_for(actor, requests, pk=pk)


def timeline(request):
    """Events and messages of a request in the order they happened (from the prefetched rows)."""
    entries = [("event", event.at, event) for event in request.events.all()]
    entries += [("message", message.created_at, message) for message in request.messages.all()]
    return sorted(entries, key=lambda entry: (entry[1], entry[0] == "message"))


def attachment_get_for(actor, pk):
    """A request's document, to those who see the request in full; 404 for everyone else."""
    attachment = (
        RequestAttachment.objects.filter(pk=pk, request__in=request_policy.visible_to(actor))
        .select_related("request__country").first()
    )
    if attachment is None or not request_policy.can(actor, "view_full", attachment.request):
        raise Http404
    return attachment


def my_work_for(actor, *, now=None):
    """What waits for ``actor``, overdue first: ``{section: [requests]}`` for the sections that
    apply to their roles. Each section is one query."""
    now = now or timezone.now()
    visible = request_policy.visible_to(actor)
    sections = {}

    def listed(requests):
        return list(
            with_list_details(requests, now).order_by("-overdue", "due_at", "-pk")[:100]
        )

    if is_secretariat(actor) or group_ids(actor):
        staff = visible if is_secretariat(actor) else visible.filter(country__regional_group__in=group_ids(actor))
        waiting = [Request.Status.SUBMITTED, Request.Status.UNDER_REVIEW, Request.Status.ACCEPTED,
                   Request.Status.HELP_IDENTIFIED]
        mine = staff.filter(status__in=waiting).filter(Q(owner=actor) | Q(owner__isnull=True) | Q(urgency="emergency"))
        sections["to_act_on"] = listed(mine)
        sections["waiting_for_party"] = listed(staff.filter(status=Request.Status.MORE_INFORMATION, owner=actor))
        if is_secretariat(actor):
            sections["overdue"] = listed(visible.filter(_overdue_condition(now)))
    centres = centre_ids(actor)
    if centres:
        proposed = CentreRouting.objects.filter(centre__in=centres, state=CentreRouting.State.PROPOSED)
        sections["proposed_to_centre"] = listed(
            visible.filter(pk__in=proposed.values("request_id"), centre__isnull=True, status__in=Request.OPEN)
        )
        sections["centre_delivery"] = listed(visible.filter(centre__in=centres, status__in=Request.OPEN))
    focal = party_ids(actor, Role.PARTY_FOCAL_POINT)
    if focal:
        party = visible.filter(Q(country__in=focal) | Q(co_requesters__in=focal)).distinct()
        sections["party_to_answer"] = listed(
            party.filter(Q(status=Request.Status.MORE_INFORMATION) | Q(status=Request.Status.COMPLETED, feedback_at__isnull=True))
        )
        sections["party_open"] = listed(party.filter(status__in=Request.OPEN))
    return sections


def overdue_requests(*, now=None):
    return Request.objects.filter(_overdue_condition(now or timezone.now()))


def board_for(actor, filters=None):
    """Counts per state of the filtered list (one grouped query)."""
    rows = request_list_for(actor, filters).order_by().values("status").annotate(n=Count("pk", distinct=True))
    counts = {row["status"]: row["n"] for row in rows}
    return [(status, counts.get(status.value, 0)) for status in Request.Status]


BOARD_CARDS = 8


def board_columns_for(actor, filters=None, *, cards=BOARD_CARDS):
    """The board: for each open state, its number of requests and the first ``cards`` of them
    (overdue and emergencies first), in one query for the cards and one for the counts."""
    ranked = request_list_for(actor, filters).filter(status__in=Request.OPEN).annotate(
        place=Window(RowNumber(), partition_by=F("status"), order_by=[
            F("overdue").desc(), F("emergency_open").desc(), F("submitted_at").desc(), F("pk").desc(),
        ])
    ).filter(place__lte=cards)
    by_status = {}
    for request in ranked:
        by_status.setdefault(request.status, []).append(request)
    counts = dict(board_for(actor, filters))
    return [(status, counts.get(status, 0), by_status.get(status, [])) for status in Request.OPEN]


def requests_of_country_for(actor, country, *, limit=10):
    """The requests of ``country`` (as requester or co-requester) ``actor`` may see: the newest few and the total."""
    requests = request_policy.visible_to(actor).filter(Q(country=country) | Q(co_requesters=country)).distinct()
    return list(with_list_details(requests).order_by("-submitted_at", "-pk")[:limit]), requests.count()


def published_requests(filters=None):
    """Requests their Party chose to publish, while they look for help: no names, no contact
    details, no messages or files (the public page shows only the fields listed here)."""
    requests = Request.objects.filter(is_public=True, status__in=PUBLISHED_STATES)
    f = filters or RequestFilters()
    if f.regional_group:
        requests = requests.filter(country__regional_group__code=f.regional_group)
    if f.theme:
        through = Request.themes.through.objects.filter(theme__in=code_and_children(Theme, f.theme))
        requests = requests.filter(pk__in=through.values("request_id"))
    if f.kind:
        through = Request.kinds.through.objects.filter(kindofhelp__in=code_and_children(KindOfHelp, f.kind))
        requests = requests.filter(pk__in=through.values("request_id"))
    return requests.select_related("country__regional_group").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.all(), to_attr="theme_list"),
        Prefetch("kinds", queryset=KindOfHelp.objects.all(), to_attr="kind_list"),
    ).only(
        "pk", "title", "description", "country", "urgency", "desired_start", "duration_months", "languages",
        "modality", "expected_outputs", "status", "submitted_at", "is_public",
        "country__name_en", "country__name_fr", "country__name_es", "country__name_ru", "country__name_ar",
        "country__name_zh", "country__iso3", "country__regional_group",
    ).order_by("-submitted_at", "-pk")


def median_days(pairs):
    """The median, in days, of the durations between the pairs of moments (None when there are none)."""
    durations = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
    return round(statistics.median(durations), 1) if durations else None


def dashboard(actor, *, now=None):
    """The Secretariat's figures: open requests by state, regional group and theme, overdue count,
    median days to acknowledge and to end. Counts are grouped by the database."""
    now = now or timezone.now()
    visible = request_policy.visible_to(actor)
    open_requests = visible.filter(status__in=Request.OPEN)
    by_state = dict(open_requests.values_list("status").annotate(n=Count("pk")))
    by_group = list(
        open_requests.values("country__regional_group__code", "country__regional_group__name_en")
        .annotate(n=Count("pk"), emergencies=Count("pk", filter=Q(urgency=Request.Urgency.EMERGENCY)),
                  overdue=Count("pk", filter=Q(due_at__lt=now)))
        .order_by("country__regional_group__code")
    )
    by_theme = list(
        Request.themes.through.objects.filter(request__in=open_requests)
        .values("theme__code", "theme__label_en", "theme__parent_id")
        .annotate(n=Count("request_id", distinct=True))
        .order_by("-n", "theme__code")
    )
    themes = {theme.code: theme for theme in Theme.objects.filter(code__in=[row["theme__code"] for row in by_theme])}
    groups = {group.code: group for group in RegionalGroup.objects.all()}
    for row in by_theme:
        row["label"] = themes[row["theme__code"]].label
    for row in by_group:
        group = groups.get(row["country__regional_group__code"])
        row["name"] = group.name if group else ""
    return {
        "open": sum(by_state.values()),
        "by_state": [(status, by_state.get(status, 0)) for status in Request.OPEN],
        "by_group": by_group,
        "by_theme": by_theme,
        "overdue": open_requests.filter(due_at__lt=now).count(),
        "emergencies": open_requests.filter(urgency=Request.Urgency.EMERGENCY).count(),
        "median_days_to_acknowledge": median_days(
            visible.filter(acknowledged_at__isnull=False).values_list("submitted_at", "acknowledged_at")
        ),
        "median_days_to_end": median_days(
            visible.filter(ended_at__isnull=False, status=Request.Status.CLOSED).values_list("submitted_at", "ended_at")
        ),
        "total": visible.count(),
    }
