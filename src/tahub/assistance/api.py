"""Requests for assistance over JSON: Parties file and follow their requests, the people who handle
them move them on and converse; the public reads the requests Parties chose to publish.

Reads call the selectors and writes the services the pages call, with the same keyword arguments;
who may see or do what is decided by ``request_policy`` and the services, never here. Writes name
reference data by code and countries by ISO3; an unknown code is refused with a 422 naming the
field, before anything is written. Documents are attached on the pages only.
"""

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import AwareDatetime

from tahub.api.auth import AUTH_OPTIONAL, AUTH_REQUIRED
from tahub.api.lookups import rows_by_code
from tahub.api.types import SearchText
from tahub.assistance.models import Request
from tahub.assistance.permissions import request_policy
from tahub.assistance.selectors import (
    AGES,
    RequestFilters,
    published_requests,
    request_get_for,
    request_list_for,
)
from tahub.assistance.services import (
    RequestData,
    message_post,
    request_answer,
    request_feedback,
    request_file,
    request_move,
)
from tahub.reference.models import Convention, Country, KindOfHelp, Theme

router = Router(tags=["requests"])

# Inline enums: a model's ``Status`` would share one OpenAPI component with every other ``Status``.
RequestStatus = Literal[tuple(Request.Status.values)]
RequestUrgency = Literal[tuple(Request.Urgency.values)]

IN_OUTLINE = (
    "Null for a caller who sees the request in outline: the staff of a centre it is proposed to, "
    "until their centre takes it"
)


def _listed(item, attr, related):
    """A prefetched list: ``attr`` as the list prefetches it, else the related manager's rows."""
    rows = getattr(item, attr, None)
    return rows if rows is not None else list(getattr(item, related).all())


def _name(user):
    return user.full_name or user.email


# --- output ----------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj):
        return _name(obj)


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class MessageOut(Schema):
    id: int
    author: PersonRef
    body: str
    created_at: datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class EventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    comment: str = Field(description="Why (a state change), the question asked, the owner or the centre")
    actor: PersonRef | None
    at: datetime


class RequestOut(Schema):
    """A request in a list: what everyone who sees it may read, in outline too."""

    id: int
    reference: str = Field(description="R-<year>-<number>, as in letters and e-mails")
    url: str = Field(description="The request's page")
    title: str
    country: str = Field(description="ISO3 of the requesting Party")
    regional_group: str | None = Field(description="UN regional group code of the requesting Party")
    status: str
    urgency: str
    submitted_at: datetime
    status_changed_at: datetime
    due_at: datetime | None = Field(description="When the current state's service level ends")
    is_overdue: bool
    owner: PersonRef | None
    centre: str | None = Field(description="Slug of the regional centre that took the request")
    themes: list[str] = Field(description="Theme codes (see /themes)")
    kinds: list[str] = Field(description="Codes of the kinds of help (see /kinds-of-help)")

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3

    @staticmethod
    def resolve_regional_group(obj):
        return obj.country.regional_group.code if obj.country.regional_group else None

    @staticmethod
    def resolve_centre(obj):
        return obj.centre.slug if obj.centre else None

    @staticmethod
    def resolve_themes(obj):
        return [theme.code for theme in _listed(obj, "theme_list", "themes")]

    @staticmethod
    def resolve_kinds(obj):
        return [kind.code for kind in _listed(obj, "kind_list", "kinds")]


