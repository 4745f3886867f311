"""The needs pages: the filtered list, one need with its history, recording and setting the status."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tahub.assessments.models import Need, NeedObservation
from tahub.assessments.services.needs import need_record
from tahub.assessments.services.responses import (
    response_accept,
    response_save,
    response_start,
    response_submit,
)
from tahub.reference.models import Country, KindOfHelp, Theme
from tests.assessments.factories import complete_answers, open_cycle

pytestmark = pytest.mark.django_db


def record(iso3, theme, level, kinds, source=Need.Source.MEETING, reference=""):
    return need_record(
        actor=None, country=Country.objects.get(iso3=iso3), theme=Theme.objects.get(code=theme), level=level,
        kinds=KindOfHelp.objects.filter(code__in=kinds), source=source, source_reference=reference,
    )


@pytest.fixture
def cycle(personas):
    """Needs 2026, in which Kenya reported monitoring (high) and legal (low), and no emergency need."""
    cycle = open_cycle()
    kenya = Country.objects.get(iso3="KEN")
    response = response_start(actor=personas.focal_kenya, cycle=cycle, country=kenya)
    response, _result = response_save(
        actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0
    )
    response = response_submit(actor=personas.focal_kenya, response=response, lock_version=1, notify=False)
    response_accept(actor=personas.secretariat, response=response)
    return cycle


@pytest.fixture
def needs(cycle):
    """Needs of a SIDS, an LDC and an economy in transition, recorded from other sources, besides Kenya's."""
    record("JAM", "waste_management.plastic", "high", ["resources.financial"], Need.Source.REQUEST, "REQ-2026-014")
    record("SEN", "legal", "medium", ["advice.legal"], Need.Source.NATIONAL_REPORT)
    record("UKR", "enforcement", "low", ["training.course"])


def listed(client, **filters):
    page = client.get(reverse("assessments:need_list"), filters)
    assert page.status_code == 200
    return {(need.country.iso3, need.theme.code) for need in page.context["page"]}


@pytest.mark.parametrize(
    ("classification", "expected"),
    [
        ("developing", {("KEN", "monitoring"), ("KEN", "legal"), ("JAM", "waste_management.plastic"), ("SEN", "legal")}),
        ("transition", {("UKR", "enforcement")}),
        ("ldc", {("SEN", "legal")}),
        ("sids", {("JAM", "waste_management.plastic")}),
    ],
)
def test_group_of_parties_filter_keeps_only_the_needs_of_that_group(classification, expected, personas, needs, client_for):
    assert listed(client_for(personas.secretariat), classification=classification) == expected


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("advice", {("KEN", "monitoring"), ("KEN", "legal"), ("SEN", "legal")}),  # with its refinements
        ("advice.legal", {("KEN", "legal"), ("SEN", "legal")}),
        ("resources.financial", {("JAM", "waste_management.plastic")}),
        ("knowhow", set()),
    ],
)
def test_kind_of_help_filter_keeps_the_needs_asking_for_it(kind, expected, personas, needs, client_for):
    assert listed(client_for(personas.secretariat), kind=kind) == expected


def test_cycle_filter_keeps_the_needs_that_cycle_observed(personas, cycle, needs, client_for):
    assert listed(client_for(personas.secretariat), cycle=cycle.pk) == {("KEN", "monitoring"), ("KEN", "legal")}


def test_filters_combine(personas, needs, client_for):
    client = client_for(personas.secretariat)

    assert listed(client, country="SEN", kind="advice") == {("SEN", "legal")}
    assert listed(client, classification="developing", level="high", theme="waste_management") == {
        ("JAM", "waste_management.plastic")
    }


def test_party_filter_offers_only_the_parties_whose_needs_the_person_sees(personas, needs, client_for):
    def offered(user):
        form = client_for(user).get(reverse("assessments:need_list")).context["form"]
        return [value for value, _label in form.fields["country"].choices if value]

    assert offered(personas.focal_kenya) == ["KEN"]
    assert offered(personas.focal_peru) == []
    assert set(offered(personas.secretariat)) == {"JAM", "KEN", "SEN", "UKR"}


def test_a_party_filtering_on_another_party_sees_nothing_of_it(personas, needs, client_for):
    client = client_for(personas.focal_kenya)

    assert {iso3 for iso3, _theme in listed(client, country="SEN")} == {"KEN"}
    assert listed(client, classification="ldc") == set()


def test_the_level_is_shown_by_its_label_in_the_readers_language(personas, needs, client_for):
    client = client_for(personas.secretariat)
    client.cookies["django_language"] = "fr"

    body = client.get(reverse("assessments:need_list"), {"country": "JAM"}).content.decode()

    assert "<td>Élevé</td>" in body and "<td>high</td>" not in body


