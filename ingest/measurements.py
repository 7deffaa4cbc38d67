"""Ingest: raw files -> validated, de-duplicated, commune-assigned monthly snapshots.

All files of one call are written in one transaction: a refused file leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import UserError
from geo.assign import CommuneIndex
from geo.boundaries import load_boundaries
from ingest.normalize import normalize, referral_key
from ingest.readers import read_raw
from store.schema import CANONICAL_COLUMNS, SNAPSHOT_SCHEMA
from store.transaction import Store, Transaction, transaction

StageProgress = Callable[[str, float], None]


@dataclass
class IngestSummary:
    """What one input file contributed to the store."""

    source: str
    batch: str
    read: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicate: int = 0
    unassigned: int = 0
    assigned_by_location: int = 0
    assigned_by_referral: int = 0
    months: dict[str, int] = field(default_factory=dict)
    already_ingested: str | None = None
    rejects_file: str | None = None
    ingested_at: str = ""
    sha256: str = ""

    def line(self) -> str:
        """One line for the terminal."""
        text = (
            f"{Path(self.source).name}: read {self.read}, accepted {self.accepted}, rejected {self.rejected}, "
            f"duplicate {self.duplicate}, unassigned {self.unassigned}"
        )
        if self.already_ingested:
            text += f" (already ingested as batch {self.already_ingested}; nothing added)"
        return text


def ingest_files(store: Store, paths: list[Path], progress: StageProgress | None = None) -> list[IngestSummary]:
    """Ingest files into the store, all or nothing."""
    if not store.has_boundaries():
        raise UserError(f"{store.root}: no boundaries loaded yet; run 'python -m analytics boundaries FILE' first")
    index = _commune_index(store)
    referral = referral_lookup(store)
    known_hashes = {b.get("sha256"): b for b in store.batch_summaries()}
    seen_ids: set[str] = set()
    summaries = []
    with transaction(store) as tx:
        for path in paths:
            summary = _ingest_one(store, tx, Path(path), index, referral, known_hashes, seen_ids, progress)
            summaries.append(summary)
            if summary.sha256:
                known_hashes.setdefault(summary.sha256, asdict(summary))
    return summaries


def _ingest_one(
    store: Store,
    tx: Transaction,
    path: Path,
    index: CommuneIndex,
    referral: dict[str, str],
    known_hashes: dict[str, dict],
    seen_ids: set[str],
    progress: StageProgress | None,
) -> IngestSummary:
    sha = _sha256(path)
    batch = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + sha[:10]
    summary = IngestSummary(
        source=str(path), batch=batch, sha256=sha, ingested_at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    if sha in known_hashes:  # the very same file again: nothing to read, nothing to add
        earlier = known_hashes[sha]
        summary.already_ingested = earlier["batch"]
        summary.read = summary.duplicate = earlier["read"]
        return summary
    raw = read_raw(path, (lambda f: progress("read", f)) if progress else None)
    normalized = normalize(raw)
    summary.read = len(raw.frame) + len(raw.malformed)
    if progress:
        progress("validate", 1.0)

    accepted = normalized.accepted
    dup_mask = _duplicates(store, accepted["measurement_id"], seen_ids)
    duplicates = accepted[dup_mask]
    accepted = accepted[~dup_mask].reset_index(drop=True)
    seen_ids.update(accepted["measurement_id"])

    accepted["commune_code"], by_location, by_referral = assign_communes(accepted, index, referral)
    if progress:
        progress("assign", 1.0)
    summary.accepted = len(accepted)
    summary.rejected = len(normalized.rejected) + len(raw.malformed)
    summary.duplicate = len(duplicates)
    summary.assigned_by_location, summary.assigned_by_referral = by_location, by_referral
    summary.unassigned = int(accepted["commune_code"].isna().sum())

    _write_snapshots(tx, accepted, batch, summary)
    rejects = _rejects_table(raw, normalized.rejected, duplicates, path)
    if len(rejects):
        target = f"rejects/{batch}.csv"
        rejects.to_csv(tx.path_for(target), index=False, encoding="utf-8-sig")
        summary.rejects_file = target
    with open(tx.path_for(f"batches/{batch}.json"), "w", encoding="utf-8") as fh:
        json.dump(asdict(summary), fh, ensure_ascii=False, indent=1)
    if progress:
        progress("write", 1.0)
    return summary


def assign_communes(frame: pd.DataFrame, index: CommuneIndex, referral: dict[str, str]) -> tuple[np.ndarray, int, int]:
    """Rule 5.1: the polygon containing the point; else the referral code's commune; else None."""
    codes = index.locate(frame["lat"].to_numpy(), frame["lon"].to_numpy())
    by_location = int(pd.notna(codes).sum())
    missing = pd.isna(codes)
    if missing.any() and referral:
        keys = frame.loc[missing, "referral_code"].map(referral_key, na_action="ignore")
        fallback = keys.map(referral, na_action="ignore").to_numpy(dtype=object)
        codes[missing] = np.where(pd.isna(fallback), None, fallback)
    by_referral = int(pd.notna(codes).sum()) - by_location
    return codes, by_location, by_referral


