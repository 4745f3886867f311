"""Steps shared by the browser tests: signing in, choosing a language, running axe-core."""

import itertools
import os
import re
from pathlib import Path

import axe_playwright_python
from django.conf import settings
from playwright.sync_api import expect

from tests.personas import PASSWORD

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGETS_SHOWN = 4


def sign_in(page, user, password=PASSWORD):
    """Sign ``user`` in through the sign-in form, as a person would."""
    page.goto("/account/sign-in/")
    form = page.get_by_role("main").locator("form")
    form.get_by_label("E-mail address").fill(user.email)
    form.get_by_label("Password").fill(password)
    with page.expect_navigation():
        form.get_by_role("button", name="Sign in").click()


def use_language(context, base_url, code):
    """Start ``context`` in language ``code``: the cookie the language form sets."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": base_url}])


def axe_violations(page):
    """Run axe-core's WCAG 2.x A and AA rules on the page; return its violations."""
    page.add_script_tag(path=AXE_JS)
    return page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})
                .then((results) => results.violations)""",
        WCAG_TAGS,
    )


def describe_violations(where, violations):
    """One line per violation: rule id, impact, help, and the first few offending elements."""
    lines = [f"{len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        nodes = violation["nodes"]
        targets = [" ".join(map(str, node["target"])) for node in nodes[:TARGETS_SHOWN]]
        more = f" (+{len(nodes) - TARGETS_SHOWN} more)" if len(nodes) > TARGETS_SHOWN else ""
        lines.append(
            f"- {violation['id']} [{violation['impact']}] {violation['help']}: "
            f"{', '.join(targets)}{more}"
        )
    return "\n".join(lines)


# A folder to keep a full-page screenshot of each page axe checks (for looking at them), if set.
SHOTS = os.environ.get("TAHUB_SCREENSHOTS")
_SHOT_NUMBERS = itertools.count(1)


def pk_of(model, code):
    return str(model.objects.get(code=code).pk)


def browsing_page(new_context, user=None):
    """A page (signed in as ``user``, if given) that axe can run on; browser errors collected."""
    page = new_context(bypass_csp=True).new_page()
    page.errors = []
    page.on(
        "console",
        lambda message: page.errors.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    if user is not None:
        sign_in(page, user)
    return page


def check_axe(page, where, reports):
    """Run axe on the page; a description of any violation goes to ``reports``."""
    if SHOTS:
        name = re.sub(r"\W+", "-", where).strip("-")
        page.screenshot(path=os.path.join(SHOTS, f"{next(_SHOT_NUMBERS):02d}-{name}.png"), full_page=True)
    violations = axe_violations(page)
    if violations:
        reports.append(describe_violations(f"{where} ({page.url})", violations))


def submit(page, button):
    with page.expect_navigation():
        button.click()


def main(page):
    return page.get_by_role("main")


def expect_message(page, kind):
    expect(main(page).locator(f".messages .message-{kind}")).to_have_count(1)
