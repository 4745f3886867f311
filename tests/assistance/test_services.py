"""Requests for assistance through their services: filing, routing, the workflow, service levels,
conversation, feedback and notifications."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tahub.assessments.models import Need
from tahub.assessments.services.needs import need_record
from tahub.assistance.models import CentreRouting, Notification, Request, RequestEvent
from tahub.assistance.notifications import digests_send
from tahub.assistance.selectors import my_work_for, overdue_requests
from tahub.assistance.service_levels import add_working_days, working_days_between
from tahub.assistance.services import (
    StaleRequest,
    message_post,
    request_answer,
    request_assign,
    request_feedback,
    request_file,
    request_link_need,
    request_move,
    routing_decline,
    routing_take,
)
from tahub.reference.models import Country, RegionalCentre, Theme
from tests.assistance.factories import emergency_data, filed, request_data, upload

pytestmark = pytest.mark.django_db
S = Request.Status
GENEVA = ZoneInfo("Europe/Zurich")


def senegal_request(personas, **overrides):
    return filed(personas.focal_senegal, "SEN", **overrides)


# Working days (no database).


@pytest.mark.django_db(False)
def test_working_days_skip_weekends():
    friday = datetime(2026, 12, 4, 10, tzinfo=GENEVA)
    assert add_working_days(friday, 1) == datetime(2026, 12, 7, 10, tzinfo=GENEVA)  # Monday
    assert add_working_days(friday, 5) == datetime(2026, 12, 11, 10, tzinfo=GENEVA)
    saturday = datetime(2026, 12, 5, 9, tzinfo=GENEVA)
    assert add_working_days(saturday, 1) == datetime(2026, 12, 8, 9, tzinfo=GENEVA)  # from Monday: Tuesday
    assert working_days_between(friday, datetime(2026, 12, 8, 11, tzinfo=GENEVA)) == 2


# Filing and routing.


def test_a_focal_point_files_and_the_request_is_routed_to_its_region_and_centres(personas):
    request = filed(personas.focal_senegal, "SEN")

    assert request.status == S.SUBMITTED and request.owner == personas.rfp_africa
    proposed = set(request.routings.values_list("centre__slug", flat=True))
    serving = set(RegionalCentre.objects.filter(countries_served__iso3="SEN", status="active").values_list("slug", flat=True))
    assert proposed == serving and "senegal" in proposed
    assert list(request.events.values_list("kind", flat=True))[:2] == [RequestEvent.Kind.STATUS, RequestEvent.Kind.OWNER]
    assert request.due_at is not None and request.filed_by == personas.focal_senegal
    assert request.history.count() >= 1


def test_only_a_partys_focal_point_files_for_it(personas):
    kenya = Country.objects.get(iso3="KEN")
    for persona in ("focal_peru", "contributor_kenya", "provider_unitar", "rfp_africa", "no_role"):
        with pytest.raises(PermissionDenied):
            request_file(actor=getattr(personas, persona), country=kenya, data=request_data())
    assert not Request.objects.exists()


def test_the_secretariat_files_for_a_party_from_a_letter(personas):
    request = request_file(
        actor=personas.secretariat, country=Country.objects.get(iso3="PER"), data=request_data(),
        source_document="Letter ref. MINAM/2026/117 of 3 November 2026",
    )
    assert request.source_document.startswith("Letter ref.") and request.owner == personas.rfp_grulac


def test_a_regional_request_has_co_requesters_whose_focal_points_see_it(personas):
    from tahub.assistance.permissions import request_policy

    request = request_file(
        actor=personas.secretariat, country=Country.objects.get(iso3="SEN"), data=request_data(),
        co_requesters=list(Country.objects.filter(iso3__in=["KEN", "SEN"])),
    )
    assert list(request.co_requesters.values_list("iso3", flat=True)) == ["KEN"]
    assert request_policy.visible_to(personas.focal_kenya).filter(pk=request.pk).exists()
    with pytest.raises(PermissionDenied):  # a focal point cannot make a request regional
        request_file(
            actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=request_data(),
            co_requesters=[Country.objects.get(iso3="PER")],
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"themes": []}, "themes"),
        ({"kinds": []}, "kinds"),
        ({"languages": ["xx"]}, "languages"),
        ({"urgency": "emergency"}, "incident_what"),
        ({"duration_months": 0}, "duration_months"),
    ],
)
def test_bad_input_is_refused_whole_naming_the_field(personas, overrides, field):
    with pytest.raises(ValidationError) as refused:
        filed(personas.focal_kenya, **overrides)
    assert field in refused.value.message_dict
    assert not Request.objects.exists()


def test_html_is_stripped_from_the_text(personas):
    request = filed(personas.focal_kenya, description="Help <b>needed</b><script>x()</script> soon")
    assert request.description == "Help needed soon"


# Attachments.


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00 not a pdf at all"),  # disguised executable
        ("photo.png", b"%PDF-1.4\n%%EOF\n"),  # a PDF pretending to be an image
        ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)),  # over 10 MB
        ("..\\..\\settings.pdf", b"%PDF-1.4\n%%EOF\n"),  # a path trick in the name
        ("../../etc/report.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("report\x00.pdf", b"%PDF-1.4\n%%EOF\n"),
    ],
)
def test_a_bad_attachment_refuses_the_request_and_stores_nothing(personas, settings, tmp_path, name, content):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError) as refused:
        request_file(
            actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=request_data(),
            attachments=[upload("letter.pdf"), upload(name, content)],
        )
    assert "attachments" in refused.value.message_dict
    assert not Request.objects.exists() and not list(tmp_path.rglob("*.*"))


def test_an_attachment_is_stored_under_a_server_chosen_name(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request = request_file(
        actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=request_data(),
        attachments=[upload("Letter to SBC <final>.pdf")],
    )
    attachment = request.attachments.get()
    assert attachment.filename == "Letter to SBC final.pdf"
    assert attachment.file.name == f"requests/{request.pk}/{attachment.token}.pdf"
    assert (tmp_path / attachment.file.name).read_bytes().startswith(b"%PDF")


# Emergencies and service levels.


def test_an_emergency_alerts_the_secretariat_and_the_region_at_once(personas, django_capture_on_commit_callbacks):
    personas.rfp_africa.notify_daily = True  # an emergency is sent at once whatever the preference
    personas.rfp_africa.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        request = request_file(actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=emergency_data())

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([personas.secretariat.email, personas.rfp_africa.email])
    assert all("EMERGENCY" in message.subject for message in mail.outbox)
    assert all(request.get_absolute_url() in message.body for message in mail.outbox)
    assert personas.focal_peru.email not in recipients and personas.focal_kenya.email not in recipients


def test_an_emergency_is_overdue_after_one_working_day(personas):
    wednesday = datetime(2026, 12, 2, 9, tzinfo=GENEVA)
    with time_machine.travel(wednesday, tick=False):
        request = request_file(actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=emergency_data())
        normal = filed(personas.focal_kenya)
    assert request.due_at == wednesday + timedelta(days=1)

    with time_machine.travel(wednesday + timedelta(hours=23), tick=False):
        assert not request.is_overdue
        assert not overdue_requests().filter(pk=request.pk).exists()
    with time_machine.travel(wednesday + timedelta(days=1, hours=1), tick=False):
        request.refresh_from_db()
        assert request.is_overdue
        assert list(overdue_requests()) == [request]  # the normal request has five working days
        assert my_work_for(personas.secretariat)["overdue"] == [request]
    assert normal.due_at == datetime(2026, 12, 9, 9, tzinfo=GENEVA)


def test_acknowledging_stops_the_clock_of_the_submitted_state(personas):
    request = filed(personas.focal_kenya, **{"urgency": "normal"})
    request = request_move(actor=personas.rfp_africa, request=request, to=S.UNDER_REVIEW)
    assert request.acknowledged_at is not None
    assert request.due_at > request.status_changed_at


# The workflow.


def test_the_whole_path_to_feedback_updates_the_linked_need(personas, django_capture_on_commit_callbacks):
    need = need_record(actor=None, country=Country.objects.get(iso3="SEN"), theme=Theme.objects.get(code="monitoring"),
                       level="high", source=Need.Source.MEETING)
    request = senegal_request(personas)
    request_link_need(actor=personas.focal_senegal, request=request, need=need)

    request = request_move(actor=personas.rfp_africa, request=request, to=S.UNDER_REVIEW)
    request = request_move(actor=personas.rfp_africa, request=request, to=S.MORE_INFORMATION,
                           comment="Which ministry leads the inventory?")
    request_answer(actor=personas.focal_senegal, request=request, body="The Ministry of Environment.")
    request.refresh_from_db()
    assert request.status == S.UNDER_REVIEW
    request = request_move(actor=personas.rfp_africa, request=request, to=S.ACCEPTED)
    routing = request.routings.get(centre__slug="senegal")
    routing_take(actor=personas.centre_senegal, routing=routing)
    request.refresh_from_db()
    assert request.centre.slug == "senegal"
    request = request_move(actor=personas.centre_senegal, request=request, to=S.IN_DELIVERY)
    request = request_move(actor=personas.centre_senegal, request=request, to=S.COMPLETED)
    request = request_feedback(actor=personas.focal_senegal, request=request, rating=5, need_met="met", comment="Very useful")

    assert request.status == S.CLOSED and request.rating == 5 and request.ended_at
    need.refresh_from_db()
    assert need.status == Need.Status.MET
    statuses = list(request.events.filter(kind="status").values_list("to_status", flat=True))
    assert statuses == ["submitted", "under_review", "more_information", "under_review", "accepted", "in_delivery",
                        "completed", "closed"]
    assert request.messages.get().body == "The Ministry of Environment."


@pytest.mark.parametrize(
    ("persona", "to"),
    [
        ("focal_senegal", S.UNDER_REVIEW),  # the Party does not review its own request
        ("centre_senegal", S.UNDER_REVIEW),  # a centre does not review
        ("rfp_grulac", S.UNDER_REVIEW),  # another region's focal point
        ("provider_unitar", S.UNDER_REVIEW),
        ("rfp_africa", S.WITHDRAWN),  # only the Party withdraws
    ],
)
def test_a_move_by_someone_not_allowed_is_refused_and_changes_nothing(personas, persona, to):
    request = senegal_request(personas)

    with pytest.raises(PermissionDenied):
        request_move(actor=getattr(personas, persona), request=request, to=to, comment="because")

    request.refresh_from_db()
    assert request.status == S.SUBMITTED and request.events.filter(kind="status").count() == 1


@pytest.mark.parametrize("to", [S.COMPLETED, S.IN_DELIVERY, S.CLOSED, "nonsense"])
def test_an_illegal_transition_is_refused_with_a_clear_message(personas, to):
    request = senegal_request(personas)
    with pytest.raises(ValidationError, match="cannot become"):
        request_move(actor=personas.secretariat, request=request, to=to)


def test_declining_and_withdrawing_need_a_reason_the_party_sees(personas):
    request = senegal_request(personas)
    with pytest.raises(ValidationError) as refused:
        request_move(actor=personas.rfp_africa, request=request, to=S.DECLINED)
    assert "comment" in refused.value.message_dict

    request = request_move(actor=personas.rfp_africa, request=request, to=S.DECLINED, comment="Outside the Convention")
    assert request.decision_reason == "Outside the Convention" and request.ended_at and request.due_at is None
    with pytest.raises(ValidationError):
        request_move(actor=personas.focal_senegal, request=request, to=S.WITHDRAWN, comment="late")


def test_a_stale_move_is_refused(personas):
    request = senegal_request(personas)
    request_move(actor=personas.rfp_africa, request=request, to=S.UNDER_REVIEW, lock_version=request.lock_version)
    with pytest.raises(StaleRequest):
        request_move(actor=personas.secretariat, request=request, to=S.ACCEPTED, lock_version=request.lock_version)


def test_a_centre_takes_only_its_own_proposal_and_only_one_centre_takes(personas):
    request = senegal_request(personas)
    routings = list(request.routings.select_related("centre"))
    other = next((r for r in routings if r.centre.slug != "senegal"), None)
    if other is not None:
        with pytest.raises(PermissionDenied):
            routing_take(actor=personas.centre_senegal, routing=other)
    routing_take(actor=personas.centre_senegal, routing=request.routings.get(centre__slug="senegal"))
    with pytest.raises(PermissionDenied):  # taken: nothing left to decide
        routing_decline(actor=personas.centre_senegal, routing=request.routings.get(centre__slug="senegal"), reason="x")


def test_a_centre_declines_with_a_reason_and_stops_seeing_the_request(personas):
    from tahub.assistance.permissions import request_policy

    request = senegal_request(personas)
    routing = request.routings.get(centre__slug="senegal")
    with pytest.raises(ValidationError):
        routing_decline(actor=personas.centre_senegal, routing=routing, reason="")
    routing_decline(actor=personas.centre_senegal, routing=routing, reason="No expert free this year")

    assert CentreRouting.objects.get(pk=routing.pk).state == CentreRouting.State.DECLINED
    assert not request_policy.visible_to(personas.centre_senegal).filter(pk=request.pk).exists()


def test_only_the_secretariat_reassigns_and_only_to_staff(personas):
    request = filed(personas.focal_kenya)
    with pytest.raises(PermissionDenied):
        request_assign(actor=personas.rfp_africa, request=request, owner=personas.secretariat)
    with pytest.raises(ValidationError):
        request_assign(actor=personas.secretariat, request=request, owner=personas.focal_kenya)
    request = request_assign(actor=personas.secretariat, request=request, owner=personas.secretariat)
    assert request.owner == personas.secretariat


# Conversation and notifications.


def test_messages_reach_the_participants_by_their_preference(personas, django_capture_on_commit_callbacks):
    request = senegal_request(personas)
    personas.focal_senegal.notify_daily = True
    personas.focal_senegal.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=personas.rfp_africa, request=request, body="Could you share the draft law?")

    assert mail.outbox == []  # the focal point wants a daily digest; the author is not notified
    pending = Notification.objects.filter(user=personas.focal_senegal, sent_at__isnull=True)
    assert pending.filter(message__isnull=False).count() == 1
    digests_send()
    digest = [m for m in mail.outbox if m.to == [personas.focal_senegal.email]]
    assert len(digest) == 1 and "Could you share the draft law?" in digest[0].body
    assert not pending.exists()


def test_only_participants_may_post(personas):
    request = senegal_request(personas)
    for persona in ("focal_kenya", "provider_unitar", "rfp_grulac", "centre_senegal"):  # centre: not taken yet
        with pytest.raises(PermissionDenied):
            message_post(actor=getattr(personas, persona), request=request, body="Hello")


def test_the_nightly_digest_lists_an_owners_overdue_requests(personas):
    wednesday = datetime(2026, 12, 2, 9, tzinfo=GENEVA)
    with time_machine.travel(wednesday, tick=False):
        request = filed(personas.focal_kenya)
    Notification.objects.update(sent_at=wednesday)
    mail.outbox.clear()

    with time_machine.travel(wednesday + timedelta(days=10), tick=False):
        digests_send()

    to_owner = [m for m in mail.outbox if m.to == [personas.rfp_africa.email]]
    assert len(to_owner) == 1 and request.reference in to_owner[0].body


def test_feedback_only_once_by_the_party_after_completion(personas):
    request = senegal_request(personas)
    with pytest.raises(PermissionDenied):
        request_feedback(actor=personas.focal_senegal, request=request, rating=4, need_met="met")
    for to in (S.UNDER_REVIEW, S.ACCEPTED, S.IN_DELIVERY, S.COMPLETED):
        request = request_move(actor=personas.secretariat, request=request, to=to)
    with pytest.raises(ValidationError):
        request_feedback(actor=personas.focal_senegal, request=request, rating=9, need_met="met")
    request_feedback(actor=personas.focal_senegal, request=request, rating=3, need_met="partly")
    with pytest.raises(PermissionDenied):
        request_feedback(actor=personas.focal_senegal, request=request, rating=3, need_met="partly")


def test_the_digest_command_sends_pending_news(personas):
    from io import StringIO

    from django.core.management import call_command

    personas.rfp_africa.notify_daily = True
    personas.rfp_africa.save()
    filed(personas.focal_kenya)
    mail.outbox.clear()
    out = StringIO()

    call_command("send_request_digests", stdout=out)

    assert "Digest e-mails sent: 1." in out.getvalue()
    assert [m.to for m in mail.outbox] == [[personas.rfp_africa.email]]


def test_each_write_leaves_one_history_entry_naming_its_author(personas):
    request = senegal_request(personas)
    assert request.history.count() == 1
    assert request.history.latest().history_user == personas.focal_senegal

    request = request_move(actor=personas.rfp_africa, request=request, to=S.UNDER_REVIEW)
    assert request.history.count() == 2 and request.history.latest().history_user == personas.rfp_africa
    request = request_assign(actor=personas.secretariat, request=request, owner=personas.secretariat)
    assert request.history.count() == 3 and request.history.latest().history_user == personas.secretariat


def test_only_the_party_answers_a_question(personas):
    request = senegal_request(personas)
    request = request_move(actor=personas.rfp_africa, request=request, to=S.UNDER_REVIEW)
    request = request_move(actor=personas.rfp_africa, request=request, to=S.MORE_INFORMATION, comment="Which law?")
    with pytest.raises(PermissionDenied):
        request_answer(actor=personas.rfp_africa, request=request, body="I answer for them")
    request.refresh_from_db()
    assert request.status == S.MORE_INFORMATION and not request.messages.exists()


def test_a_country_that_is_not_a_party_cannot_request(personas):
    outsider = Country.objects.exclude(basel_party="yes").first()
    with pytest.raises(ValidationError) as refused:
        request_file(actor=personas.secretariat, country=outsider, data=request_data())
    assert "country" in refused.value.message_dict
