"""Scoring runs and the decisions people take on matches.

``match_all`` rescores every open need and accepted request against every open offer;
``match_rescore`` only what one change touches (run as a background task on commit, see
``hooks``). Both replace *suggested* matches only: what a person decided is never touched again,
and a dismissed pair is never suggested again.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tahub.assessments.models import Need
from tahub.assistance.models import Request
from tahub.core.audit import audited
from tahub.matching import features
from tahub.matching import text as texts
from tahub.matching.models import Coverage, Match, MatchingIndex, Weights
from tahub.matching.permissions import match_policy
from tahub.matching.scoring import rank
from tahub.offers.models import Offer
from tahub.offers.services import strip_html

SUBJECT_MODEL = {"need": Need, "request": Request}


def _silent(*_args, **_kwargs):
    return None


def _key(need_id, request_id):
    """A match's subject as the scorer names it: ("need", pk) or ("request", pk)."""
    return ("need", need_id) if need_id else ("request", request_id)


def _forget(suggestions):
    """Delete suggested matches in one statement. Suggestions are the scorer's output, rewritten by
    every run: they leave no history (decided matches keep theirs) and have nothing depending on
    them, so the per-row signals of ``delete()`` are skipped."""
    return suggestions.suggested()._raw_delete(suggestions.db)


def _weigh(side, idf):
    side.text = texts.weighted(side.text, idf)
    return side


def _countries(keys):
    """The Party of each subject key."""
    found = {}
    for kind, model in SUBJECT_MODEL.items():
        pks = [pk for k, pk in keys if k == kind]
        for chunk in features._chunks(pks):
            found.update({(kind, pk): country for pk, country in model.objects.filter(pk__in=chunk).values_list("pk", "country_id")})
    return found


def _decided_pairs(keys=None, offers=None):
    decided = Match.objects.decided()
    if offers is not None:
        decided = decided.filter(offer__in=offers)
    pairs = set()
    for need, request, offer in decided.values_list("need_id", "request_id", "offer_id"):
        pairs.add((_key(need, request), offer))
    return pairs


def _new_match(suggestion, country, created_at=None):
    kind, pk = suggestion.subject
    return Match(
        **{f"{kind}_id": pk}, offer_id=suggestion.offer, country_id=country, score=suggestion.score,
        reasons=suggestion.reasons, created_at=created_at or timezone.now(),
    )


_SUGGESTION_FIELDS = ("need", "request", "offer", "country", "score", "reasons", "status", "origin", "created_at",
                      "note", "provider_answer", "provider_reason", "party_answer", "party_reason")


def _insert(matches):
    """Write new suggestions with one prepared statement run over all rows.

    A full run writes tens of thousands of rows; ``bulk_create`` spends most of its time building
    SQL per batch, while ``executemany`` prepares the statement once. Values are prepared by each
    field as the ORM would (``get_db_prep_save``), so any database Django supports takes them."""
    if not matches:
        return
    fields = [Match._meta.get_field(name) for name in _SUGGESTION_FIELDS]
    quote = connection.ops.quote_name
    # Table and column names come from the model, never from input.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(Match._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields)),
    )
    rows = [[field.get_db_prep_save(getattr(match, field.attname), connection) for field in fields] for match in matches]
    with connection.cursor() as cursor:
        for first in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[first:first + 5000])


def _suggested(condition=None):
    """The current suggestions (all, or those matching ``condition``) as
    (subject key, offer, first suggested, score) rows."""
    rows = Match.objects.suggested()
    if condition is not None:
        rows = rows.filter(condition)
    return [
        (_key(need, request), offer, created, score)
        for need, request, offer, created, score in rows.values_list("need_id", "request_id", "offer_id", "created_at", "score")
    ]


def _since(rows):
    """When each suggestion was first made ((subject key, offer) → moment), kept across runs so
    that alerts tell only what is new."""
    return {(key, offer): created for key, offer, created, _score in rows}


def _save_coverage(ranking, countries, now):
    for kind in SUBJECT_MODEL:
        keys = [key for key in ranking.eligible if key[0] == kind]
        for chunk in features._chunks(keys):
            Coverage.objects.filter(**{f"{kind}__in": [pk for _k, pk in chunk]}).delete()
        Coverage.objects.bulk_create([
            Coverage(**{f"{kind}_id": key[1]}, country_id=countries[key], eligible=ranking.eligible[key],
                     above_threshold=ranking.above[key], computed_at=now)
            for key in keys
        ], batch_size=1000)


