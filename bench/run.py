"""Benchmark: seed the demo data at a scale into a fresh database, then time pages and API calls.

    python bench/run.py [--scale 10] [--repeat 30] [--warmup 3] [--json results.json]

The database is a new SQLite file under var/bench/ (deleted first), or, when TAHUB_DATABASE_URL
points at PostgreSQL, a new database ``tahub_bench_<random>`` on that server, dropped at the
end. Server time is measured in-process around Django's test client (no network, no browser),
so it is the time tahub itself spends: middleware, routing, queries, templates, JSON. Each
figure is printed with the data sizes it was measured at. The run fails (exit status 1) when
any request does not answer 200.
"""

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
import uuid
import warnings
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import planning  # noqa: E402  (bench/planning.py, beside this file)
import summaries  # noqa: E402  (bench/summaries.py, beside this file)
from timing import percentile  # noqa: E402  (bench/timing.py, beside this file)

SECRETARIAT = "secretariat@demo.tahub.example"
REGIONAL_FOCAL_POINT = "rfp.africa@demo.tahub.example"
PARTY_FOCAL_POINT = "focal.ken@demo.tahub.example"
PROVIDER = "provider.unitar@demo.tahub.example"
TOKEN = "token"  # a request sent with a personal API token of the Party focal point

# (label, who, url): the main pages and API calls; who is None for the public.
CASES = [
    ("home", None, "/"),
    ("home (secretariat)", SECRETARIAT, "/"),
    ("home (regional focal point)", REGIONAL_FOCAL_POINT, "/"),
    ("parties directory", None, "/parties/"),
    ("parties, African States", None, "/parties/?regional_group=AFRICA"),
    ("parties, name search", None, "/parties/?q=ken"),
    ("party page", None, "/parties/KEN/"),
    ("centres directory", None, "/centres/"),
    ("centre page", None, "/centres/senegal/"),
    ("themes", None, "/themes/"),
    ("offers catalogue", None, "/offers/"),
    ("offers search", None, "/offers/?q=training&kind=training"),
    ("offers filtered by country", PARTY_FOCAL_POINT, "/offers/?country=KEN"),
    ("people (secretariat)", SECRETARIAT, "/account/people/"),
    ("people (Party focal point)", PARTY_FOCAL_POINT, "/account/people/"),
    ("API tokens page", PARTY_FOCAL_POINT, "/account/tokens/"),
    ("API countries", None, "/api/v1/countries"),
    ("API countries, African States", None, "/api/v1/countries?regional_group=AFRICA"),
    ("API country", None, "/api/v1/countries/KEN"),
    ("API centres", None, "/api/v1/centres"),
    ("API themes", None, "/api/v1/themes"),
    ("API offers", None, "/api/v1/offers"),
    ("API me (token)", TOKEN, "/api/v1/me"),
    ("healthz", None, "/healthz"),
]

# Template context names holding the rows a page shows, in order of preference ("sections": a
# dict of lists, the rows of "my work").
ROW_KEYS = ("page", "centres", "tokens", "themes", "starting_points", "sections")


