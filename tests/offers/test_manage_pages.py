"""The pages where providers and the Secretariat manage offers: list, create, edit, publish, close,
withdraw, attachments and their download."""

import html
from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tahub.accounts.models import Organisation
from tahub.accounts.roles import Role
from tahub.offers.models import Offer, OfferAttachment
from tahub.offers.services import offer_attach, offer_create, offer_update
from tahub.reference.models import Country, KindOfHelp, RegionalGroup, Theme
from tests.offers.factories import offer_data, published_offer, unitar
from tests.personas import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pk_of(model, code):
    return model.objects.get(code=code).pk


def form_data(**overrides):
    """What a provider posts for a complete, valid offer; ``None`` leaves a field out."""
    data = {
        "title": "E-waste inventory workshop",
        "description": "Three days of **hands-on** work on national e-waste inventories.",
        "kinds": [pk_of(KindOfHelp, "training.course")],
        "themes": [pk_of(Theme, "monitoring.inventories")],
        "languages": ["en", "fr"],
        "modality": "in_person",
        "eligibility": ["ldc"],
        "eligible_groups": [RegionalGroup.objects.get(code="AFRICA").pk],
        "eligible_countries": [Country.objects.get(iso3="PER").pk],
        "starts_on": "2026-09-01",
        "ends_on": "2026-09-03",
        "places": "30",
        "amount": "15000",
        "currency": "usd",
        "how_to_apply": "Send the nomination form to the contact below.",
        "contact_name": "Training unit",
        "contact_email": "training@example.org",
        "visibility": "public",
        "link_title_0": "Programme",
        "link_url_0": "https://example.org/programme",
        "link_title_1": "",
        "link_url_1": "",
        "link_title_2": "",
        "link_url_2": "",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def edit_data(offer, **overrides):
    return form_data(lock_version=str(offer.lock_version), **overrides)


def shown_with_field(response, name):
    """The text of the page between the start of field ``name``'s block and its input: its label, help and errors."""
    body = html.unescape(response.content.decode())
    start = body.index(f'id="field-{name}"')
    return body[start:body.index(f'name="{name}"', start)]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def other_provider(reference):
    """A provider of another organisation, which must not touch UNITAR's offers."""
    giz = Organisation.objects.create(name="GIZ", acronym="GIZ", type=Organisation.Type.PARTY_GOVERNMENT)
    return make_user("prov.giz@example.org", "Greta Giz", role=Role.PROVIDER, scope=giz, organisation=giz)


# Creating


def test_provider_creates_a_draft_through_the_form(personas, client_for):
    client = client_for(personas.provider_unitar)

    page = client.get(reverse("offers:offer_create"))
    response = client.post(reverse("offers:offer_create"), form_data())

    assert page.status_code == 200 and page.context["form"].fixed_provider == unitar()
    offer = Offer.objects.get(title="E-waste inventory workshop")
    assert response.status_code == 302 and response["Location"] == reverse("offers:offer_edit", args=[offer.pk])
    assert (offer.provider, offer.status, offer.recorded_by, offer.currency) == (unitar(), "draft", None, "USD")
    assert {kind.code for kind in offer.kinds.all()} == {"training.course"}
    assert sorted(language.code for language in offer.languages.all()) == ["en", "fr"]
    assert (offer.eligible_ldc, offer.eligible_developing) == (True, False)
    assert [group.code for group in offer.eligible_groups.all()] == ["AFRICA"]
    assert [country.iso3 for country in offer.eligible_countries.all()] == ["PER"]
    assert [(link.title, link.url) for link in offer.links.all()] == [("Programme", "https://example.org/programme")]
    assert offer.history.first().history_user == personas.provider_unitar


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"currency": ""}, "currency"),  # a value without its currency
        ({"starts_on": "2026-09-03", "ends_on": "2026-09-01"}, "ends_on"),
        ({"eligibility": None, "eligible_groups": None, "eligible_countries": None}, "eligible_countries"),
        ({"description": "<script>alert('x')</script>"}, "description"),  # nothing left once the script goes
        ({"kinds": None}, "kinds"),
        ({"places": "-3"}, "places"),
        ({"link_url_1": "https://example.org/no-title"}, "link_title_1"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_saved(overrides, field, personas, client_for):
    response = client_for(personas.provider_unitar).post(reverse("offers:offer_create"), form_data(**overrides))

    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert form.errors[field][0] in shown_with_field(response, field)
    assert not Offer.objects.exists()


def test_script_in_the_description_is_removed_and_the_text_kept(personas, client_for):
    client_for(personas.provider_unitar).post(
        reverse("offers:offer_create"),
        form_data(description="<script>alert('x')</script>A course on <b>inventories</b>."),
    )

    assert Offer.objects.get().description == "A course on inventories."


def test_posted_status_provider_and_recorder_are_ignored(personas, client_for):
    other = Organisation.objects.create(name="Other", type=Organisation.Type.NGO)

    client_for(personas.provider_unitar).post(
        reverse("offers:offer_create"),
        form_data(
            provider=str(other.pk), status="published", recorded_by=str(personas.secretariat.pk),
            received_as="Letter", lock_version="7", published_at="2020-01-01",
        ),
    )

    offer = Offer.objects.get()
    assert (offer.provider, offer.status, offer.recorded_by, offer.received_as) == (unitar(), "draft", None, "")
    assert (offer.lock_version, offer.published_at) == (0, None)


def test_secretariat_records_an_offer_on_unitars_behalf(personas, other_provider, client_for):
    client = client_for(personas.secretariat)

    page = client.get(reverse("offers:offer_create"))
    client.post(
        reverse("offers:offer_create"),
        form_data(provider=str(unitar().pk), received_as="Letter of 3 March 2026, ref. UNITAR/CWM/12"),
    )

    form = page.context["form"]
    assert {str(org) for org in form.fields["provider"].queryset} == {"GIZ", "UNITAR"}
    assert "received_as" in form.fields and form.fixed_provider is None
    offer = Offer.objects.get()
    assert (offer.provider, offer.recorded_by, offer.received_as) == (
        unitar(), personas.secretariat, "Letter of 3 March 2026, ref. UNITAR/CWM/12"
    )


def test_a_provider_is_not_offered_the_received_as_field(personas, client_for):
    page = client_for(personas.provider_unitar).get(reverse("offers:offer_create"))

    assert "received_as" not in page.context["form"].fields


# Editing


def test_edit_form_shows_the_offer_and_saves_changes(personas, client_for):
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())
    client = client_for(personas.provider_unitar)

    page = client.get(reverse("offers:offer_edit", args=[offer.pk]))
    response = client.post(reverse("offers:offer_edit", args=[offer.pk]), edit_data(offer, title="Renamed workshop"))

    form = page.context["form"]
    assert form["title"].value() == offer.title and form["lock_version"].value() == 0
    assert form["eligibility"].value() == ["developing"] and set(form["languages"].value()) == {"en", "fr"}
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.lock_version) == ("Renamed workshop", 1)


