"""Choosing the interface language with the language form in the header."""

from playwright.sync_api import expect


def choose_language(page, code):
    switch = page.get_by_role("banner").locator("form.lang-switch")
    switch.get_by_role("combobox").select_option(code)
    with page.expect_navigation():
        switch.get_by_role("button").click()


def test_arabic_lays_the_page_out_right_to_left_and_english_left_to_right(page, site):
    # Given a visitor on the Parties page, in English
    page.goto("/parties/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")

    # When they choose العربية in the language form
    choose_language(page, "ar")

    # Then the same page comes back in Arabic, right to left
    expect(page).to_have_url(f"{site}/parties/")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("banner").get_by_role("combobox")).to_have_value("ar")

    # When they choose English again
    choose_language(page, "en")

    # Then the page is in English, left to right
    expect(page).to_have_url(f"{site}/parties/")
    expect(html).to_have_attribute("lang", "en")
    expect(html).to_have_attribute("dir", "ltr")
