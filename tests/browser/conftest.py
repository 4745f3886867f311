"""Browser tests: Playwright (sync API) drives Chromium against pytest-django's live server.

The browser is Debian's Chromium (``/usr/bin/chromium``, or the path in ``TAHUB_CHROMIUM``);
Playwright's own browser download is not used. Without Chromium the tests are skipped, except
when ``CI`` is set to a true value: there they are required, so a missing browser fails.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("TAHUB_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent


def _truthy(value):
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    # Mark every test in this folder, before tests/conftest.py sorts browser tests last.
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        if _truthy(os.environ.get("CI")):
            pytest.fail(
                f"Chromium not found at {CHROMIUM}: browser tests are required in CI. "
                "Install Chromium or point TAHUB_CHROMIUM at it.",
                pytrace=False,
            )
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the main thread; while it does, Django refuses
    # the ORM calls that fixtures and tests make from that thread (reference data, personas)
    # unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set here, for as long as the browser runs,
    # and not when this module is imported: there it would leak into every other test, and into
    # the subprocesses some of them start (`check --deploy` rejects it).
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, reference):
    """The live server's base URL, with the reference data in its database."""
    return live_server.url


@pytest.fixture
def new_context(browser, site):
    """``new_context(**options)``: a fresh browser context on the live site, closed afterwards."""
    contexts = []

    def make(**options):
        options = {"base_url": site, "locale": "en-GB", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh context: no cookies, English, JavaScript and the site's CSP on.

    Errors the browser reports (a script or style the CSP refused, a JavaScript exception)
    fail the test that used the page.
    """
    page = new_context().new_page()
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    if errors:
        pytest.fail("The browser reported errors:\n" + "\n".join(errors), pytrace=False)
