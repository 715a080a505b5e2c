"""Passphrase rules for new passphrases."""

from __future__ import annotations

import pytest

from screening.vault import WeakPassphrase
from screening.vault.passphrase import check_strength, normalise


def test_too_short() -> None:
    with pytest.raises(WeakPassphrase, match="at least 12 characters"):
        check_strength("Tr0ub4dor&3")


@pytest.mark.parametrize("weak", ["password1234", "aaaaaaaaaaaaaaaa", "qwertyuiop123"])
def test_too_guessable(weak: str) -> None:
    with pytest.raises(WeakPassphrase, match="too easy to guess"):
        check_strength(weak)


def test_own_name_does_not_count_as_strength() -> None:
    with pytest.raises(WeakPassphrase):
        check_strength("amirahaddad1", user="amirahaddad")


def test_good_passphrase() -> None:
    check_strength("violet kettle marathon orbit", user="Amira")


def test_very_long_passphrases_are_quick_to_judge() -> None:
    check_strength("lantern " + "x7Q!" * 200)
    with pytest.raises(WeakPassphrase, match="too long"):
        check_strength("a" * 2000)


def test_unicode_forms_derive_the_same_bytes() -> None:
    assert normalise("cafe\u0301") == normalise("caf\u00e9")
