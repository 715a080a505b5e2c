"""Icons, style sheets and translation sources for the desktop app (data only)."""
