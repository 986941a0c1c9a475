"""The commands, one module per area; `co2calc.cli` puts them together."""
