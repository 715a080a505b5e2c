"""The form catalogue: shipped forms and forms installed from the organisation, with real keys,
real signed documents and a real vault."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.forms.catalog import shipped_form_text, shipped_forms
from screening.forms.library import (
    FormNotAvailable,
    build_catalogue,
    version_key,
)
from screening.org import OrgKeys
from screening.sync.offered import form_catalogue
from screening.vault import Vault
from tests.screening.orgforms import (
    FAST,
    install,
    laptop_vault,
    org_form,
    org_keys,
    store_signed,
)

USER, PASSPHRASE = "Amira Haddad", "violet kettle marathon orbit"


@pytest.fixture
def org() -> OrgKeys:
    return org_keys()


@pytest.fixture
def vault(tmp_path: Path, org: OrgKeys) -> Iterator[Vault]:
    v = laptop_vault(tmp_path / "vault", USER, PASSPHRASE, org)
    yield v
    v.lock()


def test_shipped_and_installed_forms_are_listed_with_title_and_origin(vault, org) -> None:
    form = org_form()
    assert install(vault, org, form).imported == 1
    catalogue = form_catalogue(vault, "fr")
    assert catalogue.problems == []
    by_key = {(e.id, e.version): e for e in catalogue.entries}
    shipped = {(f.id, f.version) for f in shipped_forms()}
    assert set(by_key) == shipped | {("harbour-rapid", "1.0")}
    harbour = by_key["harbour-rapid", "1.0"]
    assert (harbour.title, harbour.origin) == ("Repérage rapide du port", "organisation")
    assert harbour.label == "Repérage rapide du port · version 1.0 · from your organisation"
    assert harbour.data() == form
    compiled = harbour.compile()
    assert (compiled.id, compiled.version) == ("harbour-rapid", "1.0")
    rapid = by_key["rapid-screening", "2.0.0"]
    assert (rapid.title, rapid.origin_label) == ("Repérage rapide (premier contact)", "shipped")
    assert json.loads(rapid.text) == json.loads(shipped_form_text("rapid-screening.json"))
    # A language the form lacks falls back to its default language.
    assert form_catalogue(vault, "xx").find("harbour-rapid").title == "Harbour rapid screening"


def test_without_a_vault_or_an_organisation_only_shipped_forms(tmp_path: Path) -> None:
    shipped = sorted((f.id, f.version) for f in shipped_forms())
    assert sorted((e.id, e.version) for e in form_catalogue().entries) == shipped
    plain = Vault.create(tmp_path / "plain", USER, PASSPHRASE, kdf=FAST)
    try:
        catalogue = form_catalogue(plain)
        assert sorted((e.id, e.version) for e in catalogue.entries) == shipped
        assert {e.origin for e in catalogue.entries} == {"shipped"}
        assert catalogue.problems == []
    finally:
        plain.lock()


def test_newest_version_first_and_every_version_reachable(vault, org) -> None:
    for cursor, version in enumerate(("1.0", "1.10", "1.9", "2.0.1"), start=1):
        assert install(vault, org, org_form(version=version), cursor).imported == 1
    catalogue = form_catalogue(vault)
    assert [e.version for e in catalogue.versions("harbour-rapid")] == [
        "2.0.1",
        "1.10",
        "1.9",
        "1.0",
    ]
    newest = [e for e in catalogue.newest() if e.id == "harbour-rapid"]
    assert [e.version for e in newest] == ["2.0.1"]
    assert len(catalogue.newest()) == len(shipped_forms()) + 1
    assert catalogue.find("harbour-rapid").version == "2.0.1"
    assert catalogue.compiled("harbour-rapid", "1.9").version == "1.9"
    with pytest.raises(FormNotAvailable, match=r"harbour-rapid 3\.0 is not installed"):
        catalogue.compiled("harbour-rapid", "3.0")


def test_version_order_reads_like_people_read_it() -> None:
    ordered = ["1", "1.0", "1.0.3", "1.2", "1.9", "1.10", "2.0", "2025-01", "2025-11"]
    assert sorted(reversed(ordered), key=version_key) == ordered
    assert version_key("1.0-beta") > version_key("1.0")  # a suffix never crashes the sort


def test_a_clash_with_a_shipped_form_keeps_the_shipped_one_and_says_so(vault, org) -> None:
    shipped = json.loads(shipped_form_text("rapid-screening.json"))
    clash = {**shipped, "title": {**shipped["title"], "en": "Rapid screening, harbour edition"}}
    assert install(vault, org, clash).imported == 1  # the sync client does not know about it
    catalogue = form_catalogue(vault)
    rapid = catalogue.versions("rapid-screening")
    assert [(e.version, e.origin, e.title) for e in rapid] == [
        ("2.0.0", "shipped", "Rapid screening (first contact)")
    ]
    (problem,) = catalogue.problems
    assert "rapid-screening version 2.0.0 from your organisation is not offered" in problem
    assert "new version" in problem
    shipped_hash = catalogue.compiled("rapid-screening", "2.0.0").form_hash
    (withheld,) = catalogue.withheld
    clash_hash = withheld.compile().form_hash
    assert clash_hash != shipped_hash
    # An interview already recorded with the clashing definition opens with it; any other
    # interview of that id and version with the shipped one.
    recorded = catalogue.compiled_for_interview("rapid-screening", "2.0.0", clash_hash)
    assert recorded.form_hash == clash_hash
    for stored in (shipped_hash, "ab" * 32, None):
        form = catalogue.compiled_for_interview("rapid-screening", "2.0.0", stored)
        assert form.form_hash == shipped_hash


def test_the_same_definition_installed_and_shipped_is_listed_once(vault, org) -> None:
    twin = json.loads(shipped_form_text("rapid-screening.json"))
    install(vault, org, twin)
    catalogue = form_catalogue(vault)
    assert [(e.version, e.origin) for e in catalogue.versions("rapid-screening")] == [
        ("2.0.0", "shipped")
    ]
    assert catalogue.problems == [] and catalogue.withheld == []


def test_interviews_recorded_on_an_earlier_version_open_with_it() -> None:
    """Forms 2.0.0 replaced 1.0.0; an interview or a draft begun on 1.0.0 must still open
    with the questions it was asked with, and is never offered for a new interview."""
    catalogue = form_catalogue()
    old = catalogue.compiled_for_interview("screening-adult", "1.0.0", None)
    assert old.version == "1.0.0"
    assert "food_rest" in old.nodes  # a question 2.0.0 split in two
    assert [e.version for e in catalogue.versions("screening-adult")] == ["2.0.0"]
    assert catalogue.find("screening-adult", "1.0.0") is None  # never for a new interview
    with pytest.raises(FormNotAvailable):
        catalogue.compiled("screening-adult", "1.0.0")


def test_a_form_signed_by_another_organisation_is_never_offered(vault, org) -> None:
    install(vault, org, org_form())
    # Planted in the vault behind the sync client's back, signed with someone else's key.
    store_signed(vault, org_keys("Not Us"), org_form("planted", "1.0", title_en="Planted"))
    catalogue = form_catalogue(vault)
    ids = {e.id for e in catalogue.entries}
    assert "harbour-rapid" in ids, "the good form is still offered"
    assert "planted" not in ids
    (problem,) = catalogue.problems
    assert "signature no longer verifies" in problem
    with pytest.raises(FormNotAvailable, match=r"planted 1\.0 is not installed"):
        catalogue.compiled_for_interview("planted", "1.0", None)


def test_a_form_that_no_longer_compiles_is_listed_and_explained_in_one_sentence(vault, org) -> None:
    broken = org_form("harbour-broken", "1.0", title_en="Harbour broken form")
    broken["sections"][0]["items"][0]["relevant"] = "${nowhere} = 'yes'"
    store_signed(vault, org, broken)
    catalogue = form_catalogue(vault)
    entry = catalogue.find("harbour-broken")
    assert entry is not None and entry.origin == "organisation"
    with pytest.raises(FormNotAvailable) as caught:
        catalogue.compiled("harbour-broken")
    message = caught.value.message
    assert message.startswith(
        "The questionnaire Harbour broken form (version 1.0, from your organisation) cannot"
    )
    assert "\n" not in message and "nowhere" not in message


def test_a_form_awaiting_its_choices_file_is_never_offered_as_ready(vault, org) -> None:
    awaiting = org_form("harbour-map", "1.0", title_en="Harbour map form")
    awaiting["choice_lists"]["buildings"] = []
    awaiting["missing_files"] = {"buildings.geojson": "buildings"}
    store_signed(vault, org, awaiting)
    with pytest.raises(FormNotAvailable) as caught:
        form_catalogue(vault).compiled("harbour-map")
    assert caught.value.message == (
        "The questionnaire Harbour map form (version 1.0, from your organisation) cannot be"
        " used: it was imported without the file(s) buildings.geojson, so some questions offer"
        " no choices."
    )


# The form hashes that release 1.0.0 of the shipped forms stored with every interview.
RELEASED_HASHES = {
    "rapid-screening": "6edf4dc68bb0d91d749426fd473fc1a88d669a72af43013a9d127015e43b78fc",
    "screening-adult": "0764f4e92598be9402754058487f9c12646cde70d98dbde138267cf14d373856",
    "screening-child": "12f72db524991997d92c8a51f09082a09d0e629f7ede6b4d0e58ba8220caf7f5",
}


@pytest.mark.parametrize("form_id", sorted(RELEASED_HASHES))
def test_archived_forms_keep_the_hash_their_interviews_were_stored_with(form_id: str) -> None:
    """Fields added to the format since must not change the hash of a form that does not
    use them, or recorded interviews would no longer match their definition."""
    compiled = form_catalogue().compiled_for_interview(form_id, "1.0.0", None)
    assert compiled.form_hash == RELEASED_HASHES[form_id]


def test_the_library_lists_the_installed_forms_it_is_handed_without_a_vault() -> None:
    form = org_form()
    catalogue = build_catalogue([form], "fr", problems=["one stored form failed"])
    harbour = catalogue.find("harbour-rapid", "1.0")
    assert harbour is not None and harbour.origin == "organisation"
    assert harbour.title == "Repérage rapide du port"
    assert catalogue.problems == ["one stored form failed"]
    assert build_catalogue().find("harbour-rapid") is None
