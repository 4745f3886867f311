"""The Parties directory: opening a Party, filtering with and without JavaScript."""

import re

from playwright.sync_api import expect

from tahub.reference.models import Country, RegionalGroup


def regional_group_cells(page):
    return page.locator("#party-results tbody td:nth-child(3)").all_inner_texts()


def test_opening_a_party_from_the_directory_shows_its_classification_and_centres(page, site):
    kenya = Country.objects.get(iso3="KEN")
    centres = list(kenya.centres.all())
    assert centres, "the reference data should list a centre serving Kenya"

    # Given the Parties directory, showing the African States
    page.goto("/parties/?regional_group=AFRICA")

    # When the visitor follows the link to Kenya
    page.get_by_role("link", name="Kenya", exact=True).click()

    # Then Kenya's page shows its name, its classification and the centres serving it
    expect(page).to_have_url(f"{site}/parties/KEN/")
    expect(page).to_have_title("Kenya · tahub")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kenya")
    expect(page.locator("dl.facts dt:text-is('Classification') + dd")).to_contain_text(
        kenya.get_classification_display()
    )
    section = page.locator("h2:text-is('Regional centres serving this country') + ul")
    for centre in centres:
        link = section.get_by_role("link", name=centre.acronym, exact=True)
        expect(link).to_have_attribute("href", centre.get_absolute_url())


def test_filtering_by_regional_group_updates_the_results_in_place(page):
    grulac = RegionalGroup.objects.get(code="GRULAC")
    expected = Country.objects.filter(regional_group=grulac).count()

    # Given the Parties directory, unfiltered
    page.goto("/parties/")
    page.evaluate("window.stillTheSamePage = true")
    expect(page.get_by_role("link", name="Kenya", exact=True)).to_have_count(0)  # not on page 1

    # When the visitor picks a regional group (no button press: htmx reacts to the change)
    with page.expect_response(
        lambda response: (
            "regional_group=GRULAC" in response.url
            and response.request.headers.get("hx-request") == "true"
        )
    ):
        page.get_by_label("UN regional group").select_option(label=grulac.name)

    # Then the results and the announced count change without a page load, and the URL follows
    expect(page.get_by_role("status")).to_have_text(f"{expected} countries")
    expect(page).to_have_url(re.compile(r"[?&]regional_group=GRULAC(&|$)"))
    assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"
    expect(page.get_by_role("link", name="Peru", exact=True)).to_be_visible()
    assert set(regional_group_cells(page)) == {grulac.name}
    assert len(regional_group_cells(page)) == expected


def test_filtering_by_regional_group_works_without_javascript(new_context, site):
    grulac = RegionalGroup.objects.get(code="GRULAC")
    expected = Country.objects.filter(regional_group=grulac).count()

    # Given a browser with JavaScript off, on the Parties directory
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/parties/")

    # When the visitor picks a regional group and presses Filter
    page.get_by_label("UN regional group").select_option(label=grulac.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()

    # Then the page that comes back lists only that group's countries
    expect(page).to_have_url(
        re.compile(r"^" + re.escape(site) + r"/parties/\?.*regional_group=GRULAC")
    )
    expect(page.get_by_label("UN regional group")).to_have_value("GRULAC")
    expect(page.get_by_role("status")).to_have_text(f"{expected} countries")
    assert set(regional_group_cells(page)) == {grulac.name}
    assert len(regional_group_cells(page)) == expected
