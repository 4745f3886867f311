"""Deciding on and conveying matches: both sides hear in their language, what was sent is kept,
the request moves on, and the answers come back."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from tahub.matching.conveying import (
    match_answer_party,
    match_answer_provider,
    match_convey,
    shared_with_provider,
)
from tahub.matching.models import ConveyedMessage, Match
from tahub.matching.permissions import match_policy
from tahub.matching.services import match_add, match_all, match_confirm, match_dismiss
from tahub.reference.models import Country
from tests.matching.factories import accepted, need, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggested(personas):
    personas.focal_kenya.preferred_language = "fr"
    personas.focal_kenya.save()
    sec = personas.secretariat
    kenya_need = need(sec, "KEN", comment="Confidential: our customs lab has no budget this year")
    request = accepted(sec, "KEN", languages=["en"], title="Inventory of e-waste imports")
    training = offer(sec, title="E-waste inventory training", eligible_developing=True)
    match_all(today=date(2026, 12, 1))
    return {
        "need": Match.objects.get(need=kenya_need, offer=training),
        "request": Match.objects.get(request=request, offer=training),
    }


def test_conveying_tells_each_side_in_its_language_and_keeps_what_was_sent(suggested, personas, django_capture_on_commit_callbacks):
    match = match_confirm(actor=personas.secretariat, match=suggested["need"])
    with django_capture_on_commit_callbacks(execute=True):
        match = match_convey(actor=personas.secretariat, match=match)

    assert match.status == "conveyed" and match.conveyed_by == personas.secretariat
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {personas.focal_kenya.email, personas.provider_unitar.email}
    to_party = by_address[personas.focal_kenya.email]
    assert "Le Secrétariat" in to_party.body and "E-waste inventory training" in to_party.body
    assert "training@example.org" in to_party.body  # the offer's contact
    to_provider = by_address[personas.provider_unitar.email]
    assert "Kenya" in to_provider.body and "E-waste" in to_provider.body
    # A need's questionnaire comments are not the provider's to read.
    assert "Confidential" not in to_provider.body
    assert "Confidential" not in str(shared_with_provider(match))
    kept = ConveyedMessage.objects.filter(match=match)
    assert {(m.side, m.email, m.language) for m in kept} == {
        ("party", personas.focal_kenya.email, "fr"), ("provider", personas.provider_unitar.email, "en"),
    }
    assert all(m.sent_by == personas.secretariat and m.body for m in kept)


def test_conveying_a_match_moves_an_accepted_request_to_help_identified(suggested, personas):
    match = match_confirm(actor=personas.rfp_africa, match=suggested["request"])
    match_convey(actor=personas.rfp_africa, match=match)

    request = match.request
    request.refresh_from_db()
    assert request.status == "help_identified"
    assert request.events.filter(to_status="help_identified", actor=personas.rfp_africa).exists()


def test_the_answers_of_both_sides_are_kept_and_told_to_who_conveyed(suggested, personas, django_capture_on_commit_callbacks):
    match = match_convey(actor=personas.secretariat, match=match_confirm(actor=personas.secretariat, match=suggested["need"]))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        match_answer_provider(actor=personas.provider_unitar, match=match, answer="interested")
        match = match_answer_party(actor=personas.focal_kenya, match=match, answer="not_relevant", reason="Already trained")

    match.refresh_from_db()
    assert (match.provider_answer, match.provider_answered_by) == ("interested", personas.provider_unitar)
    assert (match.party_answer, match.party_reason) == ("not_relevant", "Already trained")
    assert [m.to for m in mail.outbox] == [[personas.secretariat.email]] * 2


def test_not_able_to_help_says_why(suggested, personas):
    match = match_convey(actor=personas.secretariat, match=match_confirm(actor=personas.secretariat, match=suggested["need"]))

    with pytest.raises(ValidationError):
        match_answer_provider(actor=personas.provider_unitar, match=match, answer="unable")
    with pytest.raises(PermissionDenied):
        match_answer_provider(actor=personas.focal_kenya, match=match, answer="interested")
    with pytest.raises(PermissionDenied):
        match_answer_party(actor=personas.focal_peru, match=match, answer="pursue")


def test_only_the_secretariat_decides_on_a_needs_suggestions(suggested, personas):
    for person in (personas.rfp_africa, personas.focal_kenya, personas.provider_unitar):
        with pytest.raises(PermissionDenied):
            match_confirm(actor=person, match=suggested["need"])
    with pytest.raises(ValidationError):
        match_dismiss(actor=personas.secretariat, match=suggested["need"], reason="  ")


def test_suggestions_are_internal_until_conveyed(suggested, personas):
    for person in (personas.focal_kenya, personas.contributor_kenya, personas.provider_unitar):
        assert not match_policy.visible_to(person).exists()
    match = match_convey(actor=personas.secretariat, match=match_confirm(actor=personas.secretariat, match=suggested["need"]))
    for person in (personas.focal_kenya, personas.contributor_kenya, personas.provider_unitar):
        assert list(match_policy.visible_to(person)) == [match]
    assert not match_policy.visible_to(personas.focal_peru).exists()


def test_an_offer_added_by_hand_must_be_open_to_the_party(suggested, personas):
    sec = personas.secretariat
    peru_only = offer(sec, title="For Peru", eligible_developing=False, eligible_countries=[Country.objects.get(iso3="PER")])

    with pytest.raises(ValidationError) as refused:
        match_add(actor=sec, subject=suggested["need"].need, offer=peru_only)
    assert "not eligible" in str(refused.value)

    anyone = offer(sec, title="For any developing country", eligible_developing=True)
    match = match_add(actor=sec, subject=suggested["need"].need, offer=anyone, note="Asked by phone")
    assert (match.status, match.origin, match.note) == ("confirmed", "manual", "Asked by phone")
    assert match.reasons and match.score > 0