def prepare_database():
    """Point TAHUB_DATABASE_URL at a fresh database; return a clean-up callable."""
    url = os.environ.get("TAHUB_DATABASE_URL", "")
    scheme = urlparse(url).scheme
    if scheme in ("postgres", "postgresql", "pgsql"):
        import psycopg

        parsed = urlparse(url)
        name = f"tahub_bench_{uuid.uuid4().hex[:10]}"
        admin_url = urlunparse(parsed._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        os.environ["TAHUB_DATABASE_URL"] = urlunparse(parsed._replace(path=f"/{name}"))

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin_url, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return drop
    if url and scheme not in ("sqlite", "spatialite"):
        raise SystemExit(
            f"bench: TAHUB_DATABASE_URL must be PostgreSQL or unset (SQLite), not {scheme!r}"
        )
    # SQLite: always a fresh file of the benchmark's own, never the database of the demo.
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["TAHUB_DATABASE_URL"] = f"sqlite:///{path}"
    return lambda: None


def configure():
    """Production-like settings (debug off) that run without collectstatic or HTTPS."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "tahub.settings"
    os.environ["TAHUB_DEBUG"] = "0"
    os.environ.setdefault("TAHUB_SECRET_KEY", "bench-" + uuid.uuid4().hex + uuid.uuid4().hex)
    os.environ["TAHUB_SSL_REDIRECT"] = "0"
    os.environ["TAHUB_ALLOWED_HOSTS"] = "testserver"
    # WhiteNoise warns that the (uncollected) static root does not exist; pages only name files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django
    from django.conf import settings

    django.setup()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def seed(scale):
    from django.core.management import call_command

    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("migrate", verbosity=0, stdout=devnull)
        call_command("seed_demo", scale=scale, quiet=True, stdout=devnull)
    return time.perf_counter() - started


def assessment_cases():
    """Pages of the needs assessment, addressed by the ids the seed created."""
    from tahub.assessments.models import Cycle, Response

    cycle = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-opens_on").first()
    response = Response.objects.current().filter(cycle=cycle, country__iso3="KEN").first()
    cases = [
        ("cycle tracking (secretariat)", SECRETARIAT, f"/assessments/cycles/{cycle.pk}/"),
        ("needs list (secretariat)", SECRETARIAT, "/assessments/needs/"),
        ("party page with needs (focal point)", PARTY_FOCAL_POINT, "/parties/KEN/"),
    ]
    if response is not None:
        cases += [
            ("response overview (focal point)", PARTY_FOCAL_POINT, f"/assessments/responses/{response.pk}/"),
            ("response section (focal point)", PARTY_FOCAL_POINT, f"/assessments/responses/{response.pk}/sections/needs/"),
            ("response history (focal point)", PARTY_FOCAL_POINT, f"/assessments/responses/{response.pk}/history/"),
        ]
    return cases


def offer_cases():
    """Pages of the clearing-house, addressed by the ids the seed created."""
    from tahub.accounts.models import Organisation
    from tahub.offers.models import Offer

    offer = Offer.objects.filter(status=Offer.Status.PUBLISHED, visibility=Offer.Visibility.PUBLIC).order_by("pk").first()
    unitar = Organisation.objects.filter(acronym="UNITAR").order_by("pk").first()
    return [
        ("offers, four filters", None, "/offers/?theme=waste_management&language=fr&modality=online&open_now=on"),
        ("offers search, page 5", None, "/offers/?q=waste&page=5"),
        ("offers search, French words", None, "/offers/?q=formation+déchets"),
        ("offer page", None, f"/offers/{offer.pk}/"),
        ("provider page (UNITAR)", None, f"/offers/providers/{unitar.pk}/"),
        ("my offers (provider)", PROVIDER, "/offers/mine/"),
        ("API offers search", None, "/api/v1/offers?q=training&kind=training"),
    ]


def request_cases():
    """Pages of requests for assistance, addressed by the ids the seed created; the API list when
    the API has it."""
    from django.db.models import Count
    from django.urls import Resolver404, resolve

    from tahub.assistance.models import Request

    # The Kenyan request with the longest timeline: the heaviest request page of the demo Party.
    busiest = (
        Request.objects.filter(country__iso3="KEN")
        .annotate(entries=Count("events", distinct=True) + Count("messages", distinct=True))
        .order_by("-entries", "pk").first()
    )
    cases = [
        ("my work (regional focal point, Africa)", REGIONAL_FOCAL_POINT, "/requests/my-work/"),
        ("my work (Party focal point, Kenya)", PARTY_FOCAL_POINT, "/requests/my-work/"),
        ("requests list and board (secretariat)", SECRETARIAT, "/requests/"),
        ("requests list and board, open, Africa, waste (secretariat)", SECRETARIAT,
         "/requests/?open_only=on&regional_group=AFRICA&theme=waste_management"),
        ("request page (secretariat)", SECRETARIAT, f"/requests/{busiest.pk}/"),
        ("request page (Party focal point)", PARTY_FOCAL_POINT, f"/requests/{busiest.pk}/"),
        ("requests dashboard (secretariat)", SECRETARIAT, "/requests/dashboard/"),
        ("published requests", None, "/requests/published/"),
    ]
    try:
        resolve("/api/v1/requests")
    except Resolver404:
        return cases
    return cases + [
        ("API requests (secretariat)", SECRETARIAT, "/api/v1/requests"),
        ("API requests (token)", TOKEN, "/api/v1/requests"),
    ]


def matching_cases():
    """The need and the request with the most suggestions: their pages carry the suggestions panel."""
    from django.db.models import Count

    from tahub.matching.models import Match

    cases = []
    for field, label, prefix in (("need", "need page with suggestions", "/assessments/needs/"),
                                 ("request", "request page with suggestions", "/requests/")):
        busiest = (
            Match.objects.suggested().filter(**{f"{field}__isnull": False}).values(field)
            .annotate(n=Count("pk")).order_by("-n", field).first()
        )
        if busiest:
            cases.append((f"{label} (secretariat)", SECRETARIAT, f"{prefix}{busiest[field]}/"))
    return cases


def published_cycle():
    from tahub.assessments.models import Cycle

    return Cycle.objects.get(title="Technical assistance needs assessment 2020")


def report_cases():
    """The summary pages and API of the demo's 2020 (published) and 2024 (open) cycles."""
    from tahub.assessments.models import Cycle

    latest = Cycle.objects.get(title="Technical assistance needs assessment 2024").pk
    return summaries.summary_cases((latest, published_cycle().pk), SECRETARIAT, REGIONAL_FOCAL_POINT)


def measure_matching(repeat):
    """A full recompute (time, then peak traced memory in a second run), and the rescoring after one
    offer changes (``repeat`` different offers, each edited then rescored as the task does)."""
    import tracemalloc

    from tahub.matching import features
    from tahub.matching.models import TextVector
    from tahub.matching.services import match_all, match_rescore
    from tahub.offers.models import Offer

    ref = features.Reference()
    offers = len(features.open_offers(ref, weigh=False).keys)
    subjects = len(features.all_subjects(ref, weigh=False).keys)
    TextVector.objects.all().delete()  # from nothing: every text vectorised again
    started = time.perf_counter()
    match_all()
    cold_seconds = time.perf_counter() - started
    started = time.perf_counter()
    counts = match_all()
    full_seconds = time.perf_counter() - started
    tracemalloc.start()
    match_all()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    timings = []
    for offer in Offer.objects.open_now().order_by("pk")[:max(1, repeat)]:
        Offer.objects.filter(pk=offer.pk).update(description=offer.description + " Updated.")
        started = time.perf_counter()
        match_rescore(offers=[offer.pk])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "open_offers": offers, "subjects": subjects, "pairs": offers * subjects, "suggestions": counts["suggestions"],
        "cold_seconds": round(cold_seconds, 1), "full_seconds": round(full_seconds, 1), "peak_mib": round(peak / 2**20, 1),
        "one_offer_median_ms": round(statistics.median(timings), 1), "one_offer_max_ms": round(timings[-1], 1),
    }