def test_a_stale_edit_is_refused_and_the_newer_data_kept(personas, client_for):
    """Given two people who opened the same offer, when the second saves after the first, then the
    second save is refused with a message and the first one's text stays."""
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())
    loaded = edit_data(offer, title="The provider's title")
    offer_update(actor=personas.secretariat, offer=offer, data=offer_data(title="The Secretariat's title"), lock_version=0)

    response = client_for(personas.provider_unitar).post(reverse("offers:offer_edit", args=[offer.pk]), loaded)

    assert response.status_code == 302
    assert any("not saved" in message for message in messages_of(response))
    offer.refresh_from_db()
    assert (offer.title, offer.lock_version) == ("The Secretariat's title", 1)


def test_posted_provider_and_status_do_not_change_an_edited_offer(personas, other_provider, client_for):
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())

    client_for(personas.provider_unitar).post(
        reverse("offers:offer_edit", args=[offer.pk]),
        edit_data(
            offer, provider=str(other_provider.organisation.pk), status="published", withdrawn_reason="x",
            recorded_by=str(personas.secretariat.pk), received_as="Letter",
        ),
    )

    offer.refresh_from_db()
    assert (offer.provider, offer.status, offer.withdrawn_reason) == (unitar(), "draft", "")
    assert (offer.recorded_by, offer.received_as, offer.lock_version) == (None, "", 1)


def test_a_provider_filtering_by_another_organisation_sees_only_its_own(personas, other_provider, client_for):
    published_offer(title="UNITAR published")
    published_offer(provider=other_provider.organisation, title="GIZ published")

    response = client_for(personas.provider_unitar).get(
        reverse("offers:my_offers"), {"provider": other_provider.organisation.pk, "status": "published"}
    )

    assert titles(response) == ["UNITAR published"]


def test_service_errors_on_edit_change_nothing(personas, client_for):
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())

    response = client_for(personas.provider_unitar).post(
        reverse("offers:offer_edit", args=[offer.pk]), edit_data(offer, title="New", currency="")
    )

    assert list(response.context["form"].errors) == ["currency"]
    offer.refresh_from_db()
    assert (offer.title, offer.lock_version) == ("Training on the environmentally sound management of e-waste", 0)


# Publishing, closing, withdrawing


def act(client, offer, action, **extra):
    return client.post(reverse("offers:offer_action", args=[offer.pk]), {"action": action, **extra})