class RequestFullOut(Schema):
    """What the request says, its documents, timeline and conversation: for those who see it in full."""

    description: str = Field(description="Markdown, without HTML")
    conventions: list[str]
    desired_start: date | None
    duration_months: int | None
    languages: list[str] = Field(description="Language codes: ar, zh, en, fr, ru, es, pt")
    modality: str
    expected_outputs: str
    contribution: str
    other_providers: str
    incident_what: str
    incident_where: str
    incident_when: datetime | None
    incident_quantities: str
    is_public: bool = Field(description="Whether it may appear, without names or contact details, in /published-requests")
    rating: int | None
    need_met: str
    feedback: str
    feedback_at: datetime | None
    attachments: list[AttachmentOut] = Field(description="Documents of the request (those of messages are with them)")
    events: list[EventOut] = Field(description="State changes, owners and centres, oldest first")
    messages: list[MessageOut] = Field(description="The conversation, oldest first")

    @staticmethod
    def resolve_conventions(obj):
        return [convention.code for convention in obj.conventions.all()]

    @staticmethod
    def resolve_attachments(obj):
        return obj.documents

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())

    @staticmethod
    def resolve_messages(obj):
        return list(obj.messages.all())


class RequestDetailOut(RequestOut):
    co_requesters: list[str] = Field(description="ISO3 of the other Parties of a regional request")
    source_document: str = Field(description="The letter or e-mail the Secretariat recorded the request from")
    need: int | None = Field(description="Id of the need the request answers (see /needs)")
    decision_reason: str = Field(description="Why it was declined or withdrawn")
    acknowledged_at: datetime | None
    ended_at: datetime | None
    lock_version: int = Field(description="Send it back when moving or answering; a stale one is refused (409)")
    allowed_moves: list[str] = Field(description="The states the caller may move the request to now")
    can_message: bool
    can_answer: bool = Field(description="Whether the caller answers the question asked (POST …/answer)")
    can_feedback: bool
    full: RequestFullOut | None = Field(description=IN_OUTLINE)

    @staticmethod
    def resolve_co_requesters(obj):
        return sorted(country.iso3 for country in obj.co_requesters.all())

    @staticmethod
    def resolve_need(obj):
        return obj.need_id

    @staticmethod
    def resolve_full(obj):
        # The one place that decides: in outline, nothing of what the request says is read.
        return obj if obj.sees_full else None


def _detail(request, request_id):
    """The request as the caller may now see it, with what they may do on it."""
    actor = request.user
    item = request_get_for(actor, request_id)
    item.sees_full = request_policy.can(actor, "view_full", item)
    item.allowed_moves = request_policy.allowed_moves(actor, item) if item.sees_full else []
    item.can_message = request_policy.can(actor, "message", item)
    item.can_answer = item.status == Request.Status.MORE_INFORMATION and "party" in request_policy.roles_on(actor, item)
    item.can_feedback = request_policy.can(actor, "feedback", item)
    return item


class PublishedRequestOut(Schema):
    """A published request as the public page shows it: no names, contact details, messages or files."""

    id: int
    reference: str = Field(description="Name it when offering help to the Secretariat")
    url: str = Field(description="The public page")
    title: str
    country: str = Field(description="ISO3 of the requesting Party")
    country_name: str
    urgency: str
    themes: list[str]
    kinds: list[str]
    desired_start: date | None
    languages: list[str]
    modality: str
    description: str
    expected_outputs: str

    @staticmethod
    def resolve_url(obj):
        return reverse("assistance:published_detail", args=[obj.pk])

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3

    @staticmethod
    def resolve_country_name(obj):
        return obj.country.name

    @staticmethod
    def resolve_themes(obj):
        return [theme.code for theme in obj.theme_list]

    @staticmethod
    def resolve_kinds(obj):
        return [kind.code for kind in obj.kind_list]


# --- reads -----------------------------------------------------------------------------------


class RequestQuery(Schema):
    q: SearchText = Field("", description="Words in the title or description")
    status: RequestStatus | None = None
    urgency: RequestUrgency | None = None
    regional_group: SearchText = Field("", description="UN regional group code of the requesting Party, e.g. AFRICA")
    country: SearchText = Field("", description="ISO3 of the requesting Party")
    theme: SearchText = Field("", description="Theme code; a top-level theme includes its sub-themes")
    kind: SearchText = Field("", description="Code of a kind of help; a top-level kind includes its refinements")
    owner: int | None = Field(None, description="Id of the owner")
    centre: SearchText = Field("", description="Slug of a centre that took the request or is proposed to")
    age: Literal[(*AGES, "older")] | None = Field(None, description="Submitted in the last week, month or quarter, or before")
    open_only: bool = False
    overdue_only: bool = False


