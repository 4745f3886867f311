"""Needs assessments over JSON: questionnaire definitions, cycles, responses and needs.

Every operation calls the selectors and services the pages call; who may see or change what
is decided by the policies in ``permissions.py``, never here.
"""

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from tahub.accounts.actors import memberships_of
from tahub.accounts.roles import Role
from tahub.api.auth import AUTH_OPTIONAL, AUTH_REQUIRED
from tahub.api.types import SearchText
from tahub.assessments.models import Need, NeedObservation
from tahub.assessments.permissions import cycle_policy, response_policy
from tahub.assessments.selectors import (
    cycle_get_for,
    cycle_list_for,
    cycle_tracking,
    need_list_for,
    response_get_for,
    response_list_for,
    version_get_for,
    version_spec,
)
from tahub.assessments.services import responses as response_services
from tahub.core.i18n import SUFFIXES, pick

router = Router(tags=["assessments"])


class Texts(Schema):
    """One text in the six UN languages; an empty string where there is no translation."""

    en: str
    fr: str
    es: str
    ru: str
    ar: str
    zh: str


def _six(texts):
    return {suffix: (texts or {}).get(suffix, "") for suffix in SUFFIXES}


# --- questionnaire definitions ---------------------------------------------------------------


class ChoiceOut(Schema):
    value: str
    label: str = Field(description="In the language of the request, else English")
    label_is_fallback: bool
    labels: Texts


class ChoiceListOut(Schema):
    name: str
    choices: list[ChoiceOut]


class QuestionOut(Schema):
    code: str = Field(description="Stable: the same code in a later version means the same question")
    type: str
    label: str
    label_is_fallback: bool
    labels: Texts
    hint: str
    hints: Texts
    required: bool
    relevant: str = Field(description="XLSForm-style condition on earlier answers; empty: always shown")
    constraint: str = Field(description="XLSForm-style condition on the answer itself (`.`)")
    constraint_messages: Texts
    choice_list: str | None = Field(description="Name of the choice list of a select question")
    themes: list[str] = Field(description="Theme codes of a theme matrix; empty: every top-level theme")
    min_value: float | None
    max_value: float | None
    max_length: int | None


class SectionOut(Schema):
    code: str
    label: str
    label_is_fallback: bool
    labels: Texts
    relevant: str
    questions: list[QuestionOut]


class QuestionnaireOut(Schema):
    id: int
    questionnaire: str
    title: str
    titles: Texts
    number: int
    name: str
    status: str
    published_at: datetime | None
    sections: list[SectionOut]
    choice_lists: list[ChoiceListOut]


def _labelled(texts):
    text, fallback = pick(texts)
    return {"label": text, "label_is_fallback": fallback, "labels": _six(texts)}


def _question(question):
    return {
        "code": question.code,
        "type": str(question.type),
        **_labelled(question.labels),
        "hint": pick(question.hints)[0],
        "hints": _six(question.hints),
        "required": question.required,
        "relevant": question.relevant,
        "constraint": question.constraint,
        "constraint_messages": _six(question.constraint_messages),
        "choice_list": question.choice_list or None,
        "themes": list(question.themes),
        "min_value": question.min_value,
        "max_value": question.max_value,
        "max_length": question.max_length,
    }


@router.get(
    "/questionnaires/{version_id}", response=QuestionnaireOut, auth=AUTH_OPTIONAL,
    summary="A questionnaire version's definition: sections, questions, choice lists",
)
def get_questionnaire(request, version_id: int):
    version = version_get_for(request.user, version_id)
    spec = version_spec(version)
    return {
        "id": version.pk,
        "questionnaire": version.questionnaire.code,
        "title": version.questionnaire.label,
        "titles": _six(version.questionnaire.labels),
        "number": version.number,
        "name": version.name,
        "status": version.status,
        "published_at": version.published_at,
        "sections": [
            {
                "code": section.code,
                **_labelled(section.labels),
                "relevant": section.relevant,
                "questions": [_question(question) for question in section.questions],
            }
            for section in spec.sections
        ],
        "choice_lists": [
            {"name": name, "choices": [{"value": choice.value, **_labelled(choice.labels)} for choice in choices]}
            for name, choices in spec.choice_lists.items()
        ],
    }


# --- cycles ----------------------------------------------------------------------------------


class CycleOut(Schema):
    id: int
    title: str
    status: str
    conventions: list[str]
    period_start: date
    period_end: date
    opens_on: date
    closes_on: date
    questionnaire_version: int
    questionnaire: str
    offers_survey: bool
    invited: int = Field(description="Number of invited Parties")

    @staticmethod
    def resolve_conventions(obj):
        return [convention.code for convention in obj.conventions.all()]

    @staticmethod
    def resolve_questionnaire_version(obj):
        return obj.version_id

    @staticmethod
    def resolve_questionnaire(obj):
        return obj.version.questionnaire.code


