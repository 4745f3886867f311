"""Parse and check the reference data files; no database access here.

Every file is read completely and every row checked before anything is written, so a
broken file aborts the load with its file name and line number and changes nothing.
"""

import csv
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGS = ("en", "fr", "es", "ru", "ar", "zh")

REGIONAL_GROUP_NONE = "NONE"
KINDS = {"state", "observer_state", "associated_state", "regional_economic_integration_organization"}
PARTY_STATUSES = {"yes", "no", "unknown"}
CLASSIFICATIONS = {"developing", "transition", "developed", "unknown"}
CENTRE_STATUSES = {"active", "closed"}
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$")


class ReferenceDataError(Exception):
    """Data files are malformed; ``str()`` gives ``file:line: message`` for every bad row.

    ``path``, ``line`` and ``message`` describe the first problem; ``problems`` holds them all.
    """

    def __init__(self, path, line, message, problems=None):
        self.path = Path(path)
        self.line = line
        self.message = message
        self.problems = problems or [self]
        super().__init__("\n".join(f"{p.path.name}:{p.line}: {p.message}" for p in self.problems))


@dataclass
class ReferenceData:
    regional_groups: list = field(default_factory=list)
    conventions: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    centres: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    kinds_of_help: list = field(default_factory=list)


class _Problems(list):
    """Every problem of one load, so that a single run reports all bad rows."""

    @contextmanager
    def row(self):
        try:
            yield
        except ReferenceDataError as exc:
            self.append(exc)


_problems = _Problems()


def _rows(path, required):
    """Yield ``(line_number, row)`` for a CSV file, checking the header and field counts."""
    try:
        handle = path.open(newline="", encoding="utf-8")
    except OSError as exc:
        raise ReferenceDataError(path, 0, f"cannot read the file ({exc.strerror})") from exc
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise ReferenceDataError(path, 1, "the file is empty") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ReferenceDataError(path, 1, f"unreadable header ({exc})") from None
        missing = [column for column in required if column not in header]
        if missing:
            raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as exc:
                raise ReferenceDataError(path, reader.line_num, f"unreadable row ({exc})") from None
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                _problems.append(
                    ReferenceDataError(path, reader.line_num, f"expected {len(header)} fields, found {len(values)}")
                )
                continue
            yield reader.line_num, {key: value.strip() for key, value in zip(header, values, strict=True)}


def _choice(path, line, row, column, allowed):
    value = row[column]
    if value not in allowed:
        raise ReferenceDataError(
            path, line, f"{column} is {value!r}; expected one of {', '.join(sorted(allowed))}"
        )
    return value


def _flag(path, line, row, column, *, allow_blank=False):
    value = row[column].lower()
    if value == "" and allow_blank:
        return None
    if value not in {"yes", "no"}:
        raise ReferenceDataError(path, line, f"{column} is {row[column]!r}; expected yes or no")
    return value == "yes"


def _required(path, line, row, column):
    if not row[column]:
        raise ReferenceDataError(path, line, f"{column} is empty")
    return row[column]


def _integer(path, line, row, column):
    try:
        return int(row[column])
    except ValueError:
        raise ReferenceDataError(path, line, f"{column} is {row[column]!r}; expected a whole number") from None


def _unique(path, line, seen, key, column):
    if key in seen:
        raise ReferenceDataError(path, line, f"{column} {key!r} appears twice (first on line {seen[key]})")
    seen[key] = line


def _names(row, base):
    return {f"{base}_{lang}": row[f"{base}_{lang}"] for lang in LANGS}


def _parse_named_codes(path):
    records, seen = [], {}
    for line, row in _rows(path, ["code", "order", *[f"name_{lang}" for lang in LANGS]]):
        with _problems.row():
            code = _required(path, line, row, "code")
            _unique(path, line, seen, code, "code")
            _required(path, line, row, "name_en")
            records.append({"code": code, "order": _integer(path, line, row, "order"), **_names(row, "name")})
    return records


def _parse_countries(path, group_codes):
    columns = [
        "iso3", "iso2", "kind", *[f"name_{lang}" for lang in LANGS], "un_regional_group",
        "m49_region", "m49_subregion", "basel_party", "classification", "classification_source",
        "ldc", "sids", "landlocked",
    ]  # fmt: skip
    records, seen = [], {}
    for line, row in _rows(path, columns):
        with _problems.row():
            iso3 = row["iso3"]
            if not re.fullmatch(r"[A-Z]{3}", iso3):
                raise ReferenceDataError(path, line, f"iso3 is {iso3!r}; expected three capital letters")
            _unique(path, line, seen, iso3, "iso3")
            if row["iso2"] and not re.fullmatch(r"[A-Z]{2}", row["iso2"]):
                raise ReferenceDataError(path, line, f"iso2 is {row['iso2']!r}; expected two capital letters")
            _required(path, line, row, "name_en")
            group = _choice(path, line, row, "un_regional_group", group_codes | {REGIONAL_GROUP_NONE})
            records.append(
                {
                    "iso3": iso3,
                    "iso2": row["iso2"],
                    "kind": _choice(path, line, row, "kind", KINDS),
                    **_names(row, "name"),
                    "regional_group": None if group == REGIONAL_GROUP_NONE else group,
                    "m49_region": row["m49_region"],
                    "m49_subregion": row["m49_subregion"],
                    "basel_party": _choice(path, line, row, "basel_party", PARTY_STATUSES),
                    "classification": _choice(path, line, row, "classification", CLASSIFICATIONS),
                    "classification_source": row["classification_source"],
                    "ldc": _flag(path, line, row, "ldc"),
                    "sids": _flag(path, line, row, "sids"),
                    "landlocked": _flag(path, line, row, "landlocked"),
                }
            )
    return records


