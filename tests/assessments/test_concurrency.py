"""Two people saving the same draft at the same moment: one wins, the other is told, nothing is lost."""

import threading

import pytest
from django.db import connection

from tahub.assessments.models import Response
from tahub.assessments.services.responses import StaleResponse, response_save, response_start
from tahub.reference.models import Country
from tests.assessments.factories import assign_sections, open_cycle


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_draft_let_exactly_one_through(personas):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections (PostgreSQL)")
    cycle = open_cycle()
    response = response_start(actor=personas.focal_kenya, cycle=cycle, country=Country.objects.get(iso3="KEN"))
    assign_sections(response, personas.contributor_kenya)
    barrier = threading.Barrier(2)
    outcomes = []

    def save(actor, value):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            response_save(actor=actor, response=response, answers={"has_law": value}, lock_version=0)
            outcomes.append(("saved", value))
        except StaleResponse:
            outcomes.append(("refused", value))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(personas.focal_kenya, "yes")),
        threading.Thread(target=save, args=(personas.contributor_kenya, "no")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _value in outcomes) == ["refused", "saved"]
    winner = next(value for kind, value in outcomes if kind == "saved")
    stored = Response.objects.get(pk=response.pk)
    assert stored.answers["has_law"] == winner and stored.lock_version == 1
