"""Every write to requests for assistance: file, move on, assign and route, converse, attach,
give feedback, and tell the people concerned.

A request's text is fixed once filed; what happens next is recorded beside it (events, messages,
attachments, feedback). Each service checks the permission itself, runs in a transaction and
writes the history; notifications are queued and, for those who want them at once, sent after
the transaction commits.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.accounts.models import User
from tahub.accounts.roles import Role
from tahub.accounts.selectors import people_holding
from tahub.assistance.models import (
    CentreRouting,
    Notification,
    Request,
    RequestAttachment,
    RequestEvent,
    RequestMessage,
    ServiceLevel,
)
from tahub.assistance.permissions import (
    NEEDS_COMMENT,
    TRANSITIONS,
    centre_ids,
    party_ids,
    request_policy,
    routing_policy,
)
from tahub.assistance.selectors import possible_owners
from tahub.assistance.service_levels import DEFAULTS, add_working_days
from tahub.core import uploads
from tahub.core.audit import audited, one_history_entry
from tahub.offers.models import LANGUAGES, Offer
from tahub.offers.services import strip_html
from tahub.reference.models import RegionalCentre

MAX_ATTACHMENTS = 10


class StaleRequest(Exception):
    """The request changed since the page was loaded; nothing was saved."""


@dataclass
class RequestData:
    """What a request says, as the form or the API hands it over."""

    title: str
    description: str
    themes: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    conventions: list = field(default_factory=list)
    desired_start: date | None = None
    duration_months: int | None = None
    languages: list = field(default_factory=list)
    modality: str = ""
    expected_outputs: str = ""
    contribution: str = ""
    other_providers: str = ""
    urgency: str = Request.Urgency.NORMAL
    incident_what: str = ""
    incident_where: str = ""
    incident_when: datetime | None = None
    incident_quantities: str = ""
    is_public: bool = False


TEXT_FIELDS = (
    "title", "description", "expected_outputs", "contribution", "other_providers", "incident_what",
    "incident_where", "incident_quantities",
)


def _clean(data):
    """Check ``data`` as a whole; one ValidationError naming every problem by field."""
    for name in TEXT_FIELDS:
        setattr(data, name, strip_html(getattr(data, name)))
    data.title = data.title[:200]
    data.incident_where = data.incident_where[:255]
    data.incident_quantities = data.incident_quantities[:255]
    errors = {}
    if not data.title:
        errors["title"] = _("Give the request a title.")
    if not data.description:
        errors["description"] = _("Describe the problem and the help wanted.")
    if not data.themes:
        errors["themes"] = _("Choose at least one theme.")
    if not data.kinds:
        errors["kinds"] = _("Choose at least one kind of help.")
    if not set(data.languages) <= {code for code, _label in LANGUAGES}:
        errors["languages"] = _("Choose languages from the list.")
    if data.modality and data.modality not in Offer.Modality.values:
        errors["modality"] = _("Choose a modality from the list.")
    if data.urgency not in Request.Urgency.values:
        errors["urgency"] = _("Choose the urgency.")
    if data.duration_months is not None and not 0 < data.duration_months <= 120:
        errors["duration_months"] = _("Give a duration between 1 and 120 months.")
    if data.urgency == Request.Urgency.EMERGENCY:
        if not data.incident_what:
            errors["incident_what"] = _("Say what happened: an emergency request describes the incident.")
        if not data.incident_where:
            errors["incident_where"] = _("Say where the incident happened.")
        if data.incident_when and data.incident_when > timezone.now():
            errors["incident_when"] = _("The incident cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    return data


# Service levels and the clock.


def service_level_days(status, urgency):
    level = ServiceLevel.objects.filter(status=status, urgency=urgency).values_list("working_days", flat=True).first()
    return DEFAULTS.get((status, urgency)) if level is None else level


def _start_clock(request, status, now):
    request.status = status
    request.status_changed_at = now
    days = service_level_days(status, request.urgency) if status in Request.OPEN else None
    request.due_at = add_working_days(now, days) if days is not None else None


# People to tell.


def party_focal_points(request):
    countries = [request.country_id, *request.co_requesters.values_list("pk", flat=True)]
    return people_holding(Role.PARTY_FOCAL_POINT, country__in=countries)


def regional_focal_points(request):
    if request.country.regional_group_id is None:
        return User.objects.none()
    return people_holding(Role.REGIONAL_FOCAL_POINT, regional_group=request.country.regional_group_id)


def centre_staff(centre):
    return people_holding(Role.CENTRE_STAFF, centre=centre)


def participants(request):
    """Everyone in the request's conversation: the Party, its owner (or its region's focal points),
    the Secretariat when it owns it, and the centre that took it."""
    people = set(party_focal_points(request))
    if request.owner_id:
        people.add(request.owner)
    else:
        people |= set(regional_focal_points(request))
    if request.centre_id:
        people |= set(centre_staff(request.centre))
    return people


def _notify(request, people, *, event=None, message=None, actor=None, urgent=False):
    """Queue a notification for each person (not the one acting); urgent ones, and those of people
    who want them at once, are e-mailed after the transaction commits."""
    notifications = Notification.objects.bulk_create(
        Notification(user=person, request=request, event=event, message=message)
        for person in people
        if person is not None and (actor is None or person.pk != getattr(actor, "pk", None))
    )
    at_once = [n.pk for n in notifications if urgent or not n.user.notify_daily]
    if at_once:
        from tahub.assistance.tasks import send_notifications

        transaction.on_commit(lambda: send_notifications.enqueue(at_once))
    return notifications


def _event(request, kind, actor, *, comment="", from_status="", to_status="", at=None):
    return RequestEvent.objects.create(
        request=request, kind=kind, actor=actor if getattr(actor, "is_authenticated", False) else None,
        comment=comment, from_status=from_status, to_status=to_status, at=at or timezone.now(),
    )


def _attach(request, upload, actor, message=None):
    data, extension, content_type = uploads.check_document(upload)
    token = uploads.new_token()
    attachment = RequestAttachment(
        request=request, message=message, filename=uploads.display_name(upload.name, extension),
        content_type=content_type, size=len(data), token=token, extension=f".{extension}", uploaded_by=actor,
    )
    attachment.file.save(f"{token}.{extension}", ContentFile(data), save=False)
    attachment.save()
    return attachment


def _check_attachments(attachments):
    """Refuse the whole set before anything is stored: a bad file changes nothing."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}})
    problems = []
    for upload in attachments:
        try:
            uploads.check_document(upload)
        except ValidationError as exc:
            problems.append(f"{uploads.display_name(upload.name, 'file')}: {' '.join(exc.messages)}")
        finally:
            upload.seek(0)
    if problems:
        raise ValidationError({"attachments": problems})


