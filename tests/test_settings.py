import subprocess
import sys

import pytest
from django.db import connection

from tahub.cli import main


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    # The in-memory test database cannot use WAL; the setting is what matters for files.
    assert mode in {"wal", "memory"}
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def test_a_file_database_really_is_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tahub.settings",
        "TAHUB_DEBUG": "1",
        "TAHUB_DATABASE_URL": f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    }
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)

    assert result.stdout.strip() == "wal", result.stderr


def test_console_script_fronts_the_management_commands(capsys):
    main(["help", "load_reference"])

    assert "Load the shipped reference data" in capsys.readouterr().out
