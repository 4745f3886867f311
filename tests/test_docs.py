"""Documentation drift fails the build: settings, commands, roles and guides must be documented."""

import re
from pathlib import Path

from django.conf import settings

from tahub.accounts.roles import PERMISSIONS, PUBLIC_PERMISSIONS, Perm, Role

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "tahub"
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def test_every_setting_read_by_the_code_is_declared_and_in_the_readme_table():
    code = "\n".join(path.read_text(encoding="utf-8") for path in SOURCE.rglob("*.py"))
    read = {f"TAHUB_{name}" for name in re.findall(r"env(?:_bool|_int|_list)?\(\s*\"([A-Z_]+)\"", code)}
    read |= set(re.findall(r"\"(TAHUB_[A-Z_]+)\"", code)) - set(settings.SETTINGS_DOCUMENTED)

    assert read, "the settings scan found nothing: the pattern is out of date"
    assert read <= set(settings.SETTINGS_DOCUMENTED), read - set(settings.SETTINGS_DOCUMENTED)
    table_rows = {line.split("|")[1].strip().strip("`") for line in README.splitlines() if line.startswith("| `TAHUB_")}
    assert set(settings.SETTINGS_DOCUMENTED) <= table_rows, set(settings.SETTINGS_DOCUMENTED) - table_rows


def test_readme_defaults_match_the_declared_defaults():
    for name, default in settings.SETTINGS_DOCUMENTED.items():
        row = next(line for line in README.splitlines() if line.startswith(f"| `{name}`"))
        assert default.strip("`") in row.replace("`", ""), f"{name}: README default differs from {default!r}"


def test_every_management_command_of_tahub_is_documented():
    commands = {path.stem for path in SOURCE.glob("*/management/commands/*.py") if not path.name.startswith("_")}
    documented = (DOCS / "commands.md").read_text(encoding="utf-8")

    assert commands >= {"load_reference", "seed_demo"}
    assert {command for command in commands if f"`{command}`" not in documented} == set()


def test_roles_page_renders_the_permission_table():
    page = (DOCS / "roles.md").read_text(encoding="utf-8")
    rows = {line.split("|")[2].strip().strip("`"): line for line in page.splitlines() if line.startswith("| ")}

    for role in Role:
        assert f"`{role.value}`" in page
    for perm in Perm:
        cells = [cell.strip() for cell in rows[perm.value].split("|")[3:-1]]
        expected = ["yes" if perm in PUBLIC_PERMISSIONS else ""] + [
            "yes" if perm in PERMISSIONS[role] else "" for role in Role
        ]
        assert cells == expected, f"docs/roles.md row for {perm.value} differs from accounts/roles.py"


def test_a_guide_exists_for_each_role_and_for_the_public():
    guides = {path.stem for path in (DOCS / "guides").glob("*.md")}
    expected = {"secretariat", "regional-focal-point", "centre", "party-focal-point", "contributor", "provider", "public"}

    assert expected <= guides
    assert len(Role) + 1 == len(expected)


def test_readme_names_the_two_commands_and_ci_runs_the_test_command():
    assert "make demo" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_docs_links_point_to_files_that_exist():
    for page in [ROOT / "README.md", *DOCS.rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
