"""Rescoring on commit: a saved offer, need, observation of a need or request is rescored in the
background once its transaction commits, together with whatever else that transaction changed.

Signals, because every path that changes these records (pages, API, imports, the admin, tasks)
must be followed; bulk loads (the demo) send none and end with a full recompute instead.
"""

import threading
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_save

_pending = threading.local()


def _enqueue(batch):
    if not (batch["offers"] or batch["needs"] or batch["requests"]):
        return
    from tahub.matching.tasks import rescore

    rescore.enqueue(sorted(batch["offers"]), sorted(batch["needs"]), sorted(batch["requests"]))


def _batch_of_this_transaction(connection):
    """The ids already waiting for this transaction's commit (one task per commit), or None.
    A rolled-back transaction drops its callbacks, and with them its batch."""
    for _savepoints, callback, _robust in connection.run_on_commit:
        batch = getattr(callback, "matching_batch", None)
        if batch is not None and not batch["done"]:
            return batch
    return None


@contextmanager
def paused():
    """No rescoring inside the block (a bulk load that ends with ``match_all``)."""
    _pending.paused = getattr(_pending, "paused", 0) + 1
    try:
        yield
    finally:
        _pending.paused -= 1


def touch(*, offers=(), needs=(), requests=()):
    """Rescore these after the current transaction commits (at once outside a transaction)."""
    if getattr(_pending, "paused", 0):
        return
    connection = transaction.get_connection()
    fresh = {"offers": set(offers), "needs": set(needs), "requests": set(requests)}
    if not connection.in_atomic_block:
        _enqueue(fresh)
        return
    batch = _batch_of_this_transaction(connection)
    if batch is None:
        batch = {"offers": set(), "needs": set(), "requests": set(), "done": False}

        def flush():
            batch["done"] = True
            _enqueue(batch)

        flush.matching_batch = batch
        transaction.on_commit(flush)
    for key, ids in fresh.items():
        batch[key].update(ids)


def forget_pending():
    """Drop what waits for the current transaction's commit (tests that commit nothing)."""
    batch = _batch_of_this_transaction(transaction.get_connection())
    while batch is not None:
        batch["done"] = True
        batch = _batch_of_this_transaction(transaction.get_connection())


def _offer_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(offers=[instance.pk])


def _need_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(needs=[instance.pk])


def _observation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(needs=[instance.need_id])


def _request_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        touch(requests=[instance.pk])


def connect():
    from tahub.assessments.models import Need, NeedObservation
    from tahub.assistance.models import Request
    from tahub.offers.models import Offer

    post_save.connect(_offer_saved, sender=Offer, dispatch_uid="matching_offer")
    post_save.connect(_need_saved, sender=Need, dispatch_uid="matching_need")
    post_save.connect(_observation_saved, sender=NeedObservation, dispatch_uid="matching_observation")
    post_save.connect(_request_saved, sender=Request, dispatch_uid="matching_request")
