"""The paged, filtered list of interviews that the screener's case list (`app/cases/`) and the
coordinator's received list (`app/coordinator/`) both configure: names, model and page."""
