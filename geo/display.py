"""Display geometry: simplified once, topology kept, coordinates rounded, sized to what is shown.

``shapely.coverage_simplify`` simplifies shared edges once for both neighbours, so no gaps or slivers
appear between communes. The level of detail follows the number of communes on the map: a whole
country is drawn coarser than one province, which keeps the browser payload small at every scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely


@dataclass(frozen=True)
class Detail:
    """Simplification tolerance and coordinate grid, in degrees."""

    tolerance: float
    precision: float


def detail_for(n_communes: int) -> Detail:
    """Coarser for more communes: about 10 m of grid for a province, about 1 km for the whole country."""
    if n_communes <= 400:
        return Detail(0.0005, 1e-4)
    if n_communes <= 2500:
        return Detail(0.002, 2e-4)
    return Detail(0.02, 1e-2)  # a country fills the screen at ~2 km a pixel: a 1 km grid is below a pixel


def simplify_coverage(geometries: np.ndarray, detail: Detail) -> np.ndarray:
    """Simplify neighbours together, then snap to the display grid; empty results fall back to the original."""
    simplified = shapely.coverage_simplify(np.asarray(geometries), detail.tolerance, simplify_boundary=True)
    snapped = shapely.set_precision(simplified, detail.precision)
    lost = shapely.is_empty(snapped)
    if lost.any():  # a tiny commune collapsed on the grid: keep it, finer, rather than drop it from the map
        snapped[lost] = shapely.set_precision(np.asarray(geometries)[lost], detail.precision / 10)
    # Grid multiples such as 21.046000000000003 would print 18 digits in JSON: round to the grid's decimals.
    decimals = max(0, -math.floor(math.log10(detail.precision / 10))) if lost.any() else _decimals(detail.precision)
    return shapely.transform(snapped, lambda xy: np.round(xy, decimals))


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


def geojson(codes: list[str] | np.ndarray, geometries: np.ndarray) -> dict:
    """A FeatureCollection with only an id and a geometry per feature, the two members plotly.js reads
    (names and values travel with the trace). Single-part communes are written as Polygons."""
    features = []
    for code, geom in zip(codes, geometries, strict=True):
        if geom.geom_type == "MultiPolygon" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        features.append({"id": code, "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": features}


def outline_geojson(groups: gpd.GeoSeries, detail: Detail) -> dict:
    """Boundaries of dissolved groups (provinces or districts) as one MultiLineString GeoJSON.
    An edge shared by two groups is drawn once; lines are thinned like the communes they outline."""
    decimals = _decimals(detail.precision)
    boundaries = shapely.set_precision(shapely.boundary(np.asarray(groups.values)), detail.precision)
    merged = shapely.line_merge(shapely.union_all(boundaries))
    merged = shapely.simplify(merged, detail.tolerance / 2)
    merged = shapely.transform(merged, lambda xy: np.round(xy, decimals))
    lines = [line for line in getattr(merged, "geoms", [merged]) if len(line.coords) >= 2]
    geometry = shapely.geometry.mapping(shapely.MultiLineString(lines)) if lines else None
    features = [{"type": "Feature", "properties": {}, "geometry": geometry}] if geometry else []
    return {"type": "FeatureCollection", "features": features}


def view_of(geometries: np.ndarray, width_px: int = 900, height_px: int = 650) -> tuple[dict, float]:
    """Centre and zoom that fit the geometries' bounding box in a map of the given size."""
    return view_of_bounds(tuple(shapely.total_bounds(np.asarray(geometries))), width_px, height_px)


def view_of_bounds(bounds: tuple, width_px: int, height_px: int) -> tuple[dict, float]:
    """Centre and zoom that fit a (minx, miny, maxx, maxy) box in a map of the given size."""
    minx, miny, maxx, maxy = bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        return {"lon": 106.0, "lat": 16.0}, 4.5
    centre = {"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2}
    width = max(maxx - minx, 1e-4)
    height = max(_mercator(maxy) - _mercator(miny), 1e-6)
    # MapLibre zoom: 512-pixel tiles.
    zoom_x = math.log2(width_px * 360 / (512 * width))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * height))
    return centre, max(0.0, min(zoom_x, zoom_y) - 0.2)


def _mercator(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
