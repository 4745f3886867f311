"""The needs-assessment API, driven with personal tokens as a national script would."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tahub.accounts.services import api_token_create
from tahub.assessments.models import Need, Response
from tahub.assessments.services.needs import need_record
from tahub.assessments.services.questionnaires import questionnaire_version_import
from tahub.assessments.services.responses import (
    response_accept,
    response_save,
    response_start,
    response_submit,
)
from tahub.reference.models import Country, KindOfHelp, Theme
from tests.assessments.factories import complete_answers, needs_spec, open_cycle

pytestmark = pytest.mark.django_db


class Api:
    """A client calling the API with one person's token."""

    def __init__(self, user):
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='script')[1]}"}

    def get(self, path, params=None):
        return self.client.get(f"/api/v1{path}", params or {}, **self.headers)

    def send(self, method, path, body):
        return getattr(self.client, method)(
            f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **self.headers
        )


@pytest.fixture
def cycle(personas):
    return open_cycle()


@pytest.fixture
def kenya_api(personas):
    return Api(personas.focal_kenya)


def kenya_draft(personas, cycle):
    return response_start(actor=personas.focal_kenya, cycle=cycle, country=Country.objects.get(iso3="KEN"))


def test_focal_point_token_fills_saves_is_refused_when_stale_and_submits(personas, cycle, kenya_api):
    started = kenya_api.send("post", f"/cycles/{cycle.pk}/responses", {"country": "KEN"})
    assert started.status_code == 201
    url = f"/responses/{started.json()['id']}"

    saved = kenya_api.send("patch", url, {"lock_version": 0, "answers": {"has_law": "yes", "law_year": "twenty"}})
    assert saved.status_code == 200
    body = saved.json()
    assert body["answers"]["law_year"] == "twenty"  # kept as entered
    assert body["lock_version"] == 1
    assert [(p["question"], p["error"]) for p in body["problems"]] == [("law_year", "not_a_number")]

    stale = kenya_api.send("patch", url, {"lock_version": 0, "answers": {"has_law": "no"}})
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert kenya_api.get(url).json()["answers"]["has_law"] == "yes"  # nothing lost, nothing overwritten

    refused = kenya_api.send("post", f"{url}/submit", {"lock_version": 1})
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "response_invalid"
    assert {(d["question"], d["error"]) for d in error["details"]} >= {("law_year", "not_a_number")}
    assert all(d["message"] for d in error["details"])
    assert Response.objects.get(pk=body["id"]).status == Response.Status.DRAFT

    fixed = kenya_api.send("patch", url, {"lock_version": 1, "answers": complete_answers()})
    assert fixed.status_code == 200 and fixed.json()["problems"] == []
    submitted = kenya_api.send("post", f"{url}/submit", {"lock_version": 2})

    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["can_edit"] is False


def test_submitted_response_cannot_be_changed_through_the_api(personas, cycle, kenya_api):
    response = kenya_draft(personas, cycle)
    response, _ = response_save(actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0)
    response_submit(actor=personas.focal_kenya, response=response, lock_version=1, notify=False)

    changed = kenya_api.send("patch", f"/responses/{response.pk}", {"lock_version": 2, "answers": {"has_law": "no"}})

    assert changed.status_code == 422
    assert "submitted" in changed.json()["error"]["message"]
    response.refresh_from_db()
    assert response.answers["has_law"] == "yes" and response.status == Response.Status.SUBMITTED


def test_another_partys_token_gets_404_for_kenyas_response(personas, cycle):
    response = kenya_draft(personas, cycle)
    peru = Api(personas.focal_peru)

    assert peru.get(f"/responses/{response.pk}").status_code == 404
    assert peru.send("patch", f"/responses/{response.pk}", {"lock_version": 0, "answers": {"has_law": "no"}}).status_code == 404
    assert peru.send("post", f"/responses/{response.pk}/submit", {"lock_version": 0}).status_code == 404
    assert peru.get("/responses", {"country": "KEN"}).json()["count"] == 0
    response.refresh_from_db()
    assert response.answers == {} and response.lock_version == 0


def test_focal_point_cannot_start_another_partys_response(personas, cycle, kenya_api):
    refused = kenya_api.send("post", f"/cycles/{cycle.pk}/responses", {"country": "PER"})

    assert refused.status_code == 403
    assert not Response.objects.filter(cycle=cycle, country__iso3="PER").exists()