def match_all(*, progress=_silent, today=None):
    """Score every open need and accepted request against every open offer, from scratch.

    ``progress(step, done, total)`` hears how far it is. Returns the counts."""
    weights = Weights.current()
    progress("reading", 0, 4)
    ref = features.Reference()
    offers = features.open_offers(ref, today=today, weigh=False)
    progress("reading", 1, 4)
    subjects = features.all_subjects(ref, weigh=False)
    progress("reading", 2, 4)
    from scipy import sparse

    idf = texts.inverse_frequencies(sparse.vstack([offers.text, subjects.text]).tocsr())
    MatchingIndex.objects.all().delete()
    MatchingIndex.objects.create(idf=idf.tobytes(), documents=len(offers.keys) + len(subjects.keys))
    _weigh(offers, idf)
    _weigh(subjects, idf)
    progress("reading", 3, 4)
    today = today or timezone.localdate()

    def scored(done, total):
        progress("scoring", done, total)

    ranking = rank(
        subjects, offers, ref.relations, weights.as_dict(), threshold=weights.threshold,
        per_subject=weights.per_subject, today=features.day(today), on_block=scored,
    )
    countries = _countries(subjects.keys)
    progress("saving", 0, 1)
    now = timezone.now()
    with transaction.atomic():
        since = _since(_suggested())
        decided = _decided_pairs()
        _forget(Match.objects.all())
        _insert([
            _new_match(s, countries[s.subject], since.get((s.subject, s.offer)))
            for s in ranking.suggestions if (s.subject, s.offer) not in decided
        ])
        Coverage.objects.all().delete()
        _save_coverage(ranking, countries, now)
    progress("saving", 1, 1)
    return {"offers": len(offers.keys), "subjects": len(subjects.keys), "suggestions": len(ranking.suggestions)}


def match_rescore(*, offers=(), needs=(), requests=(), today=None):
    """Rescore what changed: these offers against every subject, and these needs and requests
    against every offer. What is no longer open loses its suggestions at once (and the places a
    closed offer held go to the next best offers). Falls back on ``match_all`` before the first
    full run."""
    today = today or timezone.localdate()
    counts = {"offers": 0, "subjects": 0, "suggestions": 0}
    live_offers = list(Offer.objects.open_on(today).filter(pk__in=list(offers)).values_list("pk", flat=True))
    live_needs = list(Need.objects.filter(pk__in=list(needs), status__in=features.NEED_STATES).values_list("pk", flat=True))
    live_requests = list(
        Request.objects.filter(pk__in=list(requests), status__in=features.REQUEST_STATES).values_list("pk", flat=True)
    )
    gone_offers = sorted(set(offers) - set(live_offers))
    with transaction.atomic():
        left = {key for key, _offer, _created, _score in _suggested(Q(offer__in=gone_offers))}
        _forget(Match.objects.filter(offer__in=gone_offers))
        for field, gone in (("need", set(needs) - set(live_needs)), ("request", set(requests) - set(live_requests))):
            _forget(Match.objects.filter(**{f"{field}__in": gone}))
            Coverage.objects.filter(**{f"{field}__in": gone}).delete()
    # The subjects a closed offer left are scored again: their next best offer takes its place.
    needs = sorted(set(live_needs) | {pk for kind, pk in left if kind == "need"})
    requests = sorted(set(live_requests) | {pk for kind, pk in left if kind == "request"})
    offers = live_offers
    if not (offers or needs or requests):
        return counts
    if features.idf() is None:
        return match_all(today=today)
    weights = Weights.current()
    ref = features.Reference()
    if needs or requests:
        subjects = features.all_subjects(ref, need_pks=list(needs), request_pks=list(requests))
        everything = features.open_offers(ref, today=today)
        ranking = rank(
            subjects, everything, ref.relations, weights.as_dict(), threshold=weights.threshold,
            per_subject=weights.per_subject, today=features.day(today),
        )
        countries = _countries(subjects.keys)
        with transaction.atomic():
            since = _since(_suggested(Q(need__in=list(needs)) | Q(request__in=list(requests))))
            _forget(Match.objects.filter(need__in=list(needs)))
            _forget(Match.objects.filter(request__in=list(requests)))
            decided = _decided_pairs()
            _insert([
                _new_match(s, countries[s.subject], since.get((s.subject, s.offer)))
                for s in ranking.suggestions if (s.subject, s.offer) not in decided
            ])
            Coverage.objects.filter(need__in=list(needs)).delete()
            Coverage.objects.filter(request__in=list(requests)).delete()
            _save_coverage(ranking, countries, timezone.now())
        counts["subjects"] += len(subjects.keys)
        counts["suggestions"] += len(ranking.suggestions)
    if offers:
        counts["offers"] = len(offers)
        counts["suggestions"] += _rescore_offers(ref, weights, list(offers), today)
    return counts


