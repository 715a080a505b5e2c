"""Case codes: random for each export by default; keyed pseudonyms, stable across exports,
only when asked for (and then different under another key)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

from screening.export import CaseCoder, export, pseudonym_key
from screening.export import casecode as casecode_module
from screening.vault import Vault
from tests.screening.export.conftest import ADMIN, ADMIN_PASS, COORD, COORD_PASS, FAST


def codes_by_interview(vault: Vault, path: Path) -> dict[str, str]:
    """Map interview ids to the case codes in an export (the coordinator can: it has the key)."""
    coder = CaseCoder.for_vault(vault, "export")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    exported = set(frame["case_code"])
    ids = [row.id for row in vault.list_interviews(status="completed")]
    keyed = {i: coder.code(vault.person_of(i) or i) for i in ids}
    return {i: code for i, code in keyed.items() if code in exported}


def test_same_person_same_code_in_two_stable_exports(coordinator: Vault, tmp_path: Path) -> None:
    first = export(coordinator, tmp_path / "one.csv", fmt="csv", k=5, stable_codes=True)
    second = export(coordinator, tmp_path / "two.csv", fmt="csv", k=10, stable_codes=True)
    one = codes_by_interview(coordinator, first.path)
    two = codes_by_interview(coordinator, second.path)
    common = set(one) & set(two)
    assert len(common) > 100
    assert all(one[i] == two[i] for i in common)
    assert first.report["case_codes"]["key_id"] == second.report["case_codes"]["key_id"]
    # The report says what stable codes allow, in the file's own words.
    assert "joined" in first.report["case_codes"]["warning"]
    assert first.report["status"].startswith("pseudonymised")


def test_default_exports_cannot_be_joined_by_case_code(coordinator: Vault, tmp_path: Path) -> None:
    # Issue #13 item 4: three exports of one vault joined on case_code singled people out.
    # By default each export's codes come from a fresh key: no code is shared between two
    # exports, and the organisation's own key does not reproduce them.
    files = [
        export(coordinator, tmp_path / f"{n}.csv", fmt="csv", k=k) for n, k in (("a", 5), ("b", 5))
    ]
    a, b = (set(pd.read_csv(f.path, dtype=str, keep_default_na=False)["case_code"]) for f in files)
    assert len(a) > 100 and not a & b
    assert codes_by_interview(coordinator, files[0].path) == {}
    assert files[0].report["case_codes"]["stable_across_exports"] is False
    assert files[0].report["case_codes"]["key_id"] is None
    assert "warning" not in files[0].report["case_codes"]
    assert files[0].report["status"].startswith("k-anonymised")


def test_another_key_gives_other_codes(
    coordinator: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ours = export(coordinator, tmp_path / "ours.csv", fmt="csv", k=5, stable_codes=True)
    monkeypatch.setattr(casecode_module, "pseudonym_key", lambda vault: b"\x01" * 32)
    theirs = export(coordinator, tmp_path / "theirs.csv", fmt="csv", k=5, stable_codes=True)
    a = pd.read_csv(ours.path, dtype=str, keep_default_na=False)["case_code"]
    b = pd.read_csv(theirs.path, dtype=str, keep_default_na=False)["case_code"]
    assert len(a) == len(b) and not set(a) & set(b)
    assert ours.report["case_codes"]["key_id"] != theirs.report["case_codes"]["key_id"]


def test_code_shape_and_purposes() -> None:
    secret = bytes(range(32))
    export_coder = CaseCoder(secret, "export")
    referral_coder = CaseCoder(secret, "referral")
    code = export_coder.code("7f1c6a52-1b0e-4f55-9a53-5b9d0c7d0f00")
    assert len(code) == 14 and code[4] == code[9] == "-"
    assert set(code.replace("-", "")) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert code == CaseCoder(secret, "export").code("7f1c6a52-1b0e-4f55-9a53-5b9d0c7d0f00")
    # A provider's slip code cannot be looked up in an anonymised export.
    slip = referral_coder.code("7f1c6a52-1b0e-4f55-9a53-5b9d0c7d0f00")
    assert slip.startswith("R-") and slip[2:] != code
    codes = {export_coder.code(f"interview-{i}") for i in range(5000)}
    assert len(codes) == 5000
    with pytest.raises(ValueError):
        CaseCoder(secret, "marketing")
    with pytest.raises(ValueError):
        CaseCoder(b"short", "export")


def test_vault_secret_is_created_once_and_audited(tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "v", ADMIN, ADMIN_PASS, kdf=FAST)
    try:
        first = pseudonym_key(vault)
        assert len(first) == 32
        assert pseudonym_key(vault) == first
        created = [e for e in vault.audit_entries() if e.action == "case_code_key_created"]
        assert len(created) == 1 and first.hex() not in str(created[0].detail)
    finally:
        vault.lock()
    vault = Vault.unlock(tmp_path / "v", ADMIN, ADMIN_PASS)
    try:
        assert pseudonym_key(vault) == first  # kept in the vault's meta table
        other = Vault.create(tmp_path / "w", ADMIN, ADMIN_PASS, kdf=FAST)
        try:
            assert pseudonym_key(other) != first
        finally:
            other.lock()
    finally:
        vault.lock()


@pytest.mark.skipif(
    importlib.util.find_spec("screening.sync.state") is None,
    reason="the organisation key store (screening.sync.state) is not there yet",
)
def test_organisation_keys_give_every_coordinator_the_same_codes(tmp_path: Path) -> None:
    from screening.org import OrgKeys
    from screening.sync import state

    org = OrgKeys.generate("Example Org", "https://hub.example.org")
    secrets = []
    for name in ("a", "b"):
        vault = Vault.create(tmp_path / name, ADMIN, ADMIN_PASS, kdf=FAST)
        try:
            vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)
            before = pseudonym_key(vault)  # the vault's own secret, until org keys are stored
            state.store_org_keys(vault, org)
            secrets.append(pseudonym_key(vault))
            assert secrets[-1] != before
            assert casecode_module.key_source(vault) == "organisation"
        finally:
            vault.lock()
    assert secrets[0] == secrets[1]
    other = OrgKeys.generate("Other Org", "https://hub.example.org")
    vault = Vault.create(tmp_path / "c", ADMIN, ADMIN_PASS, kdf=FAST)
    try:
        state.store_org_keys(vault, other)
        assert pseudonym_key(vault) != secrets[0]
    finally:
        vault.lock()
