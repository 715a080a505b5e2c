"""Screening Desk desktop app (PySide6). Renders and collects input; decisions live in
`screening`."""