def _rescore_offers(ref, weights, offer_pks, today):
    """These offers against every subject: each enters a subject's list if it beats the last kept."""
    changed = features.open_offers(ref, pks=offer_pks, today=today)
    subjects = features.all_subjects(ref)
    ranking = rank(
        subjects, changed, ref.relations, weights.as_dict(), threshold=weights.threshold,
        per_subject=len(offer_pks), today=features.day(today),
    )
    by_subject = defaultdict(list)
    for suggestion in ranking.suggestions:
        by_subject[suggestion.subject].append(suggestion)
    with transaction.atomic():
        previous = _suggested(Q(offer__in=offer_pks))
        since = _since(previous)
        _forget(Match.objects.filter(offer__in=offer_pks))
        kept = _kept_lists(by_subject)
        decided = _decided_pairs(offers=offer_pks)
        countries = _countries(list(by_subject))
        new, evicted = [], []
        for key, suggestions in by_subject.items():
            count, lowest = kept.get(key, (0, None))
            for suggestion in sorted(suggestions, key=lambda s: -s.score):
                if (key, suggestion.offer) in decided:
                    continue
                if count < weights.per_subject:
                    count += 1
                elif lowest is not None and suggestion.score > lowest:
                    evicted.append(key)
                else:
                    continue
                new.append(_new_match(suggestion, countries[key], since.get((key, suggestion.offer))))
        for key in evicted:
            lowest = Match.objects.suggested().filter(**{f"{key[0]}_id": key[1]}).order_by("score", "-pk").first()
            if lowest is not None:
                _forget(Match.objects.filter(pk=lowest.pk))
        _insert(new)
        _adjust_coverage(previous, ranking, weights)
    # A subject these offers left has a free place: its next best offer takes it.
    lost = {key for key, _offer, _created, _score in previous} - {_key(m.need_id, m.request_id) for m in new}
    if lost:
        match_rescore(
            needs=[pk for kind, pk in lost if kind == "need"], requests=[pk for kind, pk in lost if kind == "request"],
            today=today,
        )
    return len(new)


def _kept_lists(by_subject):
    """(count, lowest score) of each subject's current suggestions."""
    kept = {}
    for kind in SUBJECT_MODEL:
        pks = [pk for k, pk in by_subject if k == kind]
        for chunk in features._chunks(pks):
            rows = (
                Match.objects.suggested().filter(**{f"{kind}__in": chunk}).values(kind)
                .annotate(n=Count("pk"), low=Min("score")).values_list(kind, "n", "low")
            )
            kept.update({(kind, pk): (n, low) for pk, n, low in rows})
    return kept


def _adjust_coverage(previous, ranking, weights):
    """An offer entering or leaving a subject's offers above the threshold moves its count by one.

    Exact while the subject has fewer offers above the threshold than it keeps (all of them are then
    kept, so whether this offer was among them is known); a subject with more keeps its count, at
    least ``per_subject`` either way, until the next full run."""
    stamp = timezone.now()
    before = {key for key, _offer, _created, _score in previous}
    now = {s.subject for s in ranking.suggestions if s.score >= weights.threshold}
    changed = before ^ now
    for kind in SUBJECT_MODEL:
        pks = [pk for k, pk in changed if k == kind]
        rows = []
        for chunk in features._chunks(pks):
            for coverage in Coverage.objects.filter(**{f"{kind}__in": chunk}, above_threshold__lt=weights.per_subject):
                key = (kind, getattr(coverage, f"{kind}_id"))
                coverage.above_threshold = max(0, coverage.above_threshold + (1 if key in now else -1))
                coverage.computed_at = stamp  # reports keep figures until coverage changes (its time says so)
                rows.append(coverage)
        Coverage.objects.bulk_update(rows, ["above_threshold", "computed_at"], batch_size=500)


