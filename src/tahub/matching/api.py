"""Matches over JSON: the suggestions of a need or request for those who decide on it, the
decisions (confirm, dismiss, add, convey), and the answers of providers and Parties.

Reads call the selectors and writes the services the pages call; who may see or do what is
decided by ``match_policy`` and the services, never here. Reasons are returned as data (codes
and numbers) and, worded in the caller's language, as ``reason_texts``.
"""

from datetime import datetime
from typing import Literal

from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tahub.api.auth import AUTH_REQUIRED
from tahub.matching import conveying, services
from tahub.matching.models import Match
from tahub.matching.selectors import match_get_for, match_list_for, panel_for, subject_get_for

router = Router(tags=["matches"])

MatchStatus = Literal[tuple(Match.Status.values)]
ProviderAnswer = Literal[tuple(Match.ProviderAnswer.values)]
PartyAnswer = Literal[tuple(Match.PartyAnswer.values)]


class MatchOut(Schema):
    id: int
    url: str
    need: int | None = Field(None, alias="need_id")
    request: int | None = Field(None, alias="request_id")
    country: str
    offer: int = Field(alias="offer_id")
    offer_title: str
    provider: str
    score: float
    reasons: list[dict]
    reason_texts: list[str] = []
    status: MatchStatus
    origin: str
    note: str
    conveyed_at: datetime | None
    provider_answer: str
    provider_reason: str
    party_answer: str
    party_reason: str

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3

    @staticmethod
    def resolve_offer_title(obj):
        return obj.offer.title

    @staticmethod
    def resolve_provider(obj):
        return obj.offer.provider.name


class SuggestionsOut(Schema):
    eligible_offers: int | None
    offers_above_threshold: int | None
    suggested: list[MatchOut]
    matched: list[MatchOut]
    dismissed: list[MatchOut]


class DismissIn(Schema):
    reason: str = Field(max_length=5000)


class AddIn(Schema):
    offer: int = Field(description="The offer's id")
    note: str = Field("", max_length=5000)


class ProviderAnswerIn(Schema):
    answer: ProviderAnswer
    reason: str = Field("", max_length=5000, description="Required when not able to help")


class PartyAnswerIn(Schema):
    answer: PartyAnswer
    reason: str = Field("", max_length=5000, description="Required when not relevant")


def _suggestions(request, kind, pk):
    panel = panel_for(request.user, subject_get_for(request.user, kind, pk), limit=50)
    coverage = panel["coverage"]
    return {
        "eligible_offers": coverage.eligible if coverage else None,
        "offers_above_threshold": coverage.above_threshold if coverage else None,
        "suggested": panel["suggested"], "matched": panel["taken"], "dismissed": panel["dismissed"],
    }


@router.get("/needs/{need_id}/suggestions", response=SuggestionsOut, auth=AUTH_REQUIRED,
            summary="A need's ranked suggestions with their reasons, its matches and dismissals (Secretariat)")
def need_suggestions(request, need_id: int):
    return _suggestions(request, "need", need_id)


@router.get("/requests/{request_id}/suggestions", response=SuggestionsOut, auth=AUTH_REQUIRED,
            summary="A request's ranked suggestions with their reasons (Secretariat, owning regional focal point or centre)")
def request_suggestions(request, request_id: int):
    return _suggestions(request, "request", request_id)


def _add(request, kind, pk, payload):
    subject = subject_get_for(request.user, kind, pk)
    match = services.match_add(actor=request.user, subject=subject, offer=services.offer_to_add(payload.offer), note=payload.note)
    return Status(201, match_get_for(request.user, match.pk))


@router.post("/needs/{need_id}/matches", response={201: MatchOut}, auth=AUTH_REQUIRED,
             summary="Match an offer to a need by hand (confirmed at once)")
def need_add(request, need_id: int, payload: AddIn):
    return _add(request, "need", need_id, payload)


@router.post("/requests/{request_id}/matches", response={201: MatchOut}, auth=AUTH_REQUIRED,
             summary="Match an offer to a request by hand (confirmed at once)")
def request_add(request, request_id: int, payload: AddIn):
    return _add(request, "request", request_id, payload)


@router.get("/matches", response=list[MatchOut], auth=AUTH_REQUIRED,
            summary="The matches the caller works on: conveyed ones for Parties and providers")
@paginate(PageNumberPagination)
def list_matches(request, status: MatchStatus | None = None):
    return match_list_for(request.user, status=status or "")


@router.get("/matches/{match_id}", response=MatchOut, auth=AUTH_REQUIRED, summary="One match")
def get_match(request, match_id: int):
    return match_get_for(request.user, match_id)


def _act(request, match_id, action, **values):
    match = match_get_for(request.user, match_id)
    action(actor=request.user, match=match, **values)
    return match_get_for(request.user, match_id)


@router.post("/matches/{match_id}/confirm", response=MatchOut, auth=AUTH_REQUIRED, summary="Confirm a suggestion")
def confirm(request, match_id: int):
    return _act(request, match_id, services.match_confirm)


@router.post("/matches/{match_id}/dismiss", response=MatchOut, auth=AUTH_REQUIRED,
             summary="Dismiss a suggestion with a reason: it is never suggested again")
def dismiss(request, match_id: int, payload: DismissIn):
    return _act(request, match_id, services.match_dismiss, reason=payload.reason)


@router.post("/matches/{match_id}/convey", response=MatchOut, auth=AUTH_REQUIRED,
             summary="Convey a confirmed match to the Party's focal points and the provider")
def convey(request, match_id: int):
    return _act(request, match_id, conveying.match_convey)


@router.post("/matches/{match_id}/provider-answer", response=MatchOut, auth=AUTH_REQUIRED,
             summary="The provider's answer: interested, or not able to help (with a reason)")
def provider_answer(request, match_id: int, payload: ProviderAnswerIn):
    return _act(request, match_id, conveying.match_answer_provider, answer=payload.answer, reason=payload.reason)


@router.post("/matches/{match_id}/party-answer", response=MatchOut, auth=AUTH_REQUIRED,
             summary="The Party's answer: will pursue, or not relevant (with a reason)")
def party_answer(request, match_id: int, payload: PartyAnswerIn):
    return _act(request, match_id, conveying.match_answer_party, answer=payload.answer, reason=payload.reason)