# Filing.


def _route(request, actor, now):
    """Record the routing decided in ``request_file``: the owner, and the active centres serving the
    Party proposed to deliver it."""
    # tahub routes the request, not the person filing it: these steps have no actor.
    if request.owner is not None:
        _event(request, RequestEvent.Kind.OWNER, None, comment=request.owner.full_name or request.owner.email, at=now)
    centres = RegionalCentre.objects.filter(countries_served=request.country, status=RegionalCentre.Status.ACTIVE)
    for centre in centres.order_by("acronym"):
        CentreRouting.objects.create(request=request, centre=centre)
        _event(request, RequestEvent.Kind.CENTRE_PROPOSED, None, comment=centre.acronym or centre.name, at=now)


@transaction.atomic
def request_file(*, actor, country, data, co_requesters=(), attachments=(), source_document=""):
    """File a request for ``country``: by one of its focal points, or by the Secretariat from a
    letter (``source_document``). A regional request (``co_requesters``) is filed by a centre or
    the Secretariat. It is routed at once; an emergency alerts the Secretariat and the region."""
    if actor is not None:
        own = country.pk in party_ids(actor, Role.PARTY_FOCAL_POINT)
        secretariat = request_policy.can(actor, "file_for_any_party")
        # Centre staff file regional requests for Parties their centre serves.
        served = set(RegionalCentre.objects.filter(pk__in=centre_ids(actor)).values_list("countries_served", flat=True))
        by_centre = bool(served) and {country.pk, *(c.pk for c in co_requesters)} <= served
        if not (own or secretariat or by_centre) or (co_requesters and not (secretariat or by_centre)):
            raise PermissionDenied
    if country.basel_party != country.PartyStatus.PARTY:
        raise ValidationError({"country": _("Only a Party to the Convention can request assistance.")})
    data = _clean(data)
    _check_attachments(list(attachments))
    now = timezone.now()
    request = Request(
        country=country, filed_by=actor if getattr(actor, "is_authenticated", False) else None,
        source_document=(source_document or "").strip()[:255], submitted_at=now,
        **{name: getattr(data, name) for name in (
            "title", "description", "desired_start", "duration_months", "languages", "modality", "expected_outputs",
            "contribution", "other_providers", "urgency", "incident_what", "incident_where", "incident_when",
            "incident_quantities", "is_public",
        )},
    )
    request.languages = list(dict.fromkeys(data.languages))
    _start_clock(request, Request.Status.SUBMITTED, now)
    # The regional focal point of the Party's group owns the request from the start.
    request.owner = regional_focal_points(request).order_by("pk").first()
    with one_history_entry(request, actor, created=True):
        request.save()
        request.themes.set(data.themes)
        request.kinds.set(data.kinds)
        request.conventions.set(data.conventions)
        request.co_requesters.set([c for c in co_requesters if c.pk != country.pk])
    submitted = _event(request, RequestEvent.Kind.STATUS, actor, to_status=Request.Status.SUBMITTED, at=now)
    _route(request, actor, now)
    for upload in attachments:
        _attach(request, upload, actor)
    if request.is_emergency:
        alerted = set(people_holding(Role.SECRETARIAT)) | set(regional_focal_points(request))
        _notify(request, alerted, event=submitted, actor=actor, urgent=True)
    else:
        _notify(request, [request.owner] if request.owner else regional_focal_points(request), event=submitted, actor=actor)
    return request