def test_need_list_query_count_does_not_grow_with_rows(personas, cycle, client_for):
    client = client_for(personas.secretariat)
    url = reverse("assessments:need_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)

    for iso3 in ("GHA", "BRA", "IND", "JAM", "UKR"):
        for theme in ("legal", "monitoring", "emergency"):
            record(iso3, theme, "high", ["training"])
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_need_page_shows_the_whole_history_to_the_partys_readers(personas, cycle, client_for):
    record("KEN", "monitoring", "medium", ["resources.equipment"], Need.Source.COP_DECISION, "BC-17/8")
    need = Need.objects.get(country__iso3="KEN", theme__code="monitoring")

    page = client_for(personas.rfp_africa).get(reverse("assessments:need_detail", args=[need.pk]))

    history = [
        (o.cycle.title if o.cycle else o.source, o.level, sorted(k.code for k in o.kind_list), o.source_reference)
        for o in page.context["need"].observation_list
    ]
    assert history == [
        ("Needs 2026", "high", ["advice.expert", "training"], ""),
        ("cop_decision", "medium", ["resources.equipment"], "BC-17/8"),
    ]
    assert page.context["can_set_status"] is False
    assert reverse("assessments:need_status", args=[need.pk]) not in page.content.decode()


def test_secretariat_records_a_need_from_a_request_and_lands_on_its_page(personas, client_for):
    client = client_for(personas.secretariat)
    theme = Theme.objects.get(code="waste_management.ewaste")
    kinds = list(KindOfHelp.objects.filter(code__in=["advice.expert", "resources.equipment"]))

    posted = client.post(reverse("assessments:need_record"), {
        "country": Country.objects.get(iso3="PER").pk, "theme": theme.pk, "level": "high",
        "kinds": [kind.pk for kind in kinds], "comment": "No dismantling facility",
        "source": Need.Source.REQUEST, "source_reference": "REQ-2026-031",
        "status": Need.Status.WITHDRAWN,  # not a field of the form: ignored
    })

    need = Need.objects.get(country__iso3="PER", theme=theme)
    assert posted.status_code == 302 and posted["Location"] == reverse("assessments:need_detail", args=[need.pk])
    assert (need.status, need.source, need.source_reference) == (Need.Status.OPEN, Need.Source.REQUEST, "REQ-2026-031")
    [observation] = need.observations.all()
    assert (observation.cycle, observation.level, observation.comment) == (None, "high", "No dismantling facility")
    assert (observation.source, observation.source_reference) == (Need.Source.REQUEST, "REQ-2026-031")
    assert observation.recorded_by == personas.secretariat
    assert set(observation.kinds.all()) == set(kinds)


def test_recording_for_a_party_and_theme_already_in_need_adds_to_its_history(personas, cycle, client_for):
    need = Need.objects.get(country__iso3="KEN", theme__code="monitoring")

    client_for(personas.secretariat).post(reverse("assessments:need_record"), {
        "country": need.country_id, "theme": need.theme_id, "level": "medium",
        "source": Need.Source.MEETING, "source_reference": "Africa regional workshop, Nairobi",
    })

    assert Need.objects.filter(country__iso3="KEN", theme__code="monitoring").count() == 1
    need.refresh_from_db()
    assert need.source == Need.Source.ASSESSMENT  # the first source stays
    assert list(need.observations.order_by("observed_on", "pk").values_list("source", "level")) == [
        (Need.Source.ASSESSMENT, "high"),
        (Need.Source.MEETING, "medium"),
    ]


@pytest.mark.parametrize(
    "change",
    [{"source": Need.Source.ASSESSMENT}, {"level": "none"}, {"theme": ""}, {"source_reference": "x" * 256}],
)
def test_an_invalid_record_is_refused_with_the_form_shown_again(change, personas, client_for):
    data = {
        "country": Country.objects.get(iso3="PER").pk, "theme": Theme.objects.get(code="legal").pk,
        "level": "low", "source": Need.Source.MEETING, **change,
    }

    page = client_for(personas.secretariat).post(reverse("assessments:need_record"), data)

    assert page.status_code == 200 and page.context["form"].errors
    assert not Need.objects.filter(country__iso3="PER").exists()


def test_only_the_secretariat_may_record_a_need(personas, client_for):
    data = {
        "country": Country.objects.get(iso3="KEN").pk, "theme": Theme.objects.get(code="legal").pk,
        "level": "high", "source": Need.Source.MEETING,
    }

    for user in (personas.focal_kenya, personas.rfp_africa, personas.no_role):
        assert client_for(user).get(reverse("assessments:need_record")).status_code == 403
        assert client_for(user).post(reverse("assessments:need_record"), data).status_code == 403
    assert not Need.objects.exists()


def test_secretariat_sets_the_status_of_a_need(personas, cycle, client_for):
    need = Need.objects.get(country__iso3="KEN", theme__code="legal")

    done = client_for(personas.secretariat).post(
        reverse("assessments:need_status", args=[need.pk]), {"status": Need.Status.PARTLY_MET}, follow=True
    )

    need.refresh_from_db()
    assert need.status == Need.Status.PARTLY_MET
    assert [str(message) for message in done.context["messages"]] == ["The need is now “Partly met”."]


def test_secretariat_confirms_a_proposed_status_in_one_click(personas, cycle, client_for):
    # Given a later cycle reported no need on the theme
    Need.objects.filter(country__iso3="KEN", theme__code="legal").update(proposed_status=Need.Status.MET)
    need = Need.objects.get(country__iso3="KEN", theme__code="legal")
    client = client_for(personas.secretariat)
    page = client.get(reverse("assessments:need_detail", args=[need.pk])).content.decode()
    assert '<input type="hidden" name="status" value="met">' in page

    # When the Secretariat confirms it
    client.post(reverse("assessments:need_status", args=[need.pk]), {"status": Need.Status.MET})

    # Then the proposal is the status
    need.refresh_from_db()
    assert (need.status, need.proposed_status) == (Need.Status.MET, "")


def test_an_unknown_status_changes_nothing(personas, cycle, client_for):
    need = Need.objects.get(country__iso3="KEN", theme__code="legal")

    client_for(personas.secretariat).post(reverse("assessments:need_status", args=[need.pk]), {"status": "solved"})

    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


def test_a_reader_may_not_set_the_status_and_others_do_not_learn_the_need_exists(personas, cycle, client_for):
    need = Need.objects.get(country__iso3="KEN", theme__code="legal")
    url = reverse("assessments:need_status", args=[need.pk])

    assert client_for(personas.focal_kenya).post(url, {"status": Need.Status.MET}).status_code == 403
    assert client_for(personas.focal_peru).post(url, {"status": Need.Status.MET}).status_code == 404
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN
    assert NeedObservation.objects.filter(need=need).count() == 1
