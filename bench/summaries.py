"""Benchmark of the cycle summaries, called by run.py once the database is seeded.

- the summary page and API as the Secretariat and the public, each time computed afresh (the
  cache emptied before every request) and as served from the cache;
- each main aggregate as tahub computes it (``TableSpec.compute``) beside the same figures from
  hand-written SQL on the same database, with the ratio; the two results must be equal;
- the full summary written as a Word document, in English and in Arabic.
"""

import statistics
import time

from timing import percentile, timed_afresh

SQL = {
    "participation_by_group": """
        SELECT g.code,
               COUNT(*),
               SUM(CASE WHEN r.status IN ('submitted', 'returned', 'accepted') THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.status = 'accepted' THEN 1 ELSE 0 END)
        FROM assessments_invitation i
        JOIN reference_country c ON c.id = i.country_id
        JOIN reference_regionalgroup g ON g.id = c.regional_group_id
        LEFT JOIN assessments_response r ON r.cycle_id = i.cycle_id AND r.country_id = i.country_id AND r.is_current
        WHERE i.cycle_id = %(cycle)s
        GROUP BY g.code
    """,
    "needs_by_area": """
        SELECT COALESCE(p.code, t.code),
               COUNT(*),
               SUM(CASE WHEN o.level = 'high' THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.level = 'medium' THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.level = 'low' THEN 1 ELSE 0 END),
               SUM(CASE o.level WHEN 'high' THEN %(high)s WHEN 'medium' THEN %(medium)s WHEN 'low' THEN %(low)s ELSE 0 END)
        FROM assessments_needobservation o
        JOIN assessments_need n ON n.id = o.need_id
        JOIN reference_theme t ON t.id = n.theme_id
        LEFT JOIN reference_theme p ON p.id = t.parent_id
        WHERE o.cycle_id = %(cycle)s AND o.level IN ('low', 'medium', 'high')
        GROUP BY COALESCE(p.code, t.code)
    """,
    "heat_map": """
        SELECT COALESCE(p.code, t.code), g.code,
               SUM(CASE o.level WHEN 'high' THEN %(high)s WHEN 'medium' THEN %(medium)s WHEN 'low' THEN %(low)s ELSE 0 END)
        FROM assessments_needobservation o
        JOIN assessments_need n ON n.id = o.need_id
        JOIN reference_theme t ON t.id = n.theme_id
        LEFT JOIN reference_theme p ON p.id = t.parent_id
        JOIN reference_country c ON c.id = n.country_id
        JOIN reference_regionalgroup g ON g.id = c.regional_group_id
        WHERE o.cycle_id = %(cycle)s AND o.level IN ('low', 'medium', 'high')
        GROUP BY COALESCE(p.code, t.code), g.code
    """,
    "needs_by_kind": """
        SELECT area, COUNT(*),
               SUM(CASE level WHEN 'high' THEN %(high)s WHEN 'medium' THEN %(medium)s WHEN 'low' THEN %(low)s ELSE 0 END)
        FROM (
            SELECT DISTINCT o.id, o.level, COALESCE(kp.code, k.code) AS area
            FROM assessments_needobservation o
            JOIN assessments_needobservation_kinds ok ON ok.needobservation_id = o.id
            JOIN reference_kindofhelp k ON k.id = ok.kindofhelp_id
            LEFT JOIN reference_kindofhelp kp ON kp.id = k.parent_id
            WHERE o.cycle_id = %(cycle)s AND o.level IN ('low', 'medium', 'high')
        ) AS x
        GROUP BY area
    """,
    "changes": """
        SELECT t.code,
               SUM(CASE WHEN x.now IN ('low', 'medium', 'high') THEN 1 ELSE 0 END),
               SUM(CASE WHEN x.now IN ('low', 'medium', 'high') AND x.before NOT IN ('low', 'medium', 'high') THEN 1 ELSE 0 END),
               SUM(CASE WHEN x.now IN ('low', 'medium', 'high') AND x.before IN ('low', 'medium', 'high') THEN 1 ELSE 0 END),
               SUM(CASE WHEN x.before IN ('low', 'medium', 'high') THEN 1 ELSE 0 END),
               SUM(CASE WHEN x.before IN ('low', 'medium', 'high') AND x.reassessed = 1 AND x.now NOT IN ('low', 'medium', 'high') THEN 1 ELSE 0 END),
               SUM(CASE WHEN x.before IN ('low', 'medium', 'high') AND x.reassessed = 0 AND x.now NOT IN ('low', 'medium', 'high') THEN 1 ELSE 0 END)
        FROM (
            SELECT n.id, n.theme_id,
                   COALESCE((SELECT level FROM assessments_needobservation WHERE need_id = n.id AND cycle_id = %(cycle)s), '') AS now,
                   COALESCE((SELECT level FROM assessments_needobservation WHERE need_id = n.id AND cycle_id = %(previous)s), '') AS before,
                   CASE WHEN EXISTS (SELECT 1 FROM assessments_response r WHERE r.cycle_id = %(cycle)s AND r.country_id = n.country_id
                                     AND r.is_current AND r.status = 'accepted') THEN 1 ELSE 0 END AS reassessed
            FROM assessments_need n
            WHERE n.id IN (SELECT need_id FROM assessments_needobservation
                           WHERE cycle_id IN (%(cycle)s, %(previous)s) AND level IN ('low', 'medium', 'high'))
        ) AS x
        JOIN reference_theme t ON t.id = x.theme_id
        GROUP BY t.code
    """,
    "offers_by_kind": """
        SELECT area,
               SUM(CASE WHEN survey_cycle_id = %(cycle)s AND status <> 'withdrawn' THEN 1 ELSE 0 END),
               SUM(CASE WHEN status = 'published' AND (starts_on IS NULL OR starts_on <= %(today)s)
                        AND (ends_on IS NULL OR ends_on >= %(today)s) THEN 1 ELSE 0 END)
        FROM (
            SELECT DISTINCT o.id, COALESCE(kp.code, k.code) AS area, o.survey_cycle_id, o.status, o.starts_on, o.ends_on
            FROM offers_offer o
            JOIN offers_offer_kinds ok ON ok.offer_id = o.id
            JOIN reference_kindofhelp k ON k.id = ok.kindofhelp_id
            LEFT JOIN reference_kindofhelp kp ON kp.id = k.parent_id
        ) AS x
        GROUP BY area
    """,
    "offers_by_region": """
        SELECT g.code,
               SUM(CASE WHEN o.survey_cycle_id = %(cycle)s AND o.status <> 'withdrawn' THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.status = 'published' AND (o.starts_on IS NULL OR o.starts_on <= %(today)s)
                        AND (o.ends_on IS NULL OR o.ends_on >= %(today)s) THEN 1 ELSE 0 END)
        FROM reference_regionalgroup g
        JOIN offers_offer o ON (
               (o.eligible_developing AND EXISTS (SELECT 1 FROM reference_country c WHERE c.regional_group_id = g.id AND c.classification = 'developing'))
            OR (o.eligible_transition AND EXISTS (SELECT 1 FROM reference_country c WHERE c.regional_group_id = g.id AND c.classification = 'transition'))
            OR (o.eligible_ldc AND EXISTS (SELECT 1 FROM reference_country c WHERE c.regional_group_id = g.id AND c.ldc))
            OR (o.eligible_sids AND EXISTS (SELECT 1 FROM reference_country c WHERE c.regional_group_id = g.id AND c.sids))
            OR EXISTS (SELECT 1 FROM offers_offer_eligible_groups eg WHERE eg.offer_id = o.id AND eg.regionalgroup_id = g.id)
            OR EXISTS (SELECT 1 FROM offers_offer_eligible_countries ec JOIN reference_country c ON c.id = ec.country_id
                       WHERE ec.offer_id = o.id AND c.regional_group_id = g.id))
        GROUP BY g.code
    """,
    "coverage_by_group": """
        SELECT g.code, COUNT(*),
               SUM(CASE WHEN cv.above_threshold = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN cv.above_threshold > 0 THEN 1 ELSE 0 END)
        FROM matching_coverage cv
        JOIN assessments_need n ON n.id = cv.need_id
        JOIN reference_country c ON c.id = cv.country_id
        JOIN reference_regionalgroup g ON g.id = c.regional_group_id
        WHERE n.status IN ('open', 'partly_met')
        GROUP BY g.code
    """,
}


