"""What a report is computed for: the cycle, its scope (all Parties, a region, a centre's), its
audience (the Secretariat sees every figure; everyone else sees figures drawn from enough
Parties only) and the weights in force."""

from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Q
from django.urls import reverse

from tahub.assessments.models import Cycle
from tahub.reference.models import RegionalGroup

FULL = "full"
PUBLIC = "public"


@dataclass(frozen=True)
class Scope:
    """Which Parties a report is about: all, one regional group, or those a centre serves."""

    kind: str = "all"  # "all", "region", "centre"
    code: str = ""
    label: str = ""
    group_ids: tuple = ()  # the regional groups the scope covers (rows of regional tables)
    country_ids: tuple = ()  # for a centre: the Parties it serves

    def countries(self, path):
        """A filter on ``path`` (a foreign key to Country) keeping the scope's Parties."""
        if self.kind == "region":
            return Q(**{f"{path}__regional_group__code": self.code})
        if self.kind == "centre":
            return Q(**{f"{path}__in": self.country_ids})
        return Q()

    @property
    def query(self):
        return {} if self.kind == "all" else {"scope": f"{self.kind}:{self.code}"}


@dataclass
class SummaryContext:
    cycle: Cycle
    previous: Cycle | None
    trend_cycles: list
    weights: dict
    minimum: int
    audience: str = PUBLIC
    scope: Scope = field(default_factory=Scope)
    follow_needs: bool = False  # may the reader open the lists of Parties' answers behind figures?
    secretariat: bool = False  # the Secretariat: every offer counted, the uncovered needs listed
    forced: set = field(default_factory=set, repr=False)  # (table, row, figure) the same as a withheld figure
    _memo: dict = field(default_factory=dict, repr=False)

    @property
    def public(self):
        return self.audience == PUBLIC

    def withhold(self, parties):
        """A figure drawn from 1 to ``minimum - 1`` Parties is withheld from the public."""
        return self.public and 0 < parties < self.minimum

    def may_follow(self, source):
        if source.parties:
            return self.follow_needs
        return True

    def remember(self, name, compute):
        """``compute()`` once per context: reference rows (themes, groups) read by many tables."""
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def link(self, table, row, column):
        """The address of the records behind a figure (``reverse`` once, then filled in)."""
        pattern = self.remember("link", lambda: reverse("reports:figure_records", args=[self.cycle.pk, "T", "R", "C"]))
        url = pattern.replace("/T/R/C/", f"/{table}/{quote(row, safe='')}/{column}/")
        query = self.scope.query
        return f"{url}?scope={query['scope']}" if query else url

    def regional_groups(self):
        def read():
            groups = RegionalGroup.objects.order_by("order")
            if self.scope.kind != "all":
                groups = groups.filter(pk__in=self.scope.group_ids)
            return list(groups)

        return self.remember("groups", read)
