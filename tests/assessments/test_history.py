"""Every version stays readable, with a diff of answers and who did what when."""

import pytest
from django.urls import reverse

from tahub.assessments.diff import answer_changes
from tahub.assessments.services.responses import (
    response_accept,
    response_amend,
    response_return,
    response_save,
    response_start,
    response_submit,
)
from tahub.reference.models import Country
from tests.assessments.factories import complete_answers, needs_spec, open_cycle

pytestmark = pytest.mark.django_db


def test_changes_list_only_what_differs_and_only_the_changed_themes():
    spec = needs_spec()
    before = {"has_law": "no", "modalities": ["online"], "matrix": {"legal": {"level": "low"}, "emergency": {"level": "high"}}}
    after = {"has_law": "yes", "law_year": "2004", "modalities": ["online"],
             "matrix": {"legal": {"level": "low"}, "emergency": {"level": "medium", "comment": "Port"}}}

    changes = answer_changes(spec, before, after, themes={"emergency": "Emergency responses"})

    assert [(c.code, c.before, c.after) for c in changes] == [
        ("has_law", "No", "Yes"),
        ("law_year", "—", "2004"),
        ("matrix", "Emergency responses: high", "Emergency responses: medium — “Port”"),
    ]
    assert answer_changes(spec, {"has_law": ""}, {"modalities": []}) == []


def test_an_amendment_shows_its_diff_against_the_accepted_version_and_the_history(personas, client_for):
    cycle = open_cycle()
    response = response_start(actor=personas.focal_kenya, cycle=cycle, country=Country.objects.get(iso3="KEN"))
    response, _result = response_save(actor=personas.focal_kenya, response=response, answers=complete_answers(), lock_version=0)
    response = response_submit(actor=personas.focal_kenya, response=response, lock_version=1, notify=False)
    response = response_return(actor=personas.secretariat, response=response, queries=[("law_year", "Which year exactly?")])
    response, _result = response_save(
        actor=personas.focal_kenya, response=response, answers={"law_year": "1999"}, lock_version=response.lock_version
    )
    response = response_submit(actor=personas.focal_kenya, response=response, lock_version=response.lock_version, notify=False)
    response_accept(actor=personas.secretariat, response=response)
    amendment = response_amend(actor=personas.secretariat, response=response)
    amendment, _result = response_save(
        actor=personas.focal_kenya, response=amendment, answers={"has_law": "no"}, lock_version=0
    )

    page = client_for(personas.focal_kenya).get(reverse("assessments:response_history", args=[amendment.pk]))

    assert page.status_code == 200
    assert [v.number for v in page.context["versions"]] == [1, 2]
    assert [c.code for c in page.context["changes"]] == ["has_law"]
    first = client_for(personas.secretariat).get(reverse("assessments:response_history", args=[response.pk]))
    timeline = first.context["timeline"]
    whats = [str(event["what"]) for event in reversed(timeline)]
    assert whats[0] == "Started"
    assert "Returned with queries" in whats and "Accepted" in whats and "Query on law_year" in whats
    saved = next(event for event in timeline if event["changed"] == ["law_year"])
    assert saved["who"] == personas.focal_kenya
    accepted = next(event for event in timeline if str(event["what"]) == "Accepted")
    assert accepted["who"] == personas.secretariat
    assert "Which year exactly?" in first.content.decode()
