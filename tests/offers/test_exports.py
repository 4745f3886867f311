"""Catalogue downloads: one column definition as CSV, XLSX and JSON; formulas neutralised; filters and speed."""

import csv
import io
import json
import time
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tahub.offers.exports import neutralised
from tahub.offers.models import Offer, OfferLanguage
from tahub.offers.selectors import CatalogueFilters, offer_export_rows_for
from tahub.reference.models import Country, KindOfHelp, Theme
from tests.offers.factories import published_offer, unitar

pytestmark = pytest.mark.django_db

DANGEROUS = {
    "title": "=HYPERLINK(\"http://evil.example\",\"Click\")",
    "contact_name": "+41 22 917 82 18",
    "how_to_apply": "-2+3 then @SUM(A1)",
    "description": "@SUM(1,2)",
}


def download(client, fmt, **query):
    response = client.get(f"/offers/download.{fmt}", query)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def csv_rows(content):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).active


def test_neutralised_prefixes_only_formula_starts():
    assert [neutralised(text) for text in ["=1+2", "+1", "-1", "@A1", "\t=1", "plain", "a=b", ""]] == [
        "'=1+2", "'+1", "'-1", "'@A1", "'\t=1", "plain", "a=b", "",
    ]


def test_csv_cells_that_look_like_formulas_get_an_apostrophe(personas, client):
    published_offer(**DANGEROUS)

    response, content = download(client, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="tahub-offers-' in response["Content-Disposition"]
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    (row,) = csv_rows(content)
    assert row["Title"] == "'" + DANGEROUS["title"]
    assert row["Contact name"] == "'+41 22 917 82 18"
    assert row["How to apply"] == "'-2+3 then @SUM(A1)"
    assert row["Description"] == "'@SUM(1,2)"
    assert row["Contact e-mail"] == "training@example.org"  # ordinary text is left alone


def test_xlsx_cells_that_look_like_formulas_are_text_never_formulas(personas, client):
    published_offer(**DANGEROUS)

    _response, content = download(client, "xlsx")

    sheet = xlsx_sheet(content)
    headers = [cell.value for cell in sheet[1]]
    row = {header: cell for header, cell in zip(headers, sheet[2], strict=True)}
    for header, field in [("Title", "title"), ("Contact name", "contact_name"),
                          ("How to apply", "how_to_apply"), ("Description", "description")]:
        assert row[header].data_type == "s", header
        assert row[header].value == DANGEROUS[field], header
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)


def test_xlsx_has_a_bold_frozen_filtered_header_and_typed_numbers_and_dates(personas, client):
    published_offer(amount=Decimal("12500.50"), currency="EUR", places=25, starts_on=date(2026, 3, 1))

    _response, content = download(client, "xlsx")

    sheet = xlsx_sheet(content)
    headers = [cell.value for cell in sheet[1]]
    row = {header: cell.value for header, cell in zip(headers, sheet[2], strict=True)}
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}2"
    assert row["Value"] == 12500.5 and row["Places"] == 25 and isinstance(row["ID"], int)
    assert row["From"] == datetime(2026, 3, 1) and sheet.cell(2, headers.index("From") + 1).is_date
    assert row["Currency"] == "EUR"


def test_json_is_a_list_of_objects_with_lists_kept_as_lists(personas, client):
    offer = published_offer(amount=Decimal("100"), currency="USD", **DANGEROUS)

    response, content = download(client, "json")

    assert response["Content-Type"] == "application/json"
    (item,) = json.loads(content)
    assert item["id"] == offer.pk
    assert item["title"] == DANGEROUS["title"]  # JSON is data, not a spreadsheet: nothing to neutralise
    assert item["kinds"] == ["Technical assistance and training"]
    assert item["languages"] == ["English", "French"]
    assert item["eligibility"] == "All developing-country Parties"
    assert item["starts_on"] == "2026-01-01" and item["amount"] == "100.00"
    assert item["url"] == "http://testserver" + offer.get_absolute_url()


def test_downloads_follow_the_page_filters_and_hold_every_matching_offer(personas, client):
    for number in range(30):
        published_offer(title=f"Spanish {number}", languages=["es"])
    published_offer(title="English only", languages=["en"])

    _response, content = download(client, "csv", language="es", page="1")

    rows = csv_rows(content)
    assert len(rows) == 30  # all of them, not one page of 25
    assert {row["Title"] for row in rows} == {f"Spanish {number}" for number in range(30)}


def _bulk_offers(count):
    """``count`` published offers with their kinds, themes, languages and an eligible country, in bulk."""
    provider = unitar()
    now = timezone.now()
    offers = Offer.objects.bulk_create(
        Offer(
            provider=provider, title=f"Bulk offer {number}", description="A standing *training* offer.",
            modality=Offer.Modality.ONLINE, eligible_developing=True, status=Offer.Status.PUBLISHED,
            published_at=now, places=number % 40, amount=Decimal(number), currency="USD", contact_email="x@example.org",
        )
        for number in range(count)
    )
    training, monitoring, peru = KindOfHelp.objects.get(code="training"), Theme.objects.get(code="monitoring"), Country.objects.get(iso3="PER")
    Offer.kinds.through.objects.bulk_create(Offer.kinds.through(offer=o, kindofhelp=training) for o in offers)
    Offer.themes.through.objects.bulk_create(Offer.themes.through(offer=o, theme=monitoring) for o in offers)
    Offer.eligible_countries.through.objects.bulk_create(Offer.eligible_countries.through(offer=o, country=peru) for o in offers)
    OfferLanguage.objects.bulk_create(OfferLanguage(offer=o, code=code) for o in offers for code in ("en", "fr"))
    return offers


def test_a_full_download_of_2000_offers_streams_in_chunks(personas, client, capsys):
    """Timings are printed for the record, not asserted: the suite must stay deterministic (see bench/)."""
    _bulk_offers(2000)
    timings = {}
    for fmt in ("csv", "xlsx", "json"):
        started = time.perf_counter()
        _response, content = download(client, fmt)
        timings[fmt] = time.perf_counter() - started
        if fmt == "csv":
            assert len(csv_rows(content)) == 2000
    with capsys.disabled():
        print("\n2,000 offers: " + ", ".join(f"{fmt} {seconds:.2f} s" for fmt, seconds in timings.items()))


def test_a_download_costs_the_same_queries_for_5_and_300_offers(personas, client):
    def count():
        with CaptureQueriesContext(connection) as captured:
            download(client, "csv", language="en")
        return len(captured)

    _bulk_offers(5)
    few = count()
    _bulk_offers(295)
    assert count() == few


def test_export_rows_carry_the_lists_in_reference_order(personas):
    offer = published_offer(
        kinds=list(KindOfHelp.objects.filter(code__in=["resources", "training"])),
        languages=["fr", "en"],
        eligible_countries=list(Country.objects.filter(iso3__in=["PER", "KEN"])),
    )

    (row,) = offer_export_rows_for(None, CatalogueFilters())

    assert row["pk"] == offer.pk
    assert row["kinds"] == [KindOfHelp.objects.get(code=code).pk for code in ("training", "resources")]
    assert row["languages"] == ["en", "fr"]
    assert row["eligible_countries"] == [Country.objects.get(iso3=iso3).pk for iso3 in ("KEN", "PER")]
