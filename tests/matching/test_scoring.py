"""Scoring runs: eligibility is a hard filter, decisions survive every recompute, a change rescores
only what it touches, and coverage counts what is above the threshold."""

from datetime import date

import pytest

from tahub.matching import hooks
from tahub.matching.models import Coverage, Match, Weights
from tahub.matching.selectors import coverage_by_region, coverage_by_theme, uncovered_needs
from tahub.matching.services import match_all, match_dismiss, match_rescore
from tahub.offers.services import offer_withdraw
from tahub.reference.models import Country, RegionalGroup
from tests.matching.factories import accepted, need, offer

pytestmark = pytest.mark.django_db


def eligible(party, item, languages=()):
    """The eligibility rule, written out again independently of the scorer."""
    by_flag = (
        (item.eligible_developing and party.classification == "developing")
        or (item.eligible_transition and party.classification == "transition")
        or (item.eligible_ldc and party.ldc) or (item.eligible_sids and party.sids)
    )
    by_name = item.eligible_groups.filter(pk=party.regional_group_id).exists() or item.eligible_countries.filter(pk=party.pk).exists()
    offered = set(item.languages.values_list("code", flat=True))
    return (by_flag or by_name) and (not languages or not offered or bool(offered & set(languages)))


@pytest.fixture
def world(personas):
    sec = personas.secretariat
    countries = {iso3: Country.objects.get(iso3=iso3) for iso3 in ("KEN", "PER", "FJI", "UKR", "ETH")}
    subjects = [
        need(sec, "KEN"), need(sec, "FJI"), need(sec, "UKR"), need(sec, "ETH", level="medium"),
        accepted(sec, "PER", languages=["es"]), accepted(sec, "KEN", languages=["fr"], desired_start=date(2027, 6, 1)),
    ]
    groups = {code: RegionalGroup.objects.get(code=code) for code in ("GRULAC", "AFRICA")}
    offers = [
        offer(sec, title="E-waste course for all developing countries", eligible_developing=True, languages=["en", "es", "fr"]),
        offer(sec, title="E-waste course for Latin America", eligible_developing=False, eligible_groups=[groups["GRULAC"]], languages=["es"]),
        offer(sec, title="E-waste help for small islands", eligible_developing=False, eligible_sids=True, languages=["en"]),
        offer(sec, title="E-waste help for least developed countries", eligible_developing=False, eligible_ldc=True),
        offer(sec, title="E-waste help for economies in transition", eligible_developing=False, eligible_transition=True, languages=["ru", "en"]),
        offer(sec, title="E-waste help for Kenya only", eligible_developing=False, eligible_countries=[countries["KEN"]]),
        offer(sec, title="E-waste help in Arabic", eligible_developing=True, languages=["ar"]),
        offer(sec, title="E-waste help ending soon", eligible_developing=True, ends_on=date(2027, 1, 31), languages=["fr"]),
    ]
    # As if committed long ago: what the fixture touched is not rescored by the tests' commits.
    hooks.forget_pending()
    return {"subjects": subjects, "offers": offers, "countries": countries}


@pytest.fixture(autouse=True)
def everything_suggested(db):
    # A low threshold, so that every eligible pair is suggested and the filter alone decides.
    Weights.objects.all().delete()
    Weights.objects.create(threshold=0.05, per_subject=50)


def test_no_suggestion_offers_a_party_what_it_is_not_eligible_for(world):
    match_all(today=date(2026, 12, 1))

    matches = list(Match.objects.select_related("offer", "country", "request"))
    assert matches
    for match in matches:
        languages = match.request.languages if match.request_id else ()
        assert eligible(match.country, match.offer, languages), f"{match.offer} suggested to {match.country}"
    suggested = {(m.country.iso3, m.offer.title) for m in matches}
    assert ("KEN", "E-waste course for Latin America") not in suggested
    assert ("PER", "E-waste course for Latin America") in suggested
    assert ("FJI", "E-waste help for small islands") in suggested
    assert ("KEN", "E-waste help for small islands") not in suggested
    assert ("ETH", "E-waste help for least developed countries") in suggested
    assert ("UKR", "E-waste help for economies in transition") in suggested
    assert ("UKR", "E-waste course for all developing countries") not in suggested
    # Peru asks for Spanish: an offer given only in Arabic is not for it; one in no stated language would be.
    assert ("PER", "E-waste help in Arabic") not in suggested
    # Kenya's French request starts in June 2027: an offer ending in January 2027 is over by then.
    late = world["subjects"][5]
    assert not Match.objects.filter(request=late, offer__title="E-waste help ending soon").exists()
    assert Match.objects.filter(request=late, offer__title="E-waste course for all developing countries").exists()


def test_reasons_are_kept_as_data(world):
    match_all(today=date(2026, 12, 1))

    match = Match.objects.get(need=world["subjects"][0], offer__title="E-waste course for all developing countries")
    factors = {reason["factor"]: reason for reason in match.reasons}
    assert factors["theme"] == {"factor": "theme", "fit": "exact", "themes": ["waste_management.ewaste"]}
    assert factors["kinds"]["kinds"] == ["training"]
    assert factors["level"]["level"] == "high"
    assert 0 < factors["text"]["value"] <= 1
    assert 0 < match.score <= 1


