"""The requests API: a Party files and follows its requests with a token, the people handling them
move them on and converse, a proposed centre sees them in outline, and the public reads the
published ones without names or contact details."""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tahub.assistance.models import Request, RequestMessage
from tahub.assistance.services import request_file, request_move, routing_take
from tahub.reference.models import Country
from tests.api.client import Api
from tests.assistance.factories import emergency_data, filed, upload

pytestmark = pytest.mark.django_db
S = Request.Status


def body(**overrides):
    """A complete, valid request as an API client sends it."""
    values = {
        "country": "KEN",
        "title": "Legal advice on a draft hazardous waste law",
        "description": "Our draft law needs **review** against the Convention.",
        "themes": ["legal.legislation"],
        "kinds": ["advice.legal"],
        "conventions": ["basel"],
        "desired_start": "2027-01-15",
        "duration_months": 3,
        "languages": ["en", "fr"],
        "modality": "online",
        "expected_outputs": "A review of the draft with proposed amendments.",
        "contribution": "Two lawyers of the Ministry, half-time.",
        "other_providers": "None so far.",
    }
    values.update(overrides)
    return values


def details(answer):
    return {detail["field"]: detail["messages"] for detail in answer.json()["error"]["details"]}


def test_a_focal_points_token_files_and_follows_its_partys_request_and_posts_a_message(personas):
    api = Api(personas.focal_kenya)

    created = api.send("post", "/requests", body(description="Our draft law <script>alert(1)</script>needs review."))

    assert created.status_code == 201, created.content
    filed_request = created.json()
    assert (filed_request["country"], filed_request["status"], filed_request["owner"]["name"]) == (
        "KEN", "submitted", personas.rfp_africa.full_name,
    )
    assert (filed_request["themes"], filed_request["kinds"]) == (["legal.legislation"], ["advice.legal"])
    assert filed_request["full"]["description"] == "Our draft law needs review."
    assert filed_request["full"]["conventions"] == ["basel"]
    assert filed_request["allowed_moves"] == ["withdrawn"]
    stored = Request.objects.get(pk=filed_request["id"])
    assert (stored.filed_by, stored.duration_months, stored.languages) == (personas.focal_kenya, 3, ["en", "fr"])
    url = f"/requests/{stored.pk}"

    listed = api.get("/requests").json()
    assert [item["id"] for item in listed["items"]] == [stored.pk] and listed["count"] == 1
    assert api.get(url).json()["reference"] == stored.reference

    sent = api.send("post", f"{url}/messages", {"body": "The draft is attached to our letter of 3 March."})
    assert sent.status_code == 201, sent.content
    assert sent.json()["author"]["name"] == personas.focal_kenya.full_name
    conversation = Api(personas.rfp_africa).get(f"{url}/messages").json()
    assert [message["body"] for message in conversation["items"]] == ["The draft is attached to our letter of 3 March."]
    assert [message["body"] for message in api.get(url).json()["full"]["messages"]] == [
        "The draft is attached to our letter of 3 March."
    ]


def test_the_party_answers_the_question_and_gives_feedback(personas):
    item = filed(personas.focal_kenya)
    for to, comment in ((S.UNDER_REVIEW, ""), (S.MORE_INFORMATION, "Who drafted the law?")):
        item = request_move(actor=personas.rfp_africa, request=item, to=to, comment=comment)
    api = Api(personas.focal_kenya)
    assert api.get(f"/requests/{item.pk}").json()["can_answer"] is True

    answered = api.send("post", f"/requests/{item.pk}/answer", {"body": "The Ministry.", "lock_version": item.lock_version})

    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "under_review"
    assert RequestMessage.objects.get(request=item).body == "The Ministry."
    for to in (S.ACCEPTED, S.IN_DELIVERY, S.COMPLETED):
        item = request_move(actor=personas.secretariat, request=item, to=to)
    rated = api.send("post", f"/requests/{item.pk}/feedback", {"rating": 4, "need_met": "partly", "comment": "Useful."})
    assert rated.status_code == 200, rated.content
    assert (rated.json()["status"], rated.json()["full"]["rating"], rated.json()["full"]["need_met"]) == (
        "closed", 4, "partly",
    )


