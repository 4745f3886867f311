"""Scoring needs and requests against offers: plain arrays in, ranked pairs with reasons out.

Everything here works on whole matrices (subjects × offers) a block of subjects at a time; the
ORM is elsewhere (``features``). Eligibility is a hard filter; the score is the weighted mean of
eight factors, each between 0 and 1:

- theme: the same theme 1, a parent or child theme 0.6, the same top-level area 0.3;
- kinds of help: the share of the kinds asked for that the offer gives (a refinement counts for
  its kind); 0.5 when none are named;
- level: a need's level (high 1, medium 0.66, low 0.33) or a request's urgency (emergency 1);
- language: 1 when a language is shared, 0.5 when either side names none;
- modality: the same 1, hybrid against in person or online 0.6, otherwise 0.2; 0.5 if unknown;
- timing: the share of the requested period the offer runs; without one, whether the offer
  runs a year more;
- capacity: what remains of the places, expert days or countries the offer has;
- text: the cosine of the two texts' character n-gram TF-IDF vectors.
"""

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

FACTORS = ("theme", "kinds", "level", "language", "modality", "timing", "capacity", "text")
FAR = 10**6  # a day number past any real date: a standing offer's end
HYBRID = 2  # index of the hybrid modality in ``MODALITIES``
MODALITIES = ("in_person", "online", "hybrid", "self_paced")


@dataclass
class Subjects:
    """Needs or requests, one row each."""

    keys: list  # ("need", pk) or ("request", pk)
    country: np.ndarray  # index into the countries
    group: np.ndarray  # index into the regional groups, -1 for none
    developing: np.ndarray
    transition: np.ndarray
    ldc: np.ndarray
    sids: np.ndarray
    themes: sparse.csr_matrix  # × themes
    kinds: sparse.csr_matrix  # × kinds, each with its parent
    languages: np.ndarray  # × languages (bool)
    languages_required: np.ndarray  # a request's languages must be offered
    modality: np.ndarray  # index into MODALITIES, -1 unknown
    starts: np.ndarray  # day numbers, -1 unknown
    ends: np.ndarray
    level: np.ndarray
    text: sparse.csr_matrix  # unit rows
    labels: dict = field(default_factory=dict)  # key → (theme codes, kind codes, languages, level)


@dataclass
class Offers:
    keys: list  # pk
    by_country: sparse.csr_matrix  # countries × offers: eligible by name
    by_group: sparse.csr_matrix  # regional groups × offers: eligible as a group
    developing: np.ndarray
    transition: np.ndarray
    ldc: np.ndarray
    sids: np.ndarray
    themes: sparse.csr_matrix
    kinds: sparse.csr_matrix
    languages: np.ndarray
    modality: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    capacity: np.ndarray  # share remaining, 0 to 1
    text: sparse.csr_matrix
    labels: dict = field(default_factory=dict)  # pk → (theme codes, kind codes, languages)


@dataclass
class Relations:
    """Theme tree: ``family`` links a theme to its parent and children; ``area`` to its top level."""

    family: sparse.csr_matrix  # themes × themes
    area: sparse.csr_matrix  # themes × top-level areas
    theme_codes: list
    parent_code: dict  # code → its parent's code, or None


@dataclass
class Suggestion:
    subject: tuple
    offer: int
    score: float
    reasons: list


@dataclass
class Ranking:
    suggestions: list
    eligible: dict  # subject key → eligible offers
    above: dict  # subject key → offers scoring the threshold or more


def _rows(matrix, rows):
    return matrix[rows] if len(rows) != matrix.shape[0] else matrix


def eligible(subjects, offers, rows):
    """Boolean (rows × offers): which offers each of these subjects' Parties may receive."""
    country = subjects.country[rows]
    group = subjects.group[rows]
    by_country = offers.by_country[country].toarray().astype(bool)
    by_group = np.zeros_like(by_country)
    with_group = group >= 0
    if with_group.any() and offers.by_group.shape[0]:
        by_group[with_group] = offers.by_group[group[with_group]].toarray().astype(bool)
    mask = by_country | by_group
    for flag in ("developing", "transition", "ldc", "sids"):
        mask |= np.outer(getattr(subjects, flag)[rows], getattr(offers, flag))
    # A request's languages must be among the offer's (an offer naming none is given in any).
    offered = offers.languages.any(axis=1)
    shared = (subjects.languages[rows].astype(np.float32) @ offers.languages.T.astype(np.float32)) > 0
    required = subjects.languages_required[rows][:, None] & offered[None, :]
    mask &= ~required | shared
    # The offer must still run when the help is wanted.
    starts = subjects.starts[rows][:, None]
    mask &= (starts < 0) | (offers.ends[None, :] >= starts)
    return mask


