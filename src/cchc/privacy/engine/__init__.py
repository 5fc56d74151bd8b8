"""Pure date and identifier arithmetic of the personal-data rules (no Django, no app)."""
