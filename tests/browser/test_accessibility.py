"""Public pages (English and Arabic) and signed-in pages pass axe-core's WCAG 2.x A and AA rules.

Each test walks several pages in one browser context (a live-server test costs a database
flush and reload, so one test per page would make the suite several times slower) and
reports every page's violations together.
"""

import pytest

from tests.browser.helpers import axe_violations, describe_violations, sign_in, use_language

PUBLIC_PAGES = [
    "/",
    "/parties/",
    "/parties/KEN/",
    "/centres/",
    "/centres/senegal/",
    "/themes/",
    "/account/sign-in/",
]


@pytest.fixture
def axe_context(new_context):
    # The site's Content-Security-Policy (script-src 'self') blocks the inline <script> that
    # add_script_tag makes of axe.min.js, so the axe checks, and only they, bypass the CSP.
    # The other browser tests run with the policy on.
    return new_context(bypass_csp=True)


def violations_by_page(page, paths):
    """Visit each path; return a report for every page with violations (empty: none)."""
    reports = []
    for path in paths:
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            reports.append(
                describe_violations(
                    f"{path} ({page.locator('html').get_attribute('lang')})", violations
                )
            )
    return reports


@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages_have_no_accessibility_violations(axe_context, site, language):
    # Given a visitor who reads the site in this language
    use_language(axe_context, site, language)
    page = axe_context.new_page()
    # When they open each public page
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == language
    reports = violations_by_page(page, PUBLIC_PAGES)
    # Then axe-core finds nothing against WCAG 2.x A and AA
    assert not reports, "\n\n".join(reports)


def test_secretariat_home_page_has_no_accessibility_violations(axe_context, personas):
    # Given a Secretariat officer signed in
    page = axe_context.new_page()
    sign_in(page, personas.secretariat)
    # When they look at their home page, with its starting points
    page.goto("/")
    assert page.locator(".card").filter(has_text="People with access to tahub").count() == 1
    # Then axe-core finds nothing
    violations = axe_violations(page)
    assert not violations, describe_violations("/ (signed in as the Secretariat)", violations)


def test_token_page_has_no_accessibility_violations(axe_context, personas):
    # Given a focal point signed in, who has just created an API token
    page = axe_context.new_page()
    sign_in(page, personas.focal_kenya)
    page.goto("/account/tokens/")
    form = page.get_by_role("main").locator("form").filter(has=page.get_by_label("Name"))
    form.get_by_label("Name").fill("national reporting script")
    with page.expect_navigation():
        form.get_by_role("button", name="Create the token").click()
    # When the page shows the new token once, the creation form and the list with its revoke button
    assert page.locator("#new-token").is_visible()
    assert page.get_by_role("button", name="Revoke “national reporting script”").is_visible()
    # Then axe-core finds nothing
    violations = axe_violations(page)
    assert not violations, describe_violations("/account/tokens/ (signed in)", violations)


def test_questionnaires_page_has_no_accessibility_violations(axe_context, personas):
    from tahub.assessments.services.questionnaires import questionnaire_version_copy
    from tahub.assessments.xlsform import write_workbook
    from tests.assessments.factories import needs_spec, published_version
    from tests.assessments.test_questionnaire_pages import edit

    # Given the Secretariat with a published questionnaire and a draft copy of it
    questionnaire_version_copy(actor=None, version=published_version())
    page = axe_context.new_page()
    sign_in(page, personas.secretariat)
    page.goto("/assessments/questionnaires/")
    reports = []
    if violations := axe_violations(page):
        reports.append(describe_violations("/assessments/questionnaires/", violations))
    # When they import a workbook with a fault, and the page lists the problems
    broken = edit(
        write_workbook(needs_spec(), {"form_id": "needs", "version": "2026.9"}), "survey", {(3, "name"): "Has Law"}
    )
    page.get_by_label("XLSForm workbook (.xlsx)").set_input_files(
        {"name": "needs.xlsx", "mimeType": "application/octet-stream", "buffer": broken}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Import as a new draft").click()
    assert page.get_by_role("heading", name="The workbook was not imported; nothing was changed.").is_visible()
    # Then axe-core finds nothing on either
    if violations := axe_violations(page):
        reports.append(describe_violations("/assessments/questionnaires/import/ (problems)", violations))
    assert not reports, "\n\n".join(reports)
