"""Questionnaire definitions shipped with Screening Desk (JSON, read via importlib.resources)."""
