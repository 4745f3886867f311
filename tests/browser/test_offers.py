"""The offers clearing-house in a real browser: providers and the Secretariat write offers, the
public and the Parties find them, a provider answers a cycle's available-assistance survey.

UNITAR's provider creates an offer through the form (first with a field missing, to see the
errors), saves, publishes and renames it, and withdraws another offer with a reason; the
Secretariat records an offer on UNITAR's behalf. The public then finds the published offer in
the catalogue by kind of help, by theme, by eligible country and by a word of its description,
and opens its page and its provider's; it sees neither the withdrawn offer nor a Parties-only
one, which Kenya's focal point does see. axe-core checks every kind of page along the way.

Elements are found by role, by field name or by URL rather than by English text. The contexts
that run axe bypass the Content-Security-Policy only so that axe can be injected (as in
test_accessibility.py); the public's search runs with the policy on.
"""

import re

from playwright.sync_api import expect

from tahub.accounts.models import Organisation
from tahub.assessments.models import ProviderInvitation
from tahub.offers.models import Offer
from tahub.reference.models import Country, KindOfHelp, Theme
from tests.assessments.factories import open_cycle
from tests.browser.helpers import (
    browsing_page,
    check_axe,
    expect_message,
    main,
    pk_of,
    submit,
)
from tests.offers.factories import published_offer, unitar

CATALOGUE = "/offers/"
MINE = "/offers/mine/"
NEW = "/offers/new/"
WORD = "vermicomposting"
TITLE = "Composting of household organic waste"
RENAMED = "Expert missions on composting household organic waste"
DESCRIPTION = f"Expert missions to set up **{WORD}** of household organic waste in municipalities."
KIND = "advice.expert"  # under "advice"
THEME = "waste_management.household"  # under "waste_management"
WITHDRAWAL_REASON = "The trainer who ran these study visits has left UNITAR."
RECEIVED_AS = "Letter of 3 March 2026, ref. UNITAR/CWM/12"
SURVEY_COMMENT = "Our 2027 programme is being planned; ask us again in the spring."














def offer_link(page, offer_or_pk):
    pk = getattr(offer_or_pk, "pk", offer_or_pk)
    return main(page).locator(f'#offer-results a[href="{CATALOGUE}{pk}/"]')


def offer_form(page):
    return main(page).locator("form.offer-form")


def fill_offer(form, *, title, description, kind, theme, languages, modality, countries):
    """Fill the offer form's required parts; ``countries`` are the eligible ones (no group)."""
    form.locator('[name="title"]').fill(title)
    form.locator('[name="description"]').fill(description)
    form.locator(f'input[name="kinds"][value="{pk_of(KindOfHelp, kind)}"]').check()
    form.locator(f'input[name="themes"][value="{pk_of(Theme, theme)}"]').check()
    for language in languages:
        form.locator(f'input[name="languages"][value="{language}"]').check()
    form.locator(f'input[name="modality"][value="{modality}"]').check()
    form.locator('select[name="eligible_countries"]').select_option(
        [str(Country.objects.get(iso3=iso3).pk) for iso3 in countries]
    )


def edit_page_of(page):
    """The pk of the offer whose edit page ``page`` shows."""
    expect(page).to_have_url(re.compile(r"/offers/\d+/edit/$"))
    return int(re.search(r"/offers/(\d+)/edit/$", page.url).group(1))


def status_badge(page):
    return main(page).locator('section[aria-labelledby="status-heading"] dd .badge')


def filter_in_place(page, where, change):
    """Make ``change`` to the catalogue's filters and wait for htmx's answer (no page load)."""
    with page.expect_response(
        lambda response: (
            where in response.url and response.request.headers.get("hx-request") == "true"
        )
    ):
        change()


