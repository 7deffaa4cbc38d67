"""How an earlier set of communes relates to today's (RULES §17): which commune of today each old commune lies in,
and whether the area covered changed.

A reform merges communes, reuses some of their codes for different units and renames the rest, so neither codes nor
names can be followed from the old set to the new one. Geometry can: an old commune belongs to the new commune that
contains a point inside it (its representative point, which is always inside the polygon, unlike a centroid).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.assign import CommuneIndex

# An area differing by more than this share of the larger one is a change of area, not a redrawn border.
AREA_CHANGE_SHARE = 0.02
_EQUAL_AREA = "EPSG:6933"  # areas compared in an equal-area projection, not in square degrees


def lineage(old: gpd.GeoDataFrame, new: CommuneIndex) -> pd.DataFrame:
    """One row per old commune: ``old_commune_code`` and the ``commune_code`` of today that contains it (None
    when it lies outside today's communes)."""
    points = shapely.point_on_surface(old.geometry.values)
    codes = new.locate(shapely.get_y(points), shapely.get_x(points))
    return pd.DataFrame({"old_commune_code": old["commune_code"].to_numpy(dtype=object), "commune_code": codes})


@dataclass(frozen=True)
class AreaChange:
    """How the area covered by two sets of communes differs (each a share of the larger area)."""

    only_before: float  # covered by the old set only
    only_after: float  # covered by the new set only

    @property
    def changed(self) -> bool:
        return max(self.only_before, self.only_after) > AREA_CHANGE_SHARE


def area_change(old: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> AreaChange:
    """Compare the areas the two sets cover (a merged province covers more than the old one did)."""
    before = shapely.union_all(old.to_crs(_EQUAL_AREA).geometry.values)
    after = shapely.union_all(new.to_crs(_EQUAL_AREA).geometry.values)
    largest = max(before.area, after.area)
    if largest <= 0:
        return AreaChange(0.0, 0.0)
    return AreaChange(
        only_before=float(shapely.difference(before, after).area / largest),
        only_after=float(shapely.difference(after, before).area / largest),
    )


def covered_communes(new: gpd.GeoDataFrame, old: gpd.GeoDataFrame) -> np.ndarray:
    """Codes of the new communes that lay (by their representative point) inside the old set's area."""
    index = CommuneIndex(old["commune_code"].to_numpy(dtype=object), old.geometry.values)
    points = shapely.point_on_surface(new.geometry.values)
    inside = pd.notna(index.locate(shapely.get_y(points), shapely.get_x(points)))
    return new["commune_code"].to_numpy(dtype=object)[inside]