def test_starting_an_already_started_response_returns_it(personas, cycle, kenya_api):
    response = kenya_draft(personas, cycle)

    again = kenya_api.send("post", f"/cycles/{cycle.pk}/responses", {"country": "KEN"})

    assert again.status_code == 200
    assert again.json()["id"] == response.pk
    assert Response.objects.filter(cycle=cycle, country__iso3="KEN").count() == 1


@pytest.mark.parametrize("extra", [{"status": "accepted"}, {"country": "PER"}, {"number": 7}, {"prefilled": {"x": "y"}}])
def test_extra_fields_in_a_save_change_nothing_but_the_answers(personas, cycle, kenya_api, extra):
    response = kenya_draft(personas, cycle)

    saved = kenya_api.send("patch", f"/responses/{response.pk}", {"lock_version": 0, "answers": {"has_law": "no"}, **extra})

    assert saved.status_code == 200
    response.refresh_from_db()
    assert (response.status, response.country.iso3, response.number, response.prefilled) == ("draft", "KEN", 1, {})
    assert response.answers == {"has_law": "no"}


def test_answers_to_unknown_questions_are_ignored(personas, cycle, kenya_api):
    response = kenya_draft(personas, cycle)

    kenya_api.send("patch", f"/responses/{response.pk}", {"lock_version": 0, "answers": {"has_law": "no", "salary": 1}})

    response.refresh_from_db()
    assert response.answers == {"has_law": "no"}


def test_secretariat_reads_every_response_but_does_not_draft_them(personas, cycle):
    response = kenya_draft(personas, cycle)
    response_start(actor=personas.focal_peru, cycle=cycle, country=Country.objects.get(iso3="PER"))
    secretariat = Api(personas.secretariat)

    listed = secretariat.get("/responses", {"cycle": cycle.pk}).json()
    only_kenya = secretariat.get("/responses", {"country": "ken"}).json()
    changed = secretariat.send("patch", f"/responses/{response.pk}", {"lock_version": 0, "answers": {"has_law": "no"}})

    assert sorted(item["country"] for item in listed["items"]) == ["KEN", "PER"]
    assert [item["id"] for item in only_kenya["items"]] == [response.pk]
    assert secretariat.get(f"/responses/{response.pk}").json()["can_edit"] is False
    assert changed.status_code == 403
    assert changed.json()["error"]["code"] == "permission_denied"


def test_questionnaire_definition_gives_types_six_language_labels_and_choices(personas, cycle, kenya_api):
    body = kenya_api.get(f"/questionnaires/{cycle.version_id}").json()

    capacity = body["sections"][0]
    assert capacity["code"] == "capacity"
    assert capacity["labels"] == {"en": "Capacity", "fr": "Capacités", "es": "", "ru": "", "ar": "", "zh": ""}
    law_year = capacity["questions"][1]
    assert (law_year["code"], law_year["type"], law_year["required"]) == ("law_year", "integer", True)
    assert law_year["relevant"] == "${has_law} = 'yes'"
    assert (law_year["min_value"], law_year["max_value"]) == (1950, 2030)
    assert body["sections"][1]["questions"][0]["themes"] == ["monitoring", "emergency", "legal"]
    assert body["choice_lists"] == [
        {
            "name": "modalities",
            "choices": [
                {"value": "online", "label": "Online", "label_is_fallback": False, "labels": {"en": "Online", "fr": "", "es": "", "ru": "", "ar": "", "zh": ""}},
                {"value": "in_person", "label": "In person", "label_is_fallback": False, "labels": {"en": "In person", "fr": "", "es": "", "ru": "", "ar": "", "zh": ""}},
            ],
        }
    ]


def test_questionnaire_labels_fall_back_to_english_with_a_marker(personas, cycle, client):
    body = client.get(f"/api/v1/questionnaires/{cycle.version_id}", HTTP_ACCEPT_LANGUAGE="fr").json()

    capacity, needs = body["sections"]
    assert (capacity["label"], capacity["label_is_fallback"]) == ("Capacités", False)
    assert (needs["label"], needs["label_is_fallback"]) == ("Needs", True)


def test_draft_questionnaire_is_seen_only_by_the_secretariat(personas, kenya_api):
    draft = questionnaire_version_import(actor=None, spec=needs_spec(), code="draft-needs", labels={"en": "Draft"})

    assert kenya_api.get(f"/questionnaires/{draft.pk}").status_code == 404
    assert Api(personas.secretariat).get(f"/questionnaires/{draft.pk}").json()["status"] == "draft"


