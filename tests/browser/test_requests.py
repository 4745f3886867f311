"""A request for assistance from filing to feedback, in a real browser, as each person sees it.

Senegal's focal point files a request through the form (first with a field missing, to see the
errors) with a PDF attached, letting it be published. The regional focal point for Africa finds
it in My work, starts the review and asks a question, which the focal point answers on the
request page; the regional focal point then accepts it, and the public finds it in the published
requests, without a name or an e-mail address. The staff of BCRC-Senegal, to which it was
proposed, see it in outline, take it (and then see it in full, with its document), and deliver
it; the focal point rates the help, which closes the request. The Secretariat reads the
dashboard, the list of requests (filtered) and the request; Kenya's focal point cannot open it.
axe-core checks every kind of page along the way.

Elements are found by role, by field name or by URL rather than by English text. The contexts
that run axe bypass the Content-Security-Policy only so that axe can be injected (as in
test_accessibility.py).
"""

import re

from playwright.sync_api import expect

from tahub.assistance.models import Request
from tahub.reference.models import KindOfHelp, Theme
from tests.browser.helpers import (
    browsing_page,
    check_axe,
    expect_message,
    main,
    pk_of,
    submit,
)

MY_WORK = "/requests/my-work/"
NEW = "/requests/new/"
LIST = "/requests/"
DASHBOARD = "/requests/dashboard/"
PUBLISHED = "/requests/published/"
TITLE = "Inventory of used lead-acid batteries"
WORD = "smelters"
DESCRIPTION = (
    f"We need help to inventory used lead-acid batteries and the informal {WORD} recycling them."
)
QUESTION = "How many informal smelters are known to the ministry?"
ANSWER = "About forty, most of them around Dakar."
FEEDBACK = "The inventory method is now used by the ministry."
KIND = "advice.expert"
THEME = "waste_management.ewaste"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ATTACHMENT = {"name": "Letter to the Secretariat.pdf", "mimeType": "application/pdf", "buffer": PDF}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")














def status_badge(page):
    return main(page).locator("h1 + p .badge").first


def expect_status(page, status):
    expect(status_badge(page)).to_have_text(str(Request.Status(status).label))


def request_form(page):
    return (
        main(page)
        .locator('form[enctype="multipart/form-data"]')
        .filter(has=page.locator('[name="description"]'))
    )


def section(page, key):
    return main(page).locator(f'section[aria-labelledby="section-{key}"]')


def move(page, to):
    """The form that moves the request to state ``to``."""
    return (
        main(page).locator("form.move").filter(has=page.locator(f'input[name="to"][value="{to}"]'))
    )


def figure(page, n):
    """The ``n``-th figure of the dashboard's cards (0: open requests, 4: median days to closing)."""
    return main(page).locator("ul.cards .figure").nth(n)


def open_from_my_work(page, key, url):
    page.goto(MY_WORK)
    section(page, key).locator(f'a[href="{url}"]').click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))


