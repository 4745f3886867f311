"""Benchmark: seed the demo data at a scale into a fresh database, then time pages and API calls.

    python bench/run.py --scale 10 [--repeat 30] [--json results.json]

The database is a new SQLite file under var/bench/, or, when TAHUB_DATABASE_URL points at
PostgreSQL, a new database on that server that is dropped at the end. Server time is measured
in-process around Django's test client (no network), so it is the time tahub itself spends:
routing, queries, templates. Each figure is printed with the data sizes it was measured at.
"""

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def prepare_database():
    """Point TAHUB_DATABASE_URL at a fresh database; return a clean-up callable."""
    url = os.environ.get("TAHUB_DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urlparse(url)
        name = f"tahub_bench_{uuid.uuid4().hex[:8]}"
        admin_url = urlunparse(parsed._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["TAHUB_DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return drop
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["TAHUB_DATABASE_URL"] = f"sqlite:///{path}"
    return lambda: None


def configure():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahub.settings")
    os.environ["TAHUB_DEBUG"] = "0"
    os.environ.setdefault("TAHUB_SECRET_KEY", "bench-" + uuid.uuid4().hex * 2)
    os.environ["TAHUB_SSL_REDIRECT"] = "0"
    os.environ["TAHUB_ALLOWED_HOSTS"] = "testserver"
    import django
    from django.conf import settings

    django.setup()
    # No collectstatic here: serve static names without a manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def seed(scale):
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=scale, quiet=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    return time.perf_counter() - started


def data_sizes():
    from tahub.accounts.models import Membership, Organisation, User
    from tahub.reference.models import Country, RegionalCentre, Theme

    return {
        "countries": Country.objects.count(),
        "centres": RegionalCentre.objects.count(),
        "themes": Theme.objects.count(),
        "people": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "role memberships": Membership.objects.count(),
    }


def cases():
    """(label, who, url): the main pages and API calls."""
    return [
        ("home", None, "/"),
        ("home (secretariat)", "secretariat@demo.tahub.example", "/"),
        ("home (regional focal point)", "rfp.africa@demo.tahub.example", "/"),
        ("parties directory", None, "/parties/"),
        ("parties, African States", None, "/parties/?regional_group=AFRICA"),
        ("parties, name search", None, "/parties/?q=ken"),
        ("party page", None, "/parties/KEN/"),
        ("centres directory", None, "/centres/"),
        ("centre page", None, "/centres/senegal/"),
        ("themes", None, "/themes/"),
        ("people (secretariat)", "secretariat@demo.tahub.example", "/account/people/"),
        ("people (focal point)", "focal.ken@demo.tahub.example", "/account/people/"),
        ("API tokens page", "focal.ken@demo.tahub.example", "/account/tokens/"),
        ("API countries", None, "/api/v1/countries"),
        ("API countries, African States", None, "/api/v1/countries?regional_group=AFRICA"),
        ("API country", None, "/api/v1/countries/KEN"),
        ("API centres", None, "/api/v1/centres"),
        ("API themes", None, "/api/v1/themes"),
        ("API me (token)", "token", "/api/v1/me"),
        ("healthz", None, "/healthz"),
    ]


def rows_shown(response):
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(response.content)
        return len(body["items"]) if isinstance(body, dict) and "items" in body else 1
    context = response.context
    if context is None:
        return 1
    for key in ("page", "centres", "tokens", "themes", "starting_points"):
        if key in context:
            return len(list(context[key]))
    return 1


def measure(repeat, warmup):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tahub.accounts.models import User
    from tahub.accounts.services import api_token_create

    setup_test_environment()  # lets the client see templates' context for the row counts
    clients = {None: Client()}
    token_user = User.objects.get(email="focal.ken@demo.tahub.example")
    _token, secret = api_token_create(actor=token_user, name="benchmark")
    results = []
    for label, who, url in cases():
        if who not in clients:
            client = Client()
            if who != "token":
                client.force_login(User.objects.get(email=who))
            clients[who] = client
        client = clients[who]
        headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if who == "token" else {}
        for _ in range(warmup):
            client.get(url, **headers)
        timings = []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url, **headers)
                timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        timings.sort()
        results.append(
            {
                "page": label,
                "url": url,
                "rows": rows_shown(response),
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
                "queries": len(captured),
            }
        )
    return results


def print_table(sizes, vendor, scale, seed_seconds, results, repeat):
    print(f"tahub benchmark — {vendor}, seed_demo --scale {scale} (seeded in {seed_seconds:.1f} s)")
    print("data: " + ", ".join(f"{count} {name}" for name, count in sizes.items()))
    print(f"each row: {repeat} timed requests after warm-up; server time in-process, milliseconds")
    print()
    width = max(len(result["page"]) for result in results)
    header = f"{'page'.ljust(width)}  {'rows':>5}  {'median ms':>9}  {'p95 ms':>7}  {'queries':>7}"
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result['page'].ljust(width)}  {result['rows']:>5}  {result['median_ms']:>9.1f}"
            f"  {result['p95_ms']:>7.1f}  {result['queries']:>7}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", dest="json_path", help="also write the results to this file")
    args = parser.parse_args(argv)

    clean_up = prepare_database()
    try:
        configure()
        seed_seconds = seed(args.scale)
        from django.db import connection

        sizes = data_sizes()
        results = measure(args.repeat, args.warmup)
        print_table(sizes, connection.vendor, args.scale, seed_seconds, results, args.repeat)
        if args.json_path:
            payload = {"vendor": connection.vendor, "scale": args.scale, "sizes": sizes, "results": results}
            Path(args.json_path).write_text(json.dumps(payload, indent=2), encoding="utf-8")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