# Moving on.


def _locked(request):
    # Lock the request row only: the owner and centre are outer joins, which PostgreSQL does not lock.
    return Request.objects.select_for_update(of=("self",)).select_related("country", "owner", "centre").get(pk=request.pk)


@transaction.atomic
def request_move(*, actor, request, to, comment="", lock_version=None):
    """Move ``request`` to state ``to``, if ``actor`` may; the timeline records who, when and why."""
    request = _locked(request)
    if actor is not None and not request_policy.roles_on(actor, request):
        raise PermissionDenied
    current = Request.Status(request.status)
    if to not in TRANSITIONS.get(current, {}):
        raise ValidationError(
            _("A request that is “%(current)s” cannot become “%(target)s”.")
            % {"current": current.label, "target": Request.Status(to).label if to in Request.Status.values else to}
        )
    if actor is not None and to not in request_policy.allowed_moves(actor, request):
        raise PermissionDenied
    if lock_version is not None and request.lock_version != lock_version:
        raise StaleRequest
    comment = strip_html(comment)
    if to in NEEDS_COMMENT and not comment:
        raise ValidationError({"comment": {
            Request.Status.DECLINED: _("Say why the request is declined: the Party sees the reason."),
            Request.Status.WITHDRAWN: _("Say why the request is withdrawn."),
            Request.Status.MORE_INFORMATION: _("Ask your question: the Party answers it."),
        }[to]})
    now = timezone.now()
    if request.acknowledged_at is None and current == Request.Status.SUBMITTED and to != Request.Status.WITHDRAWN:
        request.acknowledged_at = now
    if to in Request.ENDED:
        request.ended_at = now
    if to in (Request.Status.DECLINED, Request.Status.WITHDRAWN):
        request.decision_reason = comment
    _start_clock(request, to, now)
    request.lock_version += 1
    audited(request, actor).save()
    event = _event(request, RequestEvent.Kind.STATUS, actor, comment=comment, from_status=current, to_status=to, at=now)
    _notify(request, participants(request), event=event, actor=actor, urgent=request.is_emergency)
    return request


# Assigning and routing.


@transaction.atomic
def request_assign(*, actor, request, owner):
    """The Secretariat gives the request to another owner: a regional focal point or a Secretariat officer."""
    if actor is not None and not request_policy.can(actor, "assign", request):
        raise PermissionDenied
    request = _locked(request)
    if not possible_owners().filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The owner must be a regional focal point or a Secretariat officer.")})
    request.owner = owner
    request.lock_version += 1
    audited(request, actor).save()
    event = _event(request, RequestEvent.Kind.OWNER, actor, comment=owner.full_name or owner.email)
    _notify(request, [owner], event=event, actor=actor)
    return request


@transaction.atomic
def request_propose_centre(*, actor, request, centre):
    """Propose one more centre to deliver the request (the Secretariat or the region's focal point)."""
    if actor is not None and not request_policy.can(actor, "route", request):
        raise PermissionDenied
    if centre.status != RegionalCentre.Status.ACTIVE:
        raise ValidationError({"centre": _("Only an active centre can be proposed.")})
    routing, created = CentreRouting.objects.get_or_create(request=request, centre=centre)
    if not created and routing.state != CentreRouting.State.DECLINED:
        raise ValidationError({"centre": _("This centre is already proposed.")})
    routing.state = CentreRouting.State.PROPOSED
    routing.decided_by, routing.decided_at, routing.reason = None, None, ""
    routing.save()
    event = _event(request, RequestEvent.Kind.CENTRE_PROPOSED, actor, comment=centre.acronym or centre.name)
    _notify(request, centre_staff(centre), event=event, actor=actor)
    return routing


@transaction.atomic
def routing_take(*, actor, routing):
    """Centre staff take the request for their centre: from now on they see it in full."""
    routing = CentreRouting.objects.select_for_update(of=("self",)).select_related("request", "centre").get(pk=routing.pk)
    if actor is not None and not routing_policy.can(actor, "take", routing):
        raise PermissionDenied
    request = _locked(routing.request)
    if request.centre_id is not None:
        raise ValidationError(_("Another centre has already taken this request."))
    routing.state, routing.decided_by, routing.decided_at = CentreRouting.State.TAKEN, actor, timezone.now()
    routing.save()
    request.centre = routing.centre
    request.lock_version += 1
    audited(request, actor).save()
    event = _event(request, RequestEvent.Kind.CENTRE_TOOK, actor, comment=routing.centre.acronym or routing.centre.name)
    _notify(request, participants(request), event=event, actor=actor)
    return routing