def factors(subjects, offers, relations, rows, today):
    """Each factor as a (rows × offers) float32 array, in the order of ``FACTORS``."""
    s_themes = _rows(subjects.themes, rows).astype(np.float32)
    o_themes = offers.themes.T.astype(np.float32).tocsc()
    exact = (s_themes @ o_themes).toarray() > 0
    family = ((s_themes @ relations.family) @ o_themes).toarray() > 0
    area = ((s_themes @ relations.area) @ (offers.themes.astype(np.float32) @ relations.area).T).toarray() > 0
    theme = np.maximum(exact * 1.0, np.maximum(family * 0.6, area * 0.3)).astype(np.float32)

    s_kinds = _rows(subjects.kinds, rows).astype(np.float32)
    asked = np.asarray(s_kinds.sum(axis=1)).ravel()
    given = (s_kinds @ offers.kinds.T.astype(np.float32)).toarray()
    kinds = np.where(asked[:, None] > 0, given / np.maximum(asked, 1)[:, None], 0.5).astype(np.float32)

    level = np.repeat(subjects.level[rows][:, None], offers.capacity.shape[0], axis=1).astype(np.float32)

    s_languages = subjects.languages[rows].astype(np.float32)
    shared = (s_languages @ offers.languages.T.astype(np.float32)) > 0
    unknown = (~subjects.languages[rows].any(axis=1))[:, None] | (~offers.languages.any(axis=1))[None, :]
    language = np.where(unknown, 0.5, np.where(shared, 1.0, 0.0)).astype(np.float32)

    wanted = subjects.modality[rows][:, None]
    given_modality = offers.modality[None, :]
    near = (wanted == HYBRID) ^ (given_modality == HYBRID)
    modality = np.where(wanted < 0, 0.5, np.where(wanted == given_modality, 1.0, np.where(near, 0.6, 0.2)))

    starts, ends = subjects.starts[rows][:, None], subjects.ends[rows][:, None]
    o_starts = np.maximum(offers.starts, today)[None, :]
    o_ends = offers.ends[None, :]
    span = np.maximum(ends - starts, 1)
    overlap = np.clip(np.minimum(ends, o_ends) - np.maximum(starts, o_starts), 0, None) / span
    runs_on = np.clip((o_ends - today) / 365.0, 0, 1)
    timing = np.where(starts < 0, runs_on, overlap)

    capacity = np.repeat(offers.capacity[None, :], len(rows), axis=0)
    text = (_rows(subjects.text, rows) @ offers.text.T).toarray()
    return [theme, kinds, level, language, modality.astype(np.float32), timing.astype(np.float32),
            capacity.astype(np.float32), text.astype(np.float32)]


def weighted_total(parts, weights):
    """The weighted mean of the factors (``weights`` maps factor name → weight)."""
    total = np.zeros_like(parts[0])
    spent = 0.0
    for name, part in zip(FACTORS, parts, strict=True):
        weight = float(weights.get(name, 0))
        if weight:
            total += weight * part
            spent += weight
    return total / spent if spent else total


def rank(subjects, offers, relations, weights, *, threshold, per_subject, today, block=256, on_block=None):
    """The best offers for every subject: at most ``per_subject`` each, scoring ``threshold`` or
    more, best first, with their reasons. Works a block of subjects at a time."""
    found = []
    ranking = Ranking(found, {key: 0 for key in subjects.keys}, {key: 0 for key in subjects.keys})
    if not len(subjects.keys) or not len(offers.keys):
        return ranking
    for first in range(0, len(subjects.keys), block):
        rows = np.arange(first, min(first + block, len(subjects.keys)))
        mask = eligible(subjects, offers, rows)
        parts = factors(subjects, offers, relations, rows, today)
        total = np.where(mask, weighted_total(parts, weights), -1.0)
        for local, count in enumerate(mask.sum(axis=1)):
            ranking.eligible[subjects.keys[rows[local]]] = int(count)
        for local, count in enumerate((total >= threshold).sum(axis=1)):
            ranking.above[subjects.keys[rows[local]]] = int(count)
        keep = min(per_subject, total.shape[1])
        best = np.argpartition(-total, keep - 1, axis=1)[:, :keep]
        for local, row in enumerate(rows):
            columns = best[local][np.argsort(-total[local, best[local]], kind="stable")]
            for column in columns:
                score = float(total[local, column])
                if score < threshold:
                    break
                values = {name: float(part[local, column]) for name, part in zip(FACTORS, parts, strict=True)}
                found.append(Suggestion(
                    subjects.keys[row], offers.keys[column], round(score, 4),
                    reasons(subjects.labels[subjects.keys[row]], offers.labels[offers.keys[column]], values, relations),
                ))
        if on_block is not None:
            on_block(int(rows[-1]) + 1, len(subjects.keys))
    return ranking


def reasons(subject, offer, values, relations):
    """Why a pair scored, as data (codes and numbers), for people to read in their language."""
    s_themes, s_kinds, s_languages, level = subject
    o_themes, o_kinds, o_languages = offer
    found = []
    if values["theme"] >= 1:
        found.append({"factor": "theme", "fit": "exact", "themes": sorted(set(s_themes) & set(o_themes))})
    elif values["theme"] > 0.5:
        related = sorted({
            code for code in o_themes
            if relations.parent_code.get(code) in s_themes or any(relations.parent_code.get(s) == code for s in s_themes)
        })
        found.append({"factor": "theme", "fit": "related", "themes": related})
    elif values["theme"] > 0:
        areas = {relations.parent_code.get(code) or code for code in s_themes}
        found.append({"factor": "theme", "fit": "area", "themes": sorted(areas)})
    # Kind codes are dotted: "training.course" refines "training", and counts for it.
    shared_kinds = sorted({
        max(o, s, key=len) for o in o_kinds for s in s_kinds
        if o == s or o.startswith(f"{s}.") or s.startswith(f"{o}.")
    })
    if shared_kinds:
        found.append({"factor": "kinds", "kinds": shared_kinds})
    if level:
        found.append({"factor": "level", "level": level})
    shared_languages = sorted(set(s_languages) & set(o_languages))
    if shared_languages:
        found.append({"factor": "language", "languages": shared_languages})
    if values["modality"] >= 1:
        found.append({"factor": "modality", "value": 1.0})
    for name in ("timing", "capacity", "text"):
        if values[name] > 0 and (name == "text" or values[name] < 1):
            found.append({"factor": name, "value": round(values[name], 2)})
    return found
