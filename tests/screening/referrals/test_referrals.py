"""Referral workflow: providers, consent, status changes with dates, audit rows, the slip."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from screening.demo.seed import seed_vault
from screening.export import CaseCoder, export
from screening.export.fields import NEEDS
from screening.referrals import ReferralError, Referrals
from screening.vault import KdfParams, PermissionDenied, Vault
from tests.screening.export.conftest import pdftotext

FAST = KdfParams.fast_for_tests()
ADMIN, ADMIN_PASS = "Amira Haddad", "violet kettle marathon orbit"
COORD, COORD_PASS = "Leila Okafor", "glacier velvet pumpkin ferry"
SCREENER, SCREENER_PASS = "Tomas Ferreira", "copper lantern drizzle wombat"
NAME = "Zaynab Đurović-حسن"
CONTACT = "Leila Okafor, +382 67 111 222"


@pytest.fixture(scope="module")
def vault_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("referrals") / "vault"
    vault = Vault.create(folder, ADMIN, ADMIN_PASS, kdf=FAST)
    try:
        vault.add_user(COORD, COORD_PASS, role="coordinator", kdf=FAST)
        vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
        seed_vault(vault, 40, seed=4)
        with vault.transaction() as conn:  # the name every slip must keep to itself
            conn.execute(
                "UPDATE answers SET value = ? WHERE name = 'preferred_name'", (json.dumps(NAME),)
            )
    finally:
        vault.lock()
    return folder


@pytest.fixture
def vault(vault_dir: Path) -> Iterator[Vault]:
    v = Vault.unlock(vault_dir, COORD, COORD_PASS)
    yield v
    v.lock()


def interview(vault: Vault, form_id: str) -> str:
    for row in vault.list_interviews(status="completed", form_id=form_id):
        answers = vault.answers(row.id)
        if answers.get("consent", (None,))[0] == "yes" and "preferred_name" in answers:
            return row.id
    raise AssertionError(f"no completed {form_id} interview with a name")


def actions_since(vault: Vault, seq: int) -> list[tuple[str, str | None, str | None]]:
    return [(e.action, e.object_id, e.detail) for e in vault.audit_entries(after=seq)]


def test_provider_directory(vault: Vault) -> None:
    book = Referrals(vault)
    seq = vault.audit_entries()[-1].seq
    shelter = book.add_provider(
        "Sigurna kuća Podgorica", "shelter", contact="+382 20 000 000", languages=["arabic"]
    )
    assert shelter.kind == "shelter" and shelter.active and shelter.languages == ("arabic",)
    legal = book.add_provider("Pravni centar", "legal_aid")
    assert {p.id for p in book.providers()} >= {shelter.id, legal.id}
    assert [p.id for p in book.providers(kind="legal_aid")] == [legal.id]
    book.update_provider(legal.id, active=False, contact="office@example.org")
    assert legal.id not in {p.id for p in book.providers()}
    assert legal.id in {p.id for p in book.providers(include_inactive=True)}
    assert actions_since(vault, seq) == [
        ("provider_added", shelter.id, "kind shelter"),
        ("provider_added", legal.id, "kind legal_aid"),
        ("provider_changed", legal.id, "changed active, contact"),
    ]
    with pytest.raises(ReferralError, match="Unknown kind"):
        book.add_provider("Hotel", "hotel")
    with pytest.raises(ReferralError, match="provider name is required"):
        book.add_provider("  ", "medical")


def test_referral_workflow_with_dates_and_audit(vault: Vault, tmp_path: Path) -> None:
    book = Referrals(vault)
    provider = book.add_provider("Dom zdravlja Bar", "medical", contact="+382 30 000 000")
    iid = interview(vault, "screening-adult")
    coder = CaseCoder.for_vault(vault, "referral")  # creates the vault's secret if needed
    seq = vault.audit_entries()[-1].seq
    referral = book.create(
        iid,
        provider.id,
        consent="person",
        referrer_contact=CONTACT,
        needs=["medical", "psychosocial"],
        urgency="urgent",
        language="tigrinya",
        interpreter_needed=True,
        sent_at=date.today() - timedelta(days=3),
    )
    assert referral.status == "sent" and referral.sent_at.startswith(
        (date.today() - timedelta(days=3)).isoformat()
    )
    assert referral.needs == ("medical", "psychosocial")
    assert referral.interpreter_language == "tigrinya"
    assert referral.case_code == coder.code(iid)
    accepted = book.set_status(referral.id, "accepted", at=date.today() - timedelta(days=1))
    assert accepted.status == "accepted" and accepted.accepted_at
    closed = book.set_status(referral.id, "closed")
    assert closed.status == "closed" and closed.closed_at and closed.declined_at is None
    with pytest.raises(ReferralError, match="A closed referral cannot become accepted"):
        book.set_status(referral.id, "accepted")
    log = actions_since(vault, seq)
    assert [a for a, _, _ in log] == ["referral_created", "referral_status", "referral_status"]
    assert log[0][1] == referral.id and "urgency urgent; consent person" in str(log[0][2])
    assert [d for _, _, d in log[1:]] == ["sent -> accepted", "accepted -> closed"]
    assert book.list(interview_id=iid)[0].id == referral.id
    assert referral.id in {r.id for r in book.list(status="closed")}
    assert referral.id not in {r.id for r in book.list(status="sent")}
    vault.verify_audit()


def test_status_rules(vault: Vault) -> None:
    book = Referrals(vault)
    provider = book.add_provider("Psihološko savjetovalište", "psychosocial")
    iid = interview(vault, "screening-adult")
    # Named here: a demo interview does not always suggest a need.
    referral = book.create(
        iid, provider.id, consent="person", referrer_contact=CONTACT, needs=["psychosocial"]
    )
    with pytest.raises(ReferralError, match="Unknown status"):
        book.set_status(referral.id, "lost")
    with pytest.raises(ReferralError, match="cannot be dated before"):
        book.set_status(referral.id, "declined", at=date(2020, 1, 1))
    with pytest.raises(ReferralError, match="future"):
        book.set_status(referral.id, "declined", at=datetime.now(UTC) + timedelta(days=5))
    declined = book.set_status(referral.id, "declined")
    assert declined.declined_at and declined.status == "declined"
    with pytest.raises(ReferralError, match="no referral"):
        book.set_status("nope", "closed")


def test_defaults_come_from_the_interview(vault: Vault) -> None:
    book = Referrals(vault)
    provider = book.add_provider("Sklonište Nikšić", "shelter")
    iid = interview(vault, "screening-adult")
    suggested = book.suggestions(iid)
    answers = vault.answers(iid)
    needs = answers.get("needs", ([], None))[0] or []
    assert set(suggested["needs"]) <= set(needs) | {"medical", "safety"}
    if not suggested["needs"]:
        with pytest.raises(ReferralError, match="at least one need"):
            book.create(iid, provider.id, consent="person", referrer_contact=CONTACT)
        return
    referral = book.create(iid, provider.id, consent="person", referrer_contact=CONTACT)
    assert list(referral.needs) == suggested["needs"]
    assert referral.urgency == suggested["urgency"]
    assert referral.language == suggested["language"]


def test_consent_is_required_and_checked(vault: Vault) -> None:
    book = Referrals(vault)
    shelter = book.add_provider("Sklonište", "shelter")
    protection = book.add_provider("Centar za socijalni rad", "child_protection")
    adult = interview(vault, "screening-adult")
    child = interview(vault, "screening-child")
    with pytest.raises(ReferralError, match="basis of consent"):
        book.create(adult, shelter.id, consent="yes", referrer_contact=CONTACT, needs=["shelter"])
    with pytest.raises(ReferralError, match="only for children"):
        book.create(adult, shelter.id, consent="guardian", referrer_contact=CONTACT,
                    needs=["shelter"])  # fmt: skip
    with pytest.raises(ReferralError, match="only be referred to child protection"):
        book.create(child, shelter.id, consent="best_interests", referrer_contact=CONTACT,
                    needs=["shelter"])  # fmt: skip
    made = book.create(child, protection.id, consent="best_interests", referrer_contact=CONTACT,
                       needs=["child_protection"])  # fmt: skip
    assert made.consent == "best_interests" and made.consent_recorded_by == COORD
    with pytest.raises(ReferralError, match="contact of the referring coordinator"):
        book.create(adult, shelter.id, consent="person", referrer_contact=" ", needs=["shelter"])
    with pytest.raises(ReferralError, match="Unknown need"):
        book.create(adult, shelter.id, consent="person", referrer_contact=CONTACT,
                    needs=["pizza"])  # fmt: skip


def test_slip_has_the_case_code_and_not_the_name(vault: Vault, tmp_path: Path) -> None:
    book = Referrals(vault)
    provider = book.add_provider("Sigurna kuća Rožaje", "shelter", contact="+382 51 000 000")
    iid = interview(vault, "screening-adult")
    referral = book.create(iid, provider.id, consent="person", referrer_contact=CONTACT,
                           needs=["shelter", "legal"], urgency="emergency")  # fmt: skip
    seq = vault.audit_entries()[-1].seq
    out = book.write_slip(referral.id, tmp_path / "slip.pdf")
    assert out.stat().st_mode & 0o077 == 0
    text = pdftotext(out)
    assert referral.case_code in text
    assert "EMERGENCY" in text and "safe accommodation" in text and "legal aid" in text
    assert "Sigurna kuća Rožaje" in text and CONTACT in text
    assert "Zaynab" not in text and "Đurović" not in text
    assert "Not included on this slip" in text
    assert actions_since(vault, seq) == [("referral_slip", referral.id, "slip written, no name")]
    assert list(tmp_path.iterdir()) == [out]


def test_identity_only_when_included_and_audited(vault: Vault, tmp_path: Path) -> None:
    book = Referrals(vault)
    provider = book.add_provider("Pravna pomoć", "legal_aid")
    iid = interview(vault, "screening-adult")
    referral = book.create(iid, provider.id, consent="person", referrer_contact=CONTACT,
                           needs=["legal"])  # fmt: skip
    seq = vault.audit_entries()[-1].seq
    book.set_identity(referral.id, True)
    text = pdftotext(book.write_slip(referral.id, tmp_path / "named.pdf", language="cnr"))
    assert "Zaynab Đurović" in text and referral.case_code in text
    assert "Šifra slučaja" in text and "pravna pomoć" in text
    book.set_identity(referral.id, False)
    text = pdftotext(book.write_slip(referral.id, tmp_path / "anonymous.pdf"))
    assert "Zaynab" not in text
    assert actions_since(vault, seq) == [
        ("referral_identity", referral.id, "identity included"),
        ("referral_slip", referral.id, "slip written with identity"),
        ("referral_identity", referral.id, "identity removed"),
        ("referral_slip", referral.id, "slip written, no name"),
    ]
    details = " ".join(str(e.detail) for e in vault.audit_entries())
    assert "Zaynab" not in details and CONTACT not in details


def test_no_need_named_lists_the_need_codes(vault: Vault) -> None:
    book = Referrals(vault)
    provider = book.add_provider("Centar za socijalni rad", "psychosocial")
    iid = interview(vault, "screening-adult")
    with pytest.raises(ReferralError, match="at least one need") as raised:
        book.create(iid, provider.id, consent="person", referrer_contact=CONTACT, needs=[])
    assert all(code in str(raised.value) for code in NEEDS)


ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def test_slips_in_french_and_arabic(vault: Vault, tmp_path: Path) -> None:
    from pypdf import PdfReader

    book = Referrals(vault)
    provider = book.add_provider("Maison d'accueil", "shelter", contact="+382 30 111 222")
    iid = interview(vault, "screening-adult")
    referral = book.create(iid, provider.id, consent="person", referrer_contact=CONTACT,
                           needs=["shelter", "legal"], urgency="urgent")  # fmt: skip
    text = pdftotext(book.write_slip(referral.id, tmp_path / "fr.pdf", language="fr"))
    assert "Code du dossier" in text and referral.case_code in text
    assert "hébergement sûr" in text and "aide juridique" in text and "Zaynab" not in text

    out = book.write_slip(referral.id, tmp_path / "ar.pdf", language="ar")
    text = pdftotext(out)
    assert referral.case_code in text and "Maison d'accueil" in text and "Zaynab" not in text
    assert ARABIC_LETTERS.search(text) and "Case code" not in text
    # Right to left: the labels stand at the right margin, not the left one.
    page = PdfReader(out).pages[0]
    width = float(page.mediabox.width)
    starts: list[float] = []

    def visit(text: str, cm: object, tm: list[float], *_: object) -> None:
        if ARABIC_LETTERS.search(text):
            starts.append(tm[4])

    page.extract_text(visitor_text=visit)
    assert starts and min(starts) > width / 3, starts


def test_referral_codes_differ_from_export_codes(vault: Vault, tmp_path: Path) -> None:
    book = Referrals(vault)
    provider = book.add_provider("Savjetovalište", "psychosocial")
    iid = interview(vault, "screening-adult")
    referral = book.create(iid, provider.id, consent="person", referrer_contact=CONTACT,
                           needs=["psychosocial"])  # fmt: skip
    # Stable export codes come from the same secret as referral codes: still unrelated.
    result = export(vault, tmp_path / "e.csv", fmt="csv", k=2, stable_codes=True)
    text = result.path.read_text(encoding="utf-8")
    assert referral.case_code not in text and referral.case_code[2:] not in text
    # The export counts referred services by kind, never by name; on a vault this small the
    # column is withheld to keep every row k-anonymous, and the report says so.
    coarsened = result.report["coarsened"]
    assert "referred_services" in coarsened["detail_columns_withheld"]
    assert provider.name not in text


def test_only_coordinators_and_admins(vault_dir: Path) -> None:
    screener = Vault.unlock(vault_dir, SCREENER, SCREENER_PASS)
    try:
        with pytest.raises(PermissionDenied, match="coordinator or admin"):
            Referrals(screener)
    finally:
        screener.lock()
    admin = Vault.unlock(vault_dir, ADMIN, ADMIN_PASS)
    try:
        assert isinstance(Referrals(admin).providers(), list)
    finally:
        admin.lock()
