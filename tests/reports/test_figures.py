"""The summary's figures on two hand-built cycles whose every answer is known."""

import pytest

from tahub.assessments.models import Need
from tahub.reports.context import FULL, PUBLIC
from tahub.reports.figures import spec_for
from tahub.reports.selectors import cycle_summary, previous_cycle, summary_context
from tests.reports.factories import two_cycles

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycles(reference):
    return two_cycles()


def need(iso3, theme):
    return Need.objects.get(country__iso3=iso3, theme__code=theme)


def full_summary(cycle):
    return cycle_summary(summary_context(None, cycle, audience=FULL))


def test_the_previous_cycle_is_the_one_opened_before(cycles):
    earlier, later = cycles

    assert previous_cycle(later) == earlier
    assert previous_cycle(earlier) is None


def test_new_persisting_and_dropped_needs_against_the_previous_cycle(cycles):
    _earlier, later = cycles

    changes = full_summary(later).table("changes")

    figures = {row.key: {key: cell.value for key, cell in row.cells.items()} for row in changes.rows}
    assert figures == {
        "monitoring": {"reported": 3, "new": 1, "persisting": 2, "previous": 3, "dropped": 1, "not_reassessed": 0},
        "emergency": {"reported": 3, "new": 2, "persisting": 1, "previous": 1, "dropped": 0, "not_reassessed": 0},
        "legal": {"reported": 1, "new": 1, "persisting": 0, "previous": 2, "dropped": 1, "not_reassessed": 1},
    }


@pytest.mark.parametrize(("theme", "column", "expected"), [
    ("monitoring", "new", [("TZA", "monitoring")]),
    ("monitoring", "persisting", [("GHA", "monitoring"), ("KEN", "monitoring")]),
    ("monitoring", "dropped", [("PER", "monitoring")]),
    ("emergency", "new", [("BRA", "emergency"), ("KEN", "emergency")]),
    ("legal", "dropped", [("KEN", "legal")]),
    ("legal", "not_reassessed", [("SEN", "legal")]),
])
def test_each_comparison_figure_leads_to_the_needs_counted(cycles, theme, column, expected):
    _earlier, later = cycles
    context = summary_context(None, later, audience=FULL)

    records = spec_for(context, "changes").records(context, theme, column)

    assert sorted(records.values_list("country__iso3", "theme__code")) == expected


def test_the_first_cycle_has_everything_new(cycles):
    earlier, _later = cycles

    changes = full_summary(earlier).table("changes")

    assert {row.key: (row.cells["new"].value, row.cells["previous"].value) for row in changes.rows} == {
        "monitoring": (3, 0), "emergency": (1, 0), "legal": (2, 0),
    }
    assert "no earlier cycle" in changes.note


def test_participation_counts_invited_responded_and_accepted(cycles):
    _earlier, later = cycles

    summary = full_summary(later)

    row = summary.table("participation").rows[0]
    assert {key: cell.value for key, cell in row.cells.items()} == {"invited": 6, "responded": 5, "accepted": 5, "rate": 83}
    assert [r.key for r in summary.annex.rows] == ["BRA", "GHA", "KEN", "PER", "TZA"]


def test_needs_are_counted_by_level_and_weighted_as_the_settings_say(cycles):
    from tahub.reports.models import SummarySettings

    _earlier, later = cycles
    settings = SummarySettings.current()
    settings.weight_high, settings.weight_medium, settings.weight_low = 5, 2, 1
    settings.save()

    summary = full_summary(later)

    monitoring = next(row for row in summary.table("needs_by_area").rows if row.key == "monitoring")
    assert {key: cell.value for key, cell in monitoring.cells.items()} == {
        "needs": 3, "high": 1, "medium": 1, "low": 1, "score": 5 + 2 + 1,
    }
    assert any("high 5, medium 2, low 1" in note for note in summary.notes)


def test_trends_follow_each_area_across_the_cycles(cycles):
    earlier, later = cycles

    trends = full_summary(later).table("trends")

    emergency = next(row for row in trends.rows if row.key == "emergency")
    assert emergency.cells[f"c{earlier.pk}"].value == 3  # PER high
    assert emergency.cells[f"c{later.pk}"].value == 3 + 2 + 1  # PER high, KEN medium, BRA low


def test_every_figure_of_every_table_is_the_count_of_its_records(cycles):
    """Counts equal the records behind them, scores the weights of those records (all tables)."""
    _earlier, later = cycles
    context = summary_context(None, later, audience=FULL)
    weights = context.weights

    checked = 0
    for table in cycle_summary(context).tables():
        for row in table.rows:
            for column in table.columns:
                cell = row.cells[column.key]
                if not cell.link:
                    continue
                checked += 1
                assert_figure_matches_its_records(context, cell, column, weights)
    assert checked > 50


def assert_figure_matches_its_records(context, cell, column, weights):
    from urllib.parse import unquote

    from django.urls import resolve

    match = resolve(unquote(cell.link.split("?")[0]))
    spec = spec_for(context, match.kwargs["table"])
    records = spec.records(context, match.kwargs["row"], match.kwargs["column"])
    if column.kind == "score":
        levels = list(records.values_list("level", flat=True))
        assert sum(weights[level] for level in levels) == cell.value, cell.link
    elif column.kind in ("amount", "sum"):
        field = spec.measure(match.kwargs["column"]).amount_field
        assert sum(records.values_list(field, flat=True)) == cell.value, cell.link
    else:
        assert records.count() == cell.value, cell.link


# -- what the public may see --------------------------------------------------------------


