"""Audit trail helpers: django-simple-history records who changed what, and when."""

from contextlib import contextmanager


def audited(obj, actor):
    """Name ``actor`` as the author of ``obj``'s next history entry.

    Requests are attributed by the history middleware; services called elsewhere (commands,
    tasks, the API with a token) say who acts through this. ``actor`` None is the system.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    return obj


@contextmanager
def one_history_entry(obj, actor, *, created):
    """Write ``obj`` and its many-to-many fields inside the block as one history entry.

    django-simple-history records a model's save and each change of a tracked many-to-many field
    separately; a service that creates a record with its links wants one entry ("created", by
    ``actor``) holding them all. The block's saves and ``set()`` calls record nothing; the entry
    is written when the block ends.
    """
    obj.skip_history_when_saving = True
    try:
        yield obj
    finally:
        del obj.skip_history_when_saving
    audited(obj, actor).save()
    if created:
        latest = obj.history.order_by("-history_id").values_list("history_id", flat=True).first()
        obj.history.filter(history_id=latest).update(history_type="+")
