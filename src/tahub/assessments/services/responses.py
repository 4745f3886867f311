"""Writes to responses: start (with pre-fill), save a draft, submit, return, accept, amend.

Submitted and accepted responses are frozen on every path: each service here checks the
state under a row lock, and saves of a stale draft are refused (optimistic locking).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.assessments.models import Cycle, Response, ReviewQuery, SentMail
from tahub.assessments.permissions import response_policy
from tahub.assessments.selectors import version_spec
from tahub.assessments.services.cycles import mail_focal_points
from tahub.assessments.validation import validate_response
from tahub.core.audit import audited
from tahub.reference.models import KindOfHelp, Theme


class StaleResponse(Exception):
    """The response changed since the form was loaded; nothing was saved."""


class ResponseInvalid(ValidationError):
    """Submission refused: ``problems`` lists every problem, each naming its question."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__([problem.message for problem in problems])


def _require(actor, action, response):
    if actor is not None and not response_policy.can(actor, action, response):
        raise PermissionDenied




def _locked(response):
    return Response.objects.select_for_update().select_related("cycle__version").get(pk=response.pk)


def validate(response, answers=None, *, for_submission):
    """Check answers against the cycle's questionnaire with the one validation engine."""
    return validate_response(
        version_spec(response.cycle.version),
        response.answers if answers is None else answers,
        allowed_kinds=set(KindOfHelp.objects.values_list("code", flat=True)),
        allowed_themes=set(Theme.objects.values_list("code", flat=True)),
        for_submission=for_submission,
    )


def _previous_answers(cycle, country):
    """The Party's latest submitted or accepted answers to an earlier cycle of the same questionnaire."""
    previous = (
        Response.objects.filter(
            country=country,
            cycle__version__questionnaire=cycle.version.questionnaire,
            cycle__opens_on__lt=cycle.opens_on,
            status__in=[Response.Status.SUBMITTED, Response.Status.ACCEPTED],
        )
        .select_related("cycle")
        .order_by("-cycle__opens_on", "-number")
        .first()
    )
    return (previous.answers, previous.cycle.title) if previous else ({}, "")


@transaction.atomic
def response_start(*, actor, cycle, country):
    """The Party's current response to the cycle, created (and pre-filled) on first use."""
    current = Response.objects.current().filter(cycle=cycle, country=country).first()
    if current is not None:
        _require(actor, "view", current)
        return current
    if cycle.status != Cycle.Status.OPEN:
        raise ValidationError(_("This cycle is not open for answers."))
    if not cycle.invitations.filter(country=country).exists():
        raise PermissionDenied
    response = Response(cycle=cycle, country=country)
    _require(actor, "edit", response)
    codes = {question.code for question in version_spec(cycle.version).questions()}
    answers, source = _previous_answers(cycle, country)
    response.answers = {code: value for code, value in answers.items() if code in codes}
    response.prefilled = dict.fromkeys(response.answers, source)
    audited(response, actor).save()
    return response


