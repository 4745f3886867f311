"""Reading needs, requests and offers out of the database into the arrays ``scoring`` works on.

A handful of queries per side, whatever the number of rows: the values and the many-to-many
rows are read as plain tuples and laid into sparse matrices.
"""

from collections import defaultdict
from datetime import date, timedelta

import numpy as np
from django.db.models import Count
from django.utils import timezone
from scipy import sparse

from tahub.accounts.models import Membership
from tahub.accounts.roles import Role
from tahub.assessments.models import Need, NeedObservation
from tahub.assistance.models import Request
from tahub.matching import text as texts
from tahub.matching.models import Match, MatchingIndex, TextVector
from tahub.matching.scoring import FAR, MODALITIES, Offers, Relations, Subjects
from tahub.offers.models import LANGUAGES, Offer, OfferLanguage
from tahub.reference.models import Country, KindOfHelp, RegionalGroup, Theme

LANGUAGE_CODES = [code for code, _label in LANGUAGES]
NEED_STATES = (Need.Status.OPEN, Need.Status.PARTLY_MET)
REQUEST_STATES = (Request.Status.ACCEPTED, Request.Status.HELP_IDENTIFIED)
LEVEL_VALUE = {"high": 1.0, "medium": 0.66, "low": 0.33, "none": 0.0}
URGENCY_VALUE = {Request.Urgency.EMERGENCY: 1.0, Request.Urgency.NORMAL: 0.66}
TAKEN = (Match.Status.CONFIRMED, Match.Status.CONVEYED)
EPOCH = date(2000, 1, 1)


def day(value):
    return (value - EPOCH).days


def language_code(preferred):
    """An interface language (``zh-hans``) as the language an offer is given in (``zh``)."""
    code = (preferred or "").split("-")[0].lower()
    return code if code in LANGUAGE_CODES else None


class Reference:
    """Row and column numbers of the reference data, read once per scoring run."""

    def __init__(self):
        self.countries = {pk: i for i, pk in enumerate(Country.objects.order_by("pk").values_list("pk", flat=True))}
        self.groups = {pk: i for i, pk in enumerate(RegionalGroup.objects.order_by("pk").values_list("pk", flat=True))}
        themes = list(Theme.objects.order_by("pk").values_list("pk", "code", "parent_id"))
        self.themes = {pk: i for i, (pk, _c, _p) in enumerate(themes)}
        self.theme_code = {pk: code for pk, code, _p in themes}
        self.theme_parent = {pk: parent for pk, _c, parent in themes}
        kinds = list(KindOfHelp.objects.order_by("pk").values_list("pk", "code", "parent_id"))
        self.kinds = {pk: i for i, (pk, _c, _p) in enumerate(kinds)}
        self.kind_code = {pk: code for pk, code, _p in kinds}
        self.kind_parent = {pk: parent for pk, _c, parent in kinds}
        self.languages = {code: i for i, code in enumerate(LANGUAGE_CODES)}

        size = len(themes)
        family = sparse.lil_matrix((size, size), dtype=np.float32)
        tops = sorted({parent or pk for pk, parent in self.theme_parent.items()})
        top_index = {pk: i for i, pk in enumerate(tops)}
        area = sparse.lil_matrix((size, len(tops)), dtype=np.float32)
        for pk, parent in self.theme_parent.items():
            area[self.themes[pk], top_index[parent or pk]] = 1
            if parent:
                family[self.themes[pk], self.themes[parent]] = 1
                family[self.themes[parent], self.themes[pk]] = 1
        self.relations = Relations(
            family=family.tocsr(), area=area.tocsr(), theme_codes=[code for _pk, code, _p in themes],
            parent_code={self.theme_code[pk]: self.theme_code.get(parent) for pk, parent in self.theme_parent.items()},
        )
        self.theme_words = {
            row[0]: " ".join(filter(None, row[1:]))
            for row in Theme.objects.values_list("pk", "label_en", "label_fr", "label_es", "label_ar", "label_ru", "label_zh")
        }

    def matrix(self, rows, index, count, *, expand=None):
        """A sparse (len(rows) × count) 0/1 matrix from each row's list of pks."""
        row_ids, column_ids = [], []
        for row, pks in enumerate(rows):
            columns = set()
            for pk in pks:
                columns.add(index[pk])
                if expand and expand.get(pk):
                    columns.add(index[expand[pk]])
            row_ids.extend([row] * len(columns))
            column_ids.extend(columns)
        data = np.ones(len(row_ids), dtype=np.float32)
        return sparse.csr_matrix((data, (row_ids, column_ids)), shape=(len(rows), count), dtype=np.float32)

    def language_array(self, rows):
        array = np.zeros((len(rows), len(self.languages)), dtype=bool)
        for row, codes in enumerate(rows):
            for code in codes:
                if code in self.languages:
                    array[row, self.languages[code]] = True
        return array


