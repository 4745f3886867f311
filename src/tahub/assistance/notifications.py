"""Wording and sending the notifications of requests: one e-mail each, or one daily digest.

Notifications are stored when something happens (``services._notify``) and worded only when
sent, in the recipient's language, with a link to the request.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tahub.assistance.models import Notification, Request, RequestEvent


def describe(notification):
    """One sentence saying what happened, in the active language."""
    request, event, message = notification.request, notification.event, notification.message
    values = {"reference": request.reference, "title": request.title}
    if message is not None:
        return _("%(author)s wrote on %(reference)s “%(title)s”: %(body)s") % {
            **values, "author": message.author.full_name or message.author.email, "body": message.body,
        }
    kind = event.kind
    if kind == RequestEvent.Kind.STATUS and event.from_status == "":
        text = _("New request %(reference)s “%(title)s” from %(party)s.") % {**values, "party": request.country.name}
    elif kind == RequestEvent.Kind.STATUS:
        text = _("%(reference)s “%(title)s” is now “%(status)s”.") % {
            **values, "status": Request.Status(event.to_status).label,
        }
    elif kind == RequestEvent.Kind.OWNER:
        text = _("%(reference)s “%(title)s” is now followed by %(owner)s.") % {**values, "owner": event.comment}
    elif kind == RequestEvent.Kind.CENTRE_PROPOSED:
        text = _("%(centre)s is proposed to deliver %(reference)s “%(title)s”: take it or decline it.") % {
            **values, "centre": event.comment,
        }
    elif kind == RequestEvent.Kind.CENTRE_TOOK:
        text = _("%(centre)s took %(reference)s “%(title)s”.") % {**values, "centre": event.comment}
    elif kind == RequestEvent.Kind.CENTRE_DECLINED:
        text = _("A centre declined %(reference)s “%(title)s”.") % values
    else:
        text = _("The Party gave its feedback on %(reference)s “%(title)s”.") % values
    if event.comment and kind in (RequestEvent.Kind.STATUS, RequestEvent.Kind.CENTRE_DECLINED, RequestEvent.Kind.FEEDBACK):
        text = f"{text}\n{event.comment}"
    if request.is_emergency:
        text = _("EMERGENCY") + " — " + text
    return text


def _pending():
    return Notification.objects.filter(sent_at__isnull=True).select_related(
        "user", "request__country", "event", "message__author"
    )


def _link(request):
    return f"{settings.SITE_URL}{request.get_absolute_url()}"


def notifications_send(*, ids):
    """E-mail each of these notifications on its own (those not sent yet); returns how many."""
    sent = 0
    for notification in _pending().filter(pk__in=ids).order_by("pk"):
        with transaction.atomic():
            claimed = Notification.objects.filter(pk=notification.pk, sent_at__isnull=True).update(sent_at=timezone.now())
            if not claimed:
                continue  # another worker sent it
            person = notification.user
            with translation.override(person.preferred_language or "en"):
                body = render_to_string("assistance/mail/notification.txt", {
                    "person": person, "text": describe(notification), "link": _link(notification.request),
                    "emergency": notification.request.is_emergency, "reference": notification.request.reference,
                })
            subject, _blank, text = body.partition("\n\n")
            send_mail(subject.strip(), text.strip(), None, [person.email])
            sent += 1
    return sent


def digests_send(*, now=None):
    """The nightly digest: to each person, what is pending for them, and, to each owner, the open
    requests they own that are overdue. Returns the number of e-mails sent."""
    from tahub.assistance.selectors import overdue_requests

    now = now or timezone.now()
    pending = defaultdict(list)
    for notification in _pending().order_by("created_at", "pk"):
        pending[notification.user].append(notification)
    overdue = defaultdict(list)
    for request in overdue_requests(now=now).select_related("owner").filter(owner__isnull=False):
        overdue[request.owner].append(request)
    sent = 0
    for person in set(pending) | set(overdue):
        if not person.is_active:
            continue
        with translation.override(person.preferred_language or "en"):
            body = render_to_string("assistance/mail/digest.txt", {
                "person": person,
                "items": [(describe(n), _link(n.request)) for n in pending.get(person, [])],
                "overdue": [(r, _link(r), max(1, (now - r.due_at).days)) for r in overdue.get(person, [])],
            })
        subject, _blank, text = body.partition("\n\n")
        send_mail(subject.strip(), text.strip(), None, [person.email])
        Notification.objects.filter(pk__in=[n.pk for n in pending.get(person, [])]).update(sent_at=now)
        sent += 1
    # Sent notifications are kept a while for the record, then forgotten.
    Notification.objects.filter(sent_at__lt=now - timedelta(days=90)).delete()
    return sent