def test_cycle_tracking_totals_are_given_only_to_those_who_manage_it(personas, cycle, kenya_api):
    kenya_draft(personas, cycle)

    managed = Api(personas.secretariat).get(f"/cycles/{cycle.pk}").json()
    followed = kenya_api.get(f"/cycles/{cycle.pk}").json()

    assert managed["tracking"]["invited"] == 3
    assert (managed["tracking"]["draft"], managed["tracking"]["not_started"]) == (1, 2)
    assert {group["regional_group"] for group in managed["tracking"]["by_regional_group"]} == {"AFRICA", "GRULAC"}
    assert followed["tracking"] is None
    assert followed["invited"] == 3 and followed["status"] == "open"


def test_cycle_list_shows_anonymous_callers_only_published_cycles(personas, cycle, client):
    listed = client.get("/api/v1/cycles").json()

    assert cycle.pk not in [item["id"] for item in listed["items"]]
    assert client.get(f"/api/v1/cycles/{cycle.pk}").status_code == 404


def accepted_kenya_response(personas, cycle):
    response = kenya_draft(personas, cycle)
    response, _ = response_save(actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0)
    response = response_submit(actor=personas.focal_kenya, response=response, lock_version=1, notify=False)
    return response_accept(actor=personas.secretariat, response=response)


def test_needs_of_an_accepted_response_are_listed_with_their_observations(personas, cycle, kenya_api):
    accepted_kenya_response(personas, cycle)

    body = kenya_api.get("/needs", {"country": "ken"}).json()

    needs = {item["theme"]: item for item in body["items"]}
    assert set(needs) == {"monitoring", "legal"}  # "none" is no need
    monitoring = needs["monitoring"]
    assert (monitoring["country"], monitoring["regional_group"], monitoring["level"]) == ("KEN", "AFRICA", "high")
    [observation] = monitoring["observations"]
    assert observation["cycle_title"] == "Needs 2026"
    assert (observation["level"], observation["comment"]) == ("high", "No laboratory")
    assert sorted(observation["kinds"]) == ["advice.expert", "training"]


def test_need_filters_combine_and_an_unknown_level_is_refused(personas, cycle):
    accepted_kenya_response(personas, cycle)
    secretariat = Api(personas.secretariat)

    high_in_africa = secretariat.get("/needs", {"level": "high", "regional_group": "AFRICA", "status": "open"}).json()
    legal = secretariat.get("/needs", {"theme": "legal"}).json()

    assert [item["theme"] for item in high_in_africa["items"]] == ["monitoring"]
    assert [item["theme"] for item in legal["items"]] == ["legal"]
    assert secretariat.get("/needs", {"level": "urgent"}).status_code == 422


def test_another_partys_needs_are_not_listed(personas, cycle):
    accepted_kenya_response(personas, cycle)

    assert Api(personas.focal_peru).get("/needs", {"country": "KEN"}).json()["count"] == 0


def _query_count(api, path):
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


def _record_needs(countries, themes):
    kinds = list(KindOfHelp.objects.filter(parent__isnull=False)[:2])
    for country in countries:
        for theme in themes:
            need_record(actor=None, country=country, theme=theme, level="high", kinds=kinds, source=Need.Source.MEETING)


def test_need_list_query_count_does_not_grow_with_rows(personas):
    secretariat = Api(personas.secretariat)
    countries = list(Country.objects.filter(iso3__in=["KEN", "PER", "SEN", "GHA", "BRA"]))
    themes = list(Theme.objects.filter(parent__isnull=True)[:4])
    _record_needs(countries[:1], themes[:1])
    secretariat.get("/needs")  # warm the token's last-used stamp
    one = _query_count(secretariat, "/needs")

    _record_needs(countries, themes)
    many = _query_count(secretariat, "/needs")

    assert Need.objects.count() == len(countries) * len(themes)
    assert many == one


def test_response_list_query_count_does_not_grow_with_rows(personas):
    cycle = open_cycle(countries=("KEN", "PER", "SEN", "GHA", "BRA", "IND"))
    secretariat = Api(personas.secretariat)
    parties = list(Country.objects.filter(iso3__in=["KEN", "PER", "SEN", "GHA", "BRA", "IND"]))
    response_start(actor=None, cycle=cycle, country=parties[0])
    secretariat.get("/responses")
    one = _query_count(secretariat, "/responses")

    for country in parties[1:]:
        response_start(actor=None, cycle=cycle, country=country)
    many = _query_count(secretariat, "/responses")

    assert Response.objects.count() == len(parties)
    assert many == one
