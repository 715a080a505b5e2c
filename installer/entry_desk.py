"""Frozen entry point of `screening-desk` (installer/build.py)."""

import sys

import installer_runtime

installer_runtime.prepare()

from app.main import main  # noqa: E402

sys.exit(main())
