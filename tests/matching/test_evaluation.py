"""How well the ranking finds what a Secretariat officer would pick.

``data/evaluation.json`` holds 86 offers and 45 needs and requests written to be realistic, in the
six UN languages, with the offers an officer would convey for each (``relevant``), and distractors:
offers on the same theme a Party is not eligible for, neighbouring themes, the wrong kind of help.
Every eligible open offer is ranked (threshold 0); the test reports precision@5 and recall@10 and
fails if they drop below the figures first reached (``FLOOR``).
"""

import json
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from tahub.accounts.models import Organisation
from tahub.assessments.models import Need, NeedObservation
from tahub.assistance.models import Request
from tahub.matching.models import Match, Weights
from tahub.matching.services import match_all
from tahub.offers.models import Offer, OfferLanguage
from tahub.reference.models import Country, KindOfHelp, RegionalGroup, Theme

DATA = json.loads((Path(__file__).parent / "data" / "evaluation.json").read_text(encoding="utf-8"))
GROUPS = {"APG": "ASIA_PACIFIC", "EEG": "EASTERN_EUROPE"}
TODAY = date(2026, 12, 1)
FLOOR = {"precision@5": 0.453, "recall@10": 0.953}


def _load():
    themes = {t.code: t for t in Theme.objects.all()}
    kinds = {k.code: k for k in KindOfHelp.objects.all()}
    countries = {c.iso3: c for c in Country.objects.all()}
    groups = {g.code: g for g in RegionalGroup.objects.all()}
    provider = Organisation.objects.create(name="Evaluation provider", type=Organisation.Type.IGO)
    offers = {}
    for item in DATA["offers"]:
        eligible = item["eligible"]
        offer = Offer.objects.create(
            provider=provider, title=item["title"], description=item["description"], modality=item["modality"],
            status=Offer.Status.PUBLISHED, published_at=timezone.now(),
            ends_on=date.fromisoformat(item["ends_on"]) if item["ends_on"] else None,
            eligible_developing=eligible["developing"], eligible_transition=eligible["transition"],
            eligible_ldc=eligible["ldc"], eligible_sids=eligible["sids"],
        )
        offer.themes.set([themes[code] for code in item["themes"]])
        offer.kinds.set([kinds[code] for code in item["kinds"]])
        offer.eligible_groups.set([groups[GROUPS.get(code, code)] for code in eligible["groups"]])
        offer.eligible_countries.set([countries[code] for code in eligible["countries"]])
        OfferLanguage.objects.bulk_create(OfferLanguage(offer=offer, code=code) for code in item["languages"])
        offers[offer.pk] = item["key"]
    subjects = {}
    for item in DATA["subjects"]:
        if item["type"] == "need":
            need, _created = Need.objects.get_or_create(country=countries[item["country"]], theme=themes[item["theme"]])
            observation = NeedObservation.objects.create(
                need=need, level=item["level"], comment=item["comment"], source=Need.Source.NATIONAL_REPORT,
                observed_on=TODAY,
            )
            observation.kinds.set([kinds[code] for code in item["kinds"]])
            subjects[("need", need.pk)] = item
        else:
            request = Request.objects.create(
                country=countries[item["country"]], title=item["title"], description=item["description"],
                languages=item["languages"], modality=item["modality"], urgency=item["urgency"],
                status=Request.Status.ACCEPTED,
            )
            request.themes.set([themes[code] for code in item["themes"]])
            request.kinds.set([kinds[code] for code in item["kinds"]])
            subjects[("request", request.pk)] = item
    return offers, subjects


def rankings(offers, subjects):
    ranked = {}
    for match in Match.objects.order_by("-score", "pk").values("need_id", "request_id", "offer_id"):
        key = ("need", match["need_id"]) if match["need_id"] else ("request", match["request_id"])
        ranked.setdefault(key, []).append(offers[match["offer_id"]])
    return {subjects[key]["key"]: ranked.get(key, []) for key in subjects}


def figures(ranked):
    precision, recall = [], []
    for item in DATA["subjects"]:
        relevant = set(item["relevant"])
        found = ranked[item["key"]]
        precision.append(len(relevant & set(found[:5])) / 5)
        recall.append(len(relevant & set(found[:10])) / len(relevant))
    return {"precision@5": sum(precision) / len(precision), "recall@10": sum(recall) / len(recall)}


@pytest.mark.django_db
def test_the_ranking_finds_what_an_officer_would_pick(reference, capsys):
    Weights.objects.all().delete()
    Weights.objects.create(threshold=0, per_subject=10)
    offers, subjects = _load()
    assert len(offers) >= 80 and len(subjects) >= 40

    match_all(today=TODAY)
    scores = figures(rankings(offers, subjects))

    with capsys.disabled():
        print(f"\nmatching evaluation: {len(subjects)} needs and requests, {len(offers)} offers: "
              f"precision@5 {scores['precision@5']:.3f}, recall@10 {scores['recall@10']:.3f}")
    assert scores["precision@5"] >= FLOOR["precision@5"]
    assert scores["recall@10"] >= FLOOR["recall@10"]
