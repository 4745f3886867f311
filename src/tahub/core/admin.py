"""Shared pieces of the administration site."""


class ReadOnly:
    """Records that change only through their services: the admin lists and shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