def _timed(function, repeat):
    timings = []
    result = None
    for _number in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), result


def _hand_figures(key, rows, table):
    """The hand-written query's rows as {(row key, column key): value}, shaped as the table's."""
    if key == "heat_map":
        found = {}
        for area, group, score in rows:
            found[(area, group)] = score
        for area in {a for a, _g in found}:
            found[(area, "total")] = sum(v for (a, _g), v in found.items() if a == area and _g != "total")
        return found
    columns = [c.key for c in table.columns if c.kind != "percent"]
    return {(row[0], column): value for row in rows for column, value in zip(columns, row[1:], strict=True)}


def _orm_figures(table):
    return {
        (row.key, column.key): row.cells[column.key].value
        for row in table.rows for column in table.columns if column.kind != "percent" and row.cells[column.key].value
    }


def _orm_queries(spec, context):
    """The SQL and parameters the ORM sends for one table's figures (reference rows already read)."""
    from django.db import connection

    captured = []

    def record(execute, sql, params, many, call_context):
        captured.append((sql, params))
        return execute(sql, params, many, call_context)

    with connection.execute_wrapper(record):
        spec._figures(context)
    return captured


def _run(queries):
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            cursor.fetchall()


def measure_aggregates(cycle, repeat):
    """Each aggregate: the query tahub's ORM sends beside the hand-written SQL, both run the same
    way (execute and fetch every row, median ms), and their ratio; the two must give the same
    figures. Also, apart, what the ORM adds before the query runs (building and compiling it)
    and the whole table (query, labels, links and withholding)."""
    from django.db import connection
    from django.utils import timezone

    from tahub.reports.context import FULL
    from tahub.reports.figures import spec_for
    from tahub.reports.selectors import summary_context

    context = summary_context(None, cycle, audience=FULL)
    params = {
        "cycle": cycle.pk, "previous": context.previous.pk if context.previous else -1,
        "today": timezone.localdate().isoformat(), **context.weights,
    }
    results, failures = [], []
    for key, sql in SQL.items():
        spec = spec_for(context, key)
        spec.compute(context)  # reference rows (themes, groups) are read once per summary
        queries = _orm_queries(spec, context)
        _run(queries)
        query_ms, _none = _timed(lambda queries=queries: _run(queries), repeat)
        table_ms, table = _timed(lambda spec=spec: spec.compute(context), repeat)
        figures_ms, _figures = _timed(lambda spec=spec: spec._figures(context), repeat)

        def hand(sql=sql):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        hand()
        sql_ms, rows = _timed(hand, repeat)
        expected = {k: v for k, v in _hand_figures(key, rows, table).items() if v}
        if {k: float(v) for k, v in expected.items()} != {k: float(v) for k, v in _orm_figures(table).items()}:
            failures.append(f"aggregate {key}: hand-written SQL and tahub disagree")
        results.append({
            "aggregate": key, "queries": len(queries), "tahub_query_ms": round(query_ms, 2), "sql_ms": round(sql_ms, 2),
            "ratio": round(query_ms / sql_ms, 2) if sql_ms else None,
            "orm_overhead_ms": round(max(0.0, figures_ms - query_ms), 2), "table_ms": round(table_ms, 2),
        })
    return results, failures


