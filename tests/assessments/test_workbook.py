"""The offline questionnaire: download a response as XLSX, fill it with openpyxl, upload it back."""

import io
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

import tahub.assessments
from tahub.assessments.models import Response
from tahub.assessments.selectors import version_spec
from tahub.assessments.services.questionnaires import questionnaire_load
from tahub.assessments.services.responses import response_save, response_start, validate
from tahub.assessments.workbook import (
    MAX_UPLOAD_BYTES,
    WorkbookError,
    read_response_workbook,
    response_workbook,
)
from tahub.reference.models import Country
from tests.assessments.factories import assign_sections, open_cycle, published_version

pytestmark = pytest.mark.django_db

DEFAULT = Path(tahub.assessments.__file__).parent / "data" / "basel_ta_needs"


@pytest.fixture
def cycle(personas):
    return open_cycle()


@pytest.fixture
def kenya(personas, cycle):
    response = response_start(
        actor=personas.focal_kenya, cycle=cycle, country=Country.objects.get(iso3="KEN")
    )
    assign_sections(response, personas.contributor_kenya)
    return response


def download(client, response, lang="en"):
    page = client.get(reverse("assessments:response_workbook", args=[response.pk]), {"lang": lang})
    assert page.status_code == 200
    return page.content


def answer_cell(workbook, code, theme="", field=""):
    """The answer cell of a question (or of a theme-matrix row), found as a person would: by its code."""
    columns = {"": "C", "level": "C", "kinds": "D", "comment": "E"}
    for sheet in workbook.worksheets:
        if sheet.title in ("lists", "meta"):
            continue
        rows = [row[0].value for row in sheet.iter_rows(min_col=1, max_col=1)]
        if code not in rows:
            continue
        start = rows.index(code) + 1
        row = start if not theme else rows.index(theme, start) + 1
        return sheet[f"{columns[field]}{row}"]
    raise KeyError(code)


def fill(data, values):
    workbook = load_workbook(io.BytesIO(data))
    for key, value in values.items():
        answer_cell(workbook, *((key,) if isinstance(key, str) else key)).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, response, data, name="answers.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(
        reverse("assessments:response_workbook", args=[response.pk]),
        {"workbook": file},
        follow=True,
    )


def page_messages(page):
    return [str(message) for message in page.context["messages"]]


FILLED = {
    "has_law": "yes",
    "law_year": 2015,  # as a spreadsheet number
    "modalities": "online, in_person",
    ("matrix", "monitoring", "level"): "high",
    ("matrix", "monitoring", "kinds"): "training, advice.expert",
    ("matrix", "monitoring", "comment"): "No laboratory",
    ("matrix", "legal", "level"): "low",
}


def test_round_trip_download_fill_upload_becomes_the_draft(personas, client_for, kenya):
    client = client_for(personas.focal_kenya)

    page = upload(client, kenya, fill(download(client, kenya), FILLED))

    kenya.refresh_from_db()
    assert page_messages(page)[-1].startswith("The workbook was imported as your draft")
    assert kenya.status == Response.Status.DRAFT  # never submitted by an upload
    assert kenya.answers["has_law"] == "yes" and kenya.answers["law_year"] == "2015"
    assert kenya.answers["modalities"] == ["online", "in_person"]
    assert kenya.answers["matrix"] == {
        "monitoring": {
            "level": "high",
            "kinds": ["training", "advice.expert"],
            "comment": "No laboratory",
        },
        "legal": {"level": "low", "kinds": [], "comment": ""},
    }
    result = validate(kenya, for_submission=True)
    assert result.problems == [] and result.values["law_year"] == 2015


def test_a_downloaded_draft_uploaded_unchanged_keeps_its_answers(personas, client_for, kenya):
    client = client_for(personas.focal_kenya)
    upload(client, kenya, fill(download(client, kenya), FILLED))
    kenya.refresh_from_db()
    before = dict(kenya.answers)

    upload(client, kenya, download(client, kenya, lang="fr"))

    kenya.refresh_from_db()
    assert kenya.answers == before


def test_skip_logic_ignores_a_hidden_question_online_and_in_the_import(personas, client_for, kenya):
    given = {"has_law": "no", "law_year": "not a year"}
    online, online_result = response_save(
        actor=personas.focal_kenya, response=kenya, answers=given, lock_version=kenya.lock_version
    )
    spec = version_spec(kenya.cycle.version)
    data = fill(response_workbook(online, spec, language="en"), given)

    imported = read_response_workbook(data, response=online, spec=spec)

    assert online_result.problems == []
    assert validate(online, imported, for_submission=False).values == online_result.values
    assert "law_year" not in online_result.relevant
    with pytest.raises(WorkbookError) as shown:  # once relevant, the same cell is an error
        read_response_workbook(fill(data, {"has_law": "yes"}), response=online, spec=spec)
    assert shown.value.problems == ["Capacity!C4: Enter a whole number, for example 12."]


def test_errors_on_several_sheets_are_all_listed_and_nothing_changes(personas, client_for, kenya):
    client = client_for(personas.focal_kenya)
    before = (dict(kenya.answers), kenya.lock_version)
    bad = {
        "has_law": "maybe",
        "law_year": "twenty",
        ("matrix", "legal", "level"): "huge",
        ("matrix", "legal", "kinds"): "money",
    }

    page = upload(client, kenya, fill(download(client, kenya), bad))

    kenya.refresh_from_db()
    assert (kenya.answers, kenya.lock_version) == before
    shown = page_messages(page)
    assert shown[0].startswith("The workbook was not imported; nothing was changed.")
    assert shown[1:] == [
        "Capacity!C3: Answer yes or no.",
        "Needs!C7: Choose a level: none, low, medium or high.",
        "Needs!D7: “money” is not a known kind of help.",
    ]


