"""The coordinator workspace: received interviews, and one case at a time for review.

Shown to the `coordinator` and `admin` roles only (`app.roles.can_review`). See docs/app.md,
"Coordinator workspace".
"""
