"""The equal-area grid used to judge where a commune was measured (RULES §20): H3 cells at one resolution.

Resolution 8 cells are about 0.74 km² (edge ≈ 530 m): a typical commune before the 2025 reform (≈ 30 km²) holds
about 40 of them and one after it (≈ 100 km²) about 135, while a campaign from one office stays in one or two.
"""

from __future__ import annotations

import h3.api.numpy_int as h3
import numpy as np

RESOLUTION = 8


def cells_of(lat: np.ndarray, lon: np.ndarray, resolution: int = RESOLUTION) -> np.ndarray:
    """The cell of each point (0 where a coordinate is missing or not finite), as unsigned 64-bit integers."""
    lat = np.asarray(lat, dtype="float64")
    lon = np.asarray(lon, dtype="float64")
    out = np.zeros(len(lat), dtype=np.uint64)
    ok = np.isfinite(lat) & np.isfinite(lon)
    out[ok] = np.fromiter(
        (h3.latlng_to_cell(a, b, resolution) for a, b in zip(lat[ok].tolist(), lon[ok].tolist(), strict=True)),
        dtype=np.uint64,
        count=int(ok.sum()),
    )
    return out


def cell_km2(resolution: int = RESOLUTION) -> float:
    """The average area of a cell of the resolution, in km² (0.74 at resolution 8)."""
    return float(h3.average_hexagon_area(resolution, "km^2"))


def parents(cells: np.ndarray, resolution: int) -> np.ndarray:
    """The cell of a coarser resolution holding each cell (for drawing a whole province in fewer, larger cells)."""
    return np.fromiter((h3.cell_to_parent(int(c), resolution) for c in cells), dtype=np.uint64, count=len(cells))
