"""Frozen entry point of `screening-hub` (installer/build.py)."""

import sys

import installer_runtime

installer_runtime.prepare()

from hub.cli import main  # noqa: E402

sys.exit(main())
