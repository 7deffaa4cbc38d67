"""Assigning measurement points to communes (RULES §1), once, at ingest."""

from __future__ import annotations

import numpy as np
import shapely


class CommuneIndex:
    """An STRtree over commune polygons, sorted by commune code.

    Where neighbouring polygons overlap (real files have slivers), a point is given to the
    commune with the smallest code, so that it is counted exactly once and the choice is
    reproducible.
    """

    def __init__(self, codes: list[str] | np.ndarray, geometries: np.ndarray) -> None:
        order = np.argsort(np.asarray(codes, dtype=object).astype(str), kind="stable")
        self.codes = np.asarray(codes, dtype=object)[order]
        self.geometries = np.asarray(geometries, dtype=object)[order]
        shapely.prepare(self.geometries)
        self.tree = shapely.STRtree(self.geometries)

    def locate(self, lat: np.ndarray, lon: np.ndarray, chunk: int = 500_000) -> np.ndarray:
        """Commune code for each (lat, lon); None where missing or outside every commune."""
        lat = np.asarray(lat, dtype="float64")
        lon = np.asarray(lon, dtype="float64")
        result = np.full(len(lat), None, dtype=object)
        has_point = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
        for start in range(0, len(has_point), chunk):
            rows = has_point[start : start + chunk]
            points = shapely.points(lon[rows], lat[rows])
            point_idx, poly_idx = self.tree.query(points, predicate="intersects")
            if len(point_idx) == 0:
                continue
            # Keep the smallest polygon index (= smallest code) per point.
            order = np.lexsort((poly_idx, point_idx))
            point_idx, poly_idx = point_idx[order], poly_idx[order]
            first = np.concatenate(([True], point_idx[1:] != point_idx[:-1]))
            result[rows[point_idx[first]]] = self.codes[poly_idx[first]]
        return result
