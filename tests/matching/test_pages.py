"""The suggestions panel on a need's and a request's page, the match page, and its forms."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tahub.matching.models import Match
from tahub.matching.services import match_all
from tests.matching.factories import accepted, need, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def kenya(personas):
    sec = personas.secretariat
    kenya_need = need(sec, "KEN", comment="Formation sur les déchets électroniques")
    request = accepted(sec, "KEN")
    offers = [offer(sec, title=f"E-waste training {number}", eligible_developing=True) for number in range(3)]
    match_all(today=date(2026, 12, 1))
    return {"need": kenya_need, "request": request, "offers": offers}


def need_page(client, kenya, language="en"):
    return client.get(reverse("assessments:need_detail", args=[kenya["need"].pk]), HTTP_ACCEPT_LANGUAGE=language)


def test_the_secretariat_sees_ranked_suggestions_with_reasons_in_its_language(kenya, personas, client_for):
    client = client_for(personas.secretariat)

    english = need_page(client, kenya).content.decode()
    assert "Suggested offers" in english and "E-waste training 0" in english
    assert "Theme: E-waste (the same)" in english and "Kind of help: Technical assistance and training" in english

    client.post(reverse("set_language"), {"language": "fr"})
    french = need_page(client, kenya, "fr").content.decode()
    assert "Kind of help" not in french
    assert "Assistance technique et formation" in french


def test_the_panel_reads_the_same_number_of_rows_whatever_the_suggestions(kenya, personas, client_for):
    client = client_for(personas.secretariat)
    need_page(client, kenya)
    with CaptureQueriesContext(connection) as few:
        need_page(client, kenya)
    for number in range(3, 9):
        offer(personas.secretariat, title=f"More e-waste training {number}", eligible_developing=True)
    match_all(today=date(2026, 12, 1))
    with CaptureQueriesContext(connection) as many:
        need_page(client, kenya)

    assert Match.objects.filter(need=kenya["need"]).count() == 9
    assert len(many) == len(few)


def test_a_party_sees_no_suggestion_only_what_was_conveyed(kenya, personas, client_for):
    page = need_page(client_for(personas.focal_kenya), kenya).content.decode()

    assert "E-waste training" not in page and "Suggested offers" not in page


def test_confirm_dismiss_and_convey_from_the_page(kenya, personas, client_for):
    client = client_for(personas.secretariat)
    first, second = Match.objects.filter(need=kenya["need"]).order_by("-score", "pk")[:2]
    back = reverse("assessments:need_detail", args=[kenya["need"].pk])

    client.post(reverse("matching:match_action", args=[first.pk]), {"action": "confirm", "next": back})
    answer = client.post(reverse("matching:match_action", args=[second.pk]), {"action": "dismiss", "next": back})
    assert answer.status_code == 302
    second.refresh_from_db()
    assert second.status == "suggested"  # no reason, not dismissed
    client.post(reverse("matching:match_action", args=[second.pk]), {"action": "dismiss", "reason": "Too far", "next": back})
    client.post(reverse("matching:match_action", args=[first.pk]), {"action": "convey", "next": "https://elsewhere.example/"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.note) == ("conveyed", "dismissed", "Too far")
    page = client_for(personas.focal_kenya).get(back).content.decode()
    assert "Offers conveyed to you" in page and first.offer.title in page


def test_the_provider_answers_on_the_match_page(kenya, personas, client_for):
    from tahub.matching.conveying import match_convey
    from tahub.matching.services import match_confirm

    match = Match.objects.filter(request=kenya["request"]).first()
    match = match_convey(actor=personas.secretariat, match=match_confirm(actor=personas.secretariat, match=match))
    provider = client_for(personas.provider_unitar)

    page = provider.get(match.get_absolute_url()).content.decode()
    assert "Can your organisation help?" in page and kenya["request"].description in page
    assert "fp.ken@example.org" not in page  # the Party's people are not named
    provider.post(reverse("matching:match_answer", args=[match.pk]), {"side": "provider", "answer": "unable"})
    match.refresh_from_db()
    assert match.provider_answer == ""  # not able to help needs a reason
    provider.post(reverse("matching:match_answer", args=[match.pk]), {"side": "provider", "answer": "unable", "reason": "No French trainer"})
    match.refresh_from_db()
    assert (match.provider_answer, match.provider_reason) == ("unable", "No French trainer")
    assert "No French trainer" in client_for(personas.focal_kenya).get(match.get_absolute_url()).content.decode()


def test_adding_an_offer_by_hand_from_the_page(kenya, personas, client_for):
    extra = offer(personas.secretariat, title="Hand-picked help", themes=("legal",), kinds=("advice",), eligible_developing=True)
    client = client_for(personas.secretariat)

    client.post(
        reverse("matching:match_add", args=["request", kenya["request"].pk]),
        {"offer": f"https://tahub.example/offers/{extra.pk}/", "note": "Asked for it"},
    )

    match = Match.objects.get(request=kenya["request"], offer=extra)
    assert (match.status, match.origin) == ("confirmed", "manual")


def test_extra_fields_posted_with_an_answer_change_nothing_else(kenya, personas, client_for):
    from tahub.matching.conveying import match_convey
    from tahub.matching.services import match_confirm

    match = Match.objects.filter(need=kenya["need"]).first()
    match = match_convey(actor=personas.secretariat, match=match_confirm(actor=personas.secretariat, match=match))
    score, offer_id = match.score, match.offer_id

    client_for(personas.focal_kenya).post(reverse("matching:match_answer", args=[match.pk]), {
        "side": "party", "answer": "pursue", "status": "dismissed", "score": "0.01", "offer": kenya["offers"][2].pk,
        "country": "1", "provider_answer": "unable", "conveyed_by": personas.focal_kenya.pk,
    })

    match.refresh_from_db()
    assert (match.party_answer, match.status, match.score, match.offer_id) == ("pursue", "conveyed", score, offer_id)
    assert (match.provider_answer, match.conveyed_by) == ("", personas.secretariat)


def test_each_decision_is_one_history_entry_with_its_actor(kenya, personas):
    from tahub.matching.conveying import match_answer_party, match_convey
    from tahub.matching.services import match_confirm

    match = Match.objects.filter(need=kenya["need"]).first()
    match = match_confirm(actor=personas.secretariat, match=match)
    match = match_convey(actor=personas.secretariat, match=match)
    match_answer_party(actor=personas.focal_kenya, match=match, answer="pursue")

    entries = list(match.history.order_by("history_id").values_list("status", "party_answer", "history_user"))
    assert entries == [
        ("confirmed", "", personas.secretariat.pk), ("conveyed", "", personas.secretariat.pk),
        ("conveyed", "pursue", personas.focal_kenya.pk),
    ]


def test_no_party_sees_another_partys_matches(kenya, personas, client_for):
    from tahub.matching.conveying import match_convey
    from tahub.matching.services import match_confirm

    for match in Match.objects.filter(need=kenya["need"])[:2]:
        match_convey(actor=personas.secretariat, match=match_confirm(actor=personas.secretariat, match=match))

    peru = client_for(personas.focal_peru)
    assert "E-waste training" not in peru.get(reverse("matching:match_list")).content.decode()
    kenya_page = client_for(personas.focal_kenya).get(reverse("matching:match_list")).content.decode()
    assert kenya_page.count("E-waste training") == 2
