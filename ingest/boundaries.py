"""Loading commune boundaries into the store (the `boundaries` command and the Data page).

Replacing loaded boundaries must be asked for: it changes which commune every stored measurement counts in, so
the snapshots are re-assigned in the same transaction as the new boundaries.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import UserError
from geo.assign import CommuneIndex
from geo.boundaries import BoundaryImport, read_boundaries
from store.audit import Actor, command_line_actor, file_facts
from store.schema import SNAPSHOT_SCHEMA
from store.transaction import Store, Transaction, transaction


def import_boundaries(
    store: Store,
    path: Path,
    mapping: dict[str, str] | None = None,
    crs: str | None = None,
    replace: bool = False,
    *,
    actor: Actor | None = None,
    shown_name: str | None = None,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> BoundaryImport:
    """Normalize a boundary file into ``boundaries.parquet`` (re-assigning stored measurements when replacing).

    ``actor`` is who asks (default: the user at this terminal); ``shown_name`` the file's name as the user knows it
    (an upload's name rather than the server's temporary path)."""
    result = read_boundaries(path, mapping, crs)
    with transaction(store, "boundaries", actor or command_line_actor(), wait=wait, on_wait=on_wait) as tx:
        if store.has_boundaries() and not replace:
            raise UserError("err_boundaries_exist", store=str(store.root))
        before = _commune_count(store)
        result.frame.to_parquet(
            tx.path_for("boundaries.parquet", overwrite=replace),
            index=False,
            compression="zstd",
            write_covering_bbox=False,
        )
        moved = _reassign_snapshots(store, tx, result.frame) if replace else {}
        tx.details.update(
            {
                "file": file_facts(path, shown_name),
                "communes": len(result.frame),
                "provinces": int(result.frame["province_code"].nunique()),
                "districts": int(result.frame["district_code"].nunique()),
                "replaced_communes": before,
                "reassigned": moved,
            }
        )
    return result


def _commune_count(store: Store) -> int | None:
    if not store.has_boundaries():
        return None
    return pq.ParquetFile(store.boundaries_path).metadata.num_rows


def _reassign_snapshots(store: Store, tx: Transaction, frame: gpd.GeoDataFrame) -> dict:
    """Rewrite every snapshot with the communes of the new boundaries (RULES §1); what changed, counted."""
    from ingest.measurements import assign_communes, referral_lookup

    index = CommuneIndex(frame["commune_code"].to_numpy(dtype=object), frame.geometry.values)
    referral = referral_lookup(store)
    rows = changed = 0
    for path in store.snapshot_files():
        table = pd.read_parquet(path)
        before = table["commune_code"].copy()
        table["commune_code"], _, _ = assign_communes(table, index, referral)
        rows += len(table)
        changed += int((before.fillna("") != pd.Series(table["commune_code"]).fillna("")).sum())
        rel = str(path.relative_to(store.root))
        arrow = pa.Table.from_pandas(table[[f.name for f in SNAPSHOT_SCHEMA]], schema=SNAPSHOT_SCHEMA, preserve_index=False)
        pq.write_table(arrow, tx.path_for(rel, overwrite=True), compression="zstd")
    return {"rows": rows, "changed": changed}