def _duplicates(store: Store, ids: pd.Series, seen_ids: set[str]) -> np.ndarray:
    """Repeats within the file (first kept), of earlier files in this call, and of ids already stored."""
    mask = ids.duplicated(keep="first").to_numpy().copy()
    if seen_ids:
        mask |= ids.isin(seen_ids).to_numpy()
    files = store.snapshot_files()
    if files and len(ids):
        con = duckdb.connect()
        con.register("incoming", pa.table({"measurement_id": pa.array(ids.unique(), pa.string())}))
        file_list = [str(f) for f in files]
        stored = con.execute(
            "SELECT DISTINCT s.measurement_id FROM read_parquet(?) s SEMI JOIN incoming i USING (measurement_id)",
            [file_list],
        ).fetchnumpy()["measurement_id"]
        con.close()
        if len(stored):
            mask |= ids.isin(set(stored)).to_numpy()
    return mask


def _write_snapshots(tx: Transaction, accepted: pd.DataFrame, batch: str, summary: IngestSummary) -> None:
    if accepted.empty:
        return
    stamp = accepted["measured_at"].dt
    for key, part in accepted.groupby(stamp.year * 100 + stamp.month, sort=True):
        month = f"{key // 100:04d}-{key % 100:02d}"
        table = pa.Table.from_pandas(
            part[CANONICAL_COLUMNS].sort_values("measured_at"), schema=SNAPSHOT_SCHEMA, preserve_index=False
        )
        pq.write_table(table, tx.path_for(f"snapshots/month={month}/{batch}.parquet"), compression="zstd")
        summary.months[str(month)] = len(part)


def _rejects_table(raw, rejected: pd.DataFrame, duplicates: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Original values of every row not stored, with source file, line and reason."""
    parts = []
    if len(rejected):
        parts.append(rejected.assign(reason_code="rejected"))
    if raw.malformed:
        parts.append(
            pd.DataFrame(
                {
                    "line": [m[0] for m in raw.malformed],
                    "raw_text": [m[1] for m in raw.malformed],
                    "reason": [m[2] for m in raw.malformed],
                    "reason_code": "rejected",
                }
            )
        )
    if len(duplicates):
        original = raw.frame.iloc[0:0]
        line_to_pos = pd.Series(np.arange(len(raw.lines)), index=raw.lines.to_numpy())
        original = raw.frame.iloc[line_to_pos.loc[duplicates["line"].to_numpy()].to_numpy()].copy()
        original["line"] = duplicates["line"].to_numpy()
        original["reason"] = "duplicate measurement_id " + duplicates["measurement_id"].astype(str) + " (counted once)"
        original["reason_code"] = "duplicate"
        parts.append(original)
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True).sort_values("line", kind="stable")
    table.insert(0, "source_file", path.name)
    front = ["source_file", "line", "reason_code", "reason"]
    return table[front + [c for c in table.columns if c not in front]]


def _commune_index(store: Store) -> CommuneIndex:
    bounds = load_boundaries(store.boundaries_path)
    return CommuneIndex(bounds["commune_code"].to_numpy(dtype=object), bounds.geometry.values)


def referral_lookup(store: Store) -> dict[str, str]:
    """Matched referral key (see referral_key) -> commune_code, from the store's referral list (empty when none)."""
    if not store.referral_path.exists():
        return {}
    ref = pd.read_parquet(store.referral_path, columns=["referral_code", "commune_code"])
    ref = ref[ref["commune_code"].notna()]
    return {
        referral_key(code): commune for code, commune in zip(ref["referral_code"], ref["commune_code"], strict=True)
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
