"""Organisation-signed documents (published forms)."""

from __future__ import annotations

import copy

import pytest

from screening.org import (
    KEM_X25519,
    DocumentError,
    OrgKeys,
    form_hash,
    sign_form,
    verify_document,
    verify_signed_form,
)

ORG = OrgKeys.generate("Org", "https://hub.example.org", None, kem=KEM_X25519)
OTHER = OrgKeys.generate("Org", "https://hub.example.org", None, kem=KEM_X25519)
FORM = {"id": "rapid", "version": "2.0", "sections": [{"name": "s", "label": {"ar": "قسم"}}]}


def test_signed_form_round_trips() -> None:
    doc = sign_form(ORG, FORM)
    assert verify_signed_form(doc, ORG.public) == FORM
    assert verify_document(doc, kind="form", signing_key=ORG.public.signing_key) == FORM
    assert len(form_hash(FORM)) == 64


def test_unsigned_forged_or_changed_forms_are_refused() -> None:
    with pytest.raises(DocumentError) as err:
        verify_signed_form(FORM, ORG.public)
    assert err.value.code == "malformed_document"
    with pytest.raises(DocumentError) as err:
        verify_signed_form(sign_form(OTHER, FORM), ORG.public)
    assert err.value.code == "bad_document_signature"
    doc = sign_form(ORG, FORM)
    for field, value in (
        ("signed_at", "2020-01-01T00:00:00Z"),
        ("signature", "AAAA"),
        ("kind", "other"),
    ):
        changed = {**copy.deepcopy(doc), field: value}
        with pytest.raises(DocumentError):
            verify_signed_form(changed, ORG.public)
    changed = copy.deepcopy(doc)
    changed["payload"]["sections"][0]["label"]["ar"] = "x"
    with pytest.raises(DocumentError) as err:
        verify_signed_form(changed, ORG.public)
    assert err.value.code == "bad_document_signature"
    # Forged with the right key id but another key.
    forged = sign_form(OTHER, FORM)
    forged["key_id"] = ORG.signing_key_id
    with pytest.raises(DocumentError) as err:
        verify_signed_form(forged, ORG.public)
    assert err.value.code == "bad_document_signature"


def test_org_file_signature_cannot_be_reused_as_a_document_signature() -> None:
    doc = sign_form(ORG, FORM)
    doc["signature"] = ORG.public_file()["signature"]["value"]
    with pytest.raises(DocumentError):
        verify_signed_form(doc, ORG.public)


def test_forms_need_an_id_and_version() -> None:
    with pytest.raises(DocumentError):
        sign_form(ORG, {"id": "x"})
    with pytest.raises(DocumentError):
        verify_signed_form(b"{bad", ORG.public)
