"""Background work: job runner, poller, CSV imports, recalculation, factor sync."""
