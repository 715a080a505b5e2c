"""Finding the compiled form an interview was recorded with.

Every lookup goes through `screening.sync.offered.form_catalogue`: with the vault, the forms
installed from the organisation are found as well as the shipped ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from screening.forms.compiler import CompiledForm
from screening.forms.library import FormEntry, FormNotAvailable
from screening.sync.offered import form_catalogue

if TYPE_CHECKING:
    from screening.vault import Vault

__all__ = ["FormNotAvailable", "available_forms", "compiled_form"]


def available_forms(ui_language: str = "en", vault: Vault | None = None) -> list[FormEntry]:
    """The newest version of each form on offer (shipped, and from the organisation when a
    vault is given), titles in `ui_language`."""
    return form_catalogue(vault, ui_language).newest()


def compiled_form(
    form_id: str,
    version: str | None = None,
    *,
    vault: Vault | None = None,
    form_hash: str | None = None,
) -> CompiledForm:
    """The compiled form with this id (and version; the newest when None).

    For an existing interview pass its vault and stored `form_hash`, so that a form installed
    from the organisation is found and, where two definitions share the id and version, the
    one the interview was recorded with. Raises FormNotAvailable (one sentence for a person).
    """
    catalogue = form_catalogue(vault)
    if version is None:
        return catalogue.compiled(form_id)
    return catalogue.compiled_for_interview(form_id, version, form_hash)