def _pairs(through, owner, other, pks):
    grouped = defaultdict(list)
    for key, value in through.objects.filter(**{f"{owner}__in": pks}).values_list(owner, other):
        grouped[key].append(value)
    return grouped


def _chunks(pks, size=900):
    pks = list(pks)
    for first in range(0, len(pks), size):
        yield pks[first:first + size]


def _grouped(through, owner, other, pks):
    grouped = defaultdict(list)
    for chunk in _chunks(pks):
        for key, values in _pairs(through, owner, other, chunk).items():
            grouped[key].extend(values)
    return grouped


def idf():
    index = MatchingIndex.objects.order_by("-pk").first()
    return np.frombuffer(bytes(index.idf), dtype=np.float32) if index else None


def _text(kind, documents, weigh):
    """Unit TF-IDF rows with the kept frequencies, or the raw counts when ``weigh`` is False."""
    matrix = vectors(kind, documents)
    return texts.weighted(matrix, idf()) if weigh else matrix


def vectors(kind, documents):
    """Hashed n-gram counts of ``documents`` ({pk: text}) in their order, computing only those
    whose text changed since they were last kept."""
    pks = list(documents)
    kept = {}
    for chunk in _chunks(pks):
        for pk, digest, indices, counts in TextVector.objects.filter(kind=kind, object_id__in=chunk).values_list(
            "object_id", "digest", "indices", "counts"
        ):
            kept[pk] = (digest, indices, counts)
    digests = {pk: texts.digest(documents[pk]) for pk in pks}
    stale = [pk for pk in pks if kept.get(pk, (None,))[0] != digests[pk]]
    if stale:
        fresh = texts.counts([documents[pk] for pk in stale])
        rows = []
        for position, pk in enumerate(stale):
            indices, counts = texts.pack(fresh[position])
            kept[pk] = (digests[pk], indices, counts)
            rows.append(TextVector(kind=kind, object_id=pk, digest=digests[pk], indices=indices, counts=counts))
        for chunk in _chunks(stale):
            TextVector.objects.filter(kind=kind, object_id__in=chunk).delete()
        TextVector.objects.bulk_create(rows, batch_size=500)
    return texts.unpack([(kept[pk][1], kept[pk][2]) for pk in pks])


