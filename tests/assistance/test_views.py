"""The request pages: filing, lists, the request page and its actions, my work, the dashboard,
and the public list; no JavaScript needed."""

import pytest
from django.urls import reverse

from tahub.assistance.models import Request
from tahub.assistance.services import request_file, request_move, routing_take
from tahub.reference.models import Country, KindOfHelp, Theme
from tests.assistance.factories import PDF, emergency_data, filed

pytestmark = pytest.mark.django_db
S = Request.Status


def form_data(**overrides):
    data = {
        "title": "Legal advice on a draft hazardous waste law",
        "description": "Our draft law needs review against the Convention.",
        "kinds": [KindOfHelp.objects.get(code="advice.legal").pk],
        "themes": [Theme.objects.get(code="legal.legislation").pk],
        "languages": ["fr", "en"],
        "urgency": "normal",
        "modality": "online",
        "duration_months": "3",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_focal_point_files_a_request_with_an_attachment(personas, client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = client_for(personas.focal_senegal)
    page = client.get(reverse("assistance:request_create"))
    assert page.status_code == 200 and 'name="country"' not in page.content.decode()

    response = client.post(reverse("assistance:request_create"), {
        **form_data(), "attachments": [SimpleUploadedFile("Draft law.pdf", PDF, content_type="application/pdf")],
    })

    request = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
    assert request.country.iso3 == "SEN" and request.attachments.get().filename == "Draft law.pdf"
    detail = client.get(request.get_absolute_url()).content.decode()
    assert "Draft law.pdf" in detail and "Our draft law needs review" in detail


@pytest.mark.parametrize(("overrides", "field"), [({"title": ""}, "title"), ({"urgency": "emergency"}, "incident_what")])
def test_a_bad_request_is_shown_with_its_errors_and_nothing_is_saved(personas, client_for, overrides, field):
    response = client_for(personas.focal_kenya).post(reverse("assistance:request_create"), form_data(**overrides))
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not Request.objects.exists()


def test_posted_party_status_and_owner_are_ignored(personas, client_for):
    client_for(personas.focal_kenya).post(reverse("assistance:request_create"), form_data(
        country=Country.objects.get(iso3="PER").pk, status="accepted", owner=personas.focal_kenya.pk,
        co_requesters=[Country.objects.get(iso3="PER").pk], source_document="forged",
    ))
    request = Request.objects.get()
    assert request.country.iso3 == "KEN" and request.status == S.SUBMITTED
    assert request.owner == personas.rfp_africa and not request.co_requesters.exists() and request.source_document == ""


def test_the_path_through_the_pages(personas, client_for):
    request = filed(personas.focal_senegal, "SEN")
    rfp, party, centre = (client_for(p) for p in (personas.rfp_africa, personas.focal_senegal, personas.centre_senegal))

    assert request.title in rfp.get(reverse("assistance:my_work")).content.decode()
    move = reverse("assistance:request_move", args=[request.pk])
    rfp.post(move, {"to": "under_review", "lock_version": 0})
    rfp.post(move, {"to": "more_information", "lock_version": 1, "comment": "Who drafted the law?"})
    assert "Who drafted the law?" in party.get(request.get_absolute_url()).content.decode()
    party.post(reverse("assistance:request_answer", args=[request.pk]), {"body": "The Ministry.", "lock_version": 2})
    rfp.post(move, {"to": "accepted", "lock_version": 3})
    routing = request.routings.get(centre__slug="senegal")
    assert "Take it for" in centre.get(request.get_absolute_url()).content.decode()
    centre.post(reverse("assistance:routing_take", args=[request.pk, routing.pk]))
    centre.post(move, {"to": "in_delivery", "lock_version": 5})
    centre.post(move, {"to": "completed", "lock_version": 6})
    party.post(reverse("assistance:request_feedback", args=[request.pk]), {"rating": "4", "need_met": "partly"})

    request.refresh_from_db()
    assert request.status == S.CLOSED and request.rating == 4 and request.centre.slug == "senegal"


def test_a_stale_move_shows_a_message_and_changes_nothing(personas, client_for):
    request = filed(personas.focal_senegal, "SEN")
    request_move(actor=personas.secretariat, request=request, to=S.UNDER_REVIEW)

    response = client_for(personas.rfp_africa).post(
        reverse("assistance:request_move", args=[request.pk]), {"to": "declined", "lock_version": 0, "comment": "x"},
        follow=True,
    )
    assert "Someone changed this request" in response.content.decode()
    assert Request.objects.get(pk=request.pk).status == S.UNDER_REVIEW


def test_an_illegal_move_is_refused_with_a_message(personas, client_for):
    request = filed(personas.focal_senegal, "SEN")
    response = client_for(personas.secretariat).post(
        reverse("assistance:request_move", args=[request.pk]), {"to": "completed", "lock_version": 0}, follow=True
    )
    assert "cannot become" in response.content.decode()
    assert Request.objects.get(pk=request.pk).status == S.SUBMITTED


def test_a_proposed_centre_sees_the_request_in_outline_until_it_takes_it(personas, client_for, settings, tmp_path):
    from tests.assistance.factories import upload

    settings.MEDIA_ROOT = tmp_path
    request = request_file(actor=personas.focal_senegal, country=Country.objects.get(iso3="SEN"),
                           data=emergency_data(), attachments=[upload("photos.pdf")])
    client = client_for(personas.centre_senegal)
    attachment = reverse("assistance:attachment_download", args=[request.attachments.get().pk])

    outline = client.get(request.get_absolute_url()).content.decode()
    assert request.title in outline and "leaking drums" not in outline and "photos.pdf" not in outline
    assert client.get(attachment).status_code == 404

    routing_take(actor=personas.centre_senegal, routing=request.routings.get(centre__slug="senegal"))
    full = client.get(request.get_absolute_url()).content.decode()
    assert "leaking drums" in full and "photos.pdf" in full
    assert client.get(attachment).status_code == 200


def test_lists_filter_and_show_overdue_and_emergencies_first(personas, client_for):
    filed(personas.focal_kenya, title="Normal one")
    request_file(actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=emergency_data())
    client = client_for(personas.secretariat)

    page = client.get(reverse("assistance:request_list")).context["page"]
    assert [r.urgency for r in page] == ["emergency", "normal"]
    filtered = client.get(reverse("assistance:request_list"), {"urgency": "normal", "theme": "waste_management"})
    assert [r.title for r in filtered.context["page"]] == ["Normal one"]
    board = dict(client.get(reverse("assistance:request_list")).context["board"])
    assert board[S.SUBMITTED] == 2


def test_the_list_costs_the_same_queries_for_1_and_30_requests(personas, client_for, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.secretariat)
    filed(personas.focal_kenya)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("assistance:request_list")).status_code == 200
        return len(captured)

    count()
    few = count()
    for number in range(29):
        filed(personas.focal_kenya, title=f"Request {number}")
    assert count() == few


def test_my_work_costs_the_same_queries_for_1_and_30_requests(personas, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.rfp_africa)
    filed(personas.focal_kenya)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("assistance:my_work")).status_code == 200
        return len(captured)

    count()
    few = count()
    for number in range(29):
        filed(personas.focal_kenya, title=f"Request {number}")
    assert count() == few