def _parse_centres(path, country_codes):
    columns = [
        "acronym", "slug", "name", "host_country", "city", "is_coordinating_centre",
        "coordinating_centre", "also_stockholm_centre", "status", "closed_on",
        "countries_served", "countries_served_note",
    ]  # fmt: skip
    records, seen = [], {}
    for line, row in _rows(path, columns):
        with _problems.row():
            acronym = _required(path, line, row, "acronym")
            _unique(path, line, seen, acronym, "acronym")
            if not re.fullmatch(r"[a-z0-9-]+", row["slug"]):
                raise ReferenceDataError(path, line, f"slug is {row['slug']!r}; expected lower-case letters, digits, -")
            host = _choice(path, line, row, "host_country", country_codes)
            served = [code for code in row["countries_served"].split(";") if code]
            unknown = [code for code in served if code not in country_codes]
            if unknown:
                raise ReferenceDataError(path, line, f"countries_served has unknown code(s): {', '.join(unknown)}")
            closed_on = None
            if row["closed_on"]:
                try:
                    closed_on = date.fromisoformat(row["closed_on"])
                except ValueError:
                    raise ReferenceDataError(path, line, f"closed_on is {row['closed_on']!r}; expected YYYY-MM-DD") from None
            records.append(
                {
                    "acronym": acronym,
                    "slug": row["slug"],
                    "name": _required(path, line, row, "name"),
                    "host_country": host,
                    "city": row["city"],
                    "is_coordinating_centre": _flag(path, line, row, "is_coordinating_centre"),
                    "coordinating_centre": row["coordinating_centre"] or None,
                    "also_stockholm_centre": _flag(path, line, row, "also_stockholm_centre", allow_blank=True),
                    "status": _choice(path, line, row, "status", CENTRE_STATUSES),
                    "closed_on": closed_on,
                    "countries_served": sorted(set(served)),
                    "countries_served_note": row["countries_served_note"],
                    "_line": line,
                }
            )
    acronyms = {record["acronym"] for record in records}
    for record in records:
        if record["coordinating_centre"] and record["coordinating_centre"] not in acronyms:
            _problems.append(ReferenceDataError(
                path, record["_line"], f"coordinating_centre {record['coordinating_centre']!r} is not a centre in this file"
            ))
    return records


def _parse_tree(path, extra_columns=()):
    records, seen = [], {}
    for line, row in _rows(path, ["code", "parent", "order", *extra_columns, *[f"label_{lang}" for lang in LANGS]]):
        with _problems.row():
            code = row["code"]
            if not CODE_RE.fullmatch(code):
                raise ReferenceDataError(path, line, f"code is {code!r}; expected lower-case words joined by . (two levels)")
            _unique(path, line, seen, code, "code")
            parent = row["parent"] or None
            if parent is not None and (parent not in seen or "." in parent):
                raise ReferenceDataError(path, line, f"parent {parent!r} is not a top-level code defined above")
            _required(path, line, row, "label_en")
            record = {"code": code, "parent": parent, "order": _integer(path, line, row, "order"), **_names(row, "label")}
            for column in extra_columns:
                record[column] = _flag(path, line, row, column)
            records.append(record)
    return records


def _whole_file(parse, *args):
    """Parse one file; a fault in the file as a whole (header, encoding) is recorded too."""
    try:
        return parse(*args)
    except ReferenceDataError as exc:
        _problems.append(exc)
        return []


def parse_reference_data(data_dir=DATA_DIR):
    """Read and check every reference file; raise one ReferenceDataError listing every fault."""
    data_dir = Path(data_dir)
    _problems.clear()
    data = ReferenceData()
    data.regional_groups = _whole_file(_parse_named_codes, data_dir / "regional_groups.csv")
    data.conventions = _whole_file(_parse_named_codes, data_dir / "conventions.csv")
    data.countries = _whole_file(
        _parse_countries, data_dir / "countries.csv", {group["code"] for group in data.regional_groups}
    )
    data.centres = _whole_file(_parse_centres, data_dir / "centres.csv", {country["iso3"] for country in data.countries})
    data.themes = _whole_file(_parse_tree, data_dir / "themes.csv", ("article_16_area",))
    data.kinds_of_help = _whole_file(_parse_tree, data_dir / "kinds_of_help.csv")
    if _problems:
        problems = list(_problems)
        first = problems[0]
        raise ReferenceDataError(first.path, first.line, first.message, problems)
    return data
