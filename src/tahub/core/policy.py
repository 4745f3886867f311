"""The policy base class: one per model, answering who may do what and who sees which rows.

Each app declares its policies in ``permissions.py``. Views, the API and exports ask the
policy; none of them decides on its own.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class Policy:
    """Subclasses set ``model`` and implement ``can`` and ``visible_to``."""

    model = None

    def can(self, actor, action, obj=None):
        raise NotImplementedError

    def visible_to(self, actor):
        raise NotImplementedError

    def get_for(self, actor, queryset=None, **lookup):
        """Fetch one row visible to ``actor`` or raise 404 (existence is not disclosed)."""
        queryset = self.visible_to(actor) if queryset is None else queryset
        try:
            return queryset.get(**lookup)
        except self.model.DoesNotExist as exc:
            raise Http404 from exc

    def require(self, actor, action, obj=None):
        if not self.can(actor, action, obj):
            raise PermissionDenied
