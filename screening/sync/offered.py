"""Which forms this laptop can start: the shipped ones and the organisation's forms installed
in the vault, each signature checked again as the catalogue is read.

The catalogue itself (`screening.forms.library`) reads no vault: this module, which sits
above both the forms and the vault, reads the installed forms and hands them to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from screening.errors import ScreeningError
from screening.forms.library import FormCatalogue, build_catalogue
from screening.org.documents import DocumentError, verify_signed_form
from screening.sync import state
from screening.sync.laptop import installed_forms

if TYPE_CHECKING:
    from screening.vault import Vault


def form_catalogue(vault: Vault | None = None, language: str = "en") -> FormCatalogue:
    """The forms on offer: shipped ones, and, with an unlocked vault, those from the
    organisation; titles in `language` where the form has it."""
    if vault is None:
        return build_catalogue(language=language)
    problems: list[str] = []
    installed = verified_installed_forms(vault, problems)
    return build_catalogue(installed, language, problems=problems)


def verified_installed_forms(vault: Vault, problems: list[str]) -> list[dict[str, Any]]:
    """The organisation's forms installed in `vault`, each signature checked again; a stored
    form that no longer verifies is left out and reported, never offered."""
    try:
        return installed_forms(vault)
    except DocumentError:
        pass  # at least one stored form fails: check them one by one to keep the good ones
    except ScreeningError as exc:
        problems.append(
            f"The forms from your organisation are not offered: the organisation file kept "
            f"in this vault cannot be read ({exc.message})."
        )
        return []
    org = state.org_public(vault)
    assert org is not None  # installed_forms returned early otherwise
    good = []
    for document in state.installed_documents(vault.connection()):
        try:
            good.append(verify_signed_form(document, org))
        except DocumentError:
            problems.append(
                "A form from your organisation kept on this laptop is not offered: its "
                "signature no longer verifies with the organisation's key."
            )
    return good
