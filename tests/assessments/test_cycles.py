from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tahub.assessments.models import Cycle, SentMail
from tahub.assessments.services.cycles import (
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_publish_results,
    cycle_send_reminders,
    invitation_extend,
)
from tahub.assessments.services.responses import response_save, response_start, response_submit
from tahub.assessments.tasks import send_due_reminders
from tahub.reference.models import Country
from tests.assessments.factories import complete_answers, open_cycle, published_version

pytestmark = pytest.mark.django_db


def test_default_invitations_are_the_developing_and_transition_parties(personas):
    cycle = cycle_create(
        actor=personas.secretariat, title="All", version=published_version(), period_start=date(2020, 1, 1),
        period_end=date(2023, 12, 31), opens_on=date(2024, 1, 1), closes_on=date(2024, 6, 30),
    )

    invited = set(cycle.invitations.values_list("country__classification", flat=True))
    assert invited == {"developing", "transition"}
    assert cycle.invitations.count() == Country.objects.parties().eligible_for_assistance().count()


def test_only_the_secretariat_runs_cycles_and_states_follow_their_order(personas):
    with pytest.raises(PermissionDenied):
        cycle_create(
            actor=personas.rfp_africa, title="x", version=published_version(), period_start=date(2020, 1, 1),
            period_end=date(2020, 12, 31), opens_on=date(2024, 1, 1), closes_on=date(2024, 6, 30),
        )
    cycle = open_cycle()
    with pytest.raises(ValidationError):
        cycle_publish_results(actor=personas.secretariat, cycle=cycle)  # must close first
    cycle_close(actor=personas.secretariat, cycle=cycle)
    cycle = cycle_publish_results(actor=personas.secretariat, cycle=cycle)
    assert cycle.status == Cycle.Status.PUBLISHED
    assert [entry.status for entry in cycle.history.order_by("history_date")] == ["draft", "open", "closed", "published"]


def test_reminders_go_to_focal_points_of_parties_that_have_not_submitted(personas, django_capture_on_commit_callbacks):
    today = date(2026, 6, 20)
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle(closes_on=today + timedelta(days=10))
    kenya = Country.objects.get(iso3="KEN")
    response = response_start(actor=personas.focal_kenya, cycle=cycle, country=kenya)
    response_save(actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0)
    response_submit(actor=personas.focal_kenya, response=response, lock_version=1, notify=False)
    mail.outbox.clear()

    sent = cycle_send_reminders(cycle_id=cycle.pk, today=today)

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert sent == 2 and recipients == ["fp.per@example.org", "fp.sen@example.org"]
    assert SentMail.objects.filter(kind=SentMail.Kind.REMINDER).count() == 2
    assert cycle_send_reminders(cycle_id=cycle.pk, today=today) == 0  # once a day at most


def test_reminders_wait_until_the_configured_days_before_the_deadline(personas):
    cycle = open_cycle(closes_on=date(2026, 12, 31))
    mail.outbox.clear()

    assert cycle_send_reminders(cycle_id=cycle.pk, today=date(2026, 12, 1)) == 0
    assert cycle_send_reminders(cycle_id=cycle.pk, today=date(2026, 12, 20)) == 3


def test_an_extended_deadline_delays_that_partys_reminder(personas):
    cycle = open_cycle(closes_on=date(2026, 12, 31))
    invitation = cycle.invitations.get(country__iso3="PER")
    invitation_extend(actor=personas.secretariat, invitation=invitation, deadline=date(2027, 2, 28))
    mail.outbox.clear()

    cycle_send_reminders(cycle_id=cycle.pk, today=date(2026, 12, 20))

    assert "fp.per@example.org" not in [address for message in mail.outbox for address in message.to]


def test_remind_now_reminds_everyone_not_submitted(personas):
    cycle = open_cycle(closes_on=date(2099, 12, 31))
    mail.outbox.clear()

    assert cycle_send_reminders(cycle_id=cycle.pk, force=True) == 3


def test_the_daily_task_covers_every_open_cycle(personas):
    open_cycle("A", closes_on=date(2099, 1, 10))
    mail.outbox.clear()

    result = send_due_reminders.enqueue()

    assert result.return_value == 0  # far from the deadline
    assert mail.outbox == []


def test_opening_sends_invitations_once(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cycle = open_cycle()
    cycle_close(actor=personas.secretariat, cycle=cycle)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cycle_open(actor=personas.secretariat, cycle=cycle)

    assert mail.outbox == []


def test_send_reminders_command_queues_the_daily_task(personas, capsys):
    from django.core.management import call_command

    open_cycle("B", closes_on=date(2099, 1, 10))

    call_command("send_reminders")

    assert "Reminders queued" in capsys.readouterr().out
