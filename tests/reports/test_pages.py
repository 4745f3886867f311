"""The report pages, downloads and API as each reader sees them."""

import io
import json

import pytest
from django.core.cache import cache

from tahub.offers.models import Offer
from tahub.reports.models import Rendering
from tests.offers.factories import published_offer
from tests.reports.factories import answer, two_cycles

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(reference, personas):
    _earlier, later = two_cycles(publish_later=True)
    return later


def test_the_public_reads_a_published_summary_with_small_figures_withheld(published, client):
    page = client.get(f"/reports/cycles/{published.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="needs_by_area/emergency/needs" data-value="3">3</td>' in html
    assert 'data-figure="needs_by_area/emergency/high" data-value=""><abbr' in html
    assert "/figures/needs_by_area/" not in html  # no way to the Parties' answers
    assert "Kenya" in html  # the responding Parties are listed in the annex


def test_the_public_api_gives_withheld_figures_as_null(published, client):
    summary = client.get(f"/api/v1/summaries/{published.pk}").json()

    table = next(t for t in summary["tables"] if t["key"] == "needs_by_area")
    emergency = next(r for r in table["rows"] if r["key"] == "emergency")
    assert emergency["values"]["needs"] == 3
    assert emergency["values"]["high"] is None and "high" in emergency["withheld"]
    assert summary["audience"] == "public"


def test_the_public_cannot_open_the_answers_behind_a_figure(published, client, personas, client_for):
    url = f"/reports/cycles/{published.pk}/figures/needs_by_area/monitoring/needs/"

    assert client.get(url).status_code == 404
    assert client_for(personas.focal_kenya).get(url).status_code == 404
    staff = client_for(personas.secretariat).get(url)
    assert staff.status_code == 200
    assert staff.content.decode().count("data-record=") == 3


def test_a_withheld_figure_has_no_records_page_even_for_offers(published, client):
    url = f"/reports/cycles/{published.pk}/figures/needs_by_area/monitoring/high/"

    assert client.get(url).status_code == 404


def test_the_public_follows_an_offer_figure_to_the_public_offers_only(published, client):
    published_offer(title="Public course")
    published_offer(title="For Parties only", visibility=Offer.Visibility.PARTIES)
    cache.clear()

    page = client.get(f"/reports/cycles/{published.pk}/figures/offers_by_kind/training/open/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Public course" in html and "For Parties only" not in html
    assert html.count("data-record=") == 1


def test_a_summary_follows_the_records_at_once(published, client, personas, client_for):
    staff = client_for(personas.secretariat)
    before = staff.get(f"/api/v1/summaries/{published.pk}").json()

    published_offer(title="A new course")

    after = staff.get(f"/api/v1/summaries/{published.pk}").json()

    def open_training(summary):
        table = next(t for t in summary["tables"] if t["key"] == "offers_by_kind")
        return next(r for r in table["rows"] if r["key"] == "training")["values"]["open"]

    assert open_training(after) == open_training(before) + 1


def test_an_open_cycle_is_summarised_for_members_only(reference, client, personas, client_for):
    _earlier, later = two_cycles()

    assert client.get(f"/reports/cycles/{later.pk}/").status_code == 404
    assert client_for(personas.no_role).get(f"/reports/cycles/{later.pk}/").status_code == 404
    assert client_for(personas.focal_peru).get(f"/reports/cycles/{later.pk}/").status_code == 200


def test_the_spreadsheet_has_a_sheet_per_table_with_numbers_frozen_headers_and_filters(published, client):
    from openpyxl import load_workbook

    response = client.get(f"/reports/cycles/{published.pk}/summary.xlsx")

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "about"
    sheet = workbook["participation_by_group"]
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref.startswith("A1:")
    africa = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] == "African States")
    assert africa[1:4] == (4, 3, 3)  # invited, responded, accepted: numbers, not text
    needs = workbook["needs_by_area"]
    emergency = next(row for row in needs.iter_rows(min_row=2, values_only=True) if row[0] == "Emergency responses")
    assert emergency[1] == 3 and emergency[2] is None  # a withheld figure is an empty cell


def test_a_table_as_csv_names_its_columns_and_leaves_withheld_figures_empty(published, client):
    response = client.get(f"/reports/cycles/{published.pk}/tables/needs_by_area.csv")

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "key,label,needs,high,medium,low,score"
    assert next(line for line in lines if line.startswith("emergency,")).endswith(",3,,,,")


def test_the_open_data_page_lists_the_published_tables_and_their_dictionary(published, client, reference):
    page = client.get("/reports/open-data/").content.decode()

    assert f"/reports/cycles/{published.pk}/tables/heat_map.csv" in page
    assert 'id="dictionary-needs_by_area"' in page and "<code>score</code>" in page


def test_the_public_reads_no_regional_report(published, client):
    assert client.get(f"/reports/cycles/{published.pk}/?scope=region:AFRICA").status_code == 404
    assert client.get(f"/api/v1/summaries/{published.pk}?scope=centre:senegal").status_code == 404
    assert "scope=region:" not in client.get("/reports/").content.decode()


