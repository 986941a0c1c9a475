"""`python -m co2calc`: the same as the `co2calc` command."""

from co2calc.cli import main

main()