class PublishedQuery(Schema):
    regional_group: SearchText = Field("", description="UN regional group code, e.g. AFRICA")
    theme: SearchText = Field("", description="Theme code; a top-level theme includes its sub-themes")
    kind: SearchText = Field("", description="Code of a kind of help; a top-level kind includes its refinements")


@router.get(
    "/requests", response=list[RequestOut], auth=AUTH_REQUIRED,
    summary="Requests the caller may see: overdue and emergencies first, then newest",
)
@paginate(PageNumberPagination)
def list_requests(request, query: Query[RequestQuery]):
    filters = RequestFilters(
        q=query.q,
        status=query.status or "",
        urgency=query.urgency or "",
        regional_group=query.regional_group,
        country=query.country,
        theme=query.theme,
        kind=query.kind,
        owner=query.owner,
        centre=query.centre,
        age=query.age or "",
        open_only=query.open_only,
        overdue_only=query.overdue_only,
    )
    return request_list_for(request.user, filters)


@router.get(
    "/requests/{request_id}", response=RequestDetailOut, auth=AUTH_REQUIRED,
    summary="One request; in outline for a centre it is proposed to",
)
def get_request(request, request_id: int):
    return _detail(request, request_id)


@router.get(
    "/requests/{request_id}/messages", response=list[MessageOut], auth=AUTH_REQUIRED,
    summary="The request's conversation, oldest first",
)
@paginate(PageNumberPagination)
def list_messages(request, request_id: int):
    item = request_get_for(request.user, request_id)
    request_policy.require(request.user, "view_full", item)
    return list(item.messages.all())


@router.get(
    "/published-requests", response=list[PublishedRequestOut], auth=AUTH_OPTIONAL,
    summary="Requests Parties chose to publish while they look for help, without names or contact details",
)
@paginate(PageNumberPagination)
def list_published_requests(request, query: Query[PublishedQuery]):
    return published_requests(
        RequestFilters(regional_group=query.regional_group, theme=query.theme, kind=query.kind)
    )


# --- writes ----------------------------------------------------------------------------------


class RequestIn(Schema):
    """What a request says; other fields (status, owner, centre, dates, attachments) are ignored."""

    country: str = Field(max_length=3, description="ISO3 of the requesting Party")
    co_requesters: list[str] = Field(
        default_factory=list, description="ISO3 of the other Parties of a regional request (centres, Secretariat)"
    )
    title: str = Field(max_length=200)
    description: str = Field(max_length=20000, description="The problem and the help wanted; HTML is removed")
    themes: list[str] = Field(description="Theme codes")
    kinds: list[str] = Field(description="Codes of kinds of help")
    conventions: list[str] = Field(default_factory=list, description="Convention codes")
    desired_start: date | None = None
    duration_months: int | None = Field(None, description="1 to 120")
    languages: list[str] = Field(default_factory=list, description="Language codes: ar, zh, en, fr, ru, es, pt")
    modality: str = Field("", description="in_person, online, hybrid or self_paced; empty: no preference")
    expected_outputs: str = Field("", max_length=5000)
    contribution: str = Field("", max_length=5000, description="Co-finance, staff time, premises, other in-kind support")
    other_providers: str = Field("", max_length=5000, description="Other providers already approached")
    urgency: str = Field(Request.Urgency.NORMAL, description="normal or emergency (then describe the incident)")
    incident_what: str = Field("", max_length=5000)
    incident_where: str = Field("", max_length=255)
    incident_when: AwareDatetime | None = Field(None, description="With its time zone, e.g. 2026-03-01T08:00:00Z")
    incident_quantities: str = Field("", max_length=255)
    is_public: bool = Field(False, description="May appear in the public clearing-house, without names or contact details")


