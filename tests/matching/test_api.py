"""Matches over the API: the same suggestions, reasons and decisions as the pages."""

from datetime import date

import pytest

from tahub.matching.models import Match
from tahub.matching.services import match_all
from tests.api.client import Api
from tests.matching.factories import accepted, need, offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(personas):
    sec = personas.secretariat
    kenya_need = need(sec, "KEN")
    request = accepted(sec, "KEN")
    offers = [offer(sec, title=f"E-waste training {n}", eligible_developing=True) for n in range(2)]
    match_all(today=date(2026, 12, 1))
    return {"need": kenya_need, "request": request, "offers": offers}


def test_suggestions_come_ranked_with_their_reasons_as_data_and_words(scored, personas):
    api = Api(personas.secretariat)

    body = api.get(f"/needs/{scored['need'].pk}/suggestions").json()

    assert body["eligible_offers"] == 2 and body["offers_above_threshold"] == 2
    scores = [s["score"] for s in body["suggested"]]
    assert len(scores) == 2 and scores == sorted(scores, reverse=True)
    first = body["suggested"][0]
    assert {"factor": "theme", "fit": "exact", "themes": ["waste_management.ewaste"]} in first["reasons"]
    assert "Theme: E-waste (the same)" in first["reason_texts"]
    assert first["country"] == "KEN" and first["status"] == "suggested"


def test_the_whole_path_over_the_api(scored, personas):
    staff, provider, focal = Api(personas.secretariat), Api(personas.provider_unitar), Api(personas.focal_kenya)
    suggestion = staff.get(f"/requests/{scored['request'].pk}/suggestions").json()["suggested"][0]

    assert provider.get(f"/matches/{suggestion['id']}").status_code == 404  # internal until conveyed
    assert staff.send("post", f"/matches/{suggestion['id']}/confirm").json()["status"] == "confirmed"
    assert staff.send("post", f"/matches/{suggestion['id']}/convey").json()["status"] == "conveyed"
    refused = provider.send("post", f"/matches/{suggestion['id']}/provider-answer", {"answer": "unable"})
    assert refused.status_code == 422 and refused.json()["error"]["details"][0]["field"] == "reason"
    answered = provider.send("post", f"/matches/{suggestion['id']}/provider-answer", {"answer": "interested"})
    assert answered.json()["provider_answer"] == "interested"
    assert focal.send("post", f"/matches/{suggestion['id']}/party-answer", {"answer": "pursue"}).json()["party_answer"] == "pursue"
    assert [m["id"] for m in focal.get("/matches").json()["items"]] == [suggestion["id"]]
    scored["request"].refresh_from_db()
    assert scored["request"].status == "help_identified"


def test_a_dismissal_needs_a_reason_and_sticks(scored, personas):
    staff = Api(personas.secretariat)
    match = Match.objects.filter(need=scored["need"]).first()

    assert staff.send("post", f"/matches/{match.pk}/dismiss", {"reason": ""}).status_code == 422
    assert staff.send("post", f"/matches/{match.pk}/dismiss", {"reason": "Done already"}).json()["status"] == "dismissed"
    match_all(today=date(2026, 12, 1))
    body = staff.get(f"/needs/{scored['need'].pk}/suggestions").json()
    assert [m["id"] for m in body["dismissed"]] == [match.pk]
    assert match.pk not in [m["id"] for m in body["suggested"]]


def test_an_offer_matched_by_hand_must_be_open_to_the_party(scored, personas):
    from tahub.reference.models import Country

    staff = Api(personas.secretariat)
    peru_only = offer(personas.secretariat, title="Peru only", eligible_developing=False,
                      eligible_countries=[Country.objects.get(iso3="PER")])

    refused = staff.send("post", f"/needs/{scored['need'].pk}/matches", {"offer": peru_only.pk})
    assert refused.status_code == 422 and "not eligible" in refused.json()["error"]["message"] + str(refused.json())
    assert staff.send("post", f"/needs/{scored['need'].pk}/matches", {"offer": 999999}).status_code == 422
