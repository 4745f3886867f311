"""The shape of a report: sections of tables of figures, whatever it is rendered as.

A table is declared once (``TableSpec``): the records it counts (a ``Source``), its rows (a
grouping the database does, or named filters) and its measures (counts and sums with their
own filters). ``TableSpec.compute`` asks the database for every figure of the table in one
query and ``TableSpec.records`` returns the records behind one figure with the very same
filters, so a figure and the list it links to cannot disagree.

The page, the API, the XLSX, CSV, JSON and DOCX renderers all read the computed ``Report``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When

# Kinds of measures.
COUNT = "count"  # records counted
SCORE = "score"  # sum of the level weights of the needs counted
AMOUNT = "amount"  # sum of an amount field (always within one currency)
SUM = "sum"  # sum of a whole-number field of the records counted
PERCENT = "percent"  # derived: a whole-number percentage
NUMBER = "number"  # derived: a whole number computed from other figures (e.g. offers per need)
TEXT = "text"  # a label column (the row's name, or a second label)

NUMERIC = {COUNT, SCORE, AMOUNT, SUM, PERCENT, NUMBER}


@dataclass(frozen=True)
class Source:
    """The records a table counts: ``base(context)`` is the queryset; ``parties`` the path to the
    Party of a record, when the records are Parties' answers (then small figures are withheld
    from the public); ``record_kind`` names how the records page lists them."""

    key: str
    base: Callable
    record_kind: str
    parties: str = ""
    distinct: bool = False  # counts must be distinct (the base joins a many-to-many relation)


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    filter: Q = field(default_factory=Q)
    kind: str = COUNT
    amount_field: str = ""
    depends: tuple = ()  # figures of the row this one would disclose (a score discloses its levels)


@dataclass(frozen=True)
class Derived:
    """A figure computed from other figures of the same row (a rate, a total)."""

    key: str
    label: Any
    compute: Callable  # values dict -> number
    depends: tuple
    kind: str = PERCENT


@dataclass(frozen=True)
class RowSpec:
    key: str
    label: Any
    filter: Q


@dataclass(frozen=True)
class Grouping:
    """Rows by the values of ``fields`` (joined by ``|`` in a row's key), in the order and with the
    labels of ``choices(context)``; rows with no record show zeros. Without ``choices``, the values
    found are the rows, in order, each its own label (e.g. currency codes)."""

    fields: tuple
    choices: Callable | None  # context -> [(key, label)]
    expression: Any = None  # an expression to group by instead of the single field

    def filter_for(self, key):
        if self.expression is not None:
            return Q(_group=key)
        return Q(**dict(zip(self.fields, key.split("|"), strict=True)))


@dataclass
class Cell:
    value: Any
    suppressed: bool = False
    link: str = ""


@dataclass
class Row:
    key: str
    label: str
    cells: dict
    extra: dict = field(default_factory=dict)  # the values of the table's text columns
    link: str = ""  # the page of the row's record, when a row is one record


@dataclass
class Column:
    key: str
    label: str
    kind: str


@dataclass
class Table:
    key: str
    title: str
    description: str
    columns: list
    rows: list
    chart: str = ""  # "bar", "heat", "line" or ""
    chart_columns: tuple = ()
    note: str = ""
    row_header: str = ""
    text_columns: list = field(default_factory=list)  # Columns of kind TEXT, read from ``Row.extra``

    @property
    def has_chart(self):
        """Whether the chart has anything to draw (withheld figures are not drawn)."""
        return bool(self.chart) and any(row.cells[key].value for row in self.rows for key in self.chart_columns)

    @property
    def width(self):
        return 1 + len(self.text_columns) + len(self.columns)

    def value(self, row_key, column_key):
        for row in self.rows:
            if row.key == row_key:
                return row.cells[column_key].value
        raise KeyError(row_key)


@dataclass
class Section:
    key: str
    title: str
    intro: str
    tables: list


@dataclass
class Report:
    key: str
    title: str
    subtitle: str
    sections: list
    audience: str  # "full" or "public"
    language: str
    generated_at: Any
    notes: list = field(default_factory=list)
    annex: Table | None = None
    intro: str = ""  # the document's opening sentence, when not the summary's

    def tables(self):
        for section in self.sections:
            yield from section.tables
        if self.annex is not None:
            yield self.annex

    def table(self, key):
        return next(table for table in self.tables() if table.key == key)

    def as_data(self):
        """Plain data (the JSON download and the API): every figure, withheld ones as ``null``."""
        return {
            "key": self.key,
            "title": self.title,
            "subtitle": self.subtitle,
            "audience": self.audience,
            "language": self.language,
            "generated_at": self.generated_at.isoformat(),
            "notes": list(self.notes),
            "tables": [table_data(table) for table in self.tables()],
        }


def table_data(table):
    return {
        "key": table.key,
        "title": table.title,
        "description": table.description,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in [*table.text_columns, *table.columns]],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                **{key: value for key, value in row.extra.items()},
                "values": {key: cell.value for key, cell in row.cells.items()},
                "withheld": [key for key, cell in row.cells.items() if cell.suppressed],
            }
            for row in table.rows
        ],
    }


def score_of(weights):
    """The weighted sum of the levels of the needs counted (weights are whole numbers)."""
    return Case(
        *[When(level=level, then=Value(weight)) for level, weight in weights.items()],
        default=Value(0),
        output_field=IntegerField(),
    )


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: Any
    description: Any
    source: Source
    measures: tuple
    rows: Grouping | tuple
    derived: tuple = ()
    partitions: tuple = ()  # (total key, (part keys)): a withheld part must not be recoverable
    chart: str = ""
    chart_columns: tuple = ()
    row_header: Any = ""
    note: Any = ""
    skip_empty: bool = False  # leave out rows whose every figure is zero
    row_groups: Callable | None = None  # context -> {row key: group} of rows adding up to a published total
    shown: bool = True  # False: computed only to build other tables (its figures stay traceable)

    # -- records --------------------------------------------------------------------------

    def _base(self, context):
        queryset = self.source.base(context)
        if isinstance(self.rows, Grouping) and self.rows.expression is not None:
            queryset = queryset.annotate(_group=self.rows.expression)
        return queryset

    def _row_filter(self, context, row_key):
        if isinstance(self.rows, Grouping):
            return self.rows.filter_for(row_key)
        for row in self.rows:
            if row.key == row_key:
                return row.filter
        raise KeyError(row_key)

    def measure(self, key):
        return next(m for m in self.measures if m.key == key)

    def records(self, context, row_key, measure_key):
        """The records behind one figure (the same filters as ``compute``)."""
        measure = self.measure(measure_key)
        queryset = self._base(context).filter(self._row_filter(context, row_key)).filter(measure.filter)
        return queryset.distinct() if self.source.distinct else queryset

    # -- figures --------------------------------------------------------------------------

    def _aggregates(self, context, prefix=""):
        distinct = self.source.distinct
        aggregates = {}
        for measure in self.measures:
            if measure.kind == COUNT:
                aggregates[prefix + measure.key] = Count("pk", filter=measure.filter or None, distinct=distinct)
            elif measure.kind == SCORE and distinct:
                # A sum over a join would add a need once per joined row: sum distinct counts per level.
                for level in context.weights:
                    aggregates[f"{prefix}{measure.key}__{level}"] = Count(
                        "pk", filter=Q(level=level) & measure.filter, distinct=True
                    )
            elif measure.kind == SCORE:
                aggregates[prefix + measure.key] = Sum(score_of(context.weights), filter=measure.filter or None)
            elif measure.kind in (AMOUNT, SUM):
                aggregates[prefix + measure.key] = Sum(measure.amount_field, filter=measure.filter or None)
            if self.source.parties and context.public:  # only the public has figures withheld
                aggregates[f"{prefix}{measure.key}__parties"] = Count(
                    self.source.parties, filter=measure.filter or None, distinct=True
                )
        return aggregates

    def _figures(self, context):
        """``{row key: {measure key: value, "<key>__parties": n}}`` from the database."""
        base = self._base(context)
        if isinstance(self.rows, Grouping):
            group = ("_group",) if self.rows.expression is not None else self.rows.fields
            found = {
                "|".join(str(item[f]) for f in group): item
                for item in base.values(*group).annotate(**self._aggregates(context)).order_by()
            }
            choices = self.rows.choices(context) if self.rows.choices else [(key, key) for key in sorted(found)]
            return [(key, str(label), found.get(key, {})) for key, label in choices]
        # Rows that overlap (a Party may be in several): one pass, each figure filtered by its row too.
        aggregates = {}
        for index, row in enumerate(self.rows):
            for name, aggregate in self._aggregates(context, prefix=f"r{index}__").items():
                # The figure's own filter first: it is cheap and rules most records out before the
                # row's (e.g. "reported in this survey" before "eligible in this region").
                aggregate.filter = aggregate.filter & row.filter if aggregate.filter is not None else row.filter
                aggregates[name] = aggregate
        values = base.aggregate(**aggregates)
        return [
            (row.key, str(row.label), {key.split("__", 1)[1]: value for key, value in values.items() if key.startswith(f"r{index}__")})
            for index, row in enumerate(self.rows)
        ]

    def compute(self, context):
        rows = []
        for key, label, values in self._figures(context):
            if self.skip_empty and not any(values.get(m.key) for m in self.measures):
                continue
            cells = {}
            for measure in self.measures:
                parties = values.get(f"{measure.key}__parties", 0) or 0
                withheld = bool(self.source.parties) and (
                    context.withhold(parties) or (context.public and (self.key, key, measure.key) in context.forced)
                )
                value = values.get(measure.key)
                if measure.kind == SCORE and self.source.distinct:
                    value = sum(weight * (values.get(f"{measure.key}__{level}") or 0) for level, weight in context.weights.items())
                if value is None:
                    value = Decimal("0.00") if measure.kind == AMOUNT else 0
                cells[measure.key] = Cell(value, suppressed=withheld)
            for derived in self.derived:
                cells[derived.key] = Cell(derived.compute({d: cells[d].value for d in derived.depends}))
            rows.append(Row(key, label, cells))
        if context.public:
            dependants = [(m.key, m.depends) for m in self.measures if m.depends]
            dependants += [(d.key, d.depends) for d in self.derived]
            protect(rows, self.partitions, dependants, self._row_groups(context), [m.key for m in self.measures])
        for row in rows:
            for key, cell in row.cells.items():
                if cell.suppressed:
                    cell.value = None
                elif cell.value and key in self._measure_keys and context.may_follow(self.source):
                    cell.link = context.link(self.key, row.key, key)
        columns = [Column(m.key, str(m.label), m.kind) for m in self.measures]
        columns += [Column(d.key, str(d.label), d.kind) for d in self.derived]
        return Table(
            key=self.key, title=str(self.title), description=str(self.description), columns=columns, rows=rows,
            chart=self.chart, chart_columns=self.chart_columns, row_header=str(self.row_header), note=str(self.note),
        )

    def _row_groups(self, context):
        """Rows whose figures add up to a total published elsewhere, by group: every row, when the
        rows split the records (a grouping on a single-valued field), or as ``row_groups`` says."""
        if self.row_groups is not None:
            return self.row_groups(context)
        if isinstance(self.rows, Grouping) and not self.source.distinct:
            return dict.fromkeys((key for key, _label in self.rows.choices(context)), "all") if self.rows.choices else None
        return None

    @property
    def _measure_keys(self):
        return {m.key for m in self.measures}


def _withhold_another(cells):
    """One of ``cells`` is withheld and their sum is known: withhold the smallest non-zero other
    (a zero hides nothing). Returns whether anything changed."""
    hidden = [cell for cell in cells if cell.suppressed]
    if len(hidden) != 1:
        return False
    shown = [cell for cell in cells if not cell.suppressed and cell.value]
    if not shown:
        return False  # the others are all zero: the withheld one is its total's, withheld with it or not small
    min(shown, key=lambda cell: cell.value).suppressed = True
    return True


def protect(rows, partitions, dependants=(), row_groups=None, columns=()):
    """Secondary suppression, until nothing changes.

    - Within a row, where it shows a total (``partitions``), a single withheld part could be
      recovered by subtraction: the smallest non-zero other part is withheld too.
    - Down a column, rows in the same group (``row_groups``: row key → group) add up to a total
      published elsewhere (the themes of an area to the area, the areas to all needs): the same.
    - A figure computed from withheld ones (a score from its levels, a rate) is withheld with them.
    """
    groups = {}
    for row in rows:
        group = (row_groups or {}).get(row.key)
        if group is not None:
            groups.setdefault(group, []).append(row)
    changed = True
    while changed:
        changed = False
        for row in rows:
            for key, depends in dependants:
                if not row.cells[key].suppressed and any(row.cells[d].suppressed for d in depends):
                    row.cells[key].suppressed = changed = True
            for _total, parts in partitions:  # the total counts as known even if withheld here: it may be shown elsewhere
                changed |= _withhold_another([row.cells[p] for p in parts])
        for members in groups.values():
            for column in columns:
                changed |= _withhold_another([row.cells[column] for row in members])


def total_of(*keys):
    return lambda values: sum(values[key] or 0 for key in keys)


def percent(part, whole):
    return lambda values: round(100 * values[part] / values[whole]) if values[whole] else 0

