"""Reading commune boundary files into the normalized form of docs/DATA.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from core.errors import UserError
from core.files import check_input_file
from core.i18n import Msg
from core.text import header_key, nfc

TARGET_CRS = "EPSG:4326"
BOUNDARY_COLUMNS = [
    "province_code",
    "province_name",
    "district_code",
    "district_name",
    "commune_code",
    "commune_name",
]
REQUIRED = ("province_code", "province_name", "commune_code", "commune_name")
CODE_WIDTH = {"province_code": 2, "district_code": 3, "commune_code": 5}

# Shapefiles truncate field names to 10 characters: "province_c" is "province_code".
_ALIASES = {
    "province_code": [
        "province_code",
        "province_c",
        "ma_tinh",
        "matinh",
        "ma tinh",
        "province_id",
        "prov_code",
        "tinh_id",
    ],
    "province_name": [
        "province_name",
        "province_n",
        "ten_tinh",
        "tentinh",
        "ten tinh",
        "tinh",
        "province",
        "tinh thanh pho",
    ],
    "district_code": ["district_code", "district_c", "ma_huyen", "mahuyen", "ma huyen", "district_id", "dist_code"],
    "district_name": [
        "district_name",
        "district_n",
        "ten_huyen",
        "tenhuyen",
        "ten huyen",
        "huyen",
        "district",
        "huyen quan",
    ],
    "commune_code": [
        "commune_code",
        "commune_co",
        "ma_xa",
        "maxa",
        "ma xa",
        "ward_code",
        "ma_phuong_xa",
        "commune_id",
        "ward_id",
    ],
    "commune_name": [
        "commune_name",
        "commune_na",
        "ten_xa",
        "tenxa",
        "ten xa",
        "xa",
        "ward_name",
        "commune",
        "ward",
        "xa phuong",
    ],
}
_ALIAS_KEYS = {header_key(a): canon for canon, names in _ALIASES.items() for a in names}
_READABLE = {".parquet", ".geoparquet", ".geojson", ".json", ".gpkg", ".shp", ".zip"}


@dataclass
class BoundaryImport:
    """The normalized boundaries plus what the import changed or left out."""

    frame: gpd.GeoDataFrame
    source_crs: str
    dropped: list[Msg] = field(default_factory=list)
    repaired: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def has_districts(self) -> bool:
        return bool(self.frame["district_code"].notna().any())


def read_boundaries(path: str | Path, mapping: dict[str, str] | None = None, crs: str | None = None) -> BoundaryImport:
    """Read, map columns, reproject to EPSG:4326, repair and validate a boundary file."""
    path = Path(path)
    raw = _read_any(path)
    if len(raw) == 0:
        raise UserError("err_boundary_empty", file=str(path))
    source_crs = _resolve_crs(raw, path, crs)
    frame = _map_columns(raw, path, mapping or {})
    frame = gpd.GeoDataFrame(frame, geometry=raw.geometry.values, crs=source_crs)
    _check_in_vietnam(raw, source_crs, path)
    if CRS.from_user_input(source_crs) != CRS.from_user_input(TARGET_CRS):
        frame = frame.to_crs(TARGET_CRS)
    result = BoundaryImport(frame=frame, source_crs=str(source_crs))
    _normalize_codes(result)
    _drop_rows_without_code(result)
    _repair_geometry(result, path)
    _check_unique(result.frame, path)
    result.frame = result.frame.sort_values("commune_code").reset_index(drop=True)
    return result


def _read_any(path: Path) -> gpd.GeoDataFrame:
    check_input_file(path)
    suffix = path.suffix.lower()
    if suffix not in _READABLE:
        raise UserError("err_boundary_format", file=str(path), suffix=suffix or "–")
    try:
        if suffix in (".parquet", ".geoparquet"):
            return gpd.read_parquet(path)
        return gpd.read_file(path)
    except Exception as exc:  # pyogrio/pyarrow raise many types; the user needs the file and the cause
        raise UserError("err_boundary_unreadable", file=str(path), detail=_first_line(exc)) from exc


def _resolve_crs(raw: gpd.GeoDataFrame, path: Path, declared: str | None) -> str | CRS:
    if declared:
        try:
            return CRS.from_user_input(declared)
        except Exception as exc:
            raise UserError("err_crs_invalid", crs=declared) from exc
    if raw.crs is not None:
        return raw.crs
    minx, miny, maxx, maxy = raw.total_bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        return TARGET_CRS  # no geometry at all: said below, as no polygon
    if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
        return TARGET_CRS  # no CRS, but the numbers can only be degrees
    raise UserError("err_crs_missing_metres", file=str(path), x=f"{minx:.0f}", y=f"{miny:.0f}")


# Vietnam with its islands (Hoàng Sa, Trường Sa, Phú Quốc, Côn Đảo), in degrees, with a margin.
VIETNAM_BOX = (101.0, 6.0, 118.0, 24.5)


def _check_in_vietnam(raw: gpd.GeoDataFrame, source_crs: str | CRS, path: Path) -> None:
    """Refuse boundaries that cannot be in Vietnam in the CRS they declare, naming the likely cause."""
    minx, miny, maxx, maxy = raw.total_bounds
    if not np.isfinite([minx, miny, maxx, maxy]).all():
        return  # no geometry at all: refused later, as no polygon
    crs = CRS.from_user_input(source_crs)
    lo_x, lo_y, hi_x, hi_y = VIETNAM_BOX
    if crs.is_geographic and lo_y <= minx <= maxx <= hi_y and lo_x <= miny <= maxy <= hi_x:
        # Vietnam's latitudes as x and its longitudes as y: written latitude first.
        raise UserError("err_boundary_lonlat_swapped", file=str(path), x=f"{minx:.2f}", y=f"{miny:.2f}")
    if crs.is_geographic and (abs(minx) > 360 or abs(maxx) > 360 or abs(miny) > 90 or abs(maxy) > 90):
        raise UserError(
            "err_boundary_metres_as_degrees", file=str(path), crs=_crs_label(crs), x=f"{minx:.0f}", y=f"{miny:.0f}"
        )
    try:
        box = gpd.GeoSeries([shapely.box(minx, miny, maxx, maxy)], crs=crs).to_crs(TARGET_CRS).total_bounds
    except Exception as exc:  # pyproj cannot place them at all
        raise UserError("err_boundary_not_vietnam", file=str(path), crs=_crs_label(crs), bounds="?") from exc
    inside = np.isfinite(box).all() and box[0] >= lo_x and box[1] >= lo_y and box[2] <= hi_x and box[3] <= hi_y
    if not inside:
        shown = ", ".join(f"{v:.2f}" for v in box) if np.isfinite(box).all() else "?"
        raise UserError("err_boundary_not_vietnam", file=str(path), crs=_crs_label(crs), bounds=shown)


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg}" if epsg else crs.name


def _map_columns(raw: gpd.GeoDataFrame, path: Path, mapping: dict[str, str]) -> pd.DataFrame:
    columns = [c for c in raw.columns if c != raw.geometry.name]
    chosen: dict[str, str] = {}
    for canon, source in mapping.items():
        if canon not in BOUNDARY_COLUMNS:
            raise UserError("err_map_unknown_field", field=canon, column=source, fields=", ".join(BOUNDARY_COLUMNS))
        if source not in columns:
            raise UserError(
                "err_map_no_column", file=str(path), field=canon, column=source, columns=", ".join(map(str, columns))
            )
        chosen[canon] = source
    for col in columns:
        canon = _ALIAS_KEYS.get(header_key(col))
        if canon and canon not in chosen and col not in chosen.values():
            chosen[canon] = col
    missing = [c for c in REQUIRED if c not in chosen]
    if missing:
        raise UserError(
            "err_boundary_fields", file=str(path), missing=", ".join(missing), columns=", ".join(map(str, columns))
        )
    out = pd.DataFrame(index=raw.index)
    for canon in BOUNDARY_COLUMNS:
        out[canon] = raw[chosen[canon]] if canon in chosen else None
    return out


def _normalize_codes(result: BoundaryImport) -> None:
    frame = result.frame
    for col in BOUNDARY_COLUMNS:
        cleaned = [_clean_text(v) for v in frame[col].tolist()]
        if col in CODE_WIDTH:
            cleaned = [_pad_code(v, CODE_WIDTH[col]) for v in cleaned]
        frame[col] = pd.Series(cleaned, index=frame.index, dtype="string")


# Control characters: no name holds them, and spreadsheets refuse them (an XLSX report would fail to be written).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CONTROL.sub("", nfc(str(value))).strip()
    return text or None


def _pad_code(value: str | None, width: int) -> str | None:
    if value is None:
        return None
    return value.zfill(width) if value.isdigit() else value


def _drop_rows_without_code(result: BoundaryImport) -> None:
    frame = result.frame
    missing = frame["commune_code"].isna()
    for _, row in frame[missing].iterrows():
        where = ", ".join(str(row[c]) for c in ("commune_name", "district_name", "province_name") if pd.notna(row[c]))
        result.dropped.append(Msg("dropped_no_code", where=where or Msg("dropped_unnamed")))
    result.frame = frame[~missing].copy()


def _repair_geometry(result: BoundaryImport, path: Path) -> None:
    frame = result.frame
    geoms = frame.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        repaired = shapely.make_valid(geoms[invalid])
        # make_valid may return collections with lines/points: keep the polygonal parts only.
        geoms[invalid] = [_polygonal_part(g) for g in repaired]
        result.repaired = int(invalid.sum())
    geoms = shapely.force_2d(geoms)
    frame = frame.set_geometry(list(geoms), crs=frame.crs)
    bad = frame.geometry.is_empty | frame.geometry.isna() | ~frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    for _, row in frame[bad].iterrows():
        result.dropped.append(Msg("dropped_no_polygon", code=row["commune_code"], name=row["commune_name"]))
    frame = frame[~bad].copy()
    if len(frame) == 0:
        raise UserError("err_boundary_no_polygon", file=str(path))
    frame["geometry"] = [shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g for g in frame.geometry]
    result.frame = frame.set_geometry("geometry", crs=TARGET_CRS)


def _polygonal_part(geom: shapely.Geometry | None) -> shapely.Geometry:
    if geom is None:  # a feature without geometry: left out below
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    polys = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def _check_unique(frame: gpd.GeoDataFrame, path: Path) -> None:
    dup = frame["commune_code"][frame["commune_code"].duplicated()].unique()
    if len(dup):
        shown = ", ".join(dup[:5]) + (" ..." if len(dup) > 5 else "")
        raise UserError("err_boundary_duplicate_codes", file=str(path), codes=shown)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def load_boundaries(path: str | Path) -> gpd.GeoDataFrame:
    """The store's normalized boundaries (already in EPSG:4326)."""
    return gpd.read_parquet(path)


def load_areas(path: str | Path) -> pd.DataFrame:
    """The store's communes without their geometry: codes and names of every level (what the statistics join)."""
    return pd.read_parquet(path, columns=BOUNDARY_COLUMNS)