class MoveIn(Schema):
    to: RequestStatus = Field(description="The state to move to: one of the detail's allowed_moves")
    comment: str = Field("", max_length=5000, description="Required to decline, withdraw or ask for more information")
    lock_version: int


class MessageIn(Schema):
    body: str = Field(max_length=10000)


class AnswerIn(MessageIn):
    lock_version: int


class FeedbackIn(Schema):
    rating: int = Field(description="1 (of no use) to 5 (excellent)")
    need_met: str = Field(description="met, partly or not_met")
    comment: str = Field("", max_length=5000)


def filing_from(payload):
    """The Party, co-requesters and ``RequestData`` of an API body; every unknown code is reported
    at once (422), nothing is guessed. What the request says is then checked by the service."""
    errors = {}
    country = Country.objects.filter(iso3=payload.country.upper()).first()
    if country is None:
        errors["country"] = _("No country has the ISO3 code “%(code)s”.") % {"code": payload.country}
    co_requesters = rows_by_code(Country, "iso3", [code.upper() for code in payload.co_requesters], "co_requesters", errors)
    values = payload.model_dump(include=set(RequestIn.model_fields) - {"country", "co_requesters"})
    values.update(
        themes=rows_by_code(Theme, "code", payload.themes, "themes", errors),
        kinds=rows_by_code(KindOfHelp, "code", payload.kinds, "kinds", errors),
        conventions=rows_by_code(Convention, "code", payload.conventions, "conventions", errors),
    )
    if errors:
        raise ValidationError(errors)
    return country, co_requesters, RequestData(**values)


@router.post(
    "/requests", response={201: RequestDetailOut}, auth=AUTH_REQUIRED,
    summary="File a request for the caller's Party (or, for the Secretariat and centres, a Party they file for)",
)
def file_request(request, payload: RequestIn):
    request_policy.require(request.user, "file")
    country, co_requesters, data = filing_from(payload)
    item = request_file(actor=request.user, country=country, data=data, co_requesters=co_requesters)
    return Status(201, _detail(request, item.pk))


@router.post(
    "/requests/{request_id}/moves", response=RequestDetailOut, auth=AUTH_REQUIRED,
    summary="Move the request on; refused with 409 when lock_version is stale, 422 when the move is not possible",
)
def move_request(request, request_id: int, payload: MoveIn):
    request_move(
        actor=request.user, request=request_get_for(request.user, request_id), to=payload.to,
        comment=payload.comment, lock_version=payload.lock_version,
    )
    return _detail(request, request_id)


@router.post(
    "/requests/{request_id}/messages", response={201: MessageOut}, auth=AUTH_REQUIRED,
    summary="Write in the request's conversation",
)
def post_message(request, request_id: int, payload: MessageIn):
    message = message_post(actor=request.user, request=request_get_for(request.user, request_id), body=payload.body)
    return Status(201, message)


@router.post(
    "/requests/{request_id}/answer", response=RequestDetailOut, auth=AUTH_REQUIRED,
    summary="The Party answers the question asked: the request goes back under review",
)
def answer_request(request, request_id: int, payload: AnswerIn):
    item = request_get_for(request.user, request_id)
    # Only the Party answers (as on the page); the staff who asked move the request on instead.
    if "party" not in request_policy.roles_on(request.user, item):
        raise PermissionDenied
    request_answer(actor=request.user, request=item, body=payload.body, lock_version=payload.lock_version)
    return _detail(request, request_id)


@router.post(
    "/requests/{request_id}/feedback", response=RequestDetailOut, auth=AUTH_REQUIRED,
    summary="The Party rates the help once delivery is completed; the request is then closed",
)
def give_feedback(request, request_id: int, payload: FeedbackIn):
    request_feedback(
        actor=request.user, request=request_get_for(request.user, request_id), rating=payload.rating,
        need_met=payload.need_met, comment=payload.comment,
    )
    return _detail(request, request_id)