def test_a_stale_answer_is_409_and_no_message_is_kept(personas):
    item = filed(personas.focal_kenya)
    for to, comment in ((S.UNDER_REVIEW, ""), (S.MORE_INFORMATION, "Who drafted the law?")):
        item = request_move(actor=personas.rfp_africa, request=item, to=to, comment=comment)

    answer = Api(personas.focal_kenya).send(
        "post", f"/requests/{item.pk}/answer", {"body": "The Ministry.", "lock_version": item.lock_version - 1}
    )

    assert answer.status_code == 409 and answer.json()["error"]["code"] == "conflict"
    assert not RequestMessage.objects.exists()
    assert Request.objects.get(pk=item.pk).status == S.MORE_INFORMATION


def test_another_partys_focal_point_gets_404_for_everything(personas):
    item = filed(personas.focal_kenya)
    peru = Api(personas.focal_peru)
    url = f"/requests/{item.pk}"

    answers = [
        peru.get(url), peru.get(f"{url}/messages"),
        peru.send("post", f"{url}/messages", {"body": "Hello"}),
        peru.send("post", f"{url}/moves", {"to": "withdrawn", "comment": "Mine now", "lock_version": 0}),
        peru.send("post", f"{url}/answer", {"body": "x", "lock_version": 0}),
        peru.send("post", f"{url}/feedback", {"rating": 5, "need_met": "met"}),
    ]

    assert [answer.status_code for answer in answers] == [404] * 6
    assert all(item.title not in answer.content.decode() for answer in answers)
    assert peru.get("/requests").json()["count"] == 0
    item.refresh_from_db()
    assert item.status == S.SUBMITTED and not item.messages.exists()


def test_a_focal_point_cannot_file_for_another_party_and_others_cannot_file(personas):
    assert Api(personas.focal_peru).send("post", "/requests", body()).status_code == 403
    for persona in ("contributor_kenya", "rfp_africa", "provider_unitar", "no_role"):
        api = Api(getattr(personas, persona), session=persona in ("contributor_kenya", "no_role"))
        assert api.send("post", "/requests", body()).status_code == 403, persona
    assert Api().send("post", "/requests", body()).status_code == 401
    assert not Request.objects.exists()


def test_a_proposed_centre_sees_the_request_in_outline_until_it_takes_it(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = request_file(
        actor=personas.focal_senegal, country=Country.objects.get(iso3="SEN"),
        data=emergency_data(contribution="Our customs officers", other_providers="UNEP was asked"),
        attachments=[upload("photos.pdf")],
    )
    message_body = "The drums are now fenced off."
    Api(personas.focal_senegal).send("post", f"/requests/{item.pk}/messages", {"body": message_body})
    centre = Api(personas.centre_senegal)

    outline = centre.get(f"/requests/{item.pk}")

    assert outline.status_code == 200
    assert outline.json()["title"] == item.title and outline.json()["urgency"] == "emergency"
    assert outline.json()["full"] is None and outline.json()["allowed_moves"] == []
    text = outline.content.decode()
    for secret in ("leaking drums", "Port of Mombasa", "40 tonnes", "customs officers", "UNEP was asked",
                   "photos.pdf", message_body, item.description[:30]):
        assert secret not in text, secret
    assert centre.get(f"/requests/{item.pk}/messages").status_code == 403
    assert item.pk in [row["id"] for row in centre.get("/requests").json()["items"]]

    routing_take(actor=personas.centre_senegal, routing=item.routings.get(centre__slug="senegal"))
    full = centre.get(f"/requests/{item.pk}").json()["full"]
    assert "leaking drums" in full["incident_what"] and full["attachments"][0]["filename"] == "photos.pdf"
    assert [message["body"] for message in full["messages"]] == [message_body]


def test_staff_move_a_request_and_a_stale_move_is_409_keeping_the_newer_data(personas):
    item = filed(personas.focal_kenya)
    rfp, secretariat = Api(personas.rfp_africa), Api(personas.secretariat)
    read = rfp.get(f"/requests/{item.pk}").json()["lock_version"]

    moved = secretariat.send("post", f"/requests/{item.pk}/moves", {"to": "under_review", "lock_version": read})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["status"], moved.json()["lock_version"]) == ("under_review", read + 1)

    stale = rfp.send(
        "post", f"/requests/{item.pk}/moves", {"to": "declined", "comment": "Out of scope", "lock_version": read}
    )

    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    item.refresh_from_db()
    assert (item.status, item.decision_reason, item.lock_version) == (S.UNDER_REVIEW, "", read + 1)


