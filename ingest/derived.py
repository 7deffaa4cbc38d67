"""Derived data (docs/DATA.md): the per-month rollups and the display geometry of the boundaries in force.

Both are written by the transaction that changes what they derive from (snapshots: store.transaction does it for
every commit; boundaries: import_boundaries calls :func:`stage_display`), can be rebuilt from the snapshots and
boundaries alone (:func:`rebuild_derived`, the ``rebuild`` command), and are brought up to date when a store opens
without them (:func:`ensure_derived`: a store written by the previous version opens without manual steps).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import UserError
from geo.boundaries import load_boundaries
from geo.cells import commune_cells
from geo.mapgeom import DisplayLayers, display_layers, layers_signature, read_layers, write_layers
from store import rollups
from store.audit import SYSTEM, Actor
from store.folder import FORMAT, Store
from store.transaction import Transaction, transaction

DISPLAY = f"{rollups.ROLLUPS}/display"
_DISPLAY_FILES = {
    "communes": f"{DISPLAY}/communes.parquet",
    "outlines": f"{DISPLAY}/outlines.parquet",
    "cells": rollups.CELLS,
}
_DISPLAY_SOURCES = f"{DISPLAY}/{rollups.SOURCES}"
Progress = Callable[[float], None]


def stage_display(tx: Transaction, bounds: gpd.GeoDataFrame, boundaries_file: Path) -> None:
    """Write the display geometry of ``bounds`` (read from ``boundaries_file``) and the communes' cells in the
    transaction."""
    layers = display_layers(bounds)
    cells = commune_cells(bounds)
    pq.write_table(
        pa.Table.from_pandas(cells, preserve_index=False),
        tx.path_for(rollups.CELLS, overwrite=True),
        compression="zstd",
    )
    write_layers(
        layers,
        tx.path_for(_DISPLAY_FILES["communes"], overwrite=True),
        tx.path_for(_DISPLAY_FILES["outlines"], overwrite=True),
    )
    signature = layers_signature(boundaries_file) | {"file": _file_stamp(boundaries_file)}
    tx.path_for(_DISPLAY_SOURCES, overwrite=True).write_text(json.dumps(signature), encoding="utf-8")


def display_is_current(store: Store) -> bool:
    """Whether the kept display geometry was built from today's boundary file with today's levels of detail (the
    file is hashed only when its size or time of writing differ from those recorded)."""
    if not store.has_boundaries():
        return True  # nothing to draw yet
    paths = [store.root / p for p in (*_DISPLAY_FILES.values(), _DISPLAY_SOURCES)]
    if not all(p.exists() for p in paths):
        return False
    try:
        recorded = json.loads(paths[-1].read_text(encoding="utf-8"))
        if recorded.pop("file", None) == _file_stamp(store.boundaries_path):  # the same file: the same content
            return recorded | {"boundaries_sha256": None} == layers_signature(None)
        return recorded == layers_signature(store.boundaries_path)
    except (OSError, ValueError):
        return False


def _file_stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def read_display(store: Store) -> DisplayLayers:
    return read_layers(store.root / _DISPLAY_FILES["communes"], store.root / _DISPLAY_FILES["outlines"])


def all_current(store: Store) -> bool:
    """Whether every derived file is there and up to date (cheap: names, sizes and times of files)."""
    return not rollups.stale_months(store) and display_is_current(store)


def check_format(store: Store) -> None:
    """Snapshots of an earlier format lack what the rollups are made of: only ``rebuild`` can bring them up."""
    if store.format < FORMAT and store.snapshot_files():
        raise UserError("err_store_needs_rebuild", store=str(store.root), found=store.format, wanted=FORMAT)


def ensure_derived(
    store: Store,
    progress: Progress | None = None,
    *,
    actor: Actor = SYSTEM,
    wait: float = 600.0,
    on_wait: Callable[[dict], None] | None = None,
) -> bool:
    """Derive whatever is missing or out of date, in one transaction; True if anything was written. Waits for a
    writer at work (its commit brings its own derived files), then looks again."""
    check_format(store)
    if all_current(store):
        return False
    with transaction(store, "derive", actor, wait=wait, on_wait=on_wait) as tx:
        months = rollups.stale_months(store)  # again, under the lock: another process may have done it
        display = not display_is_current(store)
        _derive(store, tx, months, display, progress)
        tx.details["months"] = months
    return bool(months or display)


def rebuild_derived(store: Store, tx: Transaction, progress: Progress | None = None) -> None:
    """Every derived file again, from the snapshots (as this transaction leaves them) and the boundaries."""
    months = sorted(set(store.months()) | set(tx.months_written()) | set(rollups.rollup_months(store.root)))
    _derive(store, tx, months, store.has_boundaries(), progress)


def _derive(store: Store, tx: Transaction, months: list[str], display: bool, progress: Progress | None) -> None:
    steps = len(months) + (2 if display else 0)  # the geometry weighs about two months
    for i, month in enumerate(months):
        tx.derive([month])
        if progress:
            progress((i + 1) / steps)
    if display:
        stage_display(tx, load_boundaries(store.boundaries_path), store.boundaries_path)
        if progress:
            progress(1.0)
