"""Steps shared by the browser tests: signing in, choosing a language, running axe-core."""

from pathlib import Path

import axe_playwright_python
from django.conf import settings

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
