"""Benchmark of the planning pages, called by run.py once the database is seeded.

- the programme's activity list, its timeline, a centre's business plan and performance, a
  region's overview and the decisions' coverage, as their readers see them; run.py times them
  with the other pages;
- the query counts of the programme list, timeline and centre view for each programme of the
  demo (of different sizes): the run fails when a page sends more queries for a larger programme;
- the implementation report computed and rendered as HTML, JSON, XLSX and DOCX, each request
  timed whole, and the IATI export of the largest programme.
"""

import statistics

from timing import percentile, timed_afresh

# The pages whose query count must not grow with the activities shown (label prefix, who, url
# pattern with {programme} and {centre}).
CONSTANT = (
    ("programme list", "secretariat", "/planning/programmes/{programme}/"),
    ("programme list", "public", "/planning/programmes/{programme}/"),
    ("timeline", "secretariat", "/planning/programmes/{programme}/timeline/"),
    ("timeline", "public", "/planning/programmes/{programme}/timeline/"),
    ("centre view", "centre staff", "/planning/centres/{centre}/?programme={programme}"),
    ("centre view", "secretariat", "/planning/centres/{centre}/?programme={programme}"),
)


def programmes():
    """The demo's programmes, largest first."""
    from django.db.models import Count

    from tahub.planning.models import Programme

    return list(Programme.objects.annotate(n=Count("activities")).order_by("-n", "start_year"))


def busiest_centre(programme):
    """The centre that leads the most activities of ``programme``, and its staff member's email."""
    from django.db.models import Count

    from tahub.accounts.models import User
    from tahub.accounts.roles import Role
    from tahub.reference.models import RegionalCentre

    centre = (
        RegionalCentre.objects.filter(activities__programme=programme)
        .annotate(n=Count("activities")).order_by("-n", "slug").first()
    )
    staff = (
        User.objects.filter(memberships__role=Role.CENTRE_STAFF, memberships__centre=centre, memberships__is_active=True)
        .order_by("pk").first()
    )
    return centre, staff.email


def planning_cases(secretariat, regional_focal_point):
    """(label, who, url) of the planning pages, addressed by the ids the seed created."""
    largest = programmes()[0]
    centre, staff = busiest_centre(largest)
    who = {"secretariat": secretariat, "public": None, "centre staff": staff}
    cases = [("programmes", None, "/planning/programmes/")]
    for label, reader, pattern in CONSTANT:
        url = pattern.format(programme=largest.pk, centre=centre.slug)
        cases.append((f"{label} {largest.start_year}–{largest.end_year} ({reader})", who[reader], url))
    return cases + [
        ("programme list, Africa, ongoing (secretariat)", secretariat,
         f"/planning/programmes/{largest.pk}/?region=AFRICA&status=ongoing"),
        ("timeline, led by centres (public)", None, f"/planning/programmes/{largest.pk}/timeline/?lead=centre"),
        ("region overview (its focal point)", regional_focal_point, f"/planning/regions/AFRICA/?programme={largest.pk}"),
        ("decisions and their coverage", None, "/planning/decisions/"),
        ("API activities (public)", None, f"/api/v1/activities?programme={largest.pk}"),
    ]


def client_for(email):
    from django.test import Client

    from tahub.accounts.models import User

    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
    return client


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: sessions, caches of reference rows
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response.status_code, len(captured), _rows(response)


def _rows(response):
    context = response.context
    if context is None:
        return None
    if "page" in context:
        return len(context["page"].object_list)
    if "timeline" in context:
        return len(context["timeline"].bars)
    return None


def measure_query_counts(secretariat):
    """Each page of ``CONSTANT`` for every programme (the centre view: the centre leading most of
    that programme's activities): the rows it shows and the queries it sends. A failure when a
    page's count differs between programmes."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    every = [(programme, *busiest_centre(programme)) for programme in programmes()]
    clients = {None: client_for(None), secretariat: client_for(secretariat)}
    results, failures = [], []
    setup_test_environment()  # the template context, to count the rows shown
    try:
        for label, reader, pattern in CONSTANT:
            counts = []
            for programme, centre, staff in every:
                who = {"secretariat": secretariat, "public": None, "centre staff": staff}[reader]
                client = clients.setdefault(who, client_for(who))
                url = pattern.format(programme=programme.pk, centre=centre.slug)
                status, queries, rows = _queries(client, url)
                if status != 200:
                    failures.append(f"{label} ({reader}, {url}): answered {status}")
                    continue
                counts.append({
                    "programme": f"{programme.start_year}–{programme.end_year}", "url": url, "rows": rows, "queries": queries,
                })
            if len({count["queries"] for count in counts}) > 1:
                failures.append(f"{label} ({reader}): the number of queries changes with the programme: {counts}")
            results.append({"page": label, "who": reader, "programmes": counts})
    finally:
        teardown_test_environment()
    return results, failures


def measure_report(secretariat, repeat):
    """The implementation report of the largest programme, computed afresh for every request, in
    each format; and the programme's IATI export."""
    programme = programmes()[0]
    client = client_for(secretariat)
    base = f"/planning/programmes/{programme.pk}"
    urls = [
        ("implementation report (HTML)", f"{base}/report/"),
        ("implementation report (JSON)", f"{base}/report.json"),
        ("implementation report (XLSX)", f"{base}/report.xlsx"),
        ("implementation report (DOCX)", f"{base}/report.docx"),
        ("IATI export (XML)", f"{base}/iati.xml"),
    ]
    results, failures = [], []
    for label, url in urls:
        client.get(url)
        timings, response = timed_afresh(client, url, repeat)
        if response.status_code != 200:
            failures.append(f"{label} ({url}): answered {response.status_code}")
        results.append({
            "page": f"{label}, {programme.start_year}–{programme.end_year}", "url": url, "who": "secretariat",
            "activities": programme.n, "bytes": len(response.content) if response.status_code == 200 else 0,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(timings[-1], 1),
        })
    return results, failures


def print_planning(meta):
    counts = meta.get("planning_queries")
    if counts:
        print()
        print("planning pages: queries sent for each programme (rows shown in brackets); must be equal across programmes")
        for item in counts:
            figures = ", ".join(f"{c['programme']}: {c['queries']} ({c['rows']} rows)" for c in item["programmes"])
            print(f"  {item['page']} ({item['who']}): {figures}")
    reports = meta.get("planning_report")
    if reports:
        print()
        print("implementation report and IATI export (computed afresh for every request; whole request, ms)")
        width = max(len(r["page"]) for r in reports)
        for r in reports:
            print(
                f"  {r['page'].ljust(width)} | {r['activities']} activities | {r['bytes']:>8} bytes"
                f" | median {r['median_ms']:>7.1f} | p95 {r['p95_ms']:>7.1f} | slowest {r['max_ms']:>7.1f}"
            )
