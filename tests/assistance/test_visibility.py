"""No request reaches someone it should not: recognisable requests of Kenya and Senegal are sought
in every page, API answer, download and file each persona can reach."""

import pytest
from django.test import Client

from tahub.accounts.services import api_token_create
from tahub.assistance.services import request_file
from tahub.reference.models import Country
from tests.assistance.factories import PDF, request_data, upload

pytestmark = pytest.mark.django_db

KENYA = "KENYA-SECRET-REQUEST"
SENEGAL = "SENEGAL-SECRET-REQUEST"
# Who may see each Party's (unpublished) request. Centre staff of BCRC-Senegal see Senegal's request
# because their centre serves Senegal and is proposed to deliver it; no centre of theirs serves Kenya.
READERS = {
    KENYA: {"focal_kenya", "contributor_kenya", "rfp_africa", "secretariat"},
    SENEGAL: {"rfp_africa", "centre_senegal", "secretariat"},
}
PERSONAS = [
    "anonymous", "no_role", "focal_kenya", "contributor_kenya", "focal_peru", "centre_senegal", "rfp_africa",
    "provider_unitar", "secretariat",
]
PAGES = [
    "/requests/", "/requests/my-work/", "/requests/?open_only=on", "/requests/published/", "/parties/KEN/",
    "/parties/SEN/", "/", "/offers/",
]


@pytest.fixture
def secrets(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kenya = request_file(
        actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"),
        data=request_data(title=KENYA, description=f"{KENYA} description"), attachments=[upload("kenya.pdf")],
    )
    senegal = request_file(
        actor=personas.focal_senegal, country=Country.objects.get(iso3="SEN"),
        data=request_data(title=SENEGAL, description=f"{SENEGAL} description"), attachments=[upload("senegal.pdf")],
    )
    return {KENYA: kenya, SENEGAL: senegal}


def _clients(personas, persona):
    user = None if persona == "anonymous" else getattr(personas, persona)
    session = Client()
    if user is not None:
        session.force_login(user)
    api = Client()
    headers = {}
    if user is not None and persona not in ("no_role", "contributor_kenya"):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(actor=user, name='scan')[1]}"}
    return session, api, headers


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_request_appears_only_to_its_readers_on_every_page_api_download_and_file(personas, secrets, persona):
    session, api, headers = _clients(personas, persona)

    bodies = [session.get(page).content.decode() for page in PAGES]
    for item in secrets.values():
        bodies.append(session.get(item.get_absolute_url()).content.decode())
        bodies.append(api.get(f"/api/v1/requests/{item.pk}", **headers).content.decode())
        bodies.append(api.get(f"/api/v1/requests/{item.pk}/messages", **headers).content.decode())
    bodies.append(api.get("/api/v1/requests", **headers).content.decode())
    bodies.append(api.get("/api/v1/published-requests").content.decode())
    download = session.get("/requests/dashboard/requests.csv")
    if download.status_code == 200:
        bodies.append(b"".join(download.streaming_content).decode())
    text = "\n".join(bodies)

    for marker, readers in READERS.items():
        assert (marker in text) is (persona in readers), f"{marker} as {persona}"
    for marker, item in secrets.items():
        file = session.get(f"/requests/attachments/{item.attachments.get().pk}/")
        full_readers = READERS[marker] - {"centre_senegal"}  # a proposed centre sees the outline only
        assert (file.status_code == 200 and PDF in b"".join(file.streaming_content)) is (persona in full_readers)


@pytest.mark.parametrize("persona", ["centre_senegal"])
def test_a_proposed_centre_never_gets_the_description_before_taking_the_request(personas, secrets, persona):
    session, api, headers = _clients(personas, persona)
    senegal = secrets[SENEGAL]

    page = session.get(senegal.get_absolute_url()).content.decode()
    answer = api.get(f"/api/v1/requests/{senegal.pk}", **headers).content.decode()

    assert SENEGAL in page and f"{SENEGAL} description" not in page
    assert SENEGAL in answer and f"{SENEGAL} description" not in answer
