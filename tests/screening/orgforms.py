"""Forms from the organisation on a laptop, without a hub: real organisation keys, real signed
documents, installed by the sync client's own `_install_form` into a real vault."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from screening.canonical import canonical_json
from screening.forms.catalog import shipped_form_text
from screening.org import KEM_X25519, OrgKeys, form_hash, sign_form
from screening.sync import laptop, state
from screening.sync.report import SyncReport
from screening.vault import KdfParams, Vault

FAST = KdfParams.fast_for_tests()
HUB_URL = "https://hub.example.org"


def org_keys(name: str = "Harbour Outreach") -> OrgKeys:
    return OrgKeys.generate(name, HUB_URL, None, kem=KEM_X25519)


def laptop_vault(folder: Path, user: str, passphrase: str, org: OrgKeys) -> Vault:
    """A new vault that keeps `org`'s organisation file, as enrolment leaves it (the device
    key is made too; no hub is contacted)."""
    vault = Vault.create(folder, user, passphrase, kdf=FAST)
    state.prepare_device(vault, org.public)
    return vault


def org_form(
    form_id: str = "harbour-rapid",
    version: str = "1.0",
    *,
    title_en: str = "Harbour rapid screening",
    title_fr: str = "Repérage rapide du port",
) -> dict[str, Any]:
    """The shipped rapid screening (consent, scoring and all) under the organisation's own
    id, version and title."""
    form = copy.deepcopy(json.loads(shipped_form_text("rapid-screening.json")))
    form["id"], form["version"] = form_id, version
    form["title"] = {**form["title"], "en": title_en, "fr": title_fr}
    return form


def install(vault: Vault, org: OrgKeys, form: dict[str, Any], cursor: int = 1) -> SyncReport:
    """Install a signed form exactly as a sync does with the hub's description of it."""
    item = {
        "form_id": form["id"],
        "version": form["version"],
        "form_hash": form_hash(form),
        "document": sign_form(org, form),
        "cursor": cursor,
    }
    report = SyncReport("laptop")
    laptop._install_form(vault, org.public, item, report)
    return report


def store_signed(vault: Vault, org: OrgKeys, form: dict[str, Any], cursor: int = 1) -> None:
    """Keep a signed form in `sync_forms` without the install-time checks: what an older
    program (with a laxer compiler) may have installed."""
    document = sign_form(org, form)
    with vault.transaction() as tx:
        tx.execute(
            "INSERT INTO sync_forms (form_id, version, form_hash, document, signed_at,"
            " hub_cursor, installed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                form["id"],
                form["version"],
                form_hash(form),
                canonical_json(document).decode("utf-8"),
                document["signed_at"],
                cursor,
                document["signed_at"],
            ),
        )
