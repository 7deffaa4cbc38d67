"""Ingest: raw files -> validated, de-duplicated, commune-assigned monthly snapshots.

All files of one call are written in one transaction: a refused file leaves the store as it was.
"""

from __future__ import annotations

import hashlib
import json
import secrets
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
from core.files import check_input_file
from core.i18n import Msg, MsgList, Told, t
from core.spreadsheet import write_csv
from geo.assign import CommuneIndex
from geo.boundaries import load_boundaries
from ingest.assignment import CodeBook, assign, build_code_book
from ingest.history import earlier_sets
from ingest.normalize import Normalized, map_columns, normalize
from ingest.readers import RawTable, read_raw
from ingest.vocab import MEASUREMENT_HEADER
from store.audit import Actor, command_line_actor
from store.placement import BY_LOCATION, BY_REFERRAL
from store.schema import CANONICAL_COLUMNS, SNAPSHOT_SCHEMA, TIMEZONE
from store.transaction import Store, Transaction, transaction

StageProgress = Callable[[str, float], None]
DEVICE_SALT = "device_salt"  # store-relative: the salt of device identifiers' hashes
PROBE_ROWS = 5_000  # read first, to refuse a wrong file before reading all of it
MAX_REJECTED_SHARE = 0.5  # a file with more rejected rows than this is refused whole
MAX_REJECTS_LISTED = 100_000  # rows written to a rejects file; the rest are counted


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
    unassigned_reasons: dict[str, int] = field(default_factory=dict)  # unassigned measurements per reason
    months: dict[str, int] = field(default_factory=dict)
    already_ingested: str | None = None
    rejects_file: str | None = None
    ingested_at: str = ""
    sha256: str = ""

    reasons: dict[str, int] = field(default_factory=dict)  # rejected rows per reason code
    notes: list[dict] = field(default_factory=list)  # what the reader skipped or chose (title rows, sheets)