def measure_downloads(repeat):
    """Server time of downloading the whole public catalogue (every offer, closed ones too) as CSV
    and XLSX, the streamed body read to its end."""
    from django.test import Client

    from tahub.offers.models import Offer

    client = Client()
    rows = Offer.objects.filter(status__in=["published", "closed"], visibility="public").count()
    results, failures = [], []
    for fmt in ("csv", "xlsx"):
        url = f"/offers/download.{fmt}?include_closed=on"
        timings = []
        for _number in range(repeat):
            started = time.perf_counter()
            answer = client.get(url)
            body = b"".join(answer.streaming_content) if answer.streaming else answer.content
            timings.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200 or not body:
                failures.append(f"catalogue download ({url}): answered {answer.status_code}")
                break
        else:
            timings.sort()
            results.append({
                "page": f"full public catalogue ({fmt.upper()} download)", "url": url, "who": "public", "rows": rows,
                "median_ms": round(statistics.median(timings), 2), "p95_ms": round(percentile(timings, 0.95), 2),
                "queries": None, "queries_vary": False,
            })
    return results, failures


def measure_save_draft(clients, repeat):
    """Server time of saving one section of a draft (the theme matrix), as the form posts it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tahub.accounts.models import User
    from tahub.accounts.roles import Role
    from tahub.assessments.models import Cycle, Response
    from tahub.assessments.services.responses import response_start
    from tahub.reference.models import Country

    cycle = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-opens_on").first()
    with_focal_point = Country.objects.filter(memberships__role=Role.PARTY_FOCAL_POINT, memberships__is_active=True)
    response = (
        Response.objects.current()
        .filter(cycle=cycle, status__in=Response.EDITABLE, country__in=with_focal_point)
        .order_by("country__iso3")
        .first()
    )
    if response is None:
        country = cycle.invitations.filter(country__in=with_focal_point).exclude(
            country__responses__cycle=cycle
        ).first().country
        response = response_start(actor=None, cycle=cycle, country=country)
    focal = User.objects.filter(
        memberships__role=Role.PARTY_FOCAL_POINT, memberships__country=response.country
    ).first()
    from django.test import Client

    client = Client()
    client.force_login(focal)
    url = f"/assessments/responses/{response.pk}/sections/needs/"
    timings, queries = [], set()
    for number in range(repeat):
        response.refresh_from_db()
        data = {"lock_version": response.lock_version, "q-theme_needs-monitoring-level": ["low", "medium", "high"][number % 3]}
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            answer = client.post(url, data)
            timings.append((time.perf_counter() - started) * 1000)
        queries.add(len(captured))
        if answer.status_code != 302:
            return None, f"save draft ({url}): answered {answer.status_code}"
    timings.sort()
    return {
        "page": "save draft, needs section (POST)", "url": url, "who": "focal point", "rows": 1,
        "median_ms": round(statistics.median(timings), 2), "p95_ms": round(percentile(timings, 0.95), 2),
        "queries": max(queries), "queries_vary": len(queries) > 1,
    }, None


def measure_workbooks(repeat):
    """Server time of downloading the Party's questionnaire as XLSX and uploading it back as the draft."""
    from django.test import Client

    from tahub.accounts.models import User
    from tahub.assessments.models import Cycle, Response

    cycle = Cycle.objects.filter(status=Cycle.Status.OPEN).order_by("-opens_on").first()
    response = Response.objects.current().filter(cycle=cycle, country__iso3="KEN", status__in=Response.EDITABLE).first()
    if response is None:
        return [], ["workbooks: Kenya has no draft in the open cycle"]
    client = Client()
    client.force_login(User.objects.get(email=PARTY_FOCAL_POINT))
    url = f"/assessments/responses/{response.pk}/workbook/"
    downloads, uploads = [], []
    for _number in range(repeat):
        started = time.perf_counter()
        answer = client.get(url, {"lang": "fr"})
        downloads.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 200:
            return [], [f"workbook download ({url}): answered {answer.status_code}"]
        workbook = io.BytesIO(answer.content)
        workbook.name = "answers.xlsx"
        started = time.perf_counter()
        answer = client.post(url, {"workbook": workbook})
        uploads.append((time.perf_counter() - started) * 1000)
        if answer.status_code != 302:
            return [], [f"workbook upload ({url}): answered {answer.status_code}"]
    results = []
    for label, timings in (("questionnaire workbook (XLSX download)", downloads), ("questionnaire workbook (XLSX upload)", uploads)):
        timings.sort()
        results.append({
            "page": label, "url": url, "who": "focal point", "rows": 1,
            "median_ms": round(statistics.median(timings), 2), "p95_ms": round(percentile(timings, 0.95), 2),
            "queries": None, "queries_vary": False,
        })
    return results, []


