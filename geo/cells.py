"""The H3 cells of each commune (core.grid) and their outlines, for the spread of measurements (RULES §20).

A commune's cells are every cell that overlaps it, so a measurement placed in a commune by its location always
falls in one of them; a cell on a border belongs to each commune it touches.
"""

from __future__ import annotations

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely

from core.grid import RESOLUTION


def commune_cells(bounds: gpd.GeoDataFrame, resolution: int = RESOLUTION) -> pd.DataFrame:
    """One row per (commune_code, cell) of the boundaries (in EPSG:4326); cells as unsigned 64-bit integers."""
    codes, cells = [], []
    for code, geom in zip(bounds["commune_code"], bounds.geometry.values, strict=True):
        found = _overlapping(geom, resolution)
        codes.extend([code] * len(found))
        cells.extend(found)
    return pd.DataFrame(
        {"commune_code": pd.Series(codes, dtype=object), "cell": np.array(cells, dtype=np.uint64)}
    ).sort_values(["commune_code", "cell"], ignore_index=True)


def _overlapping(geom, resolution: int) -> list[int]:
    if geom is None or geom.is_empty:
        return []
    shape = h3.geo_to_h3shape(shapely.geometry.mapping(geom))
    found = h3.h3shape_to_cells_experimental(shape, resolution, contain="overlap")
    return sorted({h3.str_to_int(c) for c in found})


def cell_polygons(cells: np.ndarray) -> list[dict]:
    """A GeoJSON Polygon per cell (lon, lat order), for drawing; never finer than the cell."""
    out = []
    for c in cells:
        ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(h3.int_to_str(int(c)))]
        out.append({"type": "Polygon", "coordinates": [[*ring, ring[0]]]})
    return out