def test_provider_publishes_closes_and_withdraws_with_a_reason(personas, client_for):
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())
    client = client_for(personas.provider_unitar)
    statuses = []

    for action, extra in [("publish", {}), ("close", {}), ("withdraw", {"reason": "The funding ended."})]:
        response = act(client, offer, action, **extra)
        assert response.status_code == 302
        offer.refresh_from_db()
        statuses.append(offer.status)

    assert statuses == ["published", "closed", "withdrawn"]
    assert offer.withdrawn_reason == "The funding ended."
    assert offer.history.first().history_user == personas.provider_unitar
    page = client.get(reverse("offers:offer_edit", args=[offer.pk]))
    assert page.context["actions"] == [] and b'name="title"' not in page.content


def test_withdrawing_without_a_reason_is_refused_next_to_the_reason(personas, client_for):
    offer = published_offer(actor=personas.provider_unitar)

    response = act(client_for(personas.provider_unitar), offer, "withdraw", reason="  ")

    assert response.status_code == 200 and list(response.context["action_form"].errors) == ["reason"]
    offer.refresh_from_db()
    assert offer.status == "published"


def test_an_action_the_state_does_not_allow_is_refused_with_a_message(personas, client_for):
    offer = offer_create(actor=personas.provider_unitar, provider=unitar(), data=offer_data())

    response = act(client_for(personas.provider_unitar), offer, "close")

    assert response.status_code == 302 and messages_of(response) == ["Only a published offer can be closed."]
    offer.refresh_from_db()
    assert offer.status == "draft"


# Who may


@pytest.mark.parametrize("persona", ["focal_kenya", "rfp_africa", "no_role"])
def test_people_who_are_not_providers_get_403_on_the_management_pages(persona, personas, client_for):
    client = client_for(getattr(personas, persona))
    offer = published_offer()

    assert client.get(reverse("offers:my_offers")).status_code == 403
    assert client.get(reverse("offers:offer_create")).status_code == 403
    assert client.post(reverse("offers:offer_create"), form_data()).status_code == 403
    assert client.post(reverse("offers:offer_edit", args=[offer.pk]), edit_data(offer, title="X")).status_code == 403
    offer.refresh_from_db()
    assert offer.title != "X" and Offer.objects.count() == 1


def test_another_provider_may_not_change_unitars_offers(personas, other_provider, client_for):
    public = published_offer()
    draft = offer_create(actor=None, provider=unitar(), data=offer_data(title="Draft"))
    client = client_for(other_provider)

    assert client.get(reverse("offers:offer_edit", args=[public.pk])).status_code == 403
    assert act(client, public, "withdraw", reason="Mine now").status_code == 403
    assert client.get(reverse("offers:offer_edit", args=[draft.pk])).status_code == 404
    assert act(client, draft, "publish").status_code == 404
    # Naming UNITAR as the provider of a new offer does not make it UNITAR's.
    client.post(reverse("offers:offer_create"), form_data(provider=str(unitar().pk), title="Whose?"))
    assert Offer.objects.get(title="Whose?").provider == other_provider.organisation
    public.refresh_from_db()
    draft.refresh_from_db()
    assert (public.status, draft.status) == ("published", "draft")


# The list


def titles(response):
    return [offer.title for offer in response.context["page"]]


def test_a_provider_lists_its_organisations_offers_in_every_state(personas, other_provider, client_for):
    offer_create(actor=None, provider=unitar(), data=offer_data(title="UNITAR draft"))
    published_offer(title="UNITAR published")
    published_offer(provider=other_provider.organisation, title="GIZ published")

    response = client_for(personas.provider_unitar).get(reverse("offers:my_offers"))

    assert sorted(titles(response)) == ["UNITAR draft", "UNITAR published"]
    assert not response.context["show_provider_filter"]


def test_the_secretariat_lists_all_offers_filtered_by_provider_and_status(personas, other_provider, client_for):
    offer_create(actor=None, provider=unitar(), data=offer_data(title="UNITAR draft"))
    published_offer(title="UNITAR published")
    giz = other_provider.organisation
    published_offer(provider=giz, title="GIZ published")
    client = client_for(personas.secretariat)

    everything = client.get(reverse("offers:my_offers"))
    of_giz = client.get(reverse("offers:my_offers"), {"provider": giz.pk})
    published = client.get(reverse("offers:my_offers"), {"status": "published"})

    assert sorted(titles(everything)) == ["GIZ published", "UNITAR draft", "UNITAR published"]
    assert titles(of_giz) == ["GIZ published"]
    assert sorted(titles(published)) == ["GIZ published", "UNITAR published"]