def test_the_public_never_sees_a_figure_drawn_from_fewer_than_three_parties(reference):
    _earlier, later = two_cycles(publish_later=True)
    context = summary_context(None, later)
    assert context.audience == PUBLIC

    summary = cycle_summary(context)

    shown_small = []
    for table in summary.tables():
        spec = _spec_or_none(context, table.key)
        if spec is None or not spec.source.parties:
            continue
        path = spec.source.parties
        for row in table.rows:
            for key, cell in row.cells.items():
                if cell.suppressed or key not in {m.key for m in spec.measures}:
                    continue
                parties = spec.records(context, row.key, key).values(path).distinct().count()
                if 0 < parties < 3:
                    shown_small.append((table.key, row.key, key, parties))
    assert shown_small == []
    areas = {row.key: row for row in summary.table("needs_by_area").rows}
    assert areas["emergency"].cells["needs"].value == 3  # KEN, PER and BRA, one each of high, medium, low
    assert [areas["emergency"].cells[level].value for level in ("high", "medium", "low", "score")] == [None] * 4
    assert areas["legal"].cells["needs"].value is None  # GHA alone
    # and one more area: else legal's would be all needs less the others'
    assert areas["monitoring"].cells["needs"].value is None



def _spec_or_none(context, key):
    try:
        return spec_for(context, key)
    except KeyError:
        return None


def test_a_withheld_part_cannot_be_worked_out_from_a_total(reference):
    """Not along a row (levels add up to the needs, groups to all groups), nor down a column (the
    areas add up to all needs, the themes of an area to the area)."""
    _earlier, later = two_cycles(publish_later=True)
    context = summary_context(None, later)
    summary = cycle_summary(context)

    checked = 0
    for table_key in ("needs_by_area", "needs_by_theme", "needs_by_group", "heat_map", "heat_map_counts", "changes",
                      "trends", "trends_by_theme", "needs_by_classification"):
        spec = spec_for(context, table_key)
        table = summary.table(table_key)
        for row in table.rows:
            for _total, parts in spec.partitions:
                withheld = [part for part in parts if row.cells[part].suppressed]
                shown_non_zero = [part for part in parts if not row.cells[part].suppressed and row.cells[part].value]
                assert len(withheld) != 1 or not shown_non_zero, (table_key, row.key, withheld)
                checked += 1
        groups = spec._row_groups(context) or {}
        for group in set(groups.values()):
            members = [row for row in table.rows if groups.get(row.key) == group]
            for measure in spec.measures:
                withheld = [row.key for row in members if row.cells[measure.key].suppressed]
                shown_non_zero = [row for row in members if not row.cells[measure.key].suppressed and row.cells[measure.key].value]
                assert len(withheld) != 1 or not shown_non_zero, (table_key, group, measure.key, withheld)
                checked += 1
    assert checked > 50


def test_a_figure_shown_twice_is_withheld_in_both_places(reference):
    _earlier, later = two_cycles(publish_later=True)
    summary = cycle_summary(summary_context(None, later))

    for row in summary.table("needs_by_area").rows:
        withheld = row.cells["score"].suppressed
        heat = next(r for r in summary.table("heat_map").rows if r.key == row.key)
        trend = next(r for r in summary.table("trends").rows if r.key == row.key)
        assert heat.cells["total"].suppressed == withheld or heat.cells["total"].suppressed
        assert not withheld or trend.cells[f"c{later.pk}"].suppressed, row.key


def test_the_secretariat_sees_every_figure(cycles, personas):
    _earlier, later = cycles

    summary = cycle_summary(summary_context(personas.secretariat, later))

    assert summary.audience == FULL
    assert not any(cell.suppressed for table in summary.tables() for row in table.rows for cell in row.cells.values())


def test_a_focal_point_sees_other_parties_figures_withheld_like_the_public(cycles, personas):
    _earlier, later = cycles

    summary = cycle_summary(summary_context(personas.focal_kenya, later))

    assert summary.audience == PUBLIC
    monitoring = next(row for row in summary.table("needs_by_area").rows if row.key == "monitoring")
    assert monitoring.cells["high"].value is None


def test_a_regional_focal_point_sees_its_own_groups_report_in_full(cycles, personas):
    from tahub.reports.selectors import scope_from

    _earlier, later = cycles

    own = summary_context(personas.rfp_africa, later, scope_from("region:AFRICA"))

    assert own.audience == FULL
    parties = [row.key for row in cycle_summary(own).annex.rows]
    assert parties == ["GHA", "KEN", "TZA"]  # Africa's responding Parties only


@pytest.mark.parametrize("scope", ["region:GRULAC", "centre:senegal"])
def test_a_regions_or_centres_report_is_only_for_those_who_see_it_in_full(cycles, personas, scope):
    """Withheld on their own, a smaller set of Parties' figures could be set against all Parties'."""
    from django.http import Http404

    from tahub.reports.selectors import scope_from

    _earlier, later = cycles
    for reader in (None, personas.focal_kenya, personas.rfp_africa if scope.startswith("region") else personas.rfp_grulac):
        with pytest.raises(Http404):
            summary_context(reader, later, scope_from(scope))
    assert summary_context(personas.secretariat, later, scope_from(scope)).audience == FULL


def test_the_public_compares_with_the_previous_published_cycle_only(reference):
    from tahub.assessments.models import Cycle

    earlier, later = two_cycles(publish_later=True)
    Cycle.objects.filter(pk=earlier.pk).update(status=Cycle.Status.CLOSED)

    public = summary_context(None, later)

    assert public.previous is None
    assert summary_context(None, later, audience=FULL).previous == earlier
