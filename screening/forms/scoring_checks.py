"""The builder's checks of a form's scoring: the questions its rules read and the indicator
tags of its questions and choices against the catalogue (docs/scoring.md)."""

from __future__ import annotations

from screening.forms.check_state import CheckState
from screening.forms.indicators import catalogue
from screening.forms.model import IndicatorTag, Question


class ScoringChecks(CheckState):
    def check_scoring(self) -> None:
        scoring = self.form.scoring
        if scoring is None:
            return
        self.texts(None, "scoring note", scoring.note)
        checked = [("referral_question", scoring.referral_question)]
        checked += [("consent_questions", name) for name in scoring.consent_questions]
        for field_name, ref in checked:
            if ref is None:
                continue
            node = self.nodes.get(ref)
            if node is None or node.kind != "select_one":
                self.problem(None, f"scoring: {field_name} {ref!r} is not a select_one question")
            elif "yes" not in node.choice_names:
                self.problem(None, f"scoring: {field_name} {ref!r} has no choice 'yes'")
        for field_name in ("age_question", "age_at_recruitment_question"):
            ref = getattr(scoring, field_name)
            node = self.nodes.get(ref) if ref else None
            if ref is not None and (node is None or node.kind != "integer"):
                self.problem(None, f"scoring: {field_name} {ref!r} is not an integer question")
        for field_name in (
            "sexual_exploitation_answers",
            "labour_exploitation_answers",
            "unaccompanied_answers",
            "exploitation_answers",
            "child_exploitation_answers",
        ):
            for answer in getattr(scoring, field_name):
                node = self.nodes.get(answer.question)
                if node is None or node.kind not in ("select_one", "select_multiple"):
                    self.problem(
                        None, f"scoring: {field_name} names {answer.question!r}, not a select"
                    )
                    continue
                unknown = [c for c in answer.choices if c not in node.choice_names]
                if unknown:
                    self.problem(
                        None,
                        f"scoring: {field_name}: {answer.question!r} has no choice {unknown[0]!r}",
                    )
        self.check_tags(scoring.catalogue is not None)

    def check_tags(self, with_catalogue: bool) -> None:
        """With the catalogue a tag names a catalogue indicator and no strength (one fact,
        one id and one strength in every form); without it (forms written before) every tag
        carries its own strength."""
        known = catalogue()
        tagged: list[tuple[str | None, IndicatorTag]] = []
        for node in self.nodes.values():
            if isinstance(node.source, Question):
                tagged += [(node.name, tag) for tag in node.source.indicators]
        for list_name, choices in self.form.choice_lists.items():
            for choice in choices:
                where = f"choice list {list_name}: choice {choice.name}"
                tagged += [(where, tag) for tag in choice.indicators]
        for where, tag in tagged:
            question = where if where in self.nodes else None
            prefix = "" if question else f"{where}: "
            if not with_catalogue:
                if tag.strength is None:
                    self.problem(
                        question,
                        f"{prefix}indicator {tag.indicator!r} needs a strength, or the form"
                        " needs scoring.catalogue",
                    )
                continue
            if tag.strength is not None:
                self.problem(
                    question,
                    f"{prefix}indicator {tag.indicator!r}: strengths come from the catalogue;"
                    " remove 'strength'",
                )
            if known.find(tag.element, tag.indicator) is None:
                self.problem(
                    question,
                    f"{prefix}{tag.element.value}/{tag.indicator} is not in the indicator"
                    " catalogue",
                )