def open_offers(ref, *, pks=None, today=None, weigh=True):
    today = today or timezone.localdate()
    offers = Offer.objects.open_on(today)
    if pks is not None:
        offers = offers.filter(pk__in=pks)
    rows = list(offers.order_by("pk").values_list(
        "pk", "title", "description", "modality", "starts_on", "ends_on", "countries_capacity", "places",
        "eligible_developing", "eligible_transition", "eligible_ldc", "eligible_sids",
    ))
    keys = [row[0] for row in rows]
    themes = _grouped(Offer.themes.through, "offer_id", "theme_id", keys)
    kinds = _grouped(Offer.kinds.through, "offer_id", "kindofhelp_id", keys)
    countries = _grouped(Offer.eligible_countries.through, "offer_id", "country_id", keys)
    groups = _grouped(Offer.eligible_groups.through, "offer_id", "regionalgroup_id", keys)
    languages = _grouped(OfferLanguage, "offer_id", "code", keys)
    taken = dict(
        Match.objects.filter(offer__in=keys, status__in=TAKEN).exclude(provider_answer=Match.ProviderAnswer.UNABLE)
        .values("offer").annotate(n=Count("pk")).values_list("offer", "n")
    ) if keys else {}

    def capacity(row):
        limit = row[6] or row[7]
        return 1.0 if not limit else max(0.0, 1 - taken.get(row[0], 0) / limit)

    def flag(position):
        return np.array([row[position] for row in rows], dtype=bool)

    return Offers(
        keys=keys,
        by_country=ref.matrix([countries[pk] for pk in keys], ref.countries, len(ref.countries)).T.tocsr(),
        by_group=ref.matrix([groups[pk] for pk in keys], ref.groups, len(ref.groups)).T.tocsr(),
        developing=flag(8), transition=flag(9), ldc=flag(10), sids=flag(11),
        themes=ref.matrix([themes[pk] for pk in keys], ref.themes, len(ref.themes)),
        kinds=ref.matrix([kinds[pk] for pk in keys], ref.kinds, len(ref.kinds), expand=ref.kind_parent),
        languages=ref.language_array([languages[pk] for pk in keys]),
        modality=np.array([MODALITIES.index(row[3]) if row[3] in MODALITIES else -1 for row in rows], dtype=np.int8),
        starts=np.array([day(row[4]) if row[4] else -1 for row in rows], dtype=np.int64),
        ends=np.array([day(row[5]) if row[5] else FAR for row in rows], dtype=np.int64),
        capacity=np.array([capacity(row) for row in rows], dtype=np.float32),
        text=_text("offer", {row[0]: f"{row[1]}\n{row[2][:3000]}" for row in rows}, weigh),
        labels={
            pk: ([ref.theme_code[t] for t in themes[pk]], [ref.kind_code[k] for k in kinds[pk]], languages[pk])
            for pk in keys
        },
    )


def _parties(ref, country_ids):
    info = {
        pk: (group, classification, ldc, sids)
        for pk, group, classification, ldc, sids in Country.objects.filter(pk__in=set(country_ids)).values_list(
            "pk", "regional_group_id", "classification", "ldc", "sids"
        )
    }
    return info


def _subjects(ref, keys, country_ids, themes, kinds, languages, required, modality, starts, ends, level, text, labels):
    parties = _parties(ref, country_ids)

    def party(position):
        return np.array([parties[c][position] for c in country_ids])

    classification = party(1) if country_ids else np.array([])
    return Subjects(
        keys=keys,
        country=np.array([ref.countries[c] for c in country_ids], dtype=np.int64),
        group=np.array([ref.groups.get(parties[c][0], -1) for c in country_ids], dtype=np.int64),
        developing=classification == Country.Classification.DEVELOPING,
        transition=classification == Country.Classification.TRANSITION,
        ldc=party(2).astype(bool) if country_ids else np.array([], dtype=bool),
        sids=party(3).astype(bool) if country_ids else np.array([], dtype=bool),
        themes=ref.matrix(themes, ref.themes, len(ref.themes)),
        kinds=ref.matrix(kinds, ref.kinds, len(ref.kinds), expand=ref.kind_parent),
        languages=ref.language_array(languages),
        languages_required=np.array(required, dtype=bool),
        modality=np.array(modality, dtype=np.int8),
        starts=np.array(starts, dtype=np.int64),
        ends=np.array(ends, dtype=np.int64),
        level=np.array(level, dtype=np.float32),
        text=text,
        labels=labels,
    )


def focal_point_languages(country_ids):
    """The languages the Parties' focal points read (for needs, which name none)."""
    found = defaultdict(set)
    rows = Membership.objects.active().filter(role=Role.PARTY_FOCAL_POINT, country__in=set(country_ids)).values_list(
        "country_id", "user__preferred_language"
    )
    for country, preferred in rows:
        if language_code(preferred):
            found[country].add(language_code(preferred))
    return found