class GroupTrackingOut(Schema):
    regional_group: str | None
    invited: int
    not_started: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    rate: int

    @staticmethod
    def resolve_regional_group(obj):
        return obj["country__regional_group__code"]


class TrackingOut(Schema):
    invited: int
    not_started: int
    draft: int
    submitted: int
    returned: int
    accepted: int
    rate: int = Field(description="Percentage of invited Parties that submitted (including returned and accepted)")
    days_left: int
    by_regional_group: list[GroupTrackingOut]


class CycleDetailOut(CycleOut):
    tracking: TrackingOut | None = Field(description="Only for those who manage the cycle")


@router.get("/cycles", response=list[CycleOut], auth=AUTH_OPTIONAL, summary="Needs-assessment cycles")
@paginate(PageNumberPagination)
def list_cycles(request):
    return cycle_list_for(request.user)


@router.get(
    "/cycles/{cycle_id}", response=CycleDetailOut, auth=AUTH_OPTIONAL,
    summary="One cycle; with tracking totals for those who manage it",
)
def get_cycle(request, cycle_id: int):
    cycle = cycle_get_for(request.user, cycle_id)
    cycle.tracking = None
    if cycle_policy.can(request.user, "manage", cycle):
        tracking = cycle_tracking(cycle)
        cycle.tracking = {
            **tracking["totals"],
            "rate": tracking["rate"],
            "days_left": tracking["days_left"],
            "by_regional_group": tracking["groups"],
        }
        cycle.invited = tracking["totals"]["invited"]
    else:
        cycle.invited = cycle.invitations.count()
    return cycle


# --- responses -------------------------------------------------------------------------------


class ProblemOut(Schema):
    question: str
    error: str
    message: str
    theme: str = Field(description="The theme-matrix row concerned, if any")


def problem_details(problems):
    """Problems of ``validation.validate_response`` as API error details or output."""
    return [
        {"question": problem.code, "error": problem.error, "message": problem.message, "theme": problem.theme}
        for problem in problems
    ]


class QueryOut(Schema):
    question: str
    text: str
    reply: str
    resolved: bool
    created_at: datetime

    @staticmethod
    def resolve_question(obj):
        return obj.question_code


class ResponseOut(Schema):
    id: int
    cycle: int
    cycle_title: str
    country: str
    number: int = Field(description="Version of the Party's response; an amendment is a new number")
    status: str
    lock_version: int = Field(description="Send it back when saving or submitting; a stale one is refused")
    started_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @staticmethod
    def resolve_cycle(obj):
        return obj.cycle_id

    @staticmethod
    def resolve_cycle_title(obj):
        return obj.cycle.title

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3


class ResponseDetailOut(ResponseOut):
    answers: dict[str, Any] = Field(description="Question code → value as entered, even when invalid")
    prefilled: dict[str, str] = Field(description="Question code → cycle the answer was copied from, until confirmed")
    problems: list[ProblemOut] = Field(description="What would stop submission now (draft rules)")
    queries: list[QueryOut]
    can_edit: bool
    can_submit: bool

    @staticmethod
    def resolve_queries(obj):
        return list(obj.queries.all())


def _detail(request, response, result=None):
    if result is None:
        result = response_services.validate(response, for_submission=False)
    response.problems = problem_details(result.problems)
    response.can_edit = response_policy.can(request.user, "edit", response)
    response.can_submit = response_policy.can(request.user, "submit", response)
    return response


class ResponseQuery(Schema):
    cycle: int | None = Field(None, description="Id of a cycle")
    country: SearchText = Field("", description="ISO3 code of a Party")


class ResponseSaveIn(Schema):
    lock_version: int
    answers: dict[str, Any] = Field(default_factory=dict, description="Question code → value; other codes are ignored")
    confirm: list[str] = Field(default_factory=list, description="Codes of pre-filled answers confirmed as they are")


class ResponseSubmitIn(Schema):
    lock_version: int


class ResponseStartIn(Schema):
    country: str = Field(description="ISO3 code of a Party the caller drafts for", max_length=3)


@router.get("/responses", response=list[ResponseOut], auth=AUTH_REQUIRED, summary="Responses the caller may read")
@paginate(PageNumberPagination)
def list_responses(request, query: Query[ResponseQuery]):
    return response_list_for(request.user, cycle=query.cycle, country=query.country)


@router.get(
    "/responses/{response_id}", response=ResponseDetailOut, auth=AUTH_REQUIRED,
    summary="One response with its answers and problems",
)
def get_response(request, response_id: int):
    return _detail(request, response_get_for(request.user, response_id))


