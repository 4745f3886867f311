"""Audit trail helpers: django-simple-history records who changed what, and when."""


def audited(obj, actor):
    """Name ``actor`` as the author of ``obj``'s next history entry.

    Requests are attributed by the history middleware; services called elsewhere (commands,
    tasks, the API with a token) say who acts through this. ``actor`` None is the system.
    """
    if actor is not None and getattr(actor, "is_authenticated", False):
        obj._history_user = actor
    return obj