def open_needs(ref, *, pks=None, weigh=True):
    needs = Need.objects.filter(status__in=NEED_STATES)
    if pks is not None:
        needs = needs.filter(pk__in=pks)
    rows = list(needs.order_by("pk").values_list("pk", "country_id", "theme_id"))
    keys = [row[0] for row in rows]
    latest = {}
    for chunk in _chunks(keys):
        for observation in NeedObservation.objects.filter(need__in=chunk).order_by("observed_on", "pk").values_list(
            "need_id", "pk", "level", "comment"
        ):
            latest[observation[0]] = observation
    kinds = _grouped(NeedObservation.kinds.through, "needobservation_id", "kindofhelp_id", [o[1] for o in latest.values()])
    languages = focal_point_languages([row[1] for row in rows])
    level_of = {pk: (latest[pk][2] if pk in latest else "medium") for pk in keys}
    kinds_of = {pk: kinds.get(latest[pk][1], []) if pk in latest else [] for pk in keys}
    documents = {
        pk: f"{latest[pk][3] if pk in latest else ''}\n{ref.theme_words.get(theme, '')}" for pk, _c, theme in rows
    }
    return _subjects(
        ref,
        keys=[("need", pk) for pk in keys],
        country_ids=[row[1] for row in rows],
        themes=[[row[2]] for row in rows],
        kinds=[kinds_of[pk] for pk in keys],
        languages=[sorted(languages.get(row[1], ())) for row in rows],
        required=[False] * len(rows),
        modality=[-1] * len(rows),
        starts=[-1] * len(rows),
        ends=[-1] * len(rows),
        level=[LEVEL_VALUE.get(level_of[pk], 0.66) for pk in keys],
        text=_text("need", documents, weigh),
        labels={
            ("need", pk): ([ref.theme_code[theme]], [ref.kind_code[k] for k in kinds_of[pk]],
                           sorted(languages.get(country, ())), level_of[pk])
            for pk, country, theme in rows
        },
    )


def accepted_requests(ref, *, pks=None, weigh=True):
    requests = Request.objects.filter(status__in=REQUEST_STATES)
    if pks is not None:
        requests = requests.filter(pk__in=pks)
    rows = list(requests.order_by("pk").values_list(
        "pk", "country_id", "title", "description", "expected_outputs", "languages", "modality", "desired_start",
        "duration_months", "urgency",
    ))
    keys = [row[0] for row in rows]
    themes = _grouped(Request.themes.through, "request_id", "theme_id", keys)
    kinds = _grouped(Request.kinds.through, "request_id", "kindofhelp_id", keys)

    def window(row):
        if not row[7]:
            return -1, -1
        return day(row[7]), day(row[7] + timedelta(days=30 * (row[8] or 3)))

    return _subjects(
        ref,
        keys=[("request", pk) for pk in keys],
        country_ids=[row[1] for row in rows],
        themes=[themes[pk] for pk in keys],
        kinds=[kinds[pk] for pk in keys],
        languages=[row[5] or [] for row in rows],
        required=[bool(row[5]) for row in rows],
        modality=[MODALITIES.index(row[6]) if row[6] in MODALITIES else -1 for row in rows],
        starts=[window(row)[0] for row in rows],
        ends=[window(row)[1] for row in rows],
        level=[URGENCY_VALUE.get(row[9], 0.66) for row in rows],
        text=_text("request", {row[0]: f"{row[2]}\n{row[3]}\n{row[4]}" for row in rows}, weigh),
        labels={
            ("request", row[0]): ([ref.theme_code[t] for t in themes[row[0]]], [ref.kind_code[k] for k in kinds[row[0]]],
                                  list(row[5] or []), "emergency" if row[9] == Request.Urgency.EMERGENCY else "")
            for row in rows
        },
    )


def concatenate(first, second):
    """Needs and requests as one table of subjects."""
    joined = {}
    for name in Subjects.__dataclass_fields__:
        a, b = getattr(first, name), getattr(second, name)
        if name == "keys":
            joined[name] = a + b
        elif name == "labels":
            joined[name] = {**a, **b}
        elif sparse.issparse(a):
            joined[name] = sparse.vstack([a, b]).tocsr()
        else:
            joined[name] = np.concatenate([a, b])
    return Subjects(**joined)


def all_subjects(ref, *, need_pks=None, request_pks=None, weigh=True):
    return concatenate(
        open_needs(ref, pks=need_pks, weigh=weigh), accepted_requests(ref, pks=request_pks, weigh=weigh)
    )