def ingest_files(
    store: Store,
    paths: list[Path],
    progress: StageProgress | None = None,
    *,
    actor: Actor | None = None,
    names: list[str] | None = None,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> list[IngestSummary]:
    """Ingest files into the store, all or nothing, under the writer lock (so two loads never interleave and a
    file loaded twice at the same time is counted once).

    ``names`` are the files' names as the user knows them (an upload's own name); ``actor`` who loads them."""
    paths = [Path(p) for p in paths]
    names = names or [str(p) for p in paths]
    with transaction(store, "ingest", actor or command_line_actor(), wait=wait, on_wait=on_wait) as tx:
        if not store.has_boundaries():
            raise UserError("err_ingest_needs_boundaries", store=str(store.root))
        index, referral = _commune_index(store), code_book(store)
        salt = device_salt(store, tx)
        known_hashes = {b.get("sha256"): b for b in store.batch_summaries()}
        seen_ids: set[str] = set()
        summaries = []
        for i, (path, name) in enumerate(zip(paths, names, strict=True)):
            if progress:
                progress("files", i / len(paths))
            summary = _ingest_one(store, tx, path, name, index, referral, known_hashes, seen_ids, progress, salt)
            summaries.append(summary)
            if summary.sha256:
                known_hashes.setdefault(summary.sha256, asdict(summary))
        tx.details["files"] = [_audit_facts(s) for s in summaries]
    if progress:
        progress("files", 1.0)
    return summaries


def _audit_facts(s: IngestSummary) -> dict:
    return {
        "name": Path(s.source).name,
        "sha256": s.sha256,
        "batch": None if s.already_ingested else s.batch,
        "already_ingested": s.already_ingested,
        "read": s.read,
        "accepted": s.accepted,
        "rejected": s.rejected,
        "duplicate": s.duplicate,
        "months": s.months,
    }


def _ingest_one(
    store: Store,
    tx: Transaction,
    path: Path,
    name: str,
    index: CommuneIndex,
    referral: CodeBook,
    known_hashes: dict[str, dict],
    seen_ids: set[str],
    progress: StageProgress | None,
    salt: bytes,
) -> IngestSummary:
    path = check_input_file(path)  # before hashing it: a folder, a pipe or a missing path is refused clearly
    sha = _sha256(path)
    batch = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + sha[:10]
    summary = IngestSummary(
        source=name, batch=batch, sha256=sha, ingested_at=datetime.now(UTC).isoformat(timespec="seconds")
    )
    if sha in known_hashes:  # the very same file again: nothing to read, nothing to add
        earlier = known_hashes[sha]
        summary.already_ingested = earlier["batch"]
        summary.read = summary.duplicate = earlier["read"]
        return summary
    now = pd.Timestamp.now(tz=TIMEZONE)
    read_progress = (lambda f: progress("read", f)) if progress else None
    raw = read_raw(path, MEASUREMENT_HEADER, read_progress, limit=PROBE_ROWS)
    normalized = normalize(raw, now, salt)
    _refuse_if_mostly_rejected(name, raw, normalized)
    if raw.partial or len(raw.frame) + len(raw.malformed) >= PROBE_ROWS:  # the first rows look right: read it all
        raw = read_raw(path, MEASUREMENT_HEADER, read_progress)
        normalized = normalize(raw, now, salt)
        _refuse_if_mostly_rejected(name, raw, normalized)
    summary.read = len(raw.frame) + len(raw.malformed)
    summary.notes = [{"key": n.key, **{k: str(v) for k, v in n.values.items()}} for n in raw.notes]
    if progress:
        progress("validate", 1.0)

    accepted = normalized.accepted
    dup_mask = _duplicates(store, accepted["measurement_id"], seen_ids)
    duplicates = accepted[dup_mask]
    accepted = accepted[~dup_mask].reset_index(drop=True)
    seen_ids.update(accepted["measurement_id"])

    placed = assign(accepted["lat"].to_numpy(), accepted["lon"].to_numpy(), accepted["referral_code"], index, referral)
    accepted["commune_code"], accepted["assigned_by"] = placed.commune_code, placed.assigned_by
    accepted["unassigned_reason"] = placed.unassigned_reason
    if progress:
        progress("assign", 1.0)
    summary.accepted = len(accepted)
    summary.rejected = len(normalized.rejected) + len(raw.malformed)
    summary.duplicate = len(duplicates)
    summary.assigned_by_location, summary.assigned_by_referral = placed.count(BY_LOCATION), placed.count(BY_REFERRAL)
    summary.unassigned = placed.unassigned
    summary.unassigned_reasons = accepted["unassigned_reason"].value_counts().sort_index().to_dict()
    summary.reasons = _reason_counts(raw, normalized.rejected)

    _write_snapshots(tx, accepted, batch, summary)
    rejects = _rejects_table(raw, normalized.rejected, duplicates, name, map_columns(raw).get("device_id"))
    if len(rejects):
        target = f"rejects/{batch}.csv"
        write_csv(_capped(rejects), tx.path_for(target))
        summary.rejects_file = target
    with open(tx.path_for(f"batches/{batch}.json"), "w", encoding="utf-8") as fh:
        json.dump(asdict(summary), fh, ensure_ascii=False, indent=1)
    if progress:
        progress("write", 1.0)
    return summary


def _reason_counts(raw: RawTable, rejected: pd.DataFrame) -> dict[str, int]:
    """How many rows each reason rejected (a row with two reasons counts under both)."""
    counts: dict[str, int] = {}
    for codes in rejected.get("reason_code", pd.Series(dtype=object)):
        for code in str(codes).split("; "):
            counts[code] = counts.get(code, 0) + 1
    if raw.malformed:
        counts["row_fields"] = len(raw.malformed)
    return counts


def _refuse_if_mostly_rejected(name: str, raw: RawTable, normalized: Normalized) -> None:
    """A file whose rows are mostly rejected is the wrong file, or a broken one: refuse it whole, with the most
    common reasons, rather than fill the store with rejects."""
    read = len(raw.frame) + len(raw.malformed)
    rejected = len(normalized.rejected) + len(raw.malformed)
    if read == 0 or rejected <= MAX_REJECTED_SHARE * read:
        return
    reasons: dict[str, list] = {}
    for codes, text_vi, text_en, line in zip(
        normalized.rejected["reason_code"],
        normalized.rejected["reason"],
        normalized.rejected["reason_en"],
        normalized.rejected["line"],
        strict=True,
    ):
        entry = reasons.setdefault(codes, [0, text_vi, text_en, line])
        entry[0] += 1
    for line, _text, reason in raw.malformed:
        entry = reasons.setdefault("row_fields", [0, reason, reason, line])
        entry[0] += 1
    top = sorted(reasons.values(), key=lambda e: -e[0])[:3]
    sample = MsgList(
        [
            Msg("reason_sample", count=count, reason=Told(_told(vi, "vi"), _told(en, "en")), line=line)
            for count, vi, en, line in top
        ],
        sep="; ",
    )
    raise UserError("err_input_mostly_rejected", file=name, rejected=rejected, read=read, sample=sample)


def _told(reason: object, lang: str) -> str:
    return reason.render(lang) if isinstance(reason, Msg) else str(reason)


def _capped(rejects: pd.DataFrame) -> pd.DataFrame:
    """At most MAX_REJECTS_LISTED rows in the rejects file, and a last row that says how many more there were."""
    if len(rejects) <= MAX_REJECTS_LISTED:
        return rejects
    more = len(rejects) - MAX_REJECTS_LISTED
    tail = {c: None for c in rejects.columns}
    tail.update(
        {
            "source_file": rejects["source_file"].iloc[0],
            "reason_code": "truncated",
            "reason": t("reason_truncated", "vi", n=more),
            "reason_en": t("reason_truncated", "en", n=more),
        }
    )
    return pd.concat([rejects.head(MAX_REJECTS_LISTED), pd.DataFrame([tail])], ignore_index=True)


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


def _rejects_table(
    raw: RawTable, rejected: pd.DataFrame, duplicates: pd.DataFrame, name: str, device_column: str | None
) -> pd.DataFrame:
    """Original values of every row not stored, with source file, line and reason (Vietnamese and English); a device
    identifier only as its salted hash, and a row too broken to split not at all when the file carries one."""
    parts = []
    if len(rejected):
        parts.append(rejected)
    if raw.malformed:
        parts.append(
            pd.DataFrame(
                {
                    "line": [m[0] for m in raw.malformed],
                    "raw_text": [None if device_column else m[1] for m in raw.malformed],
                    "reason_code": "row_fields",
                    "reason": [_told(m[2], "vi") for m in raw.malformed],
                    "reason_en": [_told(m[2], "en") for m in raw.malformed],
                }
            )
        )
    if len(duplicates):
        original = raw.frame.iloc[duplicates["row"].to_numpy()].copy()
        original["line"] = duplicates["line"].to_numpy()
        if device_column:
            original[device_column] = duplicates["device_hash"].to_numpy()
        if raw.sheets is not None:
            original["sheet"] = raw.sheets.to_numpy()[duplicates["row"].to_numpy()]
        ids = duplicates["measurement_id"].astype(str).to_numpy()
        original["reason_code"] = "duplicate"
        original["reason"] = [t("reason_duplicate", "vi", id=i) for i in ids]
        original["reason_en"] = [t("reason_duplicate", "en", id=i) for i in ids]
        parts.append(original)
    if not parts:
        return pd.DataFrame()
    table = pd.concat(parts, ignore_index=True).sort_values("line", kind="stable")
    table.insert(0, "source_file", Path(name).name)
    front = ["source_file", *(["sheet"] if "sheet" in table else []), "line", "reason_code", "reason", "reason_en"]
    return table[front + [c for c in table.columns if c not in front]]


def device_salt(store: Store, tx: Transaction) -> bytes:
    """The store's secret salt for device identifiers (RULES §20), made on the first load: the same phone has the
    same hash in every file of one store, and a hash cannot be matched against a list of identifiers without it.
    It stays in the store; no export contains it."""
    path = store.root / DEVICE_SALT
    if path.exists():
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    salt = secrets.token_bytes(32)
    tx.path_for(DEVICE_SALT).write_text(salt.hex(), encoding="ascii")
    return salt


def _commune_index(store: Store) -> CommuneIndex:
    bounds = load_boundaries(store.boundaries_path)
    return CommuneIndex(bounds["commune_code"].to_numpy(dtype=object), bounds.geometry.values)


def code_book(store: Store) -> CodeBook:
    """What the store's referral list and boundary sets say about referral codes (ingest.assignment)."""
    referral = pd.read_parquet(store.referral_path) if store.referral_path.exists() else None
    bounds = pd.read_parquet(store.boundaries_path, columns=["province_code", "district_code", "commune_code"])
    return build_code_book(referral, bounds, [(s.frame, s.today) for s in earlier_sets(store)])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def delete_batch(
    store: Store,
    batch: str,
    *,
    actor: Actor | None = None,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> dict:
    """Remove one ingested file's measurements, rejects and summary (all or nothing); what was removed.

    The file can then be loaded again (a corrected version, or the same one)."""
    with transaction(store, "delete", actor or command_line_actor(), wait=wait, on_wait=on_wait) as tx:
        summary_path = store.batches_dir / f"{batch}.json"
        if not summary_path.exists():
            raise UserError("err_no_such_batch", batch=batch)
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        removed = {}
        for path in store.snapshot_files():
            if path.stem == batch:
                removed[path.parent.name.removeprefix("month=")] = pq.ParquetFile(path).metadata.num_rows
                tx.delete(str(path.relative_to(store.root)))
        if summary.get("rejects_file"):
            tx.delete(summary["rejects_file"])
        tx.delete(str(summary_path.relative_to(store.root)))
        tx.details.update(
            {
                "file": {"name": Path(summary["source"]).name, "sha256": summary.get("sha256")},
                "batch": batch,
                "removed_rows": removed,
            }
        )
    return removed