def test_the_list_costs_the_same_queries_for_one_offer_and_for_many(personas, client_for):
    client = client_for(personas.secretariat)
    published_offer()
    client.get(reverse("offers:my_offers"))  # sessions and caches settle
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("offers:my_offers"))
    for number in range(20):
        offer_create(actor=None, provider=unitar(), data=offer_data(title=f"Offer {number}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("offers:my_offers"))

    assert len(titles(response)) == 21
    assert len(many) == len(one)


@pytest.mark.parametrize(("persona", "shown"), [("provider_unitar", True), ("secretariat", True), ("focal_kenya", False)])
def test_my_offers_is_in_the_navigation_of_providers_and_the_secretariat(persona, shown, personas, client_for):
    page = client_for(getattr(personas, persona)).get(reverse("portal:home"))

    assert (reverse("offers:my_offers") in [url for _label, url in page.context["nav_items"]]) is shown


# Attachments


def upload(client, offer, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("offers:offer_attach", args=[offer.pk]), {"file": SimpleUploadedFile(name, content)})


def test_a_pdf_is_attached_and_listed(personas, media, client_for):
    offer = offer_create(actor=None, provider=unitar(), data=offer_data())
    client = client_for(personas.provider_unitar)

    response = upload(client, offer, "Programme 2026.pdf", PDF)

    assert response.status_code == 302
    attachment = OfferAttachment.objects.get()
    assert (attachment.filename, attachment.content_type, attachment.size) == ("Programme 2026.pdf", "application/pdf", len(PDF))
    assert "Programme" not in attachment.file.name  # the server chose the stored name
    page = client.get(reverse("offers:offer_edit", args=[offer.pk]))
    assert list(page.context["offer"].attachments.all()) == [attachment]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("programme.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),  # a Windows program named .pdf
        ("programme.pdf", b"<html><script>alert(1)</script></html>"),
        ("programme.png", PDF),  # a PDF named as an image
    ],
)
def test_a_disguised_file_is_refused_with_a_message_and_nothing_stored(name, content, personas, media, client_for):
    offer = offer_create(actor=None, provider=unitar(), data=offer_data())

    response = upload(client_for(personas.provider_unitar), offer, name, content)

    assert response.status_code == 200
    errors = response.context["attach_form"].errors["file"]
    assert errors == [
        "Attach a PDF, Word, Excel or PowerPoint file, or a PNG or JPEG image; this file is not one "
        "(its content does not match what its name says)."
    ]
    assert not OfferAttachment.objects.exists() and not any(media.rglob("*.*"))


def test_anyone_downloads_the_attachment_of_a_public_published_offer(personas, media, client_for):
    offer = published_offer()
    attachment = offer_attach(
        actor=personas.provider_unitar, offer=offer, upload=_file("Programme 2026.pdf", PDF)
    )

    response = client_for(None).get(reverse("offers:attachment_download", args=[attachment.pk]))

    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and "Programme 2026.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("visibility", "status", "readers", "others"),
    [
        ("public", "draft", ["provider_unitar", "secretariat"], [None, "focal_kenya", "no_role"]),
        ("parties", "published", ["focal_kenya", "provider_unitar", "secretariat"], [None, "no_role"]),
        ("secretariat", "published", ["provider_unitar", "secretariat"], [None, "focal_kenya", "no_role"]),
    ],
)
def test_an_attachment_is_downloaded_only_by_who_sees_its_offer(
    visibility, status, readers, others, personas, media, client_for
):
    if status == "published":
        offer = published_offer(visibility=visibility)
    else:
        offer = offer_create(actor=None, provider=unitar(), data=offer_data(visibility=visibility))
    attachment = offer_attach(actor=personas.provider_unitar, offer=offer, upload=_file("notes.pdf", PDF))
    url = reverse("offers:attachment_download", args=[attachment.pk])

    def answer(persona):
        return client_for(getattr(personas, persona) if persona else None).get(url).status_code

    assert {persona: answer(persona) for persona in readers} == dict.fromkeys(readers, 200)
    assert {persona: answer(persona) for persona in others} == dict.fromkeys(others, 404)


def test_another_provider_cannot_attach_to_unitars_offer(personas, other_provider, media, client_for):
    offer = published_offer()

    response = upload(client_for(other_provider), offer, "programme.pdf", PDF)

    assert response.status_code == 403 and not OfferAttachment.objects.exists()


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_offer_dates_round_trip_through_the_edit_form(personas, client_for):
    offer = offer_create(
        actor=None, provider=unitar(), data=offer_data(starts_on=date(2026, 2, 1), ends_on=None)
    )

    page = client_for(personas.provider_unitar).get(reverse("offers:offer_edit", args=[offer.pk]))

    assert 'value="2026-02-01"' in page.content.decode()
