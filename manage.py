#!/usr/bin/env python
"""Django's command-line utility for tahub (the same as the ``tahub`` console script)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from tahub.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
