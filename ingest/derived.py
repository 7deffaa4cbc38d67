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

from geo.boundaries import load_boundaries
from geo.mapgeom import DisplayLayers, display_layers, layers_signature, read_layers, write_layers
from store import rollups
from store.audit import SYSTEM, Actor
from store.folder import Store
from store.transaction import Transaction, transaction

DISPLAY = f"{rollups.ROLLUPS}/display"
_DISPLAY_FILES = {"communes": f"{DISPLAY}/communes.parquet", "outlines": f"{DISPLAY}/outlines.parquet"}
_DISPLAY_SOURCES = f"{DISPLAY}/{rollups.SOURCES}"
Progress = Callable[[float], None]


def stage_display(tx: Transaction, bounds: gpd.GeoDataFrame, boundaries_file: Path) -> None:
    """Write the display geometry of ``bounds`` (read from ``boundaries_file``) in the transaction."""
    layers = display_layers(bounds)
    write_layers(
        layers,
        tx.path_for(_DISPLAY_FILES["communes"], overwrite=True),
        tx.path_for(_DISPLAY_FILES["outlines"], overwrite=True),
    )
    tx.path_for(_DISPLAY_SOURCES, overwrite=True).write_text(layers_signature(boundaries_file), encoding="utf-8")


def display_is_current(store: Store) -> bool:
    """Whether the kept display geometry was built from today's boundary file with today's levels of detail."""
    if not store.has_boundaries():
        return True  # nothing to draw yet
    paths = [store.root / p for p in (*_DISPLAY_FILES.values(), _DISPLAY_SOURCES)]
    if not all(p.exists() for p in paths):
        return False
    try:
        return json.loads(paths[-1].read_text(encoding="utf-8")) == json.loads(layers_signature(store.boundaries_path))
    except (OSError, ValueError):
        return False


def read_display(store: Store) -> DisplayLayers:
    return read_layers(store.root / _DISPLAY_FILES["communes"], store.root / _DISPLAY_FILES["outlines"])


def is_current(store: Store) -> bool:
    """Whether every derived file is there and up to date (cheap: file names, sizes and one hash)."""
    return not rollups.stale_months(store) and display_is_current(store)


def ensure_derived(
    store: Store, progress: Progress | None = None, *, actor: Actor = SYSTEM, wait: float = 600.0
) -> bool:
    """Derive whatever is missing or out of date, in one transaction; True if anything was written. Waits for a
    writer at work (its commit brings its own derived files), then looks again."""
    if is_current(store):
        return False
    with transaction(store, "derive", actor, wait=wait) as tx:
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
