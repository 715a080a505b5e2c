"""Whether a form language's texts may be read to a person without a warning.

Only a native speaker checking the texts in real interviews finds what a desk review misses
(a word that frightens, a question heard the wrong way round), so any language that is neither
the source nor field-reviewed is flagged when an interview is set up in it.
"""

from __future__ import annotations

from screening.forms.model import Form, Review

TRUSTED = frozenset({Review.SOURCE, Review.FIELD})


def review_state(form: Form, code: str) -> Review:
    language = form.language(code)
    if language is None:
        return Review.NONE
    if "review" not in language.model_fields_set and code == form.default_language:
        return Review.SOURCE  # a form that says nothing was written in its default language
    return language.review


def needs_review_notice(form: Form, code: str) -> bool:
    """True when interviewing in `code` should come with a not-yet-reviewed notice."""
    return review_state(form, code) not in TRUSTED
