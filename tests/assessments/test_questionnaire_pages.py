"""The questionnaires page: XLSForm definitions downloaded, imported, replaced, published and copied."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tahub.assessments.models import QuestionnaireVersion
from tahub.assessments.selectors import version_spec
from tahub.assessments.services.questionnaires import questionnaire_load, questionnaire_version_copy
from tahub.assessments.workbook import MAX_UPLOAD_BYTES
from tahub.assessments.xlsform import read_workbook, write_workbook
from tests.assessments.factories import needs_spec, open_cycle, published_version

pytestmark = pytest.mark.django_db

LIST = "assessments:questionnaire_list"
THEMES = {"monitoring", "emergency", "legal"}


@pytest.fixture
def version(personas):
    return published_version()


def download(client, version):
    page = client.get(reverse("assessments:questionnaire_xlsform", args=[version.pk]))
    assert page.status_code == 200, page.status_code
    return page


def edit(data, sheet, changes):
    """The workbook with cells changed, each named ``(row, column header): value`` as a person finds it."""
    workbook = load_workbook(io.BytesIO(data))
    rows = workbook[sheet]
    header = [cell.value for cell in rows[1]]
    for (row, column), value in changes.items():
        rows.cell(row=row, column=header.index(column) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def renamed(data, version_name):
    return edit(data, "settings", {(2, "version"): version_name})


def post_file(client, name, data, *, args=(), filename="definition.xlsx"):
    file = io.BytesIO(data)
    file.name = filename
    return client.post(reverse(name, args=args), {"workbook": file}, follow=True)


def page_messages(page):
    return [str(message) for message in page.context["messages"]]


def not_an_xlsx_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# ---------------------------------------------------------------------------- download and import


def test_the_downloaded_definition_reads_back_as_the_same_spec(personas, client_for, version):
    page = download(client_for(personas.no_role), version)

    spec, settings = read_workbook(page.content, known_themes=THEMES)

    assert page["Content-Disposition"] == 'attachment; filename="needs-v1.xlsx"'
    assert page["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert spec == version_spec(version) == needs_spec()
    assert settings == {"form_id": "needs", "form_title": "Needs", "version": "1"}


def test_a_downloaded_definition_imported_under_a_new_name_becomes_the_next_draft(personas, client_for, version):
    client = client_for(personas.secretariat)
    data = renamed(download(client, version).content, "2026.2")

    page = post_file(client, "assessments:questionnaire_import", data)

    imported = QuestionnaireVersion.objects.get(questionnaire__code="needs", number=2)
    assert (imported.name, imported.status) == ("2026.2", QuestionnaireVersion.Status.DRAFT)
    assert version_spec(imported) == version_spec(version)
    assert page_messages(page) == ["Version 2 of “Needs” was imported as a draft. Check it, then publish it."]


def test_a_definition_naming_an_existing_version_is_refused(personas, client_for, version):
    client = client_for(personas.secretariat)

    page = post_file(client, "assessments:questionnaire_import", download(client, version).content)

    assert QuestionnaireVersion.objects.count() == 1
    assert page_messages(page)[0].startswith("The workbook's version “1” is already version 1 of this questionnaire.")


def test_a_broken_workbook_lists_every_problem_and_creates_nothing(personas, client_for, version):
    client = client_for(personas.secretariat)
    # Faults on the first question, in the middle and on the last question.
    data = edit(
        renamed(download(client, version).content, "2026.2"),
        "survey",
        {(3, "required"): "maybe", (5, "name"): "Bad Name", (8, "themes"): "monitoring nowhere"},
    )

    page = post_file(client, "assessments:questionnaire_import", data)

    assert page.status_code == 200
    problems = page.context["problems"]
    assert [problem.split(":")[0] for problem in problems] == [
        "survey!R3 (required)", "survey!R5 (name)", "survey!R8 (themes)",
    ]
    body = page.content.decode()
    assert "The workbook was not imported; nothing was changed." in body
    assert all(str(problem).replace("'", "&#x27;") in body for problem in problems), body
    assert list(QuestionnaireVersion.objects.values_list("number", flat=True)) == [1]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("too_large", "The file is too large (2.0 MB); a questionnaire definition is at most 2 MB."),
        ("csv", "The file is not an XLSX workbook."),
        ("pdf", "The file is not an XLSX workbook."),
        ("other_zip", "The file is not an XLSX workbook."),
        ("damaged", "The file is damaged and cannot be read as an XLSX workbook."),
        ("empty", "The file is empty."),
    ],
)
def test_an_oversize_or_non_xlsx_upload_is_refused_with_a_clear_message(case, expected, personas, client_for, version):
    client = client_for(personas.secretariat)
    good = renamed(download(client, version).content, "2026.2")
    data = {
        "too_large": lambda: good + b"\0" * MAX_UPLOAD_BYTES,
        "csv": lambda: b"type,name,label::English\ninteger,staff,Staff\n",
        "pdf": lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
        "other_zip": not_an_xlsx_zip,
        "damaged": lambda: good[: len(good) // 2],
        "empty": lambda: b"",
    }[case]()
    draft = questionnaire_version_copy(actor=None, version=version)

    # Named .xlsx: the type is judged by the content.
    imported = post_file(client, "assessments:questionnaire_import", data)
    replaced = post_file(client, "assessments:questionnaire_replace", data, args=[draft.pk])

    assert QuestionnaireVersion.objects.count() == 2
    assert version_spec(draft) == needs_spec()
    for page in (imported, replaced):
        assert any(message.startswith(expected) for message in page_messages(page)), page_messages(page)


def test_posting_no_file_asks_for_one(personas, client_for):
    page = client_for(personas.secretariat).post(reverse("assessments:questionnaire_import"), follow=True)

    assert page_messages(page) == ["Choose an XLSForm workbook to upload."]
    assert not QuestionnaireVersion.objects.exists()


# ---------------------------------------------------------------------------- replace, publish, copy


def test_a_draft_is_replaced_from_an_edited_workbook(personas, client_for, version):
    client = client_for(personas.secretariat)
    draft = questionnaire_version_copy(actor=personas.secretariat, version=version)
    data = edit(download(client, draft).content, "survey", {(3, "label::English"): "Is there a national law?"})

    page = post_file(client, "assessments:questionnaire_replace", data, args=[draft.pk])

    assert page_messages(page) == ["Draft version 2 of “Needs” now holds the workbook's questions."]
    assert version_spec(draft).question("has_law").labels["en"] == "Is there a national law?"
    assert version_spec(version) == needs_spec()
    assert draft.history.latest().history_user == personas.secretariat


def test_a_broken_replacement_lists_the_problems_and_keeps_the_draft(personas, client_for, version):
    client = client_for(personas.secretariat)
    draft = questionnaire_version_copy(actor=None, version=version)
    data = edit(download(client, draft).content, "choices", {(2, "name"): "on line"})

    page = post_file(client, "assessments:questionnaire_replace", data, args=[draft.pk])

    assert [problem.split(":")[0] for problem in page.context["problems"]] == ["choices!R2 (name)"]
    assert "The draft was not replaced; nothing was changed." in page.content.decode()
    assert version_spec(draft) == needs_spec()


def test_a_published_version_is_not_replaced(personas, client_for, version):
    client = client_for(personas.secretariat)
    data = edit(download(client, version).content, "survey", {(3, "label::English"): "Changed"})

    page = post_file(client, "assessments:questionnaire_replace", data, args=[version.pk])

    assert page_messages(page) == ["A published version cannot be changed; copy it into a new version."]
    assert version_spec(version) == needs_spec()


def test_a_workbook_of_another_questionnaire_does_not_replace_a_draft(personas, client_for, version):
    client = client_for(personas.secretariat)
    draft = questionnaire_version_copy(actor=None, version=version)
    data = edit(download(client, draft).content, "settings", {(2, "form_id"): "offers"})

    page = post_file(client, "assessments:questionnaire_replace", data, args=[draft.pk])

    assert page_messages(page) == [
        "The workbook defines the questionnaire “offers”, not “needs”; nothing was changed."
    ]


def test_secretariat_copies_a_published_version_then_publishes_the_copy(personas, client_for, version):
    client = client_for(personas.secretariat)
    action = "assessments:questionnaire_action"

    copied = client.post(reverse(action, args=[version.pk]), {"action": "copy"}, follow=True)
    copy = QuestionnaireVersion.objects.get(number=2)
    published = client.post(reverse(action, args=[copy.pk]), {"action": "publish"}, follow=True)

    copy.refresh_from_db()
    assert copy.copied_from == version and copy.status == QuestionnaireVersion.Status.PUBLISHED
    assert copy.published_by == personas.secretariat
    assert page_messages(copied) == ["Version 1 of “Needs” was copied into the new draft version 2."]
    assert page_messages(published) == [
        "Version 2 of “Needs” is published: cycles may use it, and it can no longer change."
    ]


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("publish", "This version is already published; copy it to make changes."),
        ("delete", "Choose one of the actions offered."),
    ],
)
def test_an_action_that_does_not_apply_changes_nothing(action, expected, personas, client_for, version):
    page = client_for(personas.secretariat).post(
        reverse("assessments:questionnaire_action", args=[version.pk]), {"action": action}, follow=True
    )

    assert page_messages(page) == [expected]
    assert QuestionnaireVersion.objects.count() == 1


@pytest.mark.parametrize("persona", ["no_role", "focal_kenya", "contributor_kenya", "rfp_africa", "provider_unitar"])
def test_only_the_secretariat_imports_replaces_publishes_and_copies(persona, personas, client_for, version):
    client = client_for(getattr(personas, persona))
    draft = questionnaire_version_copy(actor=None, version=version)
    data = renamed(write_workbook(needs_spec(), {"form_id": "needs"}), "2026.9")
    action = "assessments:questionnaire_action"

    statuses = [
        post_file(client, "assessments:questionnaire_import", data).status_code,
        post_file(client, "assessments:questionnaire_replace", data, args=[version.pk]).status_code,
        client.post(reverse(action, args=[version.pk]), {"action": "copy"}).status_code,
        # A draft is not shown to them: they do not learn it exists.
        post_file(client, "assessments:questionnaire_replace", data, args=[draft.pk]).status_code,
        client.post(reverse(action, args=[draft.pk]), {"action": "publish"}).status_code,
        client.get(reverse("assessments:questionnaire_xlsform", args=[draft.pk])).status_code,
    ]

    assert statuses == [403, 403, 403, 404, 404, 404]
    assert QuestionnaireVersion.objects.count() == 2
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.DRAFT


# ---------------------------------------------------------------------------- the list


def test_the_list_shows_each_version_with_its_use_and_the_secretariat_its_actions(personas, client_for, version):
    open_cycle(version=version)
    draft = questionnaire_version_copy(actor=None, version=version, name="2026.2")

    secretariat = client_for(personas.secretariat).get(reverse(LIST))
    party = client_for(personas.focal_kenya).get(reverse(LIST))

    rows = {row.number: row for row in secretariat.context["versions"]}
    assert (rows[1].cycle_count, rows[2].cycle_count, rows[2].copied_from) == (1, 0, version)
    body = secretariat.content.decode()
    for url in (
        reverse("assessments:questionnaire_xlsform", args=[draft.pk]),
        reverse("assessments:questionnaire_replace", args=[draft.pk]),
        reverse("assessments:questionnaire_import"),
    ):
        assert url in body
    assert reverse("assessments:questionnaire_replace", args=[version.pk]) not in body  # published: copy it
    assert [row.number for row in party.context["versions"]] == [1]
    assert 'type="file"' not in party.content.decode()
    assert reverse("assessments:questionnaire_xlsform", args=[version.pk]) in party.content.decode()


def test_the_cycle_list_links_to_the_questionnaires(personas, client_for):
    page = client_for(personas.focal_kenya).get(reverse("assessments:cycle_list"))

    assert f'href="{reverse(LIST)}"' in page.content.decode()


def test_list_query_count_does_not_grow_with_versions(personas, client_for, version):
    client = client_for(personas.secretariat)
    client.get(reverse(LIST))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(LIST))

    for _copy in range(4):
        questionnaire_version_copy(actor=None, version=version)
    open_cycle(version=version)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse(LIST))

    assert len(many) == len(few)


# ---------------------------------------------------------------------------- the command's path


def test_load_reads_a_workbook_file_the_way_an_upload_is_read(tmp_path, personas):
    source = tmp_path / "basel_extra.xlsx"
    source.write_bytes(write_workbook(needs_spec(), {"version": "2026.1"}))  # no form_id: the file name is the code

    version, created = questionnaire_load(actor=None, source=source, known_themes=THEMES)
    again, created_again = questionnaire_load(actor=None, source=source, known_themes=THEMES)

    assert (version.questionnaire.code, version.name, created) == ("basel_extra", "2026.1", True)
    assert (again, created_again) == (version, False)
    source.write_bytes(b"type,name\n")
    with pytest.raises(ValidationError):
        questionnaire_load(actor=None, source=source, known_themes=THEMES)
