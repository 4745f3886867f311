"""The ``tahub`` console script: a thin front to Django's management commands."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahub.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (reading the settings: a bad one is said plainly here)
    except ImproperlyConfigured as exc:
        # Django would carry on without settings and fail later with "Models aren't loaded yet".
        sys.exit(f"tahub: {exc}")

    execute_from_command_line(["tahub", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
