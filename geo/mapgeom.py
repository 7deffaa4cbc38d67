"""Building the cached, filter-independent part of a map (see viz.maps.MapGeometry)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from geo.display import detail_for, geojson, outline_lines, simplify_coverage, view_of
from viz.maps import MapGeometry


def build_map_geometry(bounds: gpd.GeoDataFrame, revision: str) -> MapGeometry:
    """Simplified communes, district outlines, and the view that fits them."""
    detail = detail_for(len(bounds))
    simplified = simplify_coverage(bounds.geometry.values, detail)
    frame = gpd.GeoDataFrame({"district_code": bounds["district_code"].to_numpy()}, geometry=simplified, crs=4326)
    lons: list = []
    lats: list = []
    if frame["district_code"].notna().any() and frame["district_code"].nunique() > 1:
        districts = frame.dissolve(by="district_code").geometry
        lons, lats = outline_lines(districts, detail.precision)
    centre, zoom = view_of(np.asarray(simplified))
    codes = tuple(bounds["commune_code"].tolist())
    return MapGeometry(
        codes=codes,
        geojson=geojson(codes, simplified),
        outline_lon=lons,
        outline_lat=lats,
        centre=centre,
        zoom=zoom,
        revision=revision,
    )