def data_sizes():
    from tahub.accounts.models import Membership, Organisation, User
    from tahub.assessments.models import Cycle, Need, NeedObservation, Response
    from tahub.assistance.models import Request
    from tahub.offers.models import Offer
    from tahub.planning.models import Activity, ActivityReport, Decision
    from tahub.reference.models import Country, RegionalCentre, Theme

    return {
        "cycles": Cycle.objects.count(),
        "responses": Response.objects.count(),
        "needs": Need.objects.count(),
        "need observations": NeedObservation.objects.count(),
        "countries": Country.objects.count(),
        "centres": RegionalCentre.objects.count(),
        "themes": Theme.objects.count(),
        "people": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "offers": Offer.objects.count(),
        "requests": Request.objects.count(),
        "COP decisions": Decision.objects.count(),
        "planned activities": Activity.objects.count(),
        "activity reports": ActivityReport.objects.count(),
    }


def database_label():
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    return connection.vendor


def rows_shown(response):
    """How many rows the answer holds: the items of an API list, the rows of a page's list."""
    if response.get("Content-Type", "").startswith("application/json"):
        body = json.loads(response.content)
        return (
            len(body["items"])
            if isinstance(body, dict) and isinstance(body.get("items"), list)
            else 1
        )
    context = response.context
    if context is None:
        return 1
    for key in ROW_KEYS:
        if key in context:
            rows = context[key]
            return sum(len(section) for section in rows.values()) if isinstance(rows, dict) else len(list(rows))
    return 1


