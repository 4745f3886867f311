"""Expired offers close themselves: the daily task and the command that queues it, on a frozen clock."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from tahub.offers.models import Offer
from tahub.offers.selectors import CatalogueFilters, offer_catalogue_for
from tahub.offers.tasks import close_expired_offers
from tests.offers.factories import published_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers(personas):
    with time_machine.travel(date(2026, 3, 1)):
        return {
            "ending": published_offer(title="Ends in June", starts_on=date(2026, 1, 1), ends_on=date(2026, 6, 30)),
            "later": published_offer(title="Ends in 2027", starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31)),
            "standing": published_offer(title="Standing offer", starts_on=None, ends_on=None),
        }


def status_of(offer):
    offer.refresh_from_db()
    return offer.status


def test_the_task_closes_an_offer_the_day_after_it_ends_and_only_then(offers):
    with time_machine.travel(date(2026, 6, 30)):
        assert close_expired_offers.enqueue().return_value == 0
        assert status_of(offers["ending"]) == Offer.Status.PUBLISHED

    with time_machine.travel(date(2026, 7, 1)):
        result = close_expired_offers.enqueue()
        open_titles = [offer.title for offer in offer_catalogue_for(None, CatalogueFilters(open_now=True))]

    assert result.return_value == 1
    assert status_of(offers["ending"]) == Offer.Status.CLOSED
    assert status_of(offers["later"]) == status_of(offers["standing"]) == Offer.Status.PUBLISHED
    assert "Ends in June" not in open_titles
    assert offers["ending"].history.order_by("-history_date").first().status == Offer.Status.CLOSED


def test_the_task_runs_again_without_closing_anything_twice(offers):
    with time_machine.travel(date(2028, 1, 1)):
        assert close_expired_offers.enqueue().return_value == 2
        assert close_expired_offers.enqueue().return_value == 0

    assert status_of(offers["standing"]) == Offer.Status.PUBLISHED


def test_the_command_runs_the_daily_task(offers, capsys):
    with time_machine.travel(date(2026, 7, 1)):
        call_command("close_expired_offers")

    assert "Expired offers closed: 1." in capsys.readouterr().out
    assert status_of(offers["ending"]) == Offer.Status.CLOSED
