"""The e-mail asking a Party's focal points for an activity's follow-up evaluation."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from tahub.accounts.models import User
from tahub.accounts.roles import Role


def focal_points_of(country):
    return User.objects.filter(
        is_active=True, memberships__is_active=True, memberships__role=Role.PARTY_FOCAL_POINT, memberships__country=country,
    ).distinct().order_by("pk")


def send_evaluation(evaluation):
    """One e-mail to each focal point of the evaluation's Party, in their language; how many sent."""
    link = f"{settings.SITE_URL}{evaluation.get_absolute_url()}"
    sent = 0
    for person in focal_points_of(evaluation.country):
        with translation.override(person.preferred_language or "en"):
            body = render_to_string("planning/mail/evaluation.txt", {
                "person": person, "activity": evaluation.activity, "party": evaluation.country.name, "link": link,
            })
        subject, _blank, text = body.partition("\n\n")
        send_mail(subject.strip(), text.strip(), None, [person.email])
        sent += 1
    return sent
