"""The cached, filter-independent part of a map: simplified communes and the outlines of the units above them."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.display import detail_for, geojson, round_to_grid, simplify_coverage


@dataclass(frozen=True)
class MapGeometry:
    """Everything about the map that does not change with the filters: built once per area and cached."""

    codes: tuple[str, ...]
    geojson: dict
    outline: dict | None  # GeoJSON polygons of the provinces or districts (drawn as outlines), ids their codes
    revision: str  # plotly uirevision: the user's zoom is kept until the area changes
    bounds: tuple[float, float, float, float] = (102.0, 8.0, 110.0, 23.5)  # minx, miny, maxx, maxy
    geojson_url: str | None = None  # where the app serves the same GeoJSON (fetched once by the browser)
    outline_url: str | None = None


def build_map_geometry(bounds: gpd.GeoDataFrame, revision: str) -> MapGeometry:
    """Simplified communes, district outlines, and the view that fits them."""
    detail = detail_for(len(bounds))
    simplified = simplify_coverage(bounds.geometry.values, detail)
    frame = gpd.GeoDataFrame({"district_code": bounds["district_code"].to_numpy()}, geometry=simplified, crs=4326)
    outline = None
    # Outline the level above the communes shown: provinces on a map of several provinces, else districts.
    frame["province_code"] = bounds["province_code"].to_numpy()
    level = "province_code" if frame["province_code"].nunique() > 1 else "district_code"
    if frame[level].notna().any() and frame[level].nunique() > 1:
        groups = frame.dissolve(by=level).geometry
        outline = geojson(list(groups.index), round_to_grid(groups.values, detail))
    codes = tuple(bounds["commune_code"].tolist())
    return MapGeometry(
        codes=codes,
        geojson=geojson(codes, simplified),
        outline=outline,
        revision=revision,
        bounds=tuple(float(v) for v in shapely.total_bounds(np.asarray(simplified))),
    )
