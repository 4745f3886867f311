"""The catalogue: search in several languages, filters, eligibility, and visibility for every persona."""

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from tahub.accounts.models import Organisation
from tahub.offers.models import Offer
from tahub.offers.selectors import (
    CatalogueFilters,
    offer_catalogue_for,
    offer_get_for,
    offers_for_country,
)
from tahub.offers.services import offer_create, offer_withdraw
from tahub.reference.models import Country, KindOfHelp, RegionalGroup, Theme
from tests.offers.factories import offer_data, published_offer, unitar

pytestmark = pytest.mark.django_db


def titles(actor, **filters):
    return [offer.title for offer in offer_catalogue_for(actor, CatalogueFilters(**filters))]


@pytest.fixture
def multilingual(personas):
    return {
        "en": published_offer(title="Inspectors", description="Hands-on training of customs officers on illegal traffic."),
        "fr": published_offer(title="Laboratoires", description="Formation des analystes aux méthodes d'échantillonnage des déchets."),
        "es": published_offer(title="Inventarios", description="Capacitación sobre inventarios nacionales de residuos peligrosos."),
    }


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("customs", ["Inspectors"]),
        ("échantillonnage", ["Laboratoires"]),
        ("echantillonnage", ["Laboratoires"]),  # accents folded
        ("residuos peligrosos", ["Inventarios"]),
        ("customs laboratoires", []),  # every word must match
        ("Capacitación", ["Inventarios"]),
    ],
)
def test_search_finds_words_in_english_french_and_spanish_descriptions(multilingual, words, expected):
    assert titles(None, q=words) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("trainings officer", ["Inspectors"]),  # English stems
        ("formations analyste", ["Laboratoires"]),  # French stems
        ("inventario nacional", ["Inventarios"]),  # Spanish stems
        ("echantillonnages methode", ["Laboratoires"]),  # French stems, accents folded
    ],
)
def test_search_finds_inflected_forms_on_postgresql(multilingual, words, expected):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL's; SQLite matches words and their prefixes")
    assert titles(None, q=words) == expected


def test_sqlite_search_matches_word_prefixes(multilingual):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite fallback")
    assert titles(None, q="inspect train") == ["Inspectors"]  # "Inspectors", "training"
    assert titles(None, q="inspection") == []


def test_filters_by_kind_theme_language_modality_and_eligible_country(personas):
    published_offer(title="Online e-waste course", modality="online", languages=["es"],
                    kinds=list(KindOfHelp.objects.filter(code="training.elearning")),
                    themes=list(Theme.objects.filter(code="waste_management.ewaste")))
    published_offer(title="LDC grants", eligible_developing=False, eligible_ldc=True,
                    kinds=list(KindOfHelp.objects.filter(code="resources.financial")))
    published_offer(title="For Peru", eligible_developing=False, eligible_countries=[Country.objects.get(iso3="PER")])
    published_offer(title="For Africa", eligible_developing=False,
                    eligible_groups=[RegionalGroup.objects.get(code="AFRICA")])

    assert titles(None, kind="training", sort="title") == ["For Africa", "For Peru", "Online e-waste course"]
    assert titles(None, kind="resources") == ["LDC grants"]
    assert titles(None, theme="waste_management") == ["Online e-waste course"]
    assert titles(None, language="es", modality="online") == ["Online e-waste course"]
    assert titles(None, country="KEN", sort="title") == ["For Africa", "Online e-waste course"]
    assert titles(None, country="PER", sort="title") == ["For Peru", "Online e-waste course"]
    senegal = Country.objects.get(iso3="SEN")
    assert senegal.ldc
    assert titles(None, country="SEN", sort="title") == ["For Africa", "LDC grants", "Online e-waste course"]
    assert titles(None, regional_group="AFRICA") == ["For Africa"]


def test_a_party_user_sees_the_offers_their_party_is_eligible_for_first(personas):
    published_offer(title="For Kenya", eligible_developing=False, eligible_countries=[Country.objects.get(iso3="KEN")])
    published_offer(title="For Peru", eligible_developing=False, eligible_countries=[Country.objects.get(iso3="PER")])

    assert titles(personas.focal_kenya) == ["For Kenya", "For Peru"]
    assert titles(personas.focal_peru) == ["For Peru", "For Kenya"]


# Who sees which offer, everywhere offers are read (catalogue, offer page, country profile).
SEEN_BY = {
    "anonymous": {"public"},
    "no_role": {"public"},
    "provider_unitar": {"public", "draft of UNITAR", "withdrawn of UNITAR"},
    "focal_kenya": {"public", "parties"},
    "contributor_kenya": {"public", "parties"},
    "rfp_africa": {"public", "parties"},
    "centre_senegal": {"public", "parties"},
    "secretariat": {"public", "parties", "secretariat", "draft of UNITAR", "withdrawn of UNITAR"},
}


@pytest.mark.parametrize("persona", sorted(SEEN_BY))
def test_visibility_holds_in_the_catalogue_the_offer_page_and_the_country_profile(persona, personas):
    other = Organisation.objects.create(name="Ministry of the Environment of Japan", type=Organisation.Type.PARTY_GOVERNMENT)
    published_offer(title="public", provider=other)
    published_offer(title="parties", provider=other, visibility=Offer.Visibility.PARTIES)
    published_offer(title="secretariat", provider=other, visibility=Offer.Visibility.SECRETARIAT)
    offer_create(actor=None, provider=unitar(), data=offer_data(title="draft of UNITAR"))
    withdrawn = published_offer(title="withdrawn of UNITAR")
    offer_withdraw(actor=None, offer=withdrawn, reason="Ended")
    actor = None if persona == "anonymous" else getattr(personas, persona)
    listed = {"public", "parties", "secretariat"} & SEEN_BY[persona]

    assert set(titles(actor)) == listed
    readable = set()
    for offer in Offer.objects.all():
        try:
            readable.add(offer_get_for(actor, offer.pk).title)
        except Http404:
            continue
    assert readable == SEEN_BY[persona]
    shown, count = offers_for_country(actor, Country.objects.get(iso3="KEN"))
    assert {offer.title for offer in shown} == listed and count == len(listed)


def test_the_catalogue_costs_the_same_queries_for_5_and_40_offers(personas):
    def count():
        with CaptureQueriesContext(connection) as captured:
            list(offer_catalogue_for(personas.focal_kenya, CatalogueFilters(q="training", kind="training")))
        return len(captured)

    for _number in range(5):
        published_offer()
    count()  # the reader's memberships are read once, then cached
    few = count()
    for _number in range(35):
        published_offer()
    assert count() == few
