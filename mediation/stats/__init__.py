"""Monthly statistics (DESIGN §5): indicators with their definitions, roll-ups, reports.

`definitions` names every indicator; `measures` counts them from the case tables in SQL;
`rollups` keeps the monthly sums current and rebuilds them; `report` answers a month, a region
and a view; `charts` and `exports` draw and write it; `views` is the dashboard.
"""
