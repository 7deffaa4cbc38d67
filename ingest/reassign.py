"""Placing stored measurements again (RULES §1) when what places them changes: new boundaries, a new referral list,
or a store written by an earlier version (the rebuild command). Runs inside the caller's transaction, so the new
placement is committed with the change that caused it, or not at all; tells what moved where.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import UserError
from core.formats import number
from core.i18n import Msg
from geo.assign import CommuneIndex
from geo.boundaries import load_boundaries
from ingest.assignment import assign, build_code_book
from ingest.derived import rebuild_derived
from ingest.history import earlier_sets
from store.audit import Actor, command_line_actor
from store.folder import FORMAT
from store.placement import BY_LOCATION, BY_REFERRAL
from store.schema import CANONICAL_COLUMNS, SNAPSHOT_SCHEMA
from store.transaction import Store, Transaction, transaction

_NONE = ""  # stands for "no commune" in the counts of moves


@dataclass
class Moves:
    """What placing the measurements again changed."""

    rows: int = 0
    changed: int = 0
    pairs: Counter = field(default_factory=Counter)  # (commune before, commune after) -> measurements
    names_before: dict[str, str] = field(default_factory=dict)
    names_after: dict[str, str] = field(default_factory=dict)

    @property
    def newly_unassigned(self) -> int:
        return sum(n for (_, after), n in self.pairs.items() if after == _NONE)

    @property
    def newly_assigned(self) -> int:
        return sum(n for (before, _), n in self.pairs.items() if before == _NONE)

    def lines(self, limit: int = 15) -> list[Msg]:
        """The largest moves, one message each ('1.234 số đo: Xã A → Phường B')."""
        out = []
        for (before, after), n in self.pairs.most_common(limit):
            out.append(
                Msg(
                    "moved_line",
                    n=n,
                    before=self._name(before, self.names_before),
                    after=self._name(after, self.names_after),
                )
            )
        return out

    def _name(self, code: str, names: dict[str, str]) -> str | Msg:
        return Msg("moved_nowhere") if code == _NONE else f"{names.get(code, '?')} ({code})"

    def facts(self) -> dict:
        """For the audit record."""
        return {
            "rows": self.rows,
            "changed": self.changed,
            "newly_unassigned": self.newly_unassigned,
            "newly_assigned": self.newly_assigned,
            "largest": [{"from": b or None, "to": a or None, "n": n} for (b, a), n in self.pairs.most_common(20)],
        }

    def summary(self, lang: str) -> str:
        return Msg(
            "moved_summary",
            rows=number(self.rows, 0, lang),
            changed=number(self.changed, 0, lang),
            lost=number(self.newly_unassigned, 0, lang),
            gained=number(self.newly_assigned, 0, lang),
        ).render(lang)


def reassign_store(
    store: Store,
    tx: Transaction,
    bounds: gpd.GeoDataFrame,
    *,
    referral: pd.DataFrame | None = None,
    earlier: list | None = None,
    relocate: bool = True,
    names_before: dict[str, str] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Moves:
    """Place every stored measurement again with ``bounds`` (today's communes), the referral ``referral`` table (by
    default the stored one) and the ``earlier`` boundary sets (by default the stored ones).

    ``relocate=False`` keeps the communes found by location (the boundaries did not change); measurements placed by
    their code or not at all are placed again. Batch summaries are brought up to date; the store is marked as written
    in the current format."""
    if referral is None and store.referral_path.exists():
        referral = pd.read_parquet(store.referral_path)
    sets = earlier_sets(store) if earlier is None else earlier
    book = build_code_book(referral, pd.DataFrame(bounds.drop(columns="geometry")), [(s.frame, s.today) for s in sets])
    index = CommuneIndex(bounds["commune_code"].to_numpy(dtype=object), bounds.geometry.values)
    names = dict(zip(bounds["commune_code"], bounds["commune_name"], strict=True))
    moves = Moves(names_before=names_before or names, names_after=names)
    per_batch: dict[str, Counter] = {}
    paths = store.snapshot_files()
    for i, path in enumerate(paths):
        if progress:
            progress(i / len(paths))
        table = pd.read_parquet(path)
        rewrite = _place(table, index, book, relocate or "assigned_by" not in table, moves)
        counts = per_batch.setdefault(path.stem, Counter())
        counts.update(table["assigned_by"].fillna("unassigned"))
        counts.update(("reason:" + r) for r in table["unassigned_reason"].dropna())
        if rewrite:
            arrow = pa.Table.from_pandas(table[CANONICAL_COLUMNS], schema=SNAPSHOT_SCHEMA, preserve_index=False)
            pq.write_table(arrow, tx.path_for(str(path.relative_to(store.root)), overwrite=True), compression="zstd")
    _update_batches(store, tx, per_batch)
    _mark_format(store, tx)
    return moves


def _place(table: pd.DataFrame, index: CommuneIndex, book, relocate: bool, moves: Moves) -> bool:
    """Place one file's measurements again; True when anything about them changed."""
    before = table["commune_code"].fillna(_NONE).to_numpy(dtype=object)
    old_by = table["assigned_by"].to_numpy(dtype=object) if "assigned_by" in table else None
    old_reason = table["unassigned_reason"].to_numpy(dtype=object) if "unassigned_reason" in table else None
    rows = np.arange(len(table)) if relocate else np.flatnonzero(old_by != BY_LOCATION)
    lat = table["lat"].to_numpy(dtype="float64")[rows]
    lon = table["lon"].to_numpy(dtype="float64")[rows]
    result = assign(lat, lon, table["referral_code"].iloc[rows].reset_index(drop=True), index, book)
    commune = table["commune_code"].to_numpy(dtype=object).copy()
    by = old_by.copy() if old_by is not None else np.full(len(table), None, dtype=object)
    reason = old_reason.copy() if old_reason is not None else np.full(len(table), None, dtype=object)
    commune[rows], by[rows], reason[rows] = result.commune_code, result.assigned_by, result.unassigned_reason
    table["commune_code"], table["assigned_by"], table["unassigned_reason"] = commune, by, reason
    after = pd.Series(commune, dtype=object).fillna(_NONE).to_numpy(dtype=object)
    # A reform reuses codes for other communes: a measurement moved when its commune's code or name changed.
    differs = (before != after) | (_named(before, moves.names_before) != _named(after, moves.names_after))
    moves.rows += len(table)
    moves.changed += int(differs.sum())
    moves.pairs.update(zip(before[differs], after[differs], strict=True))
    same_by = old_by is not None and _equal(old_by, by)
    same_reason = old_reason is not None and _equal(old_reason, reason)
    return bool(differs.any()) or not same_by or not same_reason


