"""Offers are created, published, changed, closed and withdrawn only through services that check everything."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tahub.accounts.models import Organisation
from tahub.offers.models import Offer
from tahub.offers.services import (
    StaleOffer,
    offer_attach,
    offer_close,
    offer_create,
    offer_publish,
    offer_update,
    offer_withdraw,
    offers_close_expired,
)
from tests.offers.factories import offer_data, published_offer, unitar

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def test_a_provider_creates_publishes_edits_and_withdraws_its_offer(personas):
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())
    assert offer.status == Offer.Status.DRAFT and offer.recorded_by is None

    offer = offer_publish(actor=personas.provider_unitar, offer=offer)
    offer = offer_update(
        actor=personas.provider_unitar, offer=offer, data=offer_data(title="E-waste training, 2027 edition"),
        lock_version=offer.lock_version,
    )
    offer = offer_withdraw(actor=personas.provider_unitar, offer=offer, reason="Funding ended")

    assert (offer.title, offer.status, offer.withdrawn_reason) == (
        "E-waste training, 2027 edition", Offer.Status.WITHDRAWN, "Funding ended",
    )
    history = [(record.status, record.history_user) for record in offer.history.order_by("history_date")]
    assert history[0] == (Offer.Status.DRAFT, personas.provider_unitar)
    assert history[-1] == (Offer.Status.WITHDRAWN, personas.provider_unitar)
    assert sorted(offer.languages.values_list("code", flat=True)) == ["en", "fr"]


def test_the_secretariat_records_an_offer_on_a_providers_behalf(personas):
    offer = offer_create(
        actor=personas.secretariat, provider=unitar(), data=offer_data(), received_as="Letter of 3 March 2026"
    )

    assert offer.recorded_by == personas.secretariat and offer.received_as == "Letter of 3 March 2026"
    assert offer.provider == unitar()


def test_other_organisations_and_party_people_cannot_create_or_change_it(personas):
    other = Organisation.objects.create(name="Other NGO", type=Organisation.Type.NGO)
    with pytest.raises(PermissionDenied):
        offer_create(actor=personas.provider_unitar, provider=other, data=offer_data())
    with pytest.raises(PermissionDenied):
        offer_create(actor=personas.focal_kenya, provider=unitar(), data=offer_data())
    offer = published_offer()
    for outsider in (personas.focal_kenya, personas.rfp_africa, personas.centre_senegal):
        with pytest.raises(PermissionDenied):
            offer_withdraw(actor=outsider, offer=offer, reason="no")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": Decimal("5000"), "currency": ""}, "currency", "three-letter ISO 4217 code"),
        ({"amount": None, "currency": "EUR"}, "amount", "Give the value in EUR"),
        ({"starts_on": date(2027, 1, 1), "ends_on": date(2026, 1, 1)}, "ends_on", "end comes before the start"),
        ({"eligible_developing": False}, "eligible_countries", "Say who is eligible"),
        ({"kinds": []}, "kinds", "at least one kind of help"),
        ({"languages": ["xx"]}, "languages", "languages the help is given in"),
        ({"description": "<script>alert(1)</script>"}, "description", "Describe the offer"),
        ({"links": [("Page", "javascript:alert(1)")]}, "links", "http:// or https://"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_saved(personas, overrides, field, message):
    with pytest.raises(ValidationError) as refused:
        offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data(**overrides))

    assert message in " ".join(refused.value.message_dict[field])
    assert not Offer.objects.exists()


def test_html_is_stripped_from_descriptions_and_markdown_is_kept(personas):
    offer = offer_create(
        actor=personas.provider_unitar, provider=unitar(),
        data=offer_data(description='**Hands-on** <script>alert("x")</script><img src=x onerror=alert(1)>labs & 3 < 4'),
    )

    assert offer.description == "**Hands-on** labs & 3 < 4"


def test_a_stale_edit_is_refused_and_the_newer_one_kept(personas):
    offer = published_offer(personas.provider_unitar)
    offer_update(actor=personas.secretariat, offer=offer, data=offer_data(title="Newer"), lock_version=offer.lock_version)

    with pytest.raises(StaleOffer):
        offer_update(actor=personas.provider_unitar, offer=offer, data=offer_data(title="Older"), lock_version=offer.lock_version)

    offer.refresh_from_db()
    assert offer.title == "Newer"


@pytest.mark.usefixtures("personas")
def test_the_daily_task_closes_only_published_offers_past_their_end():
    with time_machine.travel(date(2026, 3, 1)):
        ending = published_offer(ends_on=date(2026, 6, 30))
        standing = published_offer(ends_on=None)
        later = published_offer(ends_on=date(2026, 12, 31))

    with time_machine.travel(date(2026, 6, 30)):
        assert offers_close_expired() == 0
    with time_machine.travel(date(2026, 7, 1)):
        assert offers_close_expired() == 1
        assert offers_close_expired() == 0  # idempotent

    statuses = {o.pk: o.status for o in Offer.objects.all()}
    assert statuses == {ending.pk: "closed", standing.pk: "published", later.pk: "published"}
    assert Offer.objects.open_on(date(2026, 7, 1)).filter(pk=ending.pk).count() == 0


def test_closing_and_reopening(personas):
    offer = published_offer(personas.provider_unitar)
    offer = offer_close(actor=personas.provider_unitar, offer=offer)
    assert offer.status == Offer.Status.CLOSED and offer.closed_at
    offer = offer_publish(actor=personas.provider_unitar, offer=offer)
    assert offer.status == Offer.Status.PUBLISHED and offer.closed_at is None


def test_attachments_are_checked_by_content_and_size_and_stored_under_our_name(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    offer = published_offer(personas.provider_unitar)

    attachment = offer_attach(
        actor=personas.provider_unitar, offer=offer, upload=SimpleUploadedFile("../../programme.pdf", PDF)
    )

    assert attachment.filename == "programme.pdf" and attachment.content_type == "application/pdf"
    assert attachment.file.name == f"offers/{offer.pk}/{attachment.token}.pdf"
    disguised = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 this is an executable")
    with pytest.raises(ValidationError, match="content does not match"):
        offer_attach(actor=personas.provider_unitar, offer=offer, upload=disguised)
    renamed = SimpleUploadedFile("photo.png", PDF)
    with pytest.raises(ValidationError, match="content does not match"):
        offer_attach(actor=personas.provider_unitar, offer=offer, upload=renamed)
    oversized = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError, match="larger than 10 MB"):
        offer_attach(actor=personas.provider_unitar, offer=offer, upload=oversized)
    assert offer.attachments.count() == 1


def test_creating_and_changing_an_offer_with_its_links_are_one_history_entry_each(personas):
    from tahub.offers.services import offer_update

    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())
    assert [(h.history_type, h.history_user) for h in offer.history.all()] == [("+", personas.provider_unitar)]

    offer_update(actor=personas.secretariat, offer=offer, data=offer_data(title="Renamed"), lock_version=0)
    assert offer.history.count() == 2
    assert offer.history.latest().history_user == personas.secretariat and offer.history.latest().title == "Renamed"
