"""The filter-independent part of a map: simplified communes and the outlines of the units above them.

The heavy part (simplifying every commune at each level of detail, dissolving provinces and districts) is done
once per boundary set, kept in the store (:func:`write_layers`, by ingest.derived) and read back at start; the map
of any area is then a cheap selection of it (:func:`area_geometry`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.display import DETAILS, detail_level, geojson, simplify_coverage, without_slivers

_OUTLINE_LEVELS = ("province_code", "district_code")
LAYOUT = 4  # bump when the display files change (4: the communes' H3 cells): kept ones are built again


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


@dataclass(frozen=True)
class DisplayLayers:
    """Every commune simplified at each level of detail (geo.display.DETAILS), and the dissolved provinces and
    districts at each level: what maps of any area are cut from."""

    communes: pd.DataFrame  # commune_code, province_code, district_code, and one geometry column per level: d0, d1...
    outlines: pd.DataFrame  # level (province_code | district_code), code, detail (0, 1...), geometry


def display_layers(bounds: gpd.GeoDataFrame) -> DisplayLayers:
    """Simplify the communes at every level of detail, and the provinces and districts (dissolved from the full
    communes, then simplified as a coverage of their own: a union of simplified communes keeps their slivers as
    holes, drawn as a mesh of lines on a national map). Seconds nationally."""
    communes = pd.DataFrame(
        {c: bounds[c].to_numpy(dtype=object) for c in ("commune_code", "province_code", "district_code")}
    )
    for i, detail in enumerate(DETAILS):
        communes[f"d{i}"] = simplify_coverage(bounds.geometry.values, detail)
    outlines = []
    frame = gpd.GeoDataFrame(communes[list(_OUTLINE_LEVELS)], geometry=bounds.geometry.values, crs=4326)
    for level in _OUTLINE_LEVELS:
        if frame[level].isna().all():
            continue
        groups = frame.dissolve(by=level).geometry
        shapes = without_slivers(groups.values)
        for i, detail in enumerate(DETAILS):
            outlines.append(
                pd.DataFrame(
                    {
                        "level": level,
                        "code": groups.index.to_numpy(dtype=object),
                        "detail": i,
                        "geometry": simplify_coverage(shapes, detail),
                    }
                )
            )
    columns = {"level": [], "code": [], "detail": [], "geometry": []}
    return DisplayLayers(communes, pd.concat(outlines, ignore_index=True) if outlines else pd.DataFrame(columns))


def write_layers(layers: DisplayLayers, communes_path: Path, outlines_path: Path) -> None:
    """Both tables as Parquet, geometries as WKB."""
    communes = layers.communes.copy()
    for c in _detail_columns(communes):
        communes[c] = shapely.to_wkb(communes[c].to_numpy())
    communes.to_parquet(communes_path, index=False, compression="zstd")
    outlines = layers.outlines.assign(geometry=shapely.to_wkb(layers.outlines["geometry"].to_numpy()))
    outlines.to_parquet(outlines_path, index=False, compression="zstd")


def read_layers(communes_path: Path, outlines_path: Path) -> DisplayLayers:
    communes = pd.read_parquet(communes_path)
    for c in _detail_columns(communes):
        communes[c] = shapely.from_wkb(communes[c].to_numpy())
    outlines = pd.read_parquet(outlines_path)
    outlines["geometry"] = shapely.from_wkb(outlines["geometry"].to_numpy())
    return DisplayLayers(communes, outlines)


def _detail_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("d") and c[1:].isdigit()]


def area_geometry(
    layers: DisplayLayers, provinces: tuple[str, ...], districts: tuple[str, ...], revision: str
) -> MapGeometry:
    """The communes of the chosen provinces/districts (all when both are empty) at the detail their number
    calls for, outlined by province on a map of several provinces, else by district."""
    chosen = layers.communes
    if provinces:
        chosen = chosen[chosen["province_code"].isin(provinces)]
    if districts:
        chosen = chosen[chosen["district_code"].isin(districts)]
    level = detail_level(len(chosen))
    shapes = chosen[f"d{level}"].to_numpy()
    codes = tuple(chosen["commune_code"].tolist())
    return MapGeometry(
        codes=codes,
        geojson=geojson(codes, shapes),
        outline=_outline(layers.outlines, chosen, level),
        revision=revision,
        bounds=tuple(float(v) for v in shapely.total_bounds(shapes)) if len(shapes) else MapGeometry.bounds,
    )


def _outline(outlines: pd.DataFrame, chosen: pd.DataFrame, level: int) -> dict | None:
    unit = "province_code" if chosen["province_code"].nunique() > 1 else "district_code"
    codes = chosen[unit].dropna().unique()
    if len(codes) < 2:
        return None
    rows = outlines[(outlines["level"] == unit) & (outlines["detail"] == level) & outlines["code"].isin(codes)]
    rows = rows.sort_values("code")
    return geojson(rows["code"].tolist(), rows["geometry"].to_numpy())


def build_map_geometry(bounds: gpd.GeoDataFrame, revision: str) -> MapGeometry:
    """Display geometry of all of ``bounds`` straight from full boundaries (no store at hand: tests, benchmarks)."""
    return area_geometry(display_layers(bounds.reset_index(drop=True)), (), (), revision)


def layers_signature(boundaries_file: Path | None) -> dict:
    """What the kept layers were built from: the boundary file's content (SHA-256; None: not hashed), this layout and
    the levels of detail."""
    import hashlib

    digest = hashlib.sha256(boundaries_file.read_bytes()).hexdigest() if boundaries_file else None
    return {
        "boundaries_sha256": digest,
        "layout": LAYOUT,
        "details": [[float(d.tolerance), float(d.precision)] for d in DETAILS],
    }


def commune_shape(layers: DisplayLayers, code: str):
    """One commune at the finest kept detail (to outline it on its own map)."""
    return layers.communes.loc[layers.communes["commune_code"] == code, "d0"].iloc[0]


def communes_shapes(layers: DisplayLayers, codes: list[str]) -> np.ndarray:
    """The communes' shapes at the detail their number calls for (outlines over a grid of cells)."""
    chosen = layers.communes[layers.communes["commune_code"].isin(codes)]
    return chosen[f"d{detail_level(len(chosen))}"].to_numpy()


def outline_lines(shapes) -> tuple[np.ndarray, np.ndarray]:
    """The boundaries of shapes as lon and lat arrays, each line ended by NaN (one Scattergeo trace draws them all)."""
    lon, lat = [], []
    for shape in np.atleast_1d(np.asarray(shapes, dtype=object)):
        boundary = shape.boundary
        for line in getattr(boundary, "geoms", [boundary]):
            coords = np.asarray(line.coords)
            lon.append(np.append(coords[:, 0], np.nan))
            lat.append(np.append(coords[:, 1], np.nan))
    if not lon:
        return np.empty(0), np.empty(0)
    return np.concatenate(lon), np.concatenate(lat)
