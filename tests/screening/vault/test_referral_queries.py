"""Reading providers and referrals (screening/vault/referral_queries.py), on a real vault."""

from __future__ import annotations

from screening.referrals import Referrals
from screening.vault import Vault
from screening.vault.referral_queries import (
    get_provider,
    get_referral,
    list_providers,
    list_referrals,
    referral_status,
    referred_kinds,
)


def _interview(vault: Vault) -> str:
    interview_id = vault.create_interview(
        form_id="screening-adult", form_version="1.0", form_hash="0" * 64, language="en"
    )
    vault.complete_interview(interview_id)
    return interview_id


def test_reads_match_what_the_store_wrote(vault: Vault) -> None:
    book = Referrals(vault)
    shelter = book.add_provider("Safe House", "shelter", contact="+382 20 000 000")
    clinic = book.add_provider("Clinic", "medical")
    closed = book.add_provider("Old Shelter", "shelter")
    book.update_provider(closed.id, active=False)
    one, two, three = _interview(vault), _interview(vault), _interview(vault)
    first = book.create(one, shelter.id, consent="person", referrer_contact="x", needs=["shelter"])
    book.create(one, clinic.id, consent="person", referrer_contact="x", needs=["medical"])
    book.create(one, shelter.id, consent="person", referrer_contact="x", needs=["shelter"])
    book.create(two, clinic.id, consent="person", referrer_contact="x", needs=["medical"])
    book.set_status(first.id, "accepted")
    conn = vault.connection()

    assert get_provider(conn, shelter.id) == shelter
    assert get_provider(conn, "no-such-id") is None
    # by kind, then name
    assert [p.id for p in list_providers(conn)] == [clinic.id, shelter.id]
    assert {p.id for p in list_providers(conn, include_inactive=True)} == {
        shelter.id,
        clinic.id,
        closed.id,
    }
    assert [p.id for p in list_providers(conn, kind="shelter")] == [shelter.id]

    assert get_referral(conn, first.id) == book.get(first.id)
    assert get_referral(conn, "no-such-id") is None
    assert referral_status(conn, first.id) == ("accepted", first.sent_at)
    assert referral_status(conn, "no-such-id") is None
    assert len(list_referrals(conn, interview_id=one)) == 3
    assert [r.id for r in list_referrals(conn, status="accepted")] == [first.id]
    assert len(list_referrals(conn, provider_id=clinic.id)) == 2
    assert len(list_referrals(conn, limit=2, offset=3)) == 1

    kinds = referred_kinds(conn, [one, two, three])
    assert sorted(kinds[one]) == ["medical", "shelter"]  # each kind once
    assert kinds[two] == ["medical"]
    assert three not in kinds