def test_a_spreadsheet_never_holds_a_formula(reference):
    from django.utils import timezone
    from openpyxl import load_workbook

    from tahub.reports.definition import Report, Row, Section, Table
    from tahub.reports.exports import render_xlsx

    table = Table("providers", "Providers", "", [], [Row("1", '=HYPERLINK("https://example.org","Open")\x07', {})])
    report = Report("r", "Title", "", [Section("s", "S", "", [table])], "public", "en", timezone.now())

    cell = load_workbook(io.BytesIO(render_xlsx(report)))["providers"]["A2"]

    assert cell.data_type == "s" and cell.value == '=HYPERLINK("https://example.org","Open")'


def test_a_regional_report_counts_a_regions_parties_and_the_offers_open_to_them(published, personas, client_for):
    client = client_for(personas.secretariat)
    from tahub.reference.models import Country

    published_offer(
        title="For Kenya and Ghana", eligible_developing=False, amount=1000, currency="USD",
        eligible_countries=list(Country.objects.filter(iso3__in=["KEN", "GHA"])),
    )
    cache.clear()

    summary = client.get(f"/api/v1/summaries/{published.pk}?scope=region:AFRICA").json()

    participation = next(t for t in summary["tables"] if t["key"] == "participation")["rows"][0]["values"]
    assert participation["invited"] == 4  # KEN, SEN, GHA, TZA
    values = next(t for t in summary["tables"] if t["key"] == "offers_value")["rows"]
    usd = next(row for row in values if row["key"] == "USD")["values"]
    assert usd["open"] == 1 and float(usd["open_amount"]) == 1000  # counted once, not once per country


def test_a_focal_point_reads_and_downloads_its_partys_report_only(published, personas, client_for):
    from docx import Document
    from openpyxl import load_workbook

    kenya = client_for(personas.focal_kenya)

    page = kenya.get("/reports/parties/KEN/")
    assert page.status_code == 200
    assert "Monitoring" in page.content.decode()
    document = Document(io.BytesIO(kenya.get("/reports/parties/KEN/report.docx").content))
    assert len(document.tables) == 4  # needs, requests, offers matched, activities delivered
    workbook = load_workbook(io.BytesIO(kenya.get("/reports/parties/KEN/report.xlsx").content))
    needs = workbook["party_needs"]
    assert [cell.value for cell in needs[1]][:2] == ["Theme", "Status"]
    assert kenya.get("/reports/parties/PER/").status_code == 404
    assert kenya.get("/api/v1/parties/KEN/report").status_code == 200
    assert kenya.get("/api/v1/parties/PER/report").status_code == 404


def test_the_party_report_keeps_each_cycles_level(published, personas, client_for):
    report = client_for(personas.secretariat).get("/api/v1/parties/KEN/report").json()

    needs = next(t for t in report["tables"] if t["key"] == "party_needs")
    monitoring = next(r for r in needs["rows"] if r["label"].startswith("Monitoring"))
    levels = [value for key, value in monitoring.items() if key.startswith("c")]
    assert levels == ["High", "High"]


def test_asking_for_a_document_makes_it_in_the_background(published, personas, client_for, settings, tmp_path,
                                                          django_capture_on_commit_callbacks):
    from docx import Document

    settings.MEDIA_ROOT = tmp_path
    staff = client_for(personas.secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/reports/cycles/{published.pk}/render/", {"format": "docx", "language": "fr"})

    rendering = Rendering.objects.get()
    assert response["Location"] == f"/reports/renderings/{rendering.token}/"
    assert rendering.status == Rendering.Status.DONE and rendering.progress == 100
    page = staff.get(response["Location"]).content.decode()
    assert f"/reports/renderings/{rendering.token}/download/" in page
    document = Document(io.BytesIO(b"".join(staff.get(f"/reports/renderings/{rendering.token}/download/").streaming_content)))
    assert any("Participation" in p.text for p in document.paragraphs)  # French: the same word
    assert client_for(personas.focal_kenya).get(response["Location"]).status_code == 404


def test_a_rendering_waiting_shows_its_progress_and_refreshes(published, personas, client_for):
    rendering = Rendering.objects.create(
        kind=Rendering.Kind.CYCLE, cycle=published, format="docx", language="en", requested_by=personas.secretariat,
        status=Rendering.Status.RUNNING, progress=40, step="Needs",
    )

    page = client_for(personas.secretariat).get(f"/reports/renderings/{rendering.token}/").content.decode()

    assert '<progress max="100" value="40"' in page and 'http-equiv="refresh"' in page


def test_a_failed_rendering_says_so(published, personas, monkeypatch, django_capture_on_commit_callbacks):
    from tahub.reports import documents
    from tahub.reports.services import rendering_request

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(documents, "render_docx", broken)

    with django_capture_on_commit_callbacks(execute=True):  # the task fails: its error is logged
        rendering_request(actor=personas.secretariat, kind=Rendering.Kind.CYCLE, cycle=published, format="docx", language="ar")

    rendering = Rendering.objects.get()
    assert rendering.status == Rendering.Status.FAILED and "disk full" in rendering.error


def test_accepting_a_response_changes_the_summary(reference, personas, client_for):
    _earlier, later = two_cycles()
    staff = client_for(personas.secretariat)
    before = staff.get(f"/api/v1/summaries/{later.pk}").json()

    answer(later, "SEN", {"legal": "high"})

    after = staff.get(f"/api/v1/summaries/{later.pk}").json()

    def accepted(summary):
        return next(t for t in summary["tables"] if t["key"] == "participation")["rows"][0]["values"]["accepted"]

    assert accepted(after) == accepted(before) + 1
    assert json.dumps(after) != json.dumps(before)