@transaction.atomic
def routing_decline(*, actor, routing, reason):
    routing = CentreRouting.objects.select_for_update(of=("self",)).select_related("request", "centre").get(pk=routing.pk)
    if actor is not None and not routing_policy.can(actor, "decline", routing):
        raise PermissionDenied
    reason = strip_html(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the centre cannot take the request.")})
    routing.state, routing.decided_by, routing.decided_at, routing.reason = (
        CentreRouting.State.DECLINED, actor, timezone.now(), reason,
    )
    routing.save()
    request = routing.request
    event = _event(request, RequestEvent.Kind.CENTRE_DECLINED, actor, comment=f"{routing.centre.acronym}: {reason}")
    owner = [request.owner] if request.owner_id else regional_focal_points(request)
    _notify(request, owner, event=event, actor=actor)
    return routing


# Conversation.


@transaction.atomic
def message_post(*, actor, request, body, attachments=()):
    if not request_policy.can(actor, "message", request):
        raise PermissionDenied
    body = strip_html(body)
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    _check_attachments(list(attachments))
    message = RequestMessage.objects.create(request=request, author=actor, body=body)
    for upload in attachments:
        _attach(request, upload, actor, message=message)
    _notify(request, participants(request), message=message, actor=actor, urgent=request.is_emergency)
    return message


@transaction.atomic
def request_answer(*, actor, request, body, attachments=(), lock_version=None):
    """The Party answers the question asked: its answer goes into the conversation and the request
    goes back under review."""
    if actor is not None and "party" not in request_policy.roles_on(actor, request):
        raise PermissionDenied
    if request.status != Request.Status.MORE_INFORMATION:
        raise ValidationError(_("No question is waiting for an answer on this request."))
    message = message_post(actor=actor, request=request, body=body, attachments=attachments)
    request_move(actor=actor, request=request, to=Request.Status.UNDER_REVIEW, comment=message.body, lock_version=lock_version)
    return message


# Feedback.


@transaction.atomic
def request_feedback(*, actor, request, rating, need_met, comment=""):
    """The Party rates the help once delivery is completed; the request is then closed, and the
    need it answers (if linked) becomes met or partly met."""
    request = _locked(request)
    if actor is not None and not request_policy.can(actor, "feedback", request):
        raise PermissionDenied
    if request.status != Request.Status.COMPLETED or request.feedback_at is not None:
        raise ValidationError(_("Feedback is given once, when delivery is completed."))
    errors = {}
    if rating not in (1, 2, 3, 4, 5):
        errors["rating"] = _("Rate the help from 1 (poor) to 5 (excellent).")
    if need_met not in Request.NeedMet.values:
        errors["need_met"] = _("Say whether the need is met.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request.rating, request.need_met, request.feedback, request.feedback_at = rating, need_met, strip_html(comment), now
    _event(request, RequestEvent.Kind.FEEDBACK, actor, comment=request.feedback, at=now)
    if request.need_id and need_met in (Request.NeedMet.MET, Request.NeedMet.PARTLY):
        from tahub.assessments.models import Need
        from tahub.assessments.services.needs import need_set_status

        status = Need.Status.MET if need_met == Request.NeedMet.MET else Need.Status.PARTLY_MET
        need_set_status(actor=None, need=request.need, status=status)
    request.status = Request.Status.CLOSED  # the Party's feedback closes the request
    request.ended_at, request.due_at, request.status_changed_at = now, None, now
    request.lock_version += 1
    audited(request, actor).save()
    event = _event(
        request, RequestEvent.Kind.STATUS, actor, from_status=Request.Status.COMPLETED, to_status=Request.Status.CLOSED,
        at=now,
    )
    _notify(request, participants(request), event=event, actor=actor)
    return request


@transaction.atomic
def request_link_need(*, actor, request, need):
    """Say which need (of the requesting Party) the request answers."""
    if actor is not None and not ({"staff", "party"} & request_policy.roles_on(actor, request)):
        raise PermissionDenied
    if need is not None and need.country_id != request.country_id:
        raise ValidationError({"need": _("The need must be one of the requesting Party's.")})
    request.need = need
    audited(request, actor).save()
    return request


@transaction.atomic
def attachment_upload(*, actor, request, upload):
    """Add a document to the request (anyone in its conversation, while it is open)."""
    if not request_policy.can(actor, "message", request):
        raise PermissionDenied
    _check_attachments([upload])
    return _attach(request, upload, actor)