def test_a_request_from_filing_to_feedback(new_context, site, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    reports = []

    # Given Senegal's focal point, who opens the request form from My work (in the main navigation)
    focal = browsing_page(new_context, personas.focal_senegal)
    focal.locator("nav.main-nav").locator(f'a[href="{MY_WORK}"]').click()
    expect(focal).to_have_url(f"{site}{MY_WORK}")
    check_axe(focal, "My work for a focal point, empty", reports)
    main(focal).locator(f'a[href="{NEW}"]').click()
    expect(focal).to_have_url(f"{site}{NEW}")
    form = request_form(focal)
    # (one Party: no Party to choose, no co-requesters, no source document)
    expect(
        form.locator('[name="country"], [name="co_requesters"], [name="source_document"]')
    ).to_have_count(0)

    # When she fills in everything but the title, and submits
    form.locator('[name="description"]').fill(DESCRIPTION)
    form.locator(f'input[name="kinds"][value="{pk_of(KindOfHelp, KIND)}"]').check()
    form.locator(f'input[name="themes"][value="{pk_of(Theme, THEME)}"]').check()
    form.locator('input[name="languages"][value="fr"]').check()
    form.locator('input[name="modality"][value="online"]').check()
    form.locator('input[name="is_public"]').check()
    form.locator('input[name="attachments"]').set_input_files(ATTACHMENT)
    submit(focal, form.locator('.form-actions button[type="submit"]'))

    # Then the form comes back with the error at the title and the rest kept
    expect(focal).to_have_url(f"{site}{NEW}")
    form = request_form(focal)
    expect(form.get_by_role("alert")).to_have_count(1)
    expect(form.locator('[name="title"]')).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#field-title .errorlist")).to_have_count(1)
    expect(form.locator('[name="description"]')).to_have_value(DESCRIPTION)
    expect(form.locator(f'input[name="themes"][value="{pk_of(Theme, THEME)}"]')).to_be_checked()
    expect(form.locator('input[name="is_public"]')).to_be_checked()
    check_axe(focal, "the request form with errors", reports)
    assert not Request.objects.exists()

    # When she gives the title, attaches the letter again (a browser never keeps a file) and submits
    form.locator('[name="title"]').fill(TITLE)
    form.locator('input[name="attachments"]').set_input_files(ATTACHMENT)
    submit(focal, form.locator('.form-actions button[type="submit"]'))

    # Then the request is submitted, on its own page, with the letter among its documents
    expect(focal).to_have_url(re.compile(r"/requests/\d+/$"))
    expect_message(focal, "success")
    item = Request.objects.get()
    url = item.get_absolute_url()
    assert (item.country.iso3, item.is_public, item.owner) == ("SEN", True, personas.rfp_africa)
    expect(main(focal).get_by_role("heading", level=1)).to_have_text(TITLE)
    expect_status(focal, Request.Status.SUBMITTED)
    expect(main(focal).locator('a[href^="/requests/attachments/"]')).to_have_text(
        ATTACHMENT["name"]
    )
    check_axe(focal, "the request page for the focal point, submitted", reports)

    # When the regional focal point for Africa opens it from My work
    regional = browsing_page(new_context, personas.rfp_africa)
    open_from_my_work(regional, "to_act_on", url)
    check_axe(regional, "the request page for the regional focal point", reports)

    # And starts the review
    submit(regional, move(regional, "under_review").get_by_role("button"))
    expect_message(regional, "success")
    expect_status(regional, Request.Status.UNDER_REVIEW)

    # And asks the Party for more information, with a question
    asking = move(regional, "more_information")
    asking.locator("summary").click()
    asking.locator('textarea[name="comment"]').fill(QUESTION)
    submit(regional, asking.locator('button[type="submit"]'))

    # Then the request waits for the Party's answer, and so does his My work
    expect_message(regional, "success")
    expect_status(regional, Request.Status.MORE_INFORMATION)
    regional.goto(MY_WORK)
    expect(section(regional, "waiting_for_party").locator(f'a[href="{url}"]')).to_have_count(1)
    check_axe(regional, "My work for the regional focal point", reports)

    # When the focal point opens the request from her My work
    open_from_my_work(focal, "party_to_answer", url)

    # Then she reads the question, in the timeline and above the answer form
    expect(main(focal).locator("ol.timeline")).to_contain_text(QUESTION)
    answering = main(focal).locator('section[aria-labelledby="answer-heading"]')
    expect(answering.locator("blockquote")).to_have_text(QUESTION)
    # (one form to write in, not the answer form and the message form with the same fields)
    expect(main(focal).locator('form[action$="/messages/"]')).to_have_count(0)
    answer = answering.locator("form")
    expect(answer.locator('input[name="lock_version"]')).to_be_hidden()
    expect(answer.locator('label[for="id_lock_version"]')).to_have_count(0)
    check_axe(focal, "the request page with the answer form", reports)

    # When she answers it with the answer form
    answer.locator('textarea[name="body"]').fill(ANSWER)
    submit(focal, answer.locator('button[type="submit"]'))

    # Then the request is back under review, with her answer once in the timeline
    expect_message(focal, "success")
    expect_status(focal, Request.Status.UNDER_REVIEW)
    expect(main(focal).locator("ol.timeline .prose").filter(has_text=ANSWER)).to_have_count(1)
    expect(main(focal).locator('section[aria-labelledby="answer-heading"]')).to_have_count(0)
    expect(main(focal).locator('form[action$="/messages/"]')).to_have_count(1)

    # When the regional focal point reads the answer and accepts the request
    regional.goto(url)
    expect(main(regional).locator("ol.timeline")).to_contain_text(ANSWER)
    submit(regional, move(regional, "accepted").get_by_role("button"))
    expect_message(regional, "success")
    expect_status(regional, Request.Status.ACCEPTED)

    # Then the public (no one signed in) finds it among the published requests, from the offers
    public = browsing_page(new_context)
    public.goto("/offers/")
    main(public).locator(f'a[href="{PUBLISHED}"]').click()
    expect(public).to_have_url(f"{site}{PUBLISHED}")
    published = main(public).locator(f'a[href="{PUBLISHED}{item.pk}/"]')
    expect(published).to_have_count(1)
    check_axe(public, "the published requests", reports)
    # (also when filtered by the region and the theme)
    filters = main(public).locator("form.filters")
    filters.locator('select[name="regional_group"]').select_option("AFRICA")
    filters.locator('select[name="theme"]').select_option("waste_management")
    submit(public, filters.locator('button[type="submit"]'))
    expect(published).to_have_count(1)
    filters.locator('select[name="regional_group"]').select_option("GRULAC")
    submit(public, filters.locator('button[type="submit"]'))
    expect(published).to_have_count(0)
    public.goto(PUBLISHED)

    # And opens its page: the help wanted, without a name or an e-mail address
    published.click()
    expect(main(public).get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main(public)).to_contain_text(WORD)
    check_axe(public, "a published request", reports)
    for shown in (f"{PUBLISHED}", f"{PUBLISHED}{item.pk}/"):
        public.goto(shown)
        text = main(public).inner_text()
        for person in (personas.focal_senegal, personas.rfp_africa, personas.centre_senegal):
            assert person.full_name not in text, f"{person.full_name} is named on {shown}"
        assert not EMAIL.search(text), f"an e-mail address is shown on {shown}"
        expect(main(public).locator('a[href^="/requests/attachments/"]')).to_have_count(0)
        expect(main(public)).not_to_contain_text(ANSWER)

    # When the Secretariat opens the dashboard from My work
    secretariat = browsing_page(new_context, personas.secretariat)
    secretariat.locator("nav.main-nav").locator(f'a[href="{MY_WORK}"]').click()
    # (it is not in their own work: the regional focal point owns it)
    expect(section(secretariat, "to_act_on").locator(f'a[href="{url}"]')).to_have_count(0)
    check_axe(secretariat, "My work for the Secretariat", reports)
    main(secretariat).locator(f'a[href="{DASHBOARD}"]').click()

    # Then it counts the one open request, in its region and its theme
    expect(secretariat).to_have_url(f"{site}{DASHBOARD}")
    expect(figure(secretariat, 0)).to_have_text("1")
    by_group = main(secretariat).locator('a[href*="regional_group=AFRICA"]')
    expect(by_group.locator("xpath=ancestor::tr").locator("td").first).to_have_text("1")
    expect(main(secretariat).locator('a[href*="theme=waste_management.ewaste"]')).to_have_count(1)
    check_axe(secretariat, "the dashboard", reports)
    assert TITLE in secretariat.request.get(f"{DASHBOARD}requests.csv").text()

    # When they follow the region to the list of its open requests, and narrow it (htmx, in place)
    by_group.click()
    expect(secretariat).to_have_url(re.compile(r"\?regional_group=AFRICA&open_only=on$"))
    rows = main(secretariat).locator("#request-results tbody tr")
    row_link = main(secretariat).locator(f'#request-results a[href="{url}"]')
    expect(row_link).to_have_count(1)
    filters = main(secretariat).locator("form.filters")
    secretariat.evaluate("window.stillTheSamePage = true")
    with secretariat.expect_response(lambda response: "country=SEN" in response.url):
        filters.locator('select[name="country"]').select_option("SEN")
    expect(secretariat).to_have_url(re.compile(r"[?&]country=SEN(&|$)"))
    with secretariat.expect_response(lambda response: "kind=advice&" in response.url):
        filters.locator('select[name="kind"]').select_option("advice")

    # Then the request is still listed, and the board counts it as accepted
    expect(row_link).to_have_count(1)
    expect(
        main(secretariat).locator('#request-results .board a[href$="status=accepted"] .figure')
    ).to_have_text("1")
    check_axe(secretariat, "the request list, filtered", reports)

    # When they look for a word the request does not have
    with secretariat.expect_response(lambda response: "q=mercury" in response.url):
        filters.locator('input[name="q"]').fill("mercury")
        filters.locator('input[name="q"]').press("Enter")

    # Then nothing matches, and the page was not reloaded
    expect(row_link).to_have_count(0)
    expect(rows).to_have_count(1)  # the row that says nothing matches
    assert secretariat.evaluate("window.stillTheSamePage === true"), "the page was reloaded"

    # When they clear the word and open the request from the list
    with secretariat.expect_response(lambda response: "q=&" in response.url):
        filters.locator('input[name="q"]').fill("")
        filters.locator('input[name="q"]').press("Enter")
    row_link.click()

    # Then they see it in full, and may give it another owner or propose another centre
    expect(secretariat).to_have_url(f"{site}{url}")
    expect(main(secretariat)).to_contain_text(WORD)
    expect(
        main(secretariat).locator('form[action$="/owner/"] select[name="owner"]')
    ).to_be_visible()
    expect(
        main(secretariat).locator('form[action$="/centres/"] select[name="centre"]')
    ).to_be_visible()
    check_axe(secretariat, "the request page for the Secretariat", reports)

    # When the centre's staff open it from their My work, where it is proposed to the centre
    centre = browsing_page(new_context, personas.centre_senegal)
    centre.goto(MY_WORK)
    expect(section(centre, "proposed_to_centre").locator(f'a[href="{url}"]')).to_have_count(1)
    check_axe(centre, "My work for the centre, proposed", reports)
    section(centre, "proposed_to_centre").locator(f'a[href="{url}"]').click()

    # Then they see it in outline only: neither its description, nor its document, nor the timeline
    expect(main(centre).get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(main(centre)).not_to_contain_text(WORD)
    expect(main(centre).locator('a[href^="/requests/attachments/"]')).to_have_count(0)
    expect(main(centre).locator("ol.timeline")).to_have_count(0)
    check_axe(centre, "the request page for the centre, in outline", reports)

    # When they take it for their centre
    routing = main(centre).locator('section[aria-labelledby="routing-heading"]')
    submit(centre, routing.locator('form[action$="/take/"] button'))

    # Then they see it in full, with its document, which they can download
    expect_message(centre, "success")
    expect(main(centre)).to_contain_text(WORD)
    document = main(centre).locator('a[href^="/requests/attachments/"]')
    expect(document).to_have_text(ATTACHMENT["name"])
    with centre.expect_download() as download:
        document.click()
    assert download.value.suggested_filename == ATTACHMENT["name"]
    assert open(download.value.path(), "rb").read() == PDF
    expect(main(centre).locator('section[aria-labelledby="routing-heading"]')).to_have_count(0)
    check_axe(centre, "the request page for the centre, taken", reports)

    # When they mark the delivery started, then completed
    submit(centre, move(centre, "in_delivery").get_by_role("button"))
    expect_message(centre, "success")
    expect_status(centre, Request.Status.IN_DELIVERY)
    centre.goto(MY_WORK)
    expect(section(centre, "centre_delivery").locator(f'a[href="{url}"]')).to_have_count(1)
    check_axe(centre, "My work for the centre, delivering", reports)
    section(centre, "centre_delivery").locator(f'a[href="{url}"]').click()
    submit(centre, move(centre, "completed").get_by_role("button"))

    # Then the delivery is completed
    expect_message(centre, "success")
    expect_status(centre, Request.Status.COMPLETED)

    # And the public no longer finds it (help is no longer sought)
    public.goto(PUBLISHED)
    expect(published).to_have_count(0)
    assert public.request.get(f"{PUBLISHED}{item.pk}/").status == 404

    # When the focal point finds it awaiting her feedback, and rates the help
    focal.goto(MY_WORK)
    expect(section(focal, "party_to_answer").locator(f'a[href="{url}"]')).to_have_count(1)
    check_axe(focal, "My work for the focal point, feedback awaited", reports)
    section(focal, "party_to_answer").locator(f'a[href="{url}"]').click()
    feedback = main(focal).locator('section[aria-labelledby="feedback-heading"] form')
    # (each group of choices is a fieldset named by its question)
    expect(feedback.locator("fieldset:has(legend) input[type=radio]")).to_have_count(8)
    check_axe(focal, "the request page with the feedback form", reports)
    feedback.locator('input[name="rating"][value="4"]').check()
    feedback.locator('input[name="need_met"][value="met"]').check()
    feedback.locator('textarea[name="comment"]').fill(FEEDBACK)
    submit(focal, feedback.locator('button[type="submit"]'))

    # Then the request is closed, with her feedback shown
    expect_message(focal, "success")
    expect_status(focal, Request.Status.CLOSED)
    expect(main(focal).locator('section[aria-labelledby="feedback-heading"]')).to_have_count(0)
    expect(main(focal)).to_contain_text(FEEDBACK)
    check_axe(focal, "the request page for the focal point, closed", reports)
    item.refresh_from_db()
    assert (item.status, item.rating, item.need_met) == (Request.Status.CLOSED, 4, "met")

    # When the Secretariat opens the dashboard again, and the list of the region's open requests
    secretariat.goto(MY_WORK)
    main(secretariat).locator(f'a[href="{DASHBOARD}"]').click()
    expect(figure(secretariat, 0)).to_have_text("0")
    expect(figure(secretariat, 4)).not_to_have_text("—")  # median days to closing: one closed now
    check_axe(secretariat, "the dashboard, all closed", reports)
    secretariat.goto(f"{LIST}?regional_group=AFRICA&open_only=on")

    # Then the request is no longer there, and it is when the filter on open requests is removed
    expect(row_link).to_have_count(0)
    expect(rows).to_have_count(1)  # the row that says nothing matches
    with secretariat.expect_response(lambda response: "hx-request" in response.request.headers):
        main(secretariat).locator('form.filters input[name="open_only"]').uncheck()
    expect(row_link).to_have_count(1)
    expect(row_link.locator("xpath=ancestor::tr").locator(".badge")).to_have_text(
        str(Request.Status.CLOSED.label)
    )

    # And Kenya's focal point cannot open the Senegal request, nor its document
    kenya = browsing_page(new_context, personas.focal_kenya)
    assert kenya.request.get(url).status == 404
    attachment = item.attachments.get()
    assert kenya.request.get(f"/requests/attachments/{attachment.pk}/").status == 404
    kenya.goto(MY_WORK)
    expect(main(kenya).locator(f'a[href="{url}"]')).to_have_count(0)

    # And no page broke the browser, nor had accessibility violations
    errors = (
        focal.errors
        + regional.errors
        + public.errors
        + centre.errors
        + secretariat.errors
        + kenya.errors
    )
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)
    assert not reports, "\n\n".join(reports)