def test_an_illegal_move_or_a_missing_reason_is_422_and_changes_nothing(personas):
    item = filed(personas.focal_kenya)
    secretariat = Api(personas.secretariat)
    url = f"/requests/{item.pk}/moves"

    illegal = secretariat.send("post", url, {"to": "completed", "lock_version": 0})
    no_reason = secretariat.send("post", url, {"to": "declined", "comment": "  ", "lock_version": 0})
    unknown = secretariat.send("post", url, {"to": "forgotten", "lock_version": 0})

    assert illegal.status_code == 422 and "cannot become" in illegal.json()["error"]["message"]
    assert no_reason.status_code == 422 and set(details(no_reason)) == {"comment"}
    assert unknown.status_code == 422
    item.refresh_from_db()
    assert (item.status, item.lock_version) == (S.SUBMITTED, 0)


def test_a_reader_who_may_not_move_or_answer_gets_403(personas):
    item = filed(personas.focal_kenya)
    contributor, focal = Api(personas.contributor_kenya, session=True), Api(personas.focal_kenya)
    url = f"/requests/{item.pk}"

    assert contributor.get(url).status_code == 200
    assert contributor.send("post", f"{url}/moves", {"to": "withdrawn", "comment": "x", "lock_version": 0}).status_code == 403
    assert focal.send("post", f"{url}/moves", {"to": "under_review", "lock_version": 0}).status_code == 403
    assert contributor.send("post", f"{url}/messages", {"body": "Hello"}).status_code == 403
    assert Api(personas.rfp_africa).send("post", f"{url}/answer", {"body": "x", "lock_version": 0}).status_code == 403
    assert focal.send("post", f"{url}/answer", {"body": "x", "lock_version": 0}).status_code == 422  # no question asked
    item.refresh_from_db()
    assert item.status == S.SUBMITTED and not item.messages.exists()


def test_unknown_codes_are_422_naming_every_field_and_nothing_is_written(personas):
    answer = Api(personas.secretariat).send(
        "post", "/requests",
        body(country="XYZ", themes=["legal", "cooking"], kinds=["advice", "magic"], conventions=["ramsar"],
             co_requesters=["PER", "QQQ"]),
    )

    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_input"
    found = details(answer)
    assert set(found) == {"country", "themes", "kinds", "conventions", "co_requesters"}
    assert "cooking" in found["themes"][0] and "legal" not in found["themes"][0]
    assert "QQQ" in found["co_requesters"][0] and "PER" not in found["co_requesters"][0]
    assert not Request.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"themes": []}, "themes"),
        ({"languages": ["en", "xx"]}, "languages"),
        ({"modality": "by pigeon"}, "modality"),
        ({"duration_months": 0}, "duration_months"),
        ({"urgency": "emergency"}, "incident_what"),
    ],
)
def test_an_invalid_request_is_422_naming_the_field(personas, overrides, field):
    answer = Api(personas.focal_kenya).send("post", "/requests", body(**overrides))

    assert answer.status_code == 422
    assert field in details(answer)
    assert not Request.objects.exists()


def test_extra_fields_never_set_status_owner_centre_or_who_filed(personas):
    sneaky = {
        "status": "accepted", "owner": personas.focal_kenya.pk, "centre": 1, "filed_by": personas.secretariat.pk,
        "source_document": "forged", "lock_version": 7, "rating": 5, "id": 999, "need": 1,
        "submitted_at": "2020-01-01T00:00:00Z", "acknowledged_at": "2020-01-02T00:00:00Z",
    }

    created = Api(personas.focal_kenya).send("post", "/requests", body(**sneaky))

    assert created.status_code == 201, created.content
    item = Request.objects.get()
    assert (item.status, item.owner, item.centre, item.filed_by, item.source_document) == (
        S.SUBMITTED, personas.rfp_africa, None, personas.focal_kenya, "",
    )
    assert (item.lock_version, item.rating, item.need, item.acknowledged_at) == (0, None, None, None)
    assert item.pk != 999 and item.submitted_at.year > 2020


