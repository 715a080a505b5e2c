"""Questionnaire definitions shipped with Screening Desk (JSON data, read via importlib.resources)."""