def test_dismissed_suggestions_stay_dismissed_after_any_recompute(world, personas):
    match_all(today=date(2026, 12, 1))
    kenya_need = world["subjects"][0]
    dismissed = Match.objects.get(need=kenya_need, offer__title="E-waste course for all developing countries")
    match_dismiss(actor=personas.secretariat, match=dismissed, reason="Kenya attended it last year")

    match_all(today=date(2026, 12, 1))
    match_rescore(offers=[dismissed.offer_id], today=date(2026, 12, 1))
    match_rescore(needs=[kenya_need.pk], today=date(2026, 12, 1))
    match_all(today=date(2026, 12, 1))

    pair = Match.objects.filter(need=kenya_need, offer=dismissed.offer_id)
    assert list(pair.values_list("pk", "status", "note")) == [(dismissed.pk, "dismissed", "Kenya attended it last year")]


def test_a_withdrawn_offer_loses_its_suggestions_on_commit(world, personas, django_capture_on_commit_callbacks):
    match_all(today=date(2026, 12, 1))
    gone = world["offers"][0]
    assert Match.objects.suggested().filter(offer=gone).exists()

    with django_capture_on_commit_callbacks(execute=True):
        offer_withdraw(actor=personas.secretariat, offer=gone, reason="Cancelled")

    assert not Match.objects.suggested().filter(offer=gone).exists()


def test_a_new_offer_is_suggested_on_commit_without_a_full_recompute(world, personas, django_capture_on_commit_callbacks):
    match_all(today=date(2026, 12, 1))
    before = {m.pk: m.created_at for m in Match.objects.suggested()}

    with django_capture_on_commit_callbacks(execute=True):
        fresh = offer(personas.secretariat, title="New mercury and e-waste training", eligible_developing=True)

    assert Match.objects.suggested().filter(offer=fresh, need=world["subjects"][0]).exists()
    # The other suggestions were left as they were.
    kept = {m.pk: m.created_at for m in Match.objects.suggested().exclude(offer=fresh)}
    assert kept == {pk: created for pk, created in before.items() if pk in kept}
    assert len(kept) >= len(before) - 1


def test_hooks_pause_for_bulk_loads(world, personas, django_capture_on_commit_callbacks):
    with hooks.paused(), django_capture_on_commit_callbacks(execute=True):
        offer(personas.secretariat, title="Quiet offer", eligible_developing=True)

    assert not Match.objects.filter(offer__title="Quiet offer").exists()


def test_a_suggestion_keeps_its_first_date_across_recomputes(world):
    match_all(today=date(2026, 12, 1))
    first = dict(Match.objects.suggested().values_list("pk", "created_at"))
    pairs = {(m.need_id, m.request_id, m.offer_id): m.created_at for m in Match.objects.suggested()}

    match_all(today=date(2026, 12, 1))

    again = {(m.need_id, m.request_id, m.offer_id): m.created_at for m in Match.objects.suggested()}
    assert again == pairs and len(first) == len(again)


def test_coverage_counts_offers_above_the_threshold(world):
    Weights.objects.update(threshold=0.5)
    match_all(today=date(2026, 12, 1))

    fiji = Coverage.objects.get(need=world["subjects"][1])
    assert fiji.eligible == 4  # for all developing countries, small islands, in Arabic, ending soon
    assert fiji.above_threshold == Match.objects.filter(need=world["subjects"][1]).count()
    by_region = coverage_by_region()
    assert by_region["AFRICA"]["subjects"] == 3  # two needs and one request
    assert coverage_by_theme()["waste_management.ewaste"]["subjects"] == 6
    Weights.objects.update(threshold=0.99)
    match_all(today=date(2026, 12, 1))
    assert set(uncovered_needs()) == {s for s in world["subjects"][:4]}


def test_the_next_best_offer_takes_the_place_a_withdrawn_one_leaves(world, personas):
    Weights.objects.update(per_subject=1)
    match_all(today=date(2026, 12, 1))
    kenya_need = world["subjects"][0]
    best = Match.objects.get(need=kenya_need)

    offer_withdraw(actor=personas.secretariat, offer=best.offer, reason="Cancelled")
    match_rescore(offers=[best.offer_id], today=date(2026, 12, 1))

    replacement = Match.objects.get(need=kenya_need)
    assert replacement.offer_id != best.offer_id


def test_coverage_follows_an_offer_change_without_a_full_run(world, personas):
    Weights.objects.update(threshold=0.5)
    match_all(today=date(2026, 12, 1))
    fiji = world["subjects"][1]
    before = Coverage.objects.get(need=fiji).above_threshold

    fresh = offer(personas.secretariat, title="E-waste help for Fiji", eligible_developing=False, eligible_sids=True)
    match_rescore(offers=[fresh.pk], today=date(2026, 12, 1))
    assert Coverage.objects.get(need=fiji).above_threshold == before + 1

    offer_withdraw(actor=personas.secretariat, offer=fresh, reason="Cancelled")
    match_rescore(offers=[fresh.pk], today=date(2026, 12, 1))
    assert Coverage.objects.get(need=fiji).above_threshold == before
