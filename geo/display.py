"""Display geometry: simplified once, topology kept, coordinates rounded, sized to what is shown.

``shapely.coverage_simplify`` simplifies shared edges once for both neighbours, so no gaps or slivers
appear between communes. The level of detail follows the number of communes on the map: a whole
country is drawn coarser than one province, which keeps the browser payload small at every scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class Detail:
    """Simplification tolerance and coordinate grid, in degrees."""

    tolerance: float
    precision: float


# About 10 m of grid for a province, 20 m for a region, 1 km for the whole country (a country fills the screen at
# ~2 km a pixel: a 1 km grid is below a pixel).
DETAILS = (Detail(0.0005, 1e-4), Detail(0.002, 2e-4), Detail(0.02, 1e-2))
_MOST_COMMUNES = (400, 2500)  # the most communes drawn at DETAILS[0] and DETAILS[1]


def detail_level(n_communes: int) -> int:
    """Which of DETAILS a map of ``n_communes`` is drawn at: coarser for more communes."""
    return sum(n_communes > most for most in _MOST_COMMUNES)


def detail_for(n_communes: int) -> Detail:
    """Coarser for more communes."""
    return DETAILS[detail_level(n_communes)]


def simplify_coverage(geometries: np.ndarray, detail: Detail) -> np.ndarray:
    """Simplify neighbours together, then snap to the display grid; empty results fall back to the original."""
    simplified = shapely.coverage_simplify(np.asarray(geometries), detail.tolerance, simplify_boundary=True)
    snapped = _snap(simplified, detail.precision)
    lost = shapely.is_empty(snapped)
    if lost.any():  # a tiny commune collapsed on the grid: keep it, finer, rather than drop it from the map
        snapped[lost] = _snap(np.asarray(geometries)[lost], detail.precision / 10)
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


def _snap(geometries: np.ndarray, grid: float) -> np.ndarray:
    """Snap to the grid keeping shapes valid; where GEOS cannot (a coarse union of districts can make it fail with
    a topology error), round the coordinates alone: what is drawn is the same at this scale."""
    try:
        return shapely.set_precision(geometries, grid)
    except shapely.errors.GEOSException:
        out = np.empty(len(geometries), dtype=object)
        for i, geom in enumerate(geometries):
            try:
                out[i] = shapely.set_precision(geom, grid)
            except shapely.errors.GEOSException:
                out[i] = shapely.set_precision(geom, grid, mode="pointwise")
        return out


def without_slivers(geometries: np.ndarray, share: float = 0.005) -> np.ndarray:
    """Unions of real communes with their holes smaller than ``share`` of the part's area filled: the gaps between
    neighbours in boundary files, which an outline would draw as stray lines (true enclaves are far larger)."""

    def fill(polygon: shapely.Polygon) -> shapely.Polygon:
        outer = shapely.Polygon(polygon.exterior)
        holes = [ring for ring in polygon.interiors if shapely.Polygon(ring).area >= share * outer.area]
        return shapely.Polygon(polygon.exterior, holes)

    out = np.empty(len(geometries), dtype=object)
    for i, geom in enumerate(geometries):
        parts = getattr(geom, "geoms", [geom])
        filled = [fill(p) for p in parts if p.geom_type == "Polygon"]
        out[i] = filled[0] if len(filled) == 1 else shapely.MultiPolygon(filled)
    return out
