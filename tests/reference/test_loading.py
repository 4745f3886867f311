import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tahub.reference.loading import DATA_DIR, ReferenceDataError, parse_reference_data
from tahub.reference.models import (
    Convention,
    Country,
    KindOfHelp,
    RegionalCentre,
    RegionalGroup,
    Theme,
)
from tahub.reference.services import reference_load

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_reference(db):
    """Start from an empty database (the suite preloads reference data; this test rolls back)."""
    RegionalCentre.objects.update(coordinating_centre=None)
    RegionalCentre.objects.all().delete()
    Country.objects.all().delete()
    RegionalGroup.objects.all().delete()
    Convention.objects.all().delete()
    for model in (Theme, KindOfHelp):
        model.objects.filter(parent__isnull=False).delete()
        model.objects.all().delete()


def test_first_load_creates_every_shipped_record():
    report = reference_load()

    assert report.counts["countries"]["created"] == 198
    assert Country.objects.count() == 198
    assert Country.objects.parties().count() == 191
    assert RegionalGroup.objects.count() == 5
    assert set(Convention.objects.values_list("code", flat=True)) == {"basel", "rotterdam", "stockholm"}
    assert RegionalCentre.objects.count() == 14
    assert Theme.objects.filter(parent__isnull=True, article_16_area=True).count() == 6
    assert KindOfHelp.objects.filter(parent__isnull=True).count() == 4


def test_centres_keep_status_coordination_and_overlapping_service():
    reference_load()

    closed = RegionalCentre.objects.get(acronym="BCRC-CAM")
    assert closed.status == RegionalCentre.Status.CLOSED
    assert closed.closed_on.isoformat() == "2017-05-04"
    assert closed.host_country.iso3 == "SLV"
    assert RegionalCentre.objects.get(slug="senegal").coordinating_centre.host_country.iso3 == "NGA"
    assert RegionalCentre.objects.get(slug="caribbean").coordinating_centre.host_country.iso3 == "URY"
    rwanda_centres = set(Country.objects.get(iso3="RWA").centres.values_list("slug", flat=True))
    assert rwanda_centres == {"senegal", "south-africa"}
    assert RegionalCentre.objects.get(slug="southeast-asia").countries_served.count() == 0


def test_countries_carry_names_in_six_languages_and_their_classification_source():
    reference_load()

    kenya = Country.objects.get(iso3="KEN")
    assert (kenya.name_en, kenya.name_fr, kenya.name_es) == ("Kenya", "Kenya", "Kenia")
    assert kenya.name_ru and kenya.name_ar and kenya.name_zh
    assert kenya.classification == Country.Classification.DEVELOPING
    assert "table C" in kenya.classification_source
    assert Country.objects.filter(name_ar="").count() == 0


def test_second_run_changes_nothing_and_says_so(capsys):
    call_command("load_reference")
    call_command("load_reference")

    output = capsys.readouterr().out
    assert "already up to date: nothing changed" in output
    assert "countries: 0 created, 0 updated, 198 unchanged" in output


def test_a_changed_row_is_updated_in_place(tmp_path):
    reference_load()
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / "countries.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Kenia,", ",Kenya (es),"), encoding="utf-8")

    report = reference_load(data_dir=data_dir)

    assert report.counts["countries"]["updated"] == 1
    assert Country.objects.get(iso3="KEN").name_es == "Kenya (es)"
    assert Country.objects.get(iso3="KEN").history.count() == 2


def _broken_copy(tmp_path, filename, line_number, replacement):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / filename
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = line_number - 1 if line_number > 0 else len(lines) + line_number
    lines[index] = replacement
    path.write_text("".join(lines), encoding="utf-8")
    return data_dir, index + 1


@pytest.mark.parametrize("position", [2, 100, -1], ids=["first row", "middle row", "last row"])
def test_a_malformed_row_aborts_with_file_and_line_and_writes_nothing(tmp_path, position):
    data_dir, line = _broken_copy(tmp_path, "countries.csv", position, "XXX,XX,state,Nowhere\n")

    with pytest.raises(ReferenceDataError) as caught:
        reference_load(data_dir=data_dir)

    assert str(caught.value).startswith(f"countries.csv:{line}:")
    assert Country.objects.count() == 0
    assert RegionalGroup.objects.count() == 0


@pytest.mark.parametrize(
    ("filename", "bad_row", "message"),
    [
        ("countries.csv", "ZZZ,ZZ,state,Kenya,Kenya,Kenia,Кения,كينيا,肯尼亚,AFRICA,Africa,Eastern Africa,maybe,developing,x,no,no,no\n", "basel_party"),
        ("centres.csv", "BCRC-X,x,Centre X,ZZZ,,no,,,active,,,\n", "host_country"),
        ("themes.csv", "waste.new,missing_parent,no,99,New,,,,,\n", "parent"),
        ("kinds_of_help.csv", "Bad Code,,1,Bad,,,,,\n", "code"),
    ],
)
def test_each_file_is_checked_before_anything_is_written(tmp_path, filename, bad_row, message):
    data_dir, line = _broken_copy(tmp_path, filename, -1, bad_row)

    with pytest.raises(ReferenceDataError) as caught:
        reference_load(data_dir=data_dir)

    assert caught.value.path.name == filename and caught.value.line == line
    assert message in caught.value.message
    assert Country.objects.count() == 0


def test_command_reports_a_broken_file_and_fails(tmp_path):
    data_dir, line = _broken_copy(tmp_path, "centres.csv", 3, "too,few,fields\n")

    with pytest.raises(CommandError, match=rf"centres.csv:{line}: expected 12 fields"):
        call_command("load_reference", data_dir=str(data_dir))
    assert RegionalCentre.objects.count() == 0


def test_dry_run_reports_without_writing(capsys):
    call_command("load_reference", dry_run=True)

    assert "countries: 198 created" in capsys.readouterr().out
    assert Country.objects.count() == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.text(max_size=300))
def test_any_file_content_gives_a_data_error_or_a_parse_never_a_crash(tmp_path_factory, garbage):
    data_dir = tmp_path_factory.mktemp("data")
    for source in DATA_DIR.glob("*.csv"):
        shutil.copy(source, data_dir / source.name)
    (data_dir / "themes.csv").write_text(garbage, encoding="utf-8")

    try:
        parse_reference_data(data_dir)
    except ReferenceDataError as exc:
        assert exc.path.name == "themes.csv"


def test_every_bad_row_of_every_file_is_reported_at_once(tmp_path):
    data_dir, first = _broken_copy(tmp_path, "countries.csv", 2, "XXX,XX,state,Nowhere\n")
    path = data_dir / "countries.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[99] = "YYY,YY,planet,Somewhere,,,,,,AFRICA,,,yes,developing,,no,no,no\n"
    lines[-1] = "ZZZ,Z1,state,Z,,,,,,MARS,,,yes,developing,,no,no,no\n"
    path.write_text("".join(lines), encoding="utf-8")
    themes = data_dir / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8") + "Bad Code,,no,99,Bad,,,,,\n", encoding="utf-8")

    with pytest.raises(ReferenceDataError) as caught:
        reference_load(data_dir=data_dir)

    reported = [line.split(":")[:2] for line in str(caught.value).splitlines()]
    assert reported[:3] == [["countries.csv", "2"], ["countries.csv", "100"], ["countries.csv", str(len(lines))]]
    assert ["themes.csv", "39"] in reported
    assert len(caught.value.problems) == len(reported)
    assert Country.objects.count() == 0
