"""DESIGN.md's code lists, written out once for the tests that hold the code and the API to them."""

# §5 纠纷类型, in its order.
DESIGN_CATEGORIES = [
    "marriage_family",
    "neighbor",
    "housing_land",
    "contract",
    "business",
    "damages",
    "forest_land",
    "land_acquisition",
    "environment",
    "labor",
    "consumer",
    "medical",
    "traffic",
    "property_management",
    "other",
]

# §5 案件来源, in its order.
DESIGN_SOURCES = [
    "application",
    "committee_initiative",
    "police_referral",
    "court_referral",
    "government_referral",
    "grid_patrol",
    "hotline_12345",
]