def summary_cases(cycle_ids, secretariat, regional_focal_point):
    """(label, who, url) of the summary pages and API, served from the cache after the warm-up."""
    latest, published = cycle_ids
    return [
        ("summary 2020 (secretariat, cached)", secretariat, f"/reports/cycles/{published}/"),
        ("summary 2020 (public, cached)", None, f"/reports/cycles/{published}/"),
        ("summary 2024 (secretariat, cached)", secretariat, f"/reports/cycles/{latest}/"),
        ("regional report (its focal point, cached)", regional_focal_point, f"/reports/cycles/{latest}/?scope=region:AFRICA"),
        ("API summary 2020 (public, cached)", None, f"/api/v1/summaries/{published}"),
    ]


def measure_cold_pages(clients, cases, repeat):
    """Each summary page computed afresh: the cache is emptied before every timed request."""
    results, failures = [], []
    for label, who, url in cases:
        timings, response = timed_afresh(clients[who], url, repeat)
        if response.status_code != 200:
            failures.append(f"{label} ({url}): answered {response.status_code}")
        results.append({
            "page": label.replace("cached", "computed afresh"), "url": url, "who": who or "public",
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
            "queries": None, "queries_vary": False,
        })
    return results, failures


def measure_documents(cycle, repeat):
    """The full summary of ``cycle`` written as DOCX (figures computed afresh), per language."""
    from django.core.cache import cache
    from django.utils import translation

    from tahub.reports.context import FULL
    from tahub.reports.documents import render_docx
    from tahub.reports.selectors import cycle_summary, summary_context

    results = []
    for language in ("en", "ar"):
        timings = []
        size = 0
        for _number in range(repeat):
            cache.clear()
            with translation.override(language):
                started = time.perf_counter()
                report = cycle_summary(summary_context(None, cycle, audience=FULL))
                content = render_docx(report)
                timings.append(time.perf_counter() - started)
            size = len(content)
        results.append({
            "language": language, "median_s": round(statistics.median(timings), 2), "max_s": round(max(timings), 2),
            "tables": sum(1 for _t in report.tables()), "bytes": size,
        })
    return results
