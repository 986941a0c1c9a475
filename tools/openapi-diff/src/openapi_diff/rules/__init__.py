"""The rules, one module per kind of change; `schemas` walks schemas for the others."""
