"""Store operations shared by the command line and the Data page."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from core.errors import UserError
from geo.boundaries import BoundaryImport, load_boundaries, read_boundaries
from ingest.referral import ReferralImport, read_referral_list
from store.transaction import Store, transaction


def import_boundaries(
    store: Store, path: Path, mapping: dict[str, str] | None = None, crs: str | None = None, replace: bool = False
) -> BoundaryImport:
    """Normalize a boundary file into ``boundaries.parquet``.

    Replacing loaded boundaries must be asked for: it changes which commune measurements count in,
    so already ingested snapshots are re-assigned in the same transaction.
    """
    result = read_boundaries(path, mapping, crs)
    if store.has_boundaries() and not replace:
        raise UserError(
            f"{store.boundaries_path} exists; pass --replace to load other boundaries "
            "(stored measurements are then re-assigned to the new communes)"
        )
    with transaction(store) as tx:
        result.frame.to_parquet(
            tx.path_for("boundaries.parquet", overwrite=replace),
            index=False,
            compression="zstd",
            write_covering_bbox=False,
        )
        if replace:
            _reassign_snapshots(store, tx, result.frame)
    return result


def _reassign_snapshots(store: Store, tx, frame: gpd.GeoDataFrame) -> None:
    import pyarrow.parquet as pq

    from geo.assign import CommuneIndex
    from ingest.measurements import assign_communes, referral_lookup
    from store.schema import SNAPSHOT_SCHEMA

    index = CommuneIndex(frame["commune_code"].to_numpy(dtype=object), frame.geometry.values)
    referral = referral_lookup(store)
    for path in store.snapshot_files():
        table = pd.read_parquet(path)
        table["commune_code"], _, _ = assign_communes(table, index, referral)
        rel = str(path.relative_to(store.root))
        pq.write_table(_to_arrow(table, SNAPSHOT_SCHEMA), tx.path_for(rel, overwrite=True), compression="zstd")


def _to_arrow(table: pd.DataFrame, schema):
    import pyarrow as pa

    return pa.Table.from_pandas(table[[f.name for f in schema]], schema=schema, preserve_index=False)


def import_referral(store: Store, path: Path) -> ReferralImport:
    """Match a referral-code list to the store's communes and save it (replacing any earlier list)."""
    if not store.has_boundaries():
        raise UserError(f"{store.root}: load boundaries before the referral list")
    bounds = load_boundaries(store.boundaries_path)
    result = read_referral_list(Path(path), pd.DataFrame(bounds.drop(columns="geometry")))
    with transaction(store) as tx:
        result.table.to_parquet(tx.path_for("referral_codes.parquet", overwrite=True), index=False)
    return result