def test_a_formula_looking_value_is_kept_as_text(personas, client_for, kenya):
    client = client_for(personas.focal_kenya)
    data = fill(
        download(client, kenya),
        {("matrix", "legal", "level"): "low", ("matrix", "legal", "comment"): "=1+1"},
    )
    formula = load_workbook(io.BytesIO(data))["Needs"]["E7"]
    assert formula.data_type == "f"  # openpyxl wrote what the test typed as a formula

    upload(client, kenya, data)

    kenya.refresh_from_db()
    assert kenya.answers["matrix"]["legal"]["comment"] == "=1+1"
    again = load_workbook(io.BytesIO(download(client, kenya)))
    assert again["Needs"]["E7"].value == "=1+1" and again["Needs"]["E7"].data_type == "s"


def test_every_cell_is_text_only_answer_cells_are_unlocked_and_meta_is_hidden(
    personas, client_for, kenya
):
    workbook = load_workbook(
        io.BytesIO(download(client_for(personas.focal_kenya), kenya, lang="fr"))
    )

    assert workbook.security.lockStructure
    assert workbook["meta"].sheet_state == "veryHidden"
    assert {"Capacités", "Needs", "lists"} <= set(workbook.sheetnames)
    unlocked = set()
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.value is None or cell.data_type == "s"
                if not cell.protection.locked:
                    unlocked.add(f"{sheet.title}!{cell.coordinate}")
    assert "Capacités!C3" in unlocked and "Capacités!B3" not in unlocked
    matrix_cells = [place for place in unlocked if place.startswith("Needs!")]
    assert len(matrix_cells) == 9  # 3 themes × 3 cells
    lists = [v.formula1 for v in workbook["Capacités"].data_validations.dataValidation]
    assert any(formula.startswith("lists!") for formula in lists)


def other_response(personas, cycle, iso3="PER"):
    actor = personas.focal_peru if iso3 == "PER" else personas.focal_kenya
    return response_start(actor=actor, cycle=cycle, country=Country.objects.get(iso3=iso3))


def tampered(data):
    workbook = load_workbook(io.BytesIO(data))
    workbook["meta"]["B3"] = "PER"  # the Party
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def not_an_xlsx_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("another_party", "This workbook is for another Party (PER), not Kenya (KEN)."),
        ("another_cycle", "This workbook is for another needs-assessment cycle, not “Needs 2026”."),
        (
            "another_version",
            "This workbook is for version 2 of the questionnaire; this response uses version 1.",
        ),
        ("tampered", "This workbook was not downloaded from this response's page"),
        ("damaged", "The file is damaged and cannot be read as an XLSX workbook."),
        ("too_large", "The file is too large (2.0 MB); a filled-in questionnaire is at most 2 MB."),
        ("csv", "The file is not an XLSX workbook."),
        ("pdf", "The file is not an XLSX workbook."),
        ("other_zip", "The file is not an XLSX workbook."),
    ],
)
def test_a_bad_file_is_refused_with_a_precise_message_and_changes_nothing(
    case, expected, personas, client_for, cycle, kenya
):
    client = client_for(personas.focal_kenya)
    good = download(client, kenya)
    spec = version_spec(cycle.version)
    if case == "another_party":
        data = response_workbook(other_response(personas, cycle), spec, language="en")
    elif case == "another_cycle":
        later = open_cycle("Needs 2027", version=cycle.version)
        data = response_workbook(other_response(personas, later, "KEN"), spec, language="en")
    elif case == "another_version":
        later = open_cycle("Needs 2027", version=published_version())
        data = response_workbook(other_response(personas, later, "KEN"), spec, language="en")
    else:
        data = {
            "tampered": lambda: tampered(good),
            "damaged": lambda: good[: len(good) // 2],
            "too_large": lambda: good + b"\0" * MAX_UPLOAD_BYTES,
            "csv": lambda: b"code,answer\nhas_law,yes\nlaw_year,2015\n",
            "pdf": lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "other_zip": not_an_xlsx_zip,
        }[case]()
    before = (dict(kenya.answers), kenya.lock_version)

    page = upload(client, kenya, data)

    kenya.refresh_from_db()
    assert (kenya.answers, kenya.lock_version) == before
    assert any(message.startswith(expected) for message in page_messages(page)), page_messages(page)


UPLOAD_EXPECTED = {
    "anonymous": 302,
    "no_role": 404,
    "focal_kenya": 302,
    "contributor_kenya": 302,
    "focal_peru": 404,
    "centre_senegal": 404,
    "rfp_africa": 403,
    "provider_unitar": 404,
    "secretariat": 403,
}


@pytest.mark.parametrize("persona", sorted(UPLOAD_EXPECTED))
def test_only_kenyas_drafters_may_upload_a_workbook(persona, personas, client_for, kenya):
    user = None if persona == "anonymous" else getattr(personas, persona)

    page = client_for(user).post(reverse("assessments:response_workbook", args=[kenya.pk]))

    assert page.status_code == UPLOAD_EXPECTED[persona]


def test_export_and_import_time_of_the_default_questionnaire(personas):
    version, _created = questionnaire_load(actor=None, source=DEFAULT, publish=True)
    cycle = open_cycle("Basel 2026", version=version)
    response = other_response(personas, cycle, "KEN")
    spec = version_spec(version)

    started = time.perf_counter()
    data = response_workbook(response, spec, language="fr")
    exported = time.perf_counter()
    answers = read_response_workbook(data, response=response, spec=spec)
    imported = time.perf_counter()

    print(
        f"default questionnaire: export {exported - started:.3f} s, import {imported - exported:.3f} s"
    )
    assert set(answers) == {question.code for question in spec.questions()}
