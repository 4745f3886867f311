"""A needs-assessment cycle from start to finish, in a real browser, in English and in French.

The Secretariat creates and opens a cycle through the form; Kenya's focal point fills in the
answers, saves, leaves, comes back, submits; the Secretariat returns the response with a query,
the focal point resubmits, the Secretariat accepts; Kenya's page then shows the need reported.
Along the way axe-core checks the cycle form, the tracking page, the response overview and the
section with the theme matrix.

Elements are found by role, by field name or by URL, not by English text, so the same steps run
in both languages. The contexts bypass the Content-Security-Policy only so that axe can be
injected (as in test_accessibility.py).
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tahub.reference.models import Country, Theme
from tests.assessments.factories import published_version
from tests.browser.helpers import (
    check_axe,
    expect_message,
    main,
    sign_in,
    submit,
    use_language,
)

CYCLES = "/assessments/cycles/"
LAW_YEAR = "2015"
THEME = "monitoring"
KIND = "training.course"
COMMENT = "No laboratory able to analyse e-waste fractions"
QUERY = "Which authority enforces the 2015 law?"


def signed_in_page(new_context, site, user, language):
    """A page signed in as ``user``, then switched to ``language``; browser errors collected."""
    context = new_context(bypass_csp=True)
    page = context.new_page()
    page.errors = []
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    sign_in(page, user)
    use_language(context, site, language)
    return page










def go_to_cycle(page, title):
    """From anywhere: the main navigation's needs assessments, then the cycle by its title."""
    page.get_by_role("navigation").locator(f'a[href="{CYCLES}"]').click()
    main(page).get_by_role("link", name=title, exact=True).click()


def open_kenya_answers(page, title):
    go_to_cycle(page, title)
    submit(page, main(page).locator('form[action$="/respond/KEN/"] button'))
    expect(page).to_have_url(re.compile(r"/assessments/responses/\d+/$"))


def open_section(page, code):
    main(page).locator(f'a[href$="/sections/{code}/"]').first.click()
    expect(page).to_have_url(re.compile(rf"/sections/{code}/$"))


