"""Background jobs: long work (imports, roll-ups, reports) run on a Redis queue in production and inline when embedded."""
