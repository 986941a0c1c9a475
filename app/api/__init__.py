"""HTTP adapters: routes and request dependencies only."""
