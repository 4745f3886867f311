"""Shared fixtures: reference data, named personas and clients signed in as them."""

import pytest
from django.conf import settings

# No collectstatic in tests: serve static files from the source tree without a manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

from tests.personas import Personas  # noqa: E402  (after the settings above)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the shipped reference data once into the test database; tests roll back on top."""
    from tahub.reference.services import reference_load

    with django_db_blocker.unblock():
        reference_load()


def pytest_collection_modifyitems(items):
    # Live-server (browser) and transactional tests flush the database when they end: run them last, so the
    # reference data loaded once above stays for every other test.
    def flushes(item):
        marker = item.get_closest_marker("django_db")
        return item.get_closest_marker("browser") is not None or bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=flushes)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: a value cached by one test never answers another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reference(db):
    """The shipped reference data (reloaded if a live-server test flushed the database)."""
    from tahub.reference.models import Country
    from tahub.reference.services import reference_load

    if not Country.objects.exists():
        reference_load()


@pytest.fixture
def personas(reference):
    return Personas.create()


@pytest.fixture
def client_for(client):
    """``client_for(user)`` gives a test client signed in as ``user`` (None: anonymous)."""
    from django.test import Client

    def make(user):
        signed_in = Client()
        if user is not None:
            signed_in.force_login(user)
        return signed_in

    return make
