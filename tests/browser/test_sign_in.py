"""Signing in through the form."""

from playwright.sync_api import expect

from tahub.reference.models import RegionalCentre
from tests.personas import PASSWORD


def test_focal_point_signs_in_and_lands_on_home_page_with_their_starting_point(
    page, site, personas
):
    # Given Faith, focal point of Kenya, on the sign-in page
    faith = personas.focal_kenya
    page.goto("/account/sign-in/")
    expect(page).to_have_title("Sign in · tahub")

    # When she gives her e-mail address and password and signs in
    form = page.get_by_role("main").locator("form")
    form.get_by_label("E-mail address").fill(faith.email)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()

    # Then she is on the home page, which shows her name and her Party's starting point
    expect(page).to_have_url(f"{site}/")
    header = page.get_by_role("banner")
    expect(header.get_by_role("link", name="Faith Kenya")).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    expect(header.get_by_role("link", name="Sign in")).to_have_count(0)
    expect(page.get_by_role("heading", name="Your starting points")).to_be_visible()
    card = page.locator(".card").filter(has_text="Kenya: regional centres serving your Party")
    expect(card.get_by_role("link")).to_have_attribute("href", "/parties/KEN/")
    serving = RegionalCentre.objects.filter(
        countries_served__iso3="KEN", status=RegionalCentre.Status.ACTIVE
    )
    expect(card.locator(".figure")).to_have_text(str(serving.count()))
