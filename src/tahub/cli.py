"""The ``tahub`` console script: a thin front to Django's management commands."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tahub", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
