"""Counted nouns in CLI sentences: "1 interview", never "1 interviews" or "interview(s)"."""

from __future__ import annotations

from screening.cli.wording import count


def test_counts_are_spelled_with_the_right_plural() -> None:
    assert count(1, "interview") == "1 interview"
    assert count(0, "interview") == "0 interviews"
    assert count(2, "finished interview") == "2 finished interviews"
    assert count(3, "entry", "entries") == "3 entries"
    assert count(1, "entry", "entries") == "1 entry"