def test_the_dashboard_counts_and_downloads(personas, client_for):
    import io

    import openpyxl

    filed(personas.focal_kenya, title="=HYPERLINK(\"http://evil\")")
    request_file(actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=emergency_data())
    client = client_for(personas.secretariat)

    figures = client.get(reverse("assistance:dashboard")).context["figures"]
    assert figures["open"] == 2 and figures["emergencies"] == 1
    csv = b"".join(client.get(reverse("assistance:dashboard_download", args=["csv"])).streaming_content).decode()
    assert "'=HYPERLINK" in csv
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("assistance:dashboard_download", args=["xlsx"])).content))
    sheet = workbook.active
    assert sheet.max_row == 3 and sheet["A1"].font.b
    assert client_for(personas.rfp_africa).get(reverse("assistance:dashboard")).status_code == 403


def test_only_published_accepted_requests_appear_in_public_without_contact_details(personas, client):
    hidden = filed(personas.focal_kenya, title="Not published", is_public=False)
    shown = filed(personas.focal_kenya, title="Published and accepted", is_public=True)
    waiting = filed(personas.focal_kenya, title="Published, not yet accepted", is_public=True)
    for request in (hidden, shown):
        request_move(actor=personas.secretariat, request=request, to=S.UNDER_REVIEW)
        request_move(actor=personas.secretariat, request=request, to=S.ACCEPTED)

    page = client.get(reverse("assistance:published_list")).content.decode()
    assert "Published and accepted" in page and "Not published" not in page and waiting.title not in page
    detail = client.get(reverse("assistance:published_detail", args=[shown.pk])).content.decode()
    assert personas.focal_kenya.email not in detail and personas.focal_kenya.full_name not in detail
    assert personas.rfp_africa.full_name not in detail
    assert client.get(reverse("assistance:published_detail", args=[hidden.pk])).status_code == 404


