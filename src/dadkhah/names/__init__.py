"""Persian and Latin names, Solar Hijri dates and places (work in progress)."""
