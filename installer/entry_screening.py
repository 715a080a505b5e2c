"""Frozen entry point of `screening` (installer/build.py)."""

import sys

import installer_runtime

installer_runtime.prepare()

from screening.cli import main  # noqa: E402

sys.exit(main())