def test_offers_are_written_published_found_and_withdrawn(page, new_context, site, personas):
    # Given UNITAR's offers: one to withdraw, one for Peru only, one for developing countries,
    # one for Parties only; and another organisation, so the Secretariat has a provider to choose
    Organisation.objects.create(name="GIZ", acronym="GIZ", type=Organisation.Type.PARTY_GOVERNMENT)
    to_withdraw = published_offer(title="Study visits to a mercury recycling plant")
    for_peru = published_offer(
        title="Legal advice on hazardous-waste legislation",
        description="Review of draft national legislation.",
        kinds=list(KindOfHelp.objects.filter(code="advice.legal")),
        themes=list(Theme.objects.filter(code="legal.legislation")),
        eligible_developing=False,
        eligible_countries=[Country.objects.get(iso3="PER")],
    )
    training = published_offer()  # a training course for every developing country, Kenya included
    parties_only = published_offer(
        title="Twinning of hazardous-waste laboratories",
        visibility="parties",
    )
    reports = []

    # When UNITAR's provider opens the offer form from My offers
    provider = browsing_page(new_context, personas.provider_unitar)
    provider.locator("nav.main-nav").locator(f'a[href="{MINE}"]').click()
    expect(provider).to_have_url(f"{site}{MINE}")
    main(provider).locator(f'a[href="{NEW}"]').click()
    expect(provider).to_have_url(f"{site}{NEW}")
    form = offer_form(provider)
    # (the organisation is UNITAR's only: no provider to choose, no "received as" field)
    expect(form.locator('[name="provider"], [name="received_as"]')).to_have_count(0)

    # And fills in everything but the title, and saves
    fill_offer(
        form,
        title="",
        description=DESCRIPTION,
        kind=KIND,
        theme=THEME,
        languages=["en", "fr"],
        modality="hybrid",
        countries=["KEN"],
    )
    submit(provider, form.locator('.form-actions button[type="submit"]'))

    # Then the form comes back with the error at the title and the rest kept
    expect(provider).to_have_url(f"{site}{NEW}")
    form = offer_form(provider)
    expect(form.get_by_role("alert")).to_have_count(1)
    expect(form.locator('[name="title"]')).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#field-title .errorlist")).to_have_count(1)
    expect(form.locator('[name="description"]')).to_have_value(DESCRIPTION)
    expect(form.locator(f'input[name="kinds"][value="{pk_of(KindOfHelp, KIND)}"]')).to_be_checked()
    check_axe(provider, "the offer form with errors", reports)

    # When they give the title and save again
    form.locator('[name="title"]').fill(TITLE)
    submit(provider, form.locator('.form-actions button[type="submit"]'))

    # Then the offer is a draft, on its edit page
    offer_pk = edit_page_of(provider)
    expect_message(provider, "success")
    expect(main(provider).get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(status_badge(provider)).not_to_have_class(re.compile(r"badge-(ok|warn)"))

    # When they publish it
    submit(
        provider, main(provider).locator('form:has(input[name="action"][value="publish"]) button')
    )

    # Then it is published (and can now be closed)
    expect_message(provider, "success")
    expect(status_badge(provider)).to_have_class(re.compile(r"\bbadge-ok\b"))
    expect(main(provider).locator('input[name="action"][value="close"]')).to_have_count(1)

    # When they rename it through the edit form
    form = offer_form(provider)
    expect(form.locator('[name="title"]')).to_have_value(TITLE)
    form.locator('[name="title"]').fill(RENAMED)
    submit(provider, form.locator('.form-actions button[type="submit"]'))

    # Then the page shows the new title, and the offer is still published
    expect(provider).to_have_url(f"{site}/offers/{offer_pk}/edit/")
    expect_message(provider, "success")
    expect(main(provider).get_by_role("heading", level=1)).to_contain_text(RENAMED)
    expect(status_badge(provider)).to_have_class(re.compile(r"\bbadge-ok\b"))
    check_axe(provider, "the edit page", reports)

    # When they go back to My offers and open the study visits to withdraw them, with a reason
    main(provider).locator(f'a[href="{MINE}"]').first.click()
    expect(main(provider).locator(f'a[href="/offers/{offer_pk}/edit/"]').first).to_be_visible()
    check_axe(provider, "My offers", reports)
    main(provider).locator(f'a[href="/offers/{to_withdraw.pk}/edit/"]').first.click()
    withdraw = main(provider).locator("form.withdraw")
    withdraw.locator("summary").click()
    withdraw.locator('textarea[name="reason"]').fill(WITHDRAWAL_REASON)
    submit(provider, withdraw.locator('button[type="submit"]'))

    # Then the offer is withdrawn with the reason on record, and can no longer be changed
    expect_message(provider, "success")
    expect(status_badge(provider)).to_have_class(re.compile(r"\bbadge-warn\b"))
    expect(main(provider).locator("dl.facts")).to_contain_text(WITHDRAWAL_REASON)
    expect(offer_form(provider)).to_have_count(0)
    expect(main(provider).locator('form[action$="/action/"]')).to_have_count(0)

    # When the Secretariat records an offer on UNITAR's behalf, received by letter
    secretariat = browsing_page(new_context, personas.secretariat)
    secretariat.goto(MINE)
    main(secretariat).locator(f'a[href="{NEW}"]').click()
    form = offer_form(secretariat)
    check_axe(secretariat, "the offer form for the Secretariat", reports)
    form.locator('select[name="provider"]').select_option(str(unitar().pk))
    form.locator('[name="received_as"]').fill(RECEIVED_AS)
    fill_offer(
        form,
        title="E-waste inventory guidance",
        description="Guidance on national e-waste inventories.",
        kind="knowhow.guidance",
        theme="monitoring.inventories",
        languages=["es"],
        modality="online",
        countries=["PER"],
    )
    submit(secretariat, form.locator('.form-actions button[type="submit"]'))

    # Then it is UNITAR's draft, and its edit page names who recorded it and how it came in
    recorded_pk = edit_page_of(secretariat)
    expect_message(secretariat, "success")
    facts = main(secretariat).locator("dl.facts")
    expect(facts).to_contain_text("UNITAR")
    expect(facts).to_contain_text(personas.secretariat.full_name)
    expect(facts).to_contain_text(RECEIVED_AS)
    recorded = Offer.objects.get(pk=recorded_pk)
    assert (recorded.provider, recorded.recorded_by, recorded.status) == (
        unitar(),
        personas.secretariat,
        Offer.Status.DRAFT,
    )

    # When the public opens the catalogue (with the site's Content-Security-Policy on)
    page.goto(CATALOGUE)
    rows = main(page).locator("#offer-results tbody tr")

    # Then they see the published public offers, not the withdrawn, Parties-only or draft ones
    expect(rows).to_have_count(3)
    for shown in (offer_pk, for_peru, training):
        expect(offer_link(page, shown)).to_have_count(1)
    for hidden in (to_withdraw, parties_only, recorded_pk):
        expect(offer_link(page, hidden)).to_have_count(0)

    # When they choose the kind of help "Advice and expertise" from the cards
    main(page).locator(f'#catalogue-navigation a[href="{CATALOGUE}?kind=advice"]').click()

    # Then the two offers of advice remain, and the themes within it are offered
    expect(page).to_have_url(f"{site}{CATALOGUE}?kind=advice")
    expect(rows).to_have_count(2)
    expect(offer_link(page, offer_pk)).to_have_count(1)
    expect(offer_link(page, for_peru)).to_have_count(1)

    # When they narrow it to the theme of waste management
    main(page).locator(
        f'#catalogue-navigation a[href="{CATALOGUE}?kind=advice&theme=waste_management"]'
    ).click()

    # Then only the new offer remains
    expect(page).to_have_url(re.compile(r"\?kind=advice&theme=waste_management$"))
    expect(rows).to_have_count(1)
    expect(offer_link(page, offer_pk)).to_have_count(1)

    # When they start again and choose Kenya as the eligible country (htmx updates the list)
    page.goto(CATALOGUE)
    page.evaluate("window.stillTheSamePage = true")
    filter_in_place(
        page, "country=KEN", lambda: page.locator('select[name="country"]').select_option("KEN")
    )

    # Then the offers Kenya may receive remain: the new one and the training, not Peru's
    expect(page).to_have_url(re.compile(r"[?&]country=KEN(&|$)"))
    expect(rows).to_have_count(2)
    expect(offer_link(page, offer_pk)).to_have_count(1)
    expect(offer_link(page, training)).to_have_count(1)
    expect(offer_link(page, for_peru)).to_have_count(0)

    # When they clear the country and search for a word of the description instead
    filter_in_place(
        page, "country=&", lambda: page.locator('select[name="country"]').select_option("")
    )
    expect(rows).to_have_count(3)
    filter_in_place(
        page, f"q={WORD}", lambda: page.locator('input[name="q"]').press_sequentially(WORD)
    )

    # Then only the new offer is found, without the page having been reloaded
    expect(rows).to_have_count(1)
    assert page.evaluate("window.stillTheSamePage === true"), "the page was reloaded"

    # When they open it
    offer_link(page, offer_pk).click()

    # Then its page shows the new title, the description and who is eligible
    expect(page).to_have_url(f"{site}{CATALOGUE}{offer_pk}/")
    expect(main(page).get_by_role("heading", level=1)).to_have_text(RENAMED)
    expect(main(page).locator(".description strong")).to_have_text(WORD)
    expect(main(page).locator("dl.facts")).to_contain_text("Kenya")

    # And the provider's page lists it among UNITAR's current offers, not the withdrawn one
    main(page).locator(f'a[href="{CATALOGUE}providers/{unitar().pk}/"]').first.click()
    expect(main(page).get_by_role("heading", level=1)).to_have_text("UNITAR")
    expect(main(page).locator(f'a[href="{CATALOGUE}{offer_pk}/"]')).to_have_count(1)
    expect(main(page).locator(f'a[href="{CATALOGUE}{to_withdraw.pk}/"]')).to_have_count(0)
    expect(main(page).locator(f'a[href="{CATALOGUE}{parties_only.pk}/"]')).to_have_count(0)

    # And the pages of the withdrawn and the Parties-only offers are not found
    for hidden in (to_withdraw, parties_only):
        assert page.request.get(f"{CATALOGUE}{hidden.pk}/").status == 404

    # And the public's catalogue, offer page and provider page pass axe-core
    public = browsing_page(new_context)
    for path, where in [
        (f"{CATALOGUE}?kind=advice&theme=waste_management", "the catalogue"),
        (f"{CATALOGUE}{offer_pk}/", "the offer page"),
        (f"{CATALOGUE}providers/{unitar().pk}/", "the provider page"),
    ]:
        public.goto(path)
        check_axe(public, where, reports)

    # When Kenya's focal point opens the catalogue
    focal = browsing_page(new_context, personas.focal_kenya)
    focal.goto(CATALOGUE)

    # Then the Parties-only offer is listed for her, with its page
    expect(offer_link(focal, parties_only)).to_have_count(1)
    check_axe(focal, "the catalogue for a Party", reports)
    offer_link(focal, parties_only).click()
    expect(focal).to_have_url(f"{site}{CATALOGUE}{parties_only.pk}/")
    expect(main(focal).get_by_role("heading", level=1)).to_have_text(parties_only.title)
    check_axe(focal, "a Parties-only offer's page", reports)

    # And no page broke the browser, nor had accessibility violations
    errors = provider.errors + secretariat.errors + public.errors + focal.errors
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)
    assert not reports, "\n\n".join(reports)


