"""Matching in a real browser: the Secretariat reads a need's ranked suggestions and their reasons in
English and in French, confirms one and conveys it; Kenya's focal point (who reads French) and the
provider each receive the right e-mail and see the match, and their answers appear on it.

Elements are found by role, name or URL rather than by English text; axe-core checks each page.
"""

from datetime import date

from django.core import mail
from playwright.sync_api import expect

from tahub.matching.models import Match
from tahub.matching.services import match_all
from tests.browser.helpers import (
    browsing_page,
    check_axe,
    expect_message,
    main,
    submit,
    use_language,
)
from tests.matching.factories import need, offer

RIGHT = "E-waste inventory training for African Parties"
ALSO = "Online course on e-waste collection"
ELSEWHERE = "E-waste course reserved for small island States"


def test_the_secretariat_conveys_a_suggestion_and_both_sides_answer(new_context, site, personas):
    reports = []
    personas.focal_kenya.preferred_language = "fr"
    personas.focal_kenya.save()
    sec = personas.secretariat
    kenya_need = need(sec, "KEN", comment="Nous devons former le personnel à l'inventaire des déchets électroniques.")
    offer(sec, title=RIGHT, description="A course on national e-waste inventories.", eligible_developing=True)
    offer(sec, title=ALSO, modality="online", kinds=("training.elearning",), eligible_developing=True)
    offer(sec, title=ELSEWHERE, eligible_developing=False, eligible_sids=True)
    match_all(today=date(2026, 12, 1))
    need_url = f"/assessments/needs/{kenya_need.pk}/"

    # Given the Secretariat on Kenya's need, in English
    staff = browsing_page(new_context, sec)
    staff.goto(need_url)
    panel = main(staff).locator("section.match-panel")
    suggestions = panel.locator("li.suggestion")
    expect(suggestions).to_have_count(2)  # the SIDS-only offer is not for Kenya
    expect(suggestions.first.get_by_role("link").first).to_have_text(RIGHT)
    expect(suggestions.first.locator(".reasons li").first).to_contain_text("E-waste")
    check_axe(staff, "Need with suggestions (English)", reports)

    # And in French: the same ranking, its reasons worded in French
    french = browsing_page(new_context, sec)
    use_language(french.context, site, "fr")
    french.goto(need_url)
    expect(french.locator("html")).to_have_attribute("lang", "fr")
    french_reasons = main(french).locator("li.suggestion").first.locator(".reasons li")
    expect(french_reasons.first).to_contain_text("Déchets")
    expect(french_reasons.nth(1)).not_to_contain_text("Kind of help")
    check_axe(french, "Need with suggestions (French)", reports)

    # When the Secretariat confirms the first suggestion, then conveys it
    submit(staff, suggestions.first.locator('form:has(input[value="confirm"]) button'))
    expect_message(staff, "success")
    submit(staff, main(staff).locator('section.match-panel form:has(input[value="convey"]) button'))
    expect_message(staff, "success")
    match = Match.objects.get(need=kenya_need, status="conveyed")
    assert match.offer.title == RIGHT

    # Then Kenya's focal point gets the offer in French, and the provider the need
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {personas.focal_kenya.email, personas.provider_unitar.email}
    assert RIGHT in by_address[personas.focal_kenya.email].body
    assert "Le Secrétariat" in by_address[personas.focal_kenya.email].body
    assert "Kenya" in by_address[personas.provider_unitar.email].body
    assert "Nous devons former" not in by_address[personas.provider_unitar.email].body

    # And the provider sees the match and answers it
    provider = browsing_page(new_context, personas.provider_unitar)
    provider.goto("/matches/")
    main(provider).locator(f'a[href="/matches/{match.pk}/"]').click()
    check_axe(provider, "Conveyed match (provider)", reports)
    provider.locator('input[name="answer"][value="interested"]').check()
    submit(provider, main(provider).locator('form:has(input[name="side"][value="provider"]) button[type="submit"]'))
    expect_message(provider, "success")

    # And Kenya's focal point finds it on the need's page and answers it
    focal = browsing_page(new_context, personas.focal_kenya)
    use_language(focal.context, site, "fr")
    focal.goto(need_url)
    main(focal).locator(f'section.match-panel a[href="/matches/{match.pk}/"]').click()
    focal.locator('input[name="answer"][value="pursue"]').check()
    submit(focal, main(focal).locator('form:has(input[name="side"][value="party"]) button[type="submit"]'))
    expect_message(focal, "success")
    check_axe(focal, "Conveyed match (focal point, French)", reports)

    # Then both answers are on the match the Secretariat sees
    staff.goto(f"/matches/{match.pk}/")
    answers = main(staff).locator("#answers")
    expect(answers).to_contain_text("Interested")
    expect(answers).to_contain_text("Will pursue")
    check_axe(staff, "Match with both answers (Secretariat)", reports)
    assert not reports, "\n\n".join(reports)
