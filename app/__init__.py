"""co2calculator: the backend of a carbon-footprint service for research labs."""