def make_clients():
    from django.test import Client

    from tahub.accounts.models import User
    from tahub.accounts.services import api_token_create

    clients = {None: Client()}
    for email in {who for _label, who, _url in CASES if who not in (None, TOKEN)}:
        client = Client()
        client.force_login(User.objects.get(email=email))
        clients[email] = client
    _token, secret = api_token_create(
        actor=User.objects.get(email=PARTY_FOCAL_POINT), name="benchmark"
    )
    clients[TOKEN] = Client(headers={"Authorization": f"Bearer {secret}"})
    return clients


def measure(clients, repeat, warmup):
    """Time each case; return (results, failures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results, failures = [], []
    for label, who, url in CASES:
        client = clients[who]
        timings, queries, statuses = [], set(), set()
        try:
            for _ in range(warmup):
                statuses.add(client.get(url).status_code)
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                statuses.add(response.status_code)
                queries.add(len(captured))
        except Exception as exc:  # a crash is a failed request: report it and go on
            failures.append(f"{label} ({url}): {type(exc).__name__}: {exc}")
            continue
        if statuses != {200}:
            failures.append(f"{label} ({url}): answered {sorted(statuses)}, expected 200")
            continue
        timings.sort()
        results.append(
            {
                "page": label,
                "url": url,
                "who": who or "public",
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(percentile(timings, 0.95), 2),
                "queries": max(queries),
                "queries_vary": len(queries) > 1,
            }
        )
    return results, failures


def count_rows(clients, results):
    """One more request per case with Django's template instrumentation, to read the context.

    Kept out of the timed requests: the instrumentation copies every template context.
    """
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        by_label = {label: who for label, who, _url in CASES}
        for result in results:
            result["rows"] = rows_shown(clients[by_label[result["page"]]].get(result["url"]))
    finally:
        teardown_test_environment()


def print_table(meta, results):
    sizes = ", ".join(f"{count} {name}" for name, count in meta["sizes"].items())
    print(
        f"tahub benchmark: {meta['database']}, seed_demo --scale {meta['scale']} (seeded in {meta['seed_seconds']} s)"
    )
    print(f"data: {sizes}")
    print(
        f"each row: {meta['repeat']} timed requests after {meta['warmup']} warm-up; server time in-process, ms"
    )
    print()
    width = max(len("page"), *(len(result["page"]) for result in results))
    header = f"{'page'.ljust(width)} | {'rows shown':>10} | {'median ms':>9} | {'p95 ms':>7} | {'queries':>7}"
    print(header)
    print("-" * len(header))
    for result in results:
        queries = "—" if result["queries"] is None else f"{result['queries']}{'*' if result['queries_vary'] else ''}"
        print(
            f"{result['page'].ljust(width)} | {result.get('rows', '?'):>10} | {result['median_ms']:>9.1f}"
            f" | {result['p95_ms']:>7.1f} | {queries:>7}"
        )
    if any(result["queries_vary"] for result in results):
        print("* the number of queries varied between requests; the largest is shown")
    aggregates = meta.get("aggregates")
    if aggregates:
        print()
        print("summary aggregates (2020 cycle): the query tahub's ORM sends beside hand-written SQL, both executed and")
        print("fetched the same way (median ms); the ORM's building and compiling of the query, and the whole table, apart")
        width = max(len(a["aggregate"]) for a in aggregates)
        print(f"{'aggregate'.ljust(width)} | {'tahub query':>11} | {'hand SQL':>8} | {'ratio':>5} | {'ORM adds':>8} | {'table':>7}")
        for a in aggregates:
            print(
                f"{a['aggregate'].ljust(width)} | {a['tahub_query_ms']:>11.2f} | {a['sql_ms']:>8.2f} | {a['ratio']:>5.2f}"
                f" | {a['orm_overhead_ms']:>8.2f} | {a['table_ms']:>7.2f}"
            )
    for document in meta.get("documents", []):
        print(
            f"summary DOCX ({document['language']}, {document['tables']} tables, {document['bytes']} bytes, figures computed"
            f" afresh): median {document['median_s']} s, slowest {document['max_s']} s"
        )
    planning.print_planning(meta)
    matching = meta.get("matching")
    if matching:
        print()
        print(
            f"matching: {matching['subjects']} open needs and accepted requests × {matching['open_offers']} open offers "
            f"= {matching['pairs']} pairs; {matching['suggestions']} suggestions kept"
        )
        print(
            f"  full recompute: {matching['cold_seconds']} s with every text vectorised again, "
            f"{matching['full_seconds']} s with the kept vectors; peak traced memory {matching['peak_mib']} MiB"
        )
        print(
            f"  rescoring after one offer changes: median {matching['one_offer_median_ms']} ms, "
            f"slowest {matching['one_offer_max_ms']} ms"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=int, default=10, help="seed_demo --scale (default 10, the benchmark scale)"
    )
    parser.add_argument(
        "--repeat", type=int, default=30, help="timed requests per page (default 30)"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed requests per page first (default 3)"
    )
    parser.add_argument(
        "--json", dest="json_path", metavar="PATH", help="also write the results to this file"
    )
    args = parser.parse_args(argv)
    if args.scale < 1 or args.repeat < 1 or args.warmup < 0:
        parser.error("--scale and --repeat must be 1 or more, --warmup 0 or more")

    clean_up = prepare_database()
    try:
        configure()
        seed_seconds = seed(args.scale)
        meta = {
            "database": database_label(),
            "scale": args.scale,
            "seed_seconds": round(seed_seconds, 1),
            "repeat": args.repeat,
            "warmup": args.warmup,
            "sizes": data_sizes(),
            "python": platform.python_version(),
        }
        CASES.extend(assessment_cases())
        CASES.extend(offer_cases())
        CASES.extend(request_cases())
        CASES.extend(matching_cases())
        CASES.extend(report_cases())
        CASES.extend(planning.planning_cases(SECRETARIAT, REGIONAL_FOCAL_POINT))
        clients = make_clients()
        results, failures = measure(clients, args.repeat, args.warmup)
        count_rows(clients, results)
        saved, failure = measure_save_draft(clients, args.repeat)
        if saved:
            results.append(saved)
        if failure:
            failures.append(failure)
        workbook_results, workbook_failures = measure_workbooks(args.repeat)
        results.extend(workbook_results)
        failures.extend(workbook_failures)
        download_results, download_failures = measure_downloads(max(1, min(args.repeat, 5)))
        results.extend(download_results)
        failures.extend(download_failures)
        cold, cold_failures = summaries.measure_cold_pages(clients, report_cases(), max(1, min(args.repeat, 10)))
        results.extend(cold)
        failures.extend(cold_failures)
        meta["aggregates"], aggregate_failures = summaries.measure_aggregates(published_cycle(), max(5, min(args.repeat, 20)))
        failures.extend(aggregate_failures)
        meta["documents"] = summaries.measure_documents(published_cycle(), max(1, min(args.repeat, 3)))
        meta["planning_queries"], planning_failures = planning.measure_query_counts(SECRETARIAT)
        failures.extend(planning_failures)
        meta["planning_report"], report_failures = planning.measure_report(SECRETARIAT, max(1, min(args.repeat, 10)))
        failures.extend(report_failures)
        meta["matching"] = measure_matching(max(1, min(args.repeat, 10)))
    finally:
        clean_up()

    print_table(meta, results)
    if args.json_path:
        payload = {**meta, "results": results, "failures": failures}
        Path(args.json_path).write_text(
            json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if failures:
        print("\nFAILED:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
