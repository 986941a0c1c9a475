"""Use cases: business rules, authorization and orchestration."""
