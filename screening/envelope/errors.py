"""Envelope errors carry a stable `code` the hub returns as-is and the CLI explains."""

from __future__ import annotations

from screening.errors import ScreeningError

MALFORMED = "malformed_envelope"
UNSUPPORTED_VERSION = "unsupported_envelope_version"
BAD_SIGNATURE = "bad_envelope_signature"
WRONG_ORG_KEY = "wrong_org_key"
DECRYPT_FAILED = "envelope_decrypt_failed"


class EnvelopeError(ScreeningError):
    """An envelope is malformed, forged, damaged, or sealed to another organisation."""

    exit_code = 2

    def __init__(self, message: str, *, code: str = MALFORMED) -> None:
        super().__init__(message)
        self.code = code
