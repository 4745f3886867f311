"""Summaries in a real browser: the public reads a published cycle's summary in Arabic (charts beside
their tables, small figures withheld, no link to Parties' answers); the Secretariat reads it in full,
follows a figure to the needs it counts, and has the French document made in the background.

Elements are found by role, attribute or URL rather than by English text; axe-core checks each page.
"""

import re

from playwright.sync_api import expect

from tests.browser.helpers import browsing_page, check_axe, main, submit, use_language
from tests.reports.factories import two_cycles


def test_the_public_and_the_secretariat_read_a_summary(new_context, site, personas):
    reports = []
    _earlier, later = two_cycles(publish_later=True)
    url = f"/reports/cycles/{later.pk}/"

    # Given the public, in Arabic
    public = browsing_page(new_context)
    use_language(public.context, site, "ar")
    public.goto(url)
    expect(public.locator("html")).to_have_attribute("dir", "rtl")
    needs = main(public).locator("#table-needs_by_area")
    emergency_needs = needs.locator('td[data-figure="needs_by_area/emergency/needs"]')
    expect(emergency_needs).to_have_text("3")
    expect(needs.locator('td[data-figure="needs_by_area/emergency/high"] abbr')).to_have_text("—")
    expect(emergency_needs.locator("a")).to_have_count(0)  # no way to the Parties' answers
    expect(needs.locator("figure.chart")).to_have_count(0)  # every level is withheld: nothing to draw
    chart = main(public).locator("#table-participation_by_group figure.chart img")
    expect(chart).to_have_attribute("alt", re.compile(".+"))
    assert public.evaluate("(img) => img.complete && img.naturalWidth > 0", chart.element_handle())
    check_axe(public, "Summary (public, Arabic)", reports)

    # When the Secretariat opens it, every figure is shown and links to its records
    staff = browsing_page(new_context, personas.secretariat)
    staff.goto(url)
    high = main(staff).locator('td[data-figure="needs_by_area/monitoring/high"]')
    expect(high).to_have_text("1")
    check_axe(staff, "Summary (Secretariat)", reports)
    submit(staff, main(staff).locator('td[data-figure="changes/monitoring/dropped"] a'))
    rows = main(staff).locator("table.records tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Peru")
    check_axe(staff, "Records behind a figure (Secretariat)", reports)

    # And the French document is made in the background, with its download link when ready
    staff.goto(url)
    staff.locator("#id_format").select_option("docx")
    staff.locator("#id_language").select_option("fr")
    submit(staff, main(staff).locator('form[action$="/render/"] button[type="submit"]'))
    download_link = main(staff).locator('a[href$="/download/"]')
    expect(download_link).to_have_count(1, timeout=60_000)
    check_axe(staff, "Document ready (Secretariat)", reports)
    with staff.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith("-fr.docx")
    assert not reports, "\n\n".join(reports)