def _storable(value):
    """Raw answers keep what was typed, less NUL characters, which databases cannot store."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    return value


def _meaningful(value):
    """``value`` without its blank parts: a blank answer, list item or matrix cell equals none."""
    if isinstance(value, dict):
        value = {key: _meaningful(item) for key, item in value.items()}
        return {key: item for key, item in value.items() if item is not None} or None
    if isinstance(value, list):
        return [_meaningful(item) for item in value] or None
    return None if value in (None, "") else value


def _same(new, old):
    """Whether a posted value leaves a stored answer as it was."""
    return _meaningful(new) == _meaningful(old)


@transaction.atomic
def response_save(*, actor, response, answers, lock_version, confirm=()):
    """Merge ``answers`` (question code → value as entered) into a draft.

    Invalid values are kept as entered and reported, never lost. Touching a pre-filled answer,
    or confirming it (``confirm``), clears its "from <cycle>" marker. Returns the validation
    result of the whole draft.
    """
    response = _locked(response)
    if not response.is_editable:
        raise ValidationError(_("This response has been submitted and can no longer be changed."))
    _require(actor, "edit", response)
    if response.lock_version != lock_version:
        raise StaleResponse
    spec = version_spec(response.cycle.version)
    codes = {question.code for question in spec.questions()}
    answers = {code: _storable(value) for code, value in answers.items() if code in codes}
    sections = response_policy.editable_sections(actor, response) if actor is not None else None
    if sections is not None:
        # A contributor's workbook or form carries the whole questionnaire: only what they
        # actually change must lie in their sections.
        allowed = {q.code for section in spec.sections if section.code in sections for q in section.questions}
        refused = sorted(
            code for code, value in answers.items()
            if code not in allowed and not _same(value, response.answers.get(code))
        )
        if refused:
            raise ValidationError(
                _("You can change only the sections assigned to you; these answers lie outside them: %(codes)s.")
                % {"codes": ", ".join(refused)}
            )
        answers = {code: value for code, value in answers.items() if code in allowed}
        confirm = [code for code in confirm if code in allowed]
    for code, value in answers.items():
        response.answers[code] = value
        response.prefilled.pop(code, None)
    for code in confirm:
        response.prefilled.pop(code, None)
    response.lock_version += 1
    audited(response, actor).save()
    return response, validate(response, for_submission=False)


@transaction.atomic
def response_submit(*, actor, response, lock_version, notify=True):
    """Validate everything; on success freeze the response and send a receipt (``notify``)."""
    response = _locked(response)
    if not response.is_editable:
        raise ValidationError(_("This response has already been submitted."))
    _require(actor, "submit", response)
    if response.lock_version != lock_version:
        raise StaleResponse
    result = validate(response, for_submission=True)
    if result.problems:
        raise ResponseInvalid(result.problems)
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.submitted_by = actor
    response.lock_version += 1
    audited(response, actor).save()
    response.queries.filter(resolved=False).update(resolved=True)
    if notify:
        transaction.on_commit(
            lambda: mail_focal_points(
                cycle=response.cycle, country=response.country, kind=SentMail.Kind.RECEIPT,
                template="assessments/mail/receipt.txt",
            )
        )
    return response


@transaction.atomic
def response_return(*, actor, response, queries):
    """Send a submitted response back to the Party with queries (question code, text)."""
    response = _locked(response)
    _require(actor, "review", response)
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted response can be returned."))
    if not queries:
        raise ValidationError(_("Say what the Party should look at: add at least one query."))
    codes = {question.code for question in version_spec(response.cycle.version).questions()}
    for code, text in queries:
        if code not in codes or not text.strip():
            raise ValidationError(_("Each query needs a question of this questionnaire and a text."))
        ReviewQuery.objects.create(response=response, question_code=code, text=text.strip(), author=actor)
    response.status = Response.Status.RETURNED
    response.reviewed_at = timezone.now()
    response.reviewed_by = actor
    response.lock_version += 1
    audited(response, actor).save()
    return response


@transaction.atomic
def response_accept(*, actor, response):
    """Accept a submitted response and record the needs it reports."""
    from tahub.assessments.services.needs import needs_record_from_response

    response = _locked(response)
    _require(actor, "review", response)
    if response.status != Response.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted response can be accepted."))
    response.status = Response.Status.ACCEPTED
    response.reviewed_at = timezone.now()
    response.reviewed_by = actor
    response.lock_version += 1
    audited(response, actor).save()
    needs_record_from_response(actor=actor, response=response)
    return response


@transaction.atomic
def response_amend(*, actor, response):
    """Open a new version of an accepted response; the accepted one stays as it was."""
    response = _locked(response)
    _require(actor, "amend", response)
    if response.status != Response.Status.ACCEPTED or not response.is_current:
        raise ValidationError(_("Only the current accepted response can be amended."))
    response.is_current = False
    response.save(update_fields=["is_current"])
    amendment = Response(
        cycle=response.cycle, country=response.country, number=response.number + 1, answers=dict(response.answers)
    )
    audited(amendment, actor).save()
    return amendment