def _named(codes: np.ndarray, names: dict[str, str]) -> np.ndarray:
    return pd.Series(codes, dtype=object).map(lambda c: names.get(c, c)).to_numpy(dtype=object)


def _equal(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(
        (
            pd.Series(a, dtype=object).fillna(_NONE).to_numpy() == pd.Series(b, dtype=object).fillna(_NONE).to_numpy()
        ).all()
    )


def _update_batches(store: Store, tx: Transaction, per_batch: dict[str, Counter]) -> None:
    """Each batch summary's counts of placed and unplaced measurements, as they now are."""
    for batch, counts in per_batch.items():
        path = store.batches_dir / f"{batch}.json"
        if not path.exists():
            continue
        summary = json.loads(path.read_text(encoding="utf-8"))
        new = {
            "assigned_by_location": counts.get(BY_LOCATION, 0),
            "assigned_by_referral": counts.get(BY_REFERRAL, 0),
            "unassigned": counts.get("unassigned", 0),
            "unassigned_reasons": {
                k.removeprefix("reason:"): v for k, v in sorted(counts.items()) if k.startswith("reason:")
            },
        }
        if all(summary.get(k) == v for k, v in new.items()):
            continue
        summary.update(new)
        with open(tx.path_for(str(path.relative_to(store.root)), overwrite=True), "w", encoding="utf-8") as fh:
            json.dump(summary, fh, ensure_ascii=False, indent=1)


def _mark_format(store: Store, tx: Transaction) -> None:
    """Every snapshot now has the current columns: store.json says so."""
    manifest = store.manifest()
    if manifest.get("format") == FORMAT or not store.manifest_path.exists():  # a missing one: the commit writes it
        return
    manifest["format"] = FORMAT
    with open(tx.path_for("store.json", overwrite=True), "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, ensure_ascii=False)


def rebuild(
    store: Store,
    *,
    actor: Actor | None = None,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
    progress: Callable[[float], None] | None = None,
) -> Moves:
    """Place every stored measurement again with the boundaries and referral list in force, and rewrite every
    derived file (after an upgrade, or to check that the store agrees with its own rules). ``progress`` gets the
    fraction done: placing is the first half, deriving the second."""
    with transaction(store, "rebuild", actor or command_line_actor(), wait=wait, on_wait=on_wait) as tx:
        if not store.has_boundaries():
            raise UserError("err_ingest_needs_boundaries", store=str(store.root))
        half = (lambda f: progress(f / 2)) if progress else None
        moves = reassign_store(store, tx, load_boundaries(store.boundaries_path), progress=half)
        rebuild_derived(store, tx, (lambda f: progress(0.5 + f / 2)) if progress else None)
        tx.details["reassigned"] = moves.facts()
    return moves