def test_a_provider_answers_the_available_assistance_survey_with_no_new_offers(
    new_context, site, personas
):
    # Given a needs-assessment cycle open with its available-assistance survey asking UNITAR
    cycle = open_cycle(title="Needs 2026", providers=[unitar()])
    invitation = ProviderInvitation.objects.get(cycle=cycle, organisation=unitar())
    survey = f"/offers/survey/{invitation.pk}/"
    reports = []

    # When UNITAR's provider opens My offers
    provider = browsing_page(new_context, personas.provider_unitar)
    provider.locator("nav.main-nav").locator(f'a[href="{MINE}"]').click()

    # Then the survey's panel is there, and they follow its link to answer it
    panel = main(provider).locator(f'section[aria-labelledby="survey-{invitation.pk}"]')
    expect(panel.get_by_role("heading", level=2)).to_contain_text(cycle.title)
    panel.locator(f'a[href="{survey}"]').click()
    expect(provider).to_have_url(f"{site}{survey}")
    expect(main(provider).locator(f'a[href="{NEW}?survey={invitation.pk}"]')).to_be_visible()
    check_axe(provider, "the survey page", reports)

    # When they declare that they have no new offers, with a comment
    form = main(provider).locator("form").filter(has=provider.locator('textarea[name="comment"]'))
    form.locator('textarea[name="comment"]').fill(SURVEY_COMMENT)
    submit(provider, form.locator('button[type="submit"]'))

    # Then the answer is recorded and the page shows the comment
    expect(provider).to_have_url(f"{site}{survey}")
    expect_message(provider, "success")
    expect(main(provider).locator("dl.facts")).to_contain_text(SURVEY_COMMENT)
    check_axe(provider, "the survey page once answered", reports)
    invitation.refresh_from_db()
    assert invitation.no_new_offers and invitation.comment == SURVEY_COMMENT
    assert invitation.responded_at is not None

    # And no page broke the browser, nor had accessibility violations
    assert not provider.errors, "The browser reported errors:\n" + "\n".join(provider.errors)
    assert not reports, "\n\n".join(reports)
