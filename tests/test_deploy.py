"""Production settings: deploy checks, refusal without a secret key, headers, plain error pages."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "TAHUB_DEBUG": "0",
    "TAHUB_SECRET_KEY": "k3y-" + "x7Qp9vR2mL5sT8wZ" * 4,
    "TAHUB_ALLOWED_HOSTS": "tahub.example.org",
}


def run_tahub(args, env_overrides, tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("TAHUB_")}
    env.update({"TAHUB_DATA_DIR": str(tmp_path), **env_overrides})
    return subprocess.run(
        [sys.executable, "-m", "tahub.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_reports_nothing_under_production_settings(tmp_path):
    result = run_tahub(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_refuses_to_start_without_a_secret_key_when_debug_is_off(tmp_path):
    result = run_tahub(["check"], {"TAHUB_DEBUG": "0"}, tmp_path)

    assert result.returncode != 0
    assert "TAHUB_SECRET_KEY must be set" in result.stderr


def test_security_headers_are_sent(reference, client):
    response = client.get("/", secure=True)

    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_errors_show_a_plain_page_without_traces(reference, client, monkeypatch, settings):
    assert settings.DEBUG is False

    def broken(actor):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr("tahub.portal.views.theme_list_for", broken)
    client.raise_request_exception = False

    response = client.get("/themes/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "secret internal detail" not in body and "Traceback" not in body


def test_unknown_page_is_a_friendly_404(reference, client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_healthz_reports_the_database(reference, client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