def test_the_public_list_shows_published_accepted_requests_without_names_or_contact_details(personas):
    hidden = filed(personas.focal_kenya, title="Not published", is_public=False)
    shown = filed(
        personas.focal_kenya, title="Published and accepted", is_public=True,
        contribution="Contact Faith at +254 700 000 000", other_providers="Asked UNEP",
    )
    filed(personas.focal_kenya, title="Published, not yet accepted", is_public=True)
    for item in (hidden, shown):
        request_move(actor=personas.secretariat, request=item, to=S.UNDER_REVIEW)
        request_move(actor=personas.secretariat, request=item, to=S.ACCEPTED, comment="Accepted by Sara")

    answer = Api().get("/published-requests")

    assert answer.status_code == 200
    assert [item["title"] for item in answer.json()["items"]] == ["Published and accepted"]
    published = answer.json()["items"][0]
    assert (published["country"], published["reference"], published["themes"]) == (
        "KEN", shown.reference, ["waste_management.ewaste"],
    )
    assert set(published) == {
        "id", "reference", "url", "title", "country", "country_name", "urgency", "themes", "kinds", "desired_start",
        "languages", "modality", "description", "expected_outputs",
    }
    text = answer.content.decode()
    for person in (personas.focal_kenya, personas.rfp_africa, personas.secretariat):
        assert person.email not in text and person.full_name not in text
    assert "+254" not in text and "UNEP" not in text and "Sara" not in text
    assert [item["title"] for item in Api().get("/published-requests", {"theme": "legal"}).json()["items"]] == []


def test_the_list_filters_like_the_pages(personas):
    filed(personas.focal_kenya, title="Normal one")
    emergency = request_file(actor=personas.focal_kenya, country=Country.objects.get(iso3="KEN"), data=emergency_data())
    api = Api(personas.secretariat)

    def titles(**params):
        return [item["title"] for item in api.get("/requests", params).json()["items"]]

    assert titles() == [emergency.title, "Normal one"]  # emergencies first
    assert titles(urgency="emergency") == [emergency.title]
    assert titles(theme="waste_management") == ["Normal one"]
    assert titles(country="ken", q="drums") == [emergency.title]
    assert titles(country="PER") == []
    assert api.get("/requests", {"status": "nonsense"}).status_code == 422


def queries(api, path, params=None):
    with CaptureQueriesContext(connection) as captured:
        answer = api.get(path, params)
    assert answer.status_code == 200
    return len(captured)


def test_the_request_list_uses_the_same_queries_for_1_and_20_requests(personas):
    focal, secretariat = Api(personas.focal_kenya), Api(personas.secretariat)
    for api in (focal, secretariat):
        api.get("/me")  # the token's first use is recorded once; not part of what is measured
    filed(personas.focal_kenya, title="Only one")
    one = (queries(focal, "/requests"), queries(secretariat, "/requests"))

    for number in range(14):
        filed(personas.focal_kenya, title=f"Request {number}")
    for number in range(5):  # with an owner and a centre on each row
        taken = filed(personas.focal_senegal, "SEN", title=f"Senegal's request {number}")
        routing_take(actor=personas.centre_senegal, routing=taken.routings.get(centre__slug="senegal"))

    assert (queries(focal, "/requests"), queries(secretariat, "/requests")) == one
    assert (focal.get("/requests").json()["count"], secretariat.get("/requests").json()["count"]) == (15, 20)
    assert one[0] <= 10


def test_the_published_list_uses_the_same_queries_for_1_and_20_requests(personas):
    def publish(title):
        item = filed(personas.focal_kenya, title=title, is_public=True)
        for to in (S.UNDER_REVIEW, S.ACCEPTED):
            request_move(actor=None, request=item, to=to)

    publish("Only one")
    one = queries(Api(), "/published-requests")

    for number in range(19):
        publish(f"Request {number}")

    assert queries(Api(), "/published-requests") == one
    assert Api().get("/published-requests").json()["count"] == 20


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_filed_request_cannot_be_rewritten_or_deleted_through_the_api(personas, method):
    request = filed(personas.focal_kenya)

    response = Api(personas.focal_kenya).send(method, f"/requests/{request.pk}", {"title": "Rewritten", "status": "closed"})

    assert response.status_code == 405
    request.refresh_from_db()
    assert request.title == "Inventory of e-waste flows" and request.status == S.SUBMITTED