def test_the_admin_shows_a_request_but_cannot_change_or_delete_it(personas, client_for):
    request = filed(personas.focal_kenya)
    admin = client_for(personas.secretariat)

    assert admin.get(f"/admin/assistance/request/{request.pk}/change/").status_code == 200
    changed = admin.post(f"/admin/assistance/request/{request.pk}/change/", {"title": "Changed", "status": "closed"})
    deleted = admin.post(f"/admin/assistance/request/{request.pk}/delete/", {"post": "yes"})

    assert changed.status_code == 403 and deleted.status_code == 403
    request.refresh_from_db()
    assert request.title == "Inventory of e-waste flows" and request.status == S.SUBMITTED


def test_the_service_levels_are_set_in_the_admin_and_apply_to_new_requests(personas, client_for):
    from tahub.assistance.models import ServiceLevel

    level = ServiceLevel.objects.get(status="submitted", urgency="normal")
    admin = client_for(personas.secretariat)
    admin.post(f"/admin/assistance/servicelevel/{level.pk}/change/", {
        "status": "submitted", "urgency": "normal", "working_days": "2",
    })
    assert ServiceLevel.objects.get(pk=level.pk).working_days == 2
    assert level.history.count() >= 1


def test_a_request_for_an_offers_help_starts_from_the_offer(personas, client_for):
    from tests.offers.factories import published_offer

    offer = published_offer(title="E-waste inventory training")
    offer_page = client_for(personas.focal_kenya).get(offer.get_absolute_url()).content.decode()
    assert f"/requests/new/?offer={offer.pk}" in offer_page

    form = client_for(personas.focal_kenya).get(f"/requests/new/?offer={offer.pk}").context["form"]

    assert form["title"].value() == "E-waste inventory training"
    assert set(form["themes"].value()) == set(offer.themes.values_list("pk", flat=True))
    assert "E-waste inventory training" in form["description"].value()
    assert client_for(personas.focal_kenya).get("/requests/new/?offer=99999").status_code == 200  # unknown: empty form


def test_the_board_shows_each_open_state_with_its_first_cards_in_constant_queries(personas, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(personas.secretariat)
    accepted = filed(personas.focal_kenya, title="Accepted one")
    for to in (S.UNDER_REVIEW, S.ACCEPTED):
        accepted = request_move(actor=None, request=accepted, to=to)
    filed(personas.focal_kenya, title="New one")

    def board():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("assistance:request_list"), {"view": "board"})
        return response, len(captured)

    response, few = board()
    columns = {status: (count, [r.title for r in cards]) for status, count, cards in response.context["columns"]}
    assert columns[S.SUBMITTED] == (1, ["New one"]) and columns[S.ACCEPTED] == (1, ["Accepted one"])
    assert columns[S.IN_DELIVERY] == (0, [])
    for number in range(12):
        filed(personas.focal_kenya, title=f"More {number}")
    response, many = board()
    count, cards = dict((s, (c, k)) for s, c, k in response.context["columns"])[S.SUBMITTED]
    assert count == 13 and len(cards) == 8 and many == few
