from enum import StrEnum


class FactorCategory(StrEnum):
    AIR_TRAVEL = "air_travel"
    ELECTRICITY = "electricity"
    EQUIPMENT = "equipment"
    FUEL = "fuel"
    HEATING = "heating"
    OTHER = "other"
    PURCHASES = "purchases"
    RAIL_TRAVEL = "rail_travel"
    ROAD_TRAVEL = "road_travel"
    WASTE = "waste"

    def __str__(self) -> str:
        return str(self.value)