def save_draft(page):
    # The plain save button: the other one carries name="next_section".
    submit(page, main(page).locator("form.questionnaire .form-actions button:not([name])"))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_cycle_from_creation_to_the_needs_on_the_party_page(
    new_context, site, personas, language
):
    version = published_version()
    title = f"Needs assessment {language}"
    with translation.override(language):
        kenya_name = Country.objects.get(iso3="KEN").name
        theme_label = Theme.objects.get(code=THEME).label
    reports = []

    # Given a Secretariat officer and Kenya's focal point, both reading the site in this language
    secretariat = signed_in_page(new_context, site, personas.secretariat, language)
    focal = signed_in_page(new_context, site, personas.focal_kenya, language)

    # When the Secretariat creates a cycle through the form
    secretariat.goto("/")
    expect(secretariat.locator("html")).to_have_attribute("lang", language)
    secretariat.get_by_role("navigation").locator(f'a[href="{CYCLES}"]').click()
    main(secretariat).locator(f'a[href="{CYCLES}new/"]').click()
    form = main(secretariat).locator("form")
    check_axe(secretariat, "the cycle form", reports)
    today = date.today()
    form.locator('[name="title"]').fill(title)
    form.locator('[name="version"]').select_option(str(version.pk))
    form.locator('[name="period_start"]').fill("2022-01-01")
    form.locator('[name="period_end"]').fill("2025-12-31")
    form.locator('[name="opens_on"]').fill(today.isoformat())
    form.locator('[name="closes_on"]').fill((today + timedelta(days=90)).isoformat())
    invited = form.locator('select[name="countries"]')
    kenya, peru = Country.objects.get(iso3="KEN"), Country.objects.get(iso3="PER")
    # Kenya is among the Parties invited by default (developing countries); they keep two
    expect(invited.locator(f'option[value="{kenya.pk}"]')).to_have_js_property("selected", True)
    invited.select_option([str(kenya.pk), str(peru.pk)])
    submit(secretariat, form.locator('button[type="submit"]'))

    # Then the cycle is a draft, which they open
    expect(secretariat).to_have_url(re.compile(r"/assessments/cycles/\d+/$"))
    cycle_url = secretariat.url
    expect(main(secretariat).get_by_role("heading", level=1)).to_have_text(title)
    submit(secretariat, main(secretariat).locator('button[name="action"][value="open"]'))
    expect_message(secretariat, "success")
    expect(main(secretariat).locator('button[name="action"][value="close"]')).to_be_visible()
    check_axe(secretariat, "the cycle tracking page", reports)

    # When Kenya's focal point opens the Party's answers from the cycle page
    open_kenya_answers(focal, title)
    response_url = focal.url
    expect(focal.locator("html")).to_have_attribute("lang", language)
    check_axe(focal, "the response overview", reports)

    # And answers the capacity section (yes/no, then the year) and saves it
    open_section(focal, "capacity")
    focal.locator('input[name="q-has_law"][value="yes"]').check()
    focal.locator('input[name="q-law_year"]').fill(LAW_YEAR)
    save_draft(focal)
    expect_message(focal, "success")

    # And leaves for the home page, then comes back the way she came
    focal.get_by_role("navigation").locator('a[href="/"]').click()
    expect(focal).to_have_url(f"{site}/")
    open_kenya_answers(focal, title)
    expect(focal).to_have_url(response_url)
    open_section(focal, "capacity")

    # Then her answers are there
    expect(focal.locator('input[name="q-has_law"][value="yes"]')).to_be_checked()
    expect(focal.locator('input[name="q-law_year"]')).to_have_value(LAW_YEAR)

    # When she fills one row of the theme matrix in the needs section and saves it
    focal.get_by_role("navigation").locator('a[rel="next"][href$="/sections/needs/"]').click()
    prefix = f"q-matrix-{THEME}"
    focal.locator(f'select[name="{prefix}-level"]').select_option("high")
    focal.locator(f'input[name="{prefix}-kinds"][value="{KIND}"]').check()
    focal.locator(f'textarea[name="{prefix}-comment"]').fill(COMMENT)
    save_draft(focal)

    # Then the row keeps what she entered
    expect_message(focal, "success")
    expect(focal.locator(f'select[name="{prefix}-level"]')).to_have_value("high")
    expect(focal.locator(f'input[name="{prefix}-kinds"][value="{KIND}"]')).to_be_checked()
    expect(focal.locator(f'textarea[name="{prefix}-comment"]')).to_have_value(COMMENT)
    check_axe(focal, "the section with the theme matrix", reports)

    # When she submits the response from the overview
    focal.goto(response_url)
    expect(main(focal).locator("#problems")).to_have_count(0)
    submit(focal, main(focal).locator('form[action$="/submit/"] button'))
    expect_message(focal, "success")
    expect(main(focal).locator('form[action$="/submit/"]')).to_have_count(0)

    # And the Secretariat opens it from the tracking table and returns it with a query
    secretariat.goto(cycle_url)
    tracking = (
        main(secretariat)
        .get_by_role("table")
        .filter(has=secretariat.locator('a[href*="/assessments/responses/"]'))
    )
    tracking.get_by_role("link", name=kenya_name, exact=True).click()
    expect(secretariat).to_have_url(response_url)
    review = (
        main(secretariat)
        .locator("form")
        .filter(has=secretariat.locator('textarea[name="query_text"]'))
    )
    review.locator('select[name="query_code"]').select_option("law_year")
    review.locator('textarea[name="query_text"]').fill(QUERY)
    submit(secretariat, review.locator('button[name="decision"][value="return"]'))
    expect_message(secretariat, "success")

    # Then the focal point sees the query, on the overview and at the question, and resubmits
    focal.goto(response_url)
    expect(main(focal)).to_contain_text(QUERY)
    open_section(focal, "capacity")
    expect(focal.locator("#q-law_year .query")).to_contain_text(QUERY)
    expect(focal.locator('input[name="q-law_year"]')).to_have_value(LAW_YEAR)
    focal.goto(response_url)
    submit(focal, main(focal).locator('form[action$="/submit/"] button'))
    expect_message(focal, "success")

    # When the Secretariat accepts the resubmitted response
    secretariat.goto(response_url)
    submit(secretariat, main(secretariat).locator('button[name="decision"][value="accept"]'))
    expect_message(secretariat, "success")
    expect(main(secretariat).locator('button[name="decision"][value="amend"]')).to_be_visible()

    # Then Kenya's page shows the need, with its comment, to the focal point
    focal.goto("/parties/KEN/")
    need = main(focal).get_by_role("row").filter(has_text=COMMENT)
    expect(need).to_have_count(1)
    expect(need.get_by_role("cell").first).to_contain_text(theme_label)

    # And the Secretariat reads who did what on the answers, and the need the acceptance recorded
    secretariat.goto(response_url)
    main(secretariat).locator('a[href$="/history/"]').click()
    expect(main(secretariat).locator("ol.history")).to_contain_text(QUERY)
    check_axe(secretariat, "the response history", reports)
    secretariat.goto("/assessments/needs/?country=KEN")
    main(secretariat).get_by_role("link", name=theme_label, exact=True).click()
    expect(main(secretariat)).to_contain_text(COMMENT)
    check_axe(secretariat, "the need page", reports)

    # And no page broke the browser, nor had accessibility violations
    errors = secretariat.errors + focal.errors
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)
    assert not reports, "\n\n".join(reports)
