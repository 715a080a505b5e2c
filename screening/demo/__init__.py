"""Synthetic demo data: realistic interviews generated through the real engine."""