@router.patch(
    "/responses/{response_id}", response=ResponseDetailOut, auth=AUTH_REQUIRED,
    summary="Save answers to a draft; invalid values are kept and reported as problems",
)
def save_response(request, response_id: int, payload: ResponseSaveIn):
    response, result = response_services.response_save(
        actor=request.user,
        response=response_get_for(request.user, response_id),
        answers=payload.answers,
        lock_version=payload.lock_version,
        confirm=payload.confirm,
    )
    return _detail(request, response, result)


@router.post(
    "/responses/{response_id}/submit", response=ResponseDetailOut, auth=AUTH_REQUIRED,
    summary="Submit a draft; refused with every problem when it is not complete and valid",
)
def submit_response(request, response_id: int, payload: ResponseSubmitIn):
    response = response_services.response_submit(
        actor=request.user, response=response_get_for(request.user, response_id), lock_version=payload.lock_version
    )
    return _detail(request, response)


def _drafting_country(user, iso3):
    """The Party ``iso3`` if the caller drafts for it (its focal point or a contributor), as on the page."""
    return next(
        (
            membership.country
            for membership in memberships_of(user)
            if membership.role in (Role.PARTY_FOCAL_POINT, Role.CONTRIBUTOR)
            and membership.country is not None
            and membership.country.iso3 == iso3.upper()
        ),
        None,
    )


@router.post(
    "/cycles/{cycle_id}/responses", response={200: ResponseDetailOut, 201: ResponseDetailOut}, auth=AUTH_REQUIRED,
    summary="Start the Party's response to a cycle (pre-filled from its previous one), or get the one started",
)
def start_response(request, cycle_id: int, payload: ResponseStartIn):
    cycle = cycle_get_for(request.user, cycle_id)
    country = _drafting_country(request.user, payload.country)
    if country is None:
        raise PermissionDenied
    started = response_list_for(request.user, cycle=cycle, country=country.iso3).exists()
    response = response_services.response_start(actor=request.user, cycle=cycle, country=country)
    return Status(200 if started else 201, _detail(request, response))


# --- needs -----------------------------------------------------------------------------------


class ObservationOut(Schema):
    cycle: int | None
    cycle_title: str | None
    level: str
    kinds: list[str] = Field(description="Codes of the kinds of help needed")
    comment: str
    source: str
    source_reference: str
    observed_on: date

    @staticmethod
    def resolve_cycle(obj):
        return obj.cycle_id

    @staticmethod
    def resolve_cycle_title(obj):
        return obj.cycle.title if obj.cycle else None

    @staticmethod
    def resolve_kinds(obj):
        return [kind.code for kind in obj.kinds.all()]


class NeedOut(Schema):
    id: int
    country: str
    regional_group: str | None
    theme: str
    theme_label: str
    status: str
    proposed_status: str
    level: str | None = Field(description="Level of the latest observation")
    source: str
    source_reference: str
    observations: list[ObservationOut] = Field(description="History across cycles and other sources, oldest first")

    @staticmethod
    def resolve_country(obj):
        return obj.country.iso3

    @staticmethod
    def resolve_regional_group(obj):
        return obj.country.regional_group.code if obj.country.regional_group else None

    @staticmethod
    def resolve_theme(obj):
        return obj.theme.code

    @staticmethod
    def resolve_theme_label(obj):
        return obj.theme.label

    @staticmethod
    def resolve_level(obj):
        return obj.latest_level

    @staticmethod
    def resolve_observations(obj):
        return list(obj.observations.all())


class NeedQuery(Schema):
    theme: SearchText = Field("", description="Theme code; a top-level theme includes its sub-themes")
    level: NeedObservation.Level | None = Field(None, description="Level of the latest observation")
    country: SearchText = Field("", description="ISO3 code of a Party")
    regional_group: SearchText = Field("", description="UN regional group code, e.g. AFRICA")
    # An inline list of values: the enum's class name (Status) would clash with other models' in the schema.
    status: Literal[tuple(Need.Status.values)] | None = None  # type: ignore[valid-type]
    kind: SearchText = Field("", description="Code of a kind of help")
    cycle: int | None = Field(None, description="Id of a cycle that observed the need")


@router.get("/needs", response=list[NeedOut], auth=AUTH_REQUIRED, summary="Needs of Parties with their history")
@paginate(PageNumberPagination)
def list_needs(request, query: Query[NeedQuery]):
    return need_list_for(
        request.user,
        theme=query.theme,
        level=query.level or "",
        country=query.country.upper(),
        regional_group=query.regional_group,
        status=query.status or "",
        kind=query.kind,
        cycle=query.cycle,
        with_history=True,
    )
