"""Case codes: keyed pseudonyms of interview ids, stable for the organisation.

A case code is HMAC-SHA256 over the interview id under a key derived with HKDF-SHA256 from
the organisation's case-code secret (`pseudonym_key`). Without the secret a code says
nothing about the interview and cannot be linked to it; with it, the coordinator recomputes
the code of every interview and finds the match.

Exports and referral slips use different keys derived from the same secret (HKDF `info`
"export" or "referral"), so a service provider who holds a referral slip cannot look the
person up in an anonymised export. See docs/export.md, "Case codes".
"""

from __future__ import annotations

import hashlib
import hmac
import importlib
import os
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:
    from screening.vault import Vault

META_KEY = "case_code_key"
SECRET_BYTES = 32
_ORG_SECRET_SALT = b"screening-desk/case-code-secret/v1"
_CODE_SALT = b"screening-desk/case-code/v1"
# Crockford's base 32: no I, L, O, U, so a code read over the phone is not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PURPOSES = {"export": "", "referral": "R-"}

# Where the organisation's private keys are read from a coordinator's vault (stored there by
# `screening org init`, docs/protocol.md). Imported lazily: the sync package is not needed
# to export from a vault that never synced.
_ORG_LOADER = ("screening.sync.state", "org_keys")


def _org_keys(vault: Vault) -> Any | None:
    """The organisation's private keys stored in this vault, or None when there are none."""
    module_name, attribute = _ORG_LOADER
    try:
        loader = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError):
        return None
    return loader(vault)


def pseudonym_key(vault: Vault) -> bytes:
    """The organisation's 32-byte case-code secret.

    When the vault holds the organisation's private keys (a coordinator's vault after the
    keys were stored), the secret is derived from the organisation's signing key, so every
    coordinator of the organisation computes the same case codes. Otherwise a random secret
    is created once and kept in the vault's `meta` table under 'case_code_key' (the creation
    is audited); codes are then stable for this vault only.
    """
    org = _org_keys(vault)
    if org is not None:
        seed = org.signing_private_key.private_bytes_raw()
        return HKDF(
            algorithm=hashes.SHA256(),
            length=SECRET_BYTES,
            salt=_ORG_SECRET_SALT,
            info=b"organisation signing key",
        ).derive(seed)
    return _vault_secret(vault)


def key_source(vault: Vault) -> str:
    """'organisation' when the secret comes from the organisation keys, else 'vault'."""
    return "organisation" if _org_keys(vault) is not None else "vault"


def _vault_secret(vault: Vault) -> bytes:
    from screening.vault import audit

    sql = "SELECT value FROM meta WHERE key = ?"
    row = vault.connection().execute(sql, (META_KEY,)).fetchone()
    if row is not None:
        return bytes.fromhex(str(row[0]))
    with vault.transaction() as conn:
        # Re-read under the write lock: another program may have created it meanwhile.
        row = conn.execute(sql, (META_KEY,)).fetchone()
        if row is not None:
            return bytes.fromhex(str(row[0]))
        secret = os.urandom(SECRET_BYTES)
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (META_KEY, secret.hex()))
        audit.append(conn, vault.user, "case_code_key_created", None, "random, kept in the vault")
    return secret


class CaseCoder:
    """Turns interview ids into case codes for one purpose ('export' or 'referral')."""

    def __init__(self, secret: bytes, purpose: str = "export") -> None:
        if purpose not in PURPOSES:
            raise ValueError(f"unknown case code purpose {purpose!r}")
        if len(secret) < 16:
            raise ValueError("a case code secret needs at least 16 bytes")
        self.purpose = purpose
        self._prefix = PURPOSES[purpose]
        self._key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=_CODE_SALT, info=purpose.encode()
        ).derive(bytes(secret))

    @classmethod
    def for_vault(cls, vault: Vault, purpose: str = "export") -> CaseCoder:
        return cls(pseudonym_key(vault), purpose)

    @property
    def key_id(self) -> str:
        """A short public fingerprint of the key: equal ids mean comparable case codes."""
        return hmac.new(self._key, b"key id", hashlib.sha256).hexdigest()[:16]

    def code(self, interview_id: str) -> str:
        return self.text(self.number(interview_id))

    def number(self, interview_id: str) -> int:
        """The code as a number (an export keeps 8 bytes per row instead of the text)."""
        digest = hmac.digest(self._key, interview_id.encode("utf-8"), "sha256")
        return int.from_bytes(digest[:8], "big") >> 4  # 60 bits: 12 characters

    def text(self, number: int) -> str:
        chars = []
        for _ in range(12):
            chars.append(_ALPHABET[number & 31])
            number >>= 5
        text = "".join(reversed(chars))
        return f"{self._prefix}{text[:4]}-{text[4:8]}-{text[8:]}"
