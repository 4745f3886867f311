"""Writes to reference data: the idempotent loader of the shipped data files."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from tahub.reference.loading import DATA_DIR, parse_reference_data
from tahub.reference.models import (
    Convention,
    Country,
    KindOfHelp,
    RegionalCentre,
    RegionalGroup,
    Theme,
)


@dataclass
class LoadReport:
    """Counts of created / updated / unchanged rows per kind of reference record."""

    counts: dict = field(default_factory=dict)

    def add(self, kind, outcome):
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self):
        return any(counter["created"] or counter["updated"] for counter in self.counts.values())

    def lines(self):
        for kind, counter in self.counts.items():
            yield f"{kind}: {counter['created']} created, {counter['updated']} updated, {counter['unchanged']} unchanged"


class _DryRun(Exception):
    pass


def _upsert(report, kind, model, key, values, existing):
    """Create or update one row so that it holds ``values``; record what happened."""
    obj = existing.get(values[key])
    if obj is None:
        obj = model.objects.create(**values)
        existing[values[key]] = obj
        report.add(kind, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        report.add(kind, "updated")
    else:
        report.add(kind, "unchanged")
    return obj


def _load_tree(report, kind, model, records):
    existing = {obj.code: obj for obj in model.objects.all()}
    for record in records:
        values = {name: value for name, value in record.items() if name != "parent"}
        values["parent_id"] = existing[record["parent"]].pk if record["parent"] else None
        _upsert(report, kind, model, "code", values, existing)


def reference_load(*, data_dir=DATA_DIR, dry_run=False):
    """Load the reference data files into the database.

    All files are checked first (``ReferenceDataError`` names file and line); then every
    row is created or brought up to date in one transaction. Running it twice changes
    nothing the second time. With ``dry_run`` the report is computed and rolled back.
    """
    data = parse_reference_data(data_dir)
    report = LoadReport()
    try:
        with transaction.atomic():
            _write(report, data)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _write(report, data):
    groups = {obj.code: obj for obj in RegionalGroup.objects.all()}
    for record in data.regional_groups:
        _upsert(report, "regional groups", RegionalGroup, "code", record, groups)

    conventions = {obj.code: obj for obj in Convention.objects.all()}
    for record in data.conventions:
        _upsert(report, "conventions", Convention, "code", record, conventions)

    countries = {obj.iso3: obj for obj in Country.objects.all()}
    for record in data.countries:
        values = {name: value for name, value in record.items() if name != "regional_group"}
        values["regional_group_id"] = groups[record["regional_group"]].pk if record["regional_group"] else None
        _upsert(report, "countries", Country, "iso3", values, countries)

    centres = {obj.acronym: obj for obj in RegionalCentre.objects.prefetch_related("countries_served")}
    for record in data.centres:
        values = {
            name: value
            for name, value in record.items()
            if name not in {"host_country", "coordinating_centre", "countries_served", "_line"}
        }
        values["host_country_id"] = countries[record["host_country"]].pk
        _upsert(report, "centres", RegionalCentre, "acronym", values, centres)
    for record in data.centres:
        # Second pass: coordinating centres and countries served refer to rows created above.
        centre = centres[record["acronym"]]
        coordinator = centres[record["coordinating_centre"]].pk if record["coordinating_centre"] else None
        wanted = {countries[code].pk for code in record["countries_served"]}
        current = {country.pk for country in centre.countries_served.all()}
        relation_changed = centre.coordinating_centre_id != coordinator or wanted != current
        if centre.coordinating_centre_id != coordinator:
            centre.coordinating_centre_id = coordinator
            centre.save()
        if wanted != current:
            centre.countries_served.set(wanted)
        if relation_changed:
            report.add("centre relations", "updated")
        else:
            report.add("centre relations", "unchanged")

    _load_tree(report, "themes", Theme, data.themes)
    _load_tree(report, "kinds of help", KindOfHelp, data.kinds_of_help)
