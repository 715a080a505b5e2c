"""The form hash: SHA-256 of a form's canonical JSON, stored with each interview so that a
record names the exact definition it was answered with."""

from __future__ import annotations

import hashlib
import json

from screening.forms.model import Form

# Fields added to the format after forms were recorded with it: left out of the hash while
# unset, so that a form that does not use them keeps the hash its interviews were stored with.
_LATER_FIELDS = frozenset(
    {
        "choice_filter",
        "default",
        "calculate_on",
        "properties",
        "instance_name",
        "data_files",
        "missing_files",
        "appearance",
        "text_variants",
        # The indicator catalogue and the rules that read answers (docs/scoring.md).
        "strength",
        "acts",
        "catalogue",
        "age_question",
        "age_at_recruitment_question",
        "sexual_exploitation_answers",
        "labour_exploitation_answers",
        "unaccompanied_answers",
        "exploitation_answers",
        "child_exploitation_answers",
    }
)


# Later fields whose default is a value: left out while they hold it.
_LATER_DEFAULTS = {"review": "not_reviewed"}


def _without_unset_later_fields(value: object) -> object:
    if isinstance(value, dict):
        return {
            key: _without_unset_later_fields(item)
            for key, item in value.items()
            if not (key in _LATER_FIELDS and item in (None, {}, []))
            and not (key in _LATER_DEFAULTS and item == _LATER_DEFAULTS[key])
        }
    if isinstance(value, list):
        return [_without_unset_later_fields(item) for item in value]
    return value


def form_hash(form: Form) -> str:
    """SHA-256 of the canonical JSON of the form: the same definition, the same hash."""
    canonical = json.dumps(
        _without_unset_later_fields(form.model_dump(mode="json")),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
