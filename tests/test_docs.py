"""Documentation drift fails the build: settings, commands, roles, guides and the two make targets."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import load_command_class
from django.core.management.base import BaseCommand

from tahub.accounts.roles import PERMISSIONS, PUBLIC_PERMISSIONS, Perm, Role

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "tahub"
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")

# The guide in docs/guides/ written for each role; a new role needs a guide and an entry here.
GUIDES = {
    Role.SECRETARIAT: "secretariat",
    Role.REGIONAL_FOCAL_POINT: "regional-focal-point",
    Role.CENTRE_STAFF: "centre",
    Role.PARTY_FOCAL_POINT: "party-focal-point",
    Role.CONTRIBUTOR: "contributor",
    Role.PROVIDER: "provider",
}
PUBLIC_GUIDE = "public"

ENV_CALL = re.compile(r"\benv(?:_bool|_int|_list)?\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
LITERAL = re.compile(r"[\"'](TAHUB_[A-Z][A-Z0-9_]*)[\"']")


def _source_text():
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(SOURCE.rglob("*.py")))


def _settings_read_by_the_code():
    code = _source_text()
    names = {f"TAHUB_{name}" for name in ENV_CALL.findall(code)}
    return names | set(LITERAL.findall(code))


def _readme_configuration_rows():
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return {
        line.split("|")[1].strip().strip("`"): line
        for line in section.splitlines()
        if line.startswith("| `TAHUB_")
    }


def _commands_defined_by_tahub():
    return {
        path.parent.parent.parent.name + ":" + path.stem
        for path in SOURCE.glob("*/management/commands/*.py")
        if not path.name.startswith("_")
    }


def test_the_settings_scan_finds_the_settings_module_reads():
    read = _settings_read_by_the_code()

    assert {"TAHUB_DEBUG", "TAHUB_SECRET_KEY", "TAHUB_DATABASE_URL"} <= read, (
        "the scan pattern is out of date"
    )


def test_every_setting_read_by_the_code_is_declared():
    undeclared = _settings_read_by_the_code() - set(settings.SETTINGS_DOCUMENTED)

    assert not undeclared, (
        f"read in src/tahub but missing from settings.SETTINGS_DOCUMENTED: {sorted(undeclared)}"
    )


def test_every_declared_setting_is_read_by_the_code():
    stale = set(settings.SETTINGS_DOCUMENTED) - _settings_read_by_the_code()

    assert not stale, f"declared in SETTINGS_DOCUMENTED but no longer read: {sorted(stale)}"


def test_readme_configuration_table_lists_exactly_the_declared_settings():
    rows = _readme_configuration_rows()

    missing = set(settings.SETTINGS_DOCUMENTED) - set(rows)
    extra = set(rows) - set(settings.SETTINGS_DOCUMENTED)
    assert not missing, f"README configuration table lacks {sorted(missing)}"
    assert not extra, f"README configuration table lists unknown settings {sorted(extra)}"


@pytest.mark.parametrize("name", sorted(settings.SETTINGS_DOCUMENTED))
def test_readme_default_and_meaning_of_each_setting(name):
    row = _readme_configuration_rows()[name]
    cells = [cell.strip() for cell in row.strip().strip("|").split("|")]

    assert len(cells) == 3, f"{name}: the row needs name | default | meaning"
    assert settings.SETTINGS_DOCUMENTED[name].replace("`", "") in cells[1].replace("`", ""), (
        f"{name}: README default {cells[1]!r} differs from {settings.SETTINGS_DOCUMENTED[name]!r}"
    )
    assert len(cells[2]) > 5, f"{name}: say what the setting means"


def test_every_management_command_of_tahub_is_documented():
    page = (DOCS / "commands.md").read_text(encoding="utf-8")
    commands = _commands_defined_by_tahub()

    assert {entry.split(":")[1] for entry in commands} >= {"load_reference", "seed_demo"}
    undocumented = sorted(entry for entry in commands if f"`{entry.split(':')[1]}`" not in page)
    assert not undocumented, f"docs/commands.md does not name {undocumented}"


def test_every_option_of_tahubs_commands_is_documented():
    page = (DOCS / "commands.md").read_text(encoding="utf-8")
    base_options = {
        option
        for action in BaseCommand().create_parser("tahub", "any")._actions
        for option in action.option_strings
    }
    missing = []
    for entry in sorted(_commands_defined_by_tahub()):
        app, name = entry.split(":")
        parser = load_command_class(f"tahub.{app}", name).create_parser("tahub", name)
        for action in parser._actions:
            for option in action.option_strings:
                if (
                    option.startswith("--")
                    and option not in base_options
                    and f"`{option}" not in page
                ):
                    missing.append(f"{name} {option}")
    assert not missing, f"docs/commands.md does not document {missing}"


def test_operator_commands_are_documented():
    page = (DOCS / "commands.md").read_text(encoding="utf-8")

    for command in (
        "migrate",
        "collectstatic",
        "createsuperuser",
        "db_worker",
        "axes_reset",
        "check --deploy",
    ):
        assert f"`{command}" in page, f"docs/commands.md does not name {command}"


def test_roles_page_names_every_role_and_permission():
    page = (DOCS / "roles.md").read_text(encoding="utf-8")

    assert {role.value for role in Role if f"`{role.value}`" not in page} == set()
    assert {perm.value for perm in Perm if f"`{perm.value}`" not in page} == set()


def test_roles_page_permission_table_matches_roles_py():
    page = (DOCS / "roles.md").read_text(encoding="utf-8")
    section = page.split("## Permissions", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip().strip("`") for cell in lines[0].strip().strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows[cells[1].strip("`")] = cells[2:]

    assert header[2:] == ["public", *(role.value for role in Role)], (
        "columns: public, then every role in order"
    )
    assert set(rows) == {perm.value for perm in Perm}, "one row per permission"
    for perm in Perm:
        expected = ["yes" if perm in PUBLIC_PERMISSIONS else ""] + [
            "yes" if perm in PERMISSIONS[role] else "" for role in Role
        ]
        assert rows[perm.value] == expected, (
            f"docs/roles.md row for {perm.value} differs from accounts/roles.py"
        )


def test_a_guide_exists_for_each_role_and_for_the_public():
    assert set(GUIDES) == set(Role), (
        "a role has no guide: write docs/guides/<role>.md and add it to GUIDES"
    )
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for stem in [*GUIDES.values(), PUBLIC_GUIDE]:
        guide = DOCS / "guides" / f"{stem}.md"
        assert guide.is_file(), f"missing {guide.relative_to(ROOT)}"
        assert guide.read_text(encoding="utf-8").startswith("# "), f"{guide.name} needs a title"
        assert f"guides/{stem}.md" in index, f"docs/README.md does not link {stem}.md"


def test_readme_names_the_two_commands_and_the_makefile_has_them():
    assert "make demo" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_ci_script_runs_the_test_command():
    script = ROOT / ".ci" / "run"
    if not script.exists():
        pytest.skip(".ci/run is not present")
    commands = [line.split("#", 1)[0] for line in script.read_text(encoding="utf-8").splitlines()]

    assert any(re.search(r"\bmake test\b", line) for line in commands), (
        ".ci/run does not call `make test`"
    )


def test_docs_links_point_to_files_that_exist():
    for page in [ROOT / "README.md", *DOCS.rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target and not target.startswith("mailto:"):
                assert (page.parent / target).exists(), (
                    f"{page.relative_to(ROOT)} links to missing {target}"
                )