# Decisions ------------------------------------------------------------------------------------


def _locked(match):
    return Match.objects.select_for_update(of=("self",)).get(pk=match.pk)


def _decide(actor, match, action):
    match_policy.require(actor, action, match)
    match = _locked(match)
    match_policy.require(actor, action, match)
    return match


def match_confirm(*, actor, match):
    """Confirm a suggestion: it is kept whatever later scoring says, ready to convey."""
    with transaction.atomic():
        match = _decide(actor, match, "confirm")
        match.status, match.decided_by, match.decided_at = Match.Status.CONFIRMED, actor, timezone.now()
        audited(match, actor).save()
    return match


def match_dismiss(*, actor, match, reason):
    """Dismiss a suggestion (or a confirmed match not yet conveyed): it is never suggested again."""
    reason = strip_html(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is dismissed, so that others know.")})
    with transaction.atomic():
        match = _decide(actor, match, "dismiss")
        match.status, match.decided_by, match.decided_at, match.note = Match.Status.DISMISSED, actor, timezone.now(), reason
        audited(match, actor).save()
    return match


def match_restore(*, actor, match):
    """Take back a dismissal: the pair is a suggestion again."""
    with transaction.atomic():
        match = _decide(actor, match, "restore")
        match.status, match.decided_by, match.decided_at, match.note = Match.Status.SUGGESTED, None, None, ""
        audited(match, actor).save()
    return match


def offer_to_add(pk):
    """The offer with this number, for a match by hand; refused with a message if there is none."""
    offer = Offer.objects.filter(pk=pk).first()
    if offer is None:
        raise ValidationError({"offer": _("There is no offer with this number.")})
    return offer


def match_add(*, actor, subject, offer, note=""):
    """Match an offer to a need or request by hand (confirmed at once). The offer must be open and
    the Party eligible for it; an existing suggestion for the pair becomes this match."""
    if not match_policy.can_decide_on(actor, subject):
        raise PermissionDenied
    if not offer.is_open:
        raise ValidationError({"offer": _("This offer is not open: only open offers can be matched.")})
    field = Match.subject_field(subject)
    if subject.status not in (features.NEED_STATES if field == "need" else features.REQUEST_STATES):
        raise ValidationError({"offer": _("Only open needs and accepted requests are matched.")})
    scored = score_pair(subject, offer)
    if scored is None:
        raise ValidationError({"offer": _("%(party)s is not eligible for this offer.") % {"party": subject.country.name}})
    with transaction.atomic():
        match = Match.objects.select_for_update().filter(**{field: subject, "offer": offer}).first()
        if match is not None and match.status not in (Match.Status.SUGGESTED, Match.Status.DISMISSED):
            raise ValidationError({"offer": _("This offer is already matched to it.")})
        match = match or Match(**{field: subject}, offer=offer, country=subject.country)
        match.score, match.reasons = scored.score, scored.reasons
        if match.status != Match.Status.SUGGESTED or match.pk is None:
            match.origin = Match.Origin.MANUAL
        match.status, match.decided_by, match.decided_at = Match.Status.CONFIRMED, actor, timezone.now()
        match.note = strip_html(note or "").strip()
        audited(match, actor).save()
    return match


def score_pair(subject, offer):
    """The score and reasons of one pair, or None when the Party is not eligible."""
    ref = features.Reference()
    kind = Match.subject_field(subject)
    subjects = (features.open_needs if kind == "need" else features.accepted_requests)(ref, pks=[subject.pk])
    offers = features.open_offers(ref, pks=[offer.pk])
    if not offers.keys or not subjects.keys:
        return None
    weights = Weights.current()
    ranking = rank(subjects, offers, ref.relations, weights.as_dict(), threshold=-0.5, per_subject=1,
                   today=features.day(timezone.localdate()))
    return ranking.suggestions[0] if ranking.suggestions else None


def weights_update(*, actor, weights):
    """Save new weights and rescore everything with them (in the background)."""
    from tahub.matching.tasks import rescore_all

    audited(weights, actor).save()
    transaction.on_commit(lambda: rescore_all.enqueue())
    return weights
