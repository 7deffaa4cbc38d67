"""The boundary sets a store has had (RULES §17): the one in force and the earlier ones, kept so that codes and
names of communes that no longer exist can still be traced to today's communes.

``boundary_history/versions.json`` lists every set, oldest first, the one in force last; each earlier set is kept as
``<id>.parquet`` with ``<id>-lineage.parquet`` (each of its communes -> the commune of today containing it),
recomputed whenever the boundaries in force change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd

from geo.assign import CommuneIndex
from geo.boundaries import load_boundaries
from geo.lineage import area_change, covered_communes, lineage
from store.transaction import Store, Transaction

# Communes without districts are the two-level system in force since 1 July 2025 (Resolution 202/2025/QH15).
REFORM_MONTH = "2025-07"


@dataclass
class BoundarySet:
    """One earlier set of communes and where each of them lies today."""

    id: str
    effective_from: str | None
    frame: gpd.GeoDataFrame
    today: dict[str, str | None]  # old commune code -> the commune of today that contains it

    @property
    def has_districts(self) -> bool:
        return bool(self.frame["district_code"].notna().any())


def earlier_sets(store: Store) -> list[BoundarySet]:
    """The store's earlier boundary sets, newest first (the order to look for an old code or name in)."""
    out = []
    for entry in reversed(store.boundary_versions()[:-1]):
        path = store.boundary_history_dir / f"{entry['id']}.parquet"
        links = pd.read_parquet(store.boundary_history_dir / f"{entry['id']}-lineage.parquet")
        today = dict(
            zip(
                links["old_commune_code"], links["commune_code"].where(links["commune_code"].notna(), None), strict=True
            )
        )
        out.append(BoundarySet(entry["id"], entry.get("effective_from"), load_boundaries(path), today))
    return out


def version_entry(frame: gpd.GeoDataFrame, file: dict, effective_from: str | None, number: int) -> dict:
    """What versions.json says about one boundary set."""
    has_districts = bool(frame["district_code"].notna().any())
    return {
        "id": f"b{number}",
        "effective_from": effective_from,
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "file": file,
        "communes": len(frame),
        "provinces": sorted(frame["province_name"].dropna().unique().tolist())[:10],
        "districts": int(frame["district_code"].nunique()) if has_districts else 0,
    }


def default_effective_from(old: gpd.GeoDataFrame | None, new: gpd.GeoDataFrame) -> str | None:
    """Boundaries without districts replacing boundaries with districts are the 2025 reform: in force from July
    2025. Any other replacement is a correction of the same system, in force for every month."""
    if old is None:
        return None
    if old["district_code"].notna().any() and not new["district_code"].notna().any():
        return REFORM_MONTH
    return None


def record_first(
    store: Store, tx: Transaction, frame: gpd.GeoDataFrame, file: dict, effective_from: str | None
) -> None:
    """versions.json for a store's first boundaries."""
    _write_versions(tx, [version_entry(frame, file, effective_from, 1)])


def record_replacement(
    store: Store,
    tx: Transaction,
    old: gpd.GeoDataFrame,
    new: gpd.GeoDataFrame,
    file: dict,
    effective_from: str | None,
) -> tuple[dict, list[BoundarySet]]:
    """Keep the set being replaced, link every earlier set to the new communes, and list the new set in force.

    Returns the new entry (with how the area covered changed) and the earlier sets, newest first, as
    :func:`earlier_sets` will read them once committed."""
    versions = store.boundary_versions() or [version_entry(old, {}, None, 1)]
    replaced = versions[-1]
    history = store.boundary_history_dir.relative_to(store.root)
    old.to_parquet(tx.path_for(f"{history}/{replaced['id']}.parquet", overwrite=True), index=False, compression="zstd")
    index = CommuneIndex(new["commune_code"].to_numpy(dtype=object), new.geometry.values)
    sets = []
    for entry in reversed(versions):
        frame = old if entry is replaced else load_boundaries(store.boundary_history_dir / f"{entry['id']}.parquet")
        links = lineage(frame, index)
        links.to_parquet(tx.path_for(f"{history}/{entry['id']}-lineage.parquet", overwrite=True), index=False)
        today = dict(zip(links["old_commune_code"], links["commune_code"], strict=True))
        sets.append(BoundarySet(entry["id"], entry.get("effective_from"), frame, today))
    entry = version_entry(new, file, effective_from, max(int(v["id"].lstrip("b")) for v in versions) + 1)
    change = area_change(old, new)
    entry["area_change"] = {
        "only_before": round(change.only_before, 4),
        "only_after": round(change.only_after, 4),
        "changed": change.changed,
    }
    entry["covered_before"] = int(len(covered_communes(new, old)))
    _write_versions(tx, [*versions, entry])
    return entry, sets


def _write_versions(tx: Transaction, versions: list[dict]) -> None:
    with open(tx.path_for("boundary_history/versions.json", overwrite=True), "w", encoding="utf-8") as fh:
        json.dump({"versions": versions}, fh, ensure_ascii=False, indent=1)
