"""The store folder (CONTRACTS section 1) and its all-or-nothing writes.

Writes go through :class:`Transaction`: files are written to ``.staging/<id>/`` first, a
``COMMITTED`` marker is written atomically when everything is ready, then files are renamed into
place. A crash before the marker leaves the store as it was (the staging folder is discarded on the
next open); a crash after it is completed on the next open. Existing files are never overwritten
unless the caller says so explicitly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.errors import UserError

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_COMMIT_MARKER = "COMMITTED"
_PLAN_FILE = "plan.json"


def default_store_path() -> Path:
    """ISPEED_STORE if set, else the embedded demo store inside the repo."""
    env = os.environ.get("ISPEED_STORE")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data" / "demo-store"


@dataclass(frozen=True)
class Store:
    """Paths of one store folder."""

    root: Path

    @property
    def boundaries_path(self) -> Path:
        return self.root / "boundaries.parquet"

    @property
    def referral_path(self) -> Path:
        return self.root / "referral_codes.parquet"

    @property
    def snapshots_dir(self) -> Path:
        return self.root / "snapshots"

    @property
    def rejects_dir(self) -> Path:
        return self.root / "rejects"

    @property
    def batches_dir(self) -> Path:
        """Derived: one JSON summary per ingested batch (what the Data page lists)."""
        return self.root / "batches"

    @property
    def staging_dir(self) -> Path:
        return self.root / ".staging"

    def month_dir(self, month: str) -> Path:
        return self.snapshots_dir / f"month={month}"

    def has_boundaries(self) -> bool:
        return self.boundaries_path.exists()

    def months(self) -> list[str]:
        """Months with at least one snapshot file, oldest first."""
        if not self.snapshots_dir.exists():
            return []
        found = []
        for d in self.snapshots_dir.iterdir():
            month = d.name.removeprefix("month=")
            if d.is_dir() and MONTH_RE.match(month) and any(d.glob("*.parquet")):
                found.append(month)
        return sorted(found)

    def snapshot_files(self, months: list[str] | None = None) -> list[Path]:
        wanted = self.months() if months is None else months
        return sorted(p for m in wanted for p in self.month_dir(m).glob("*.parquet"))

    def batch_summaries(self) -> list[dict]:
        if not self.batches_dir.exists():
            return []
        out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.batches_dir.glob("*.json"))]
        return sorted(out, key=lambda b: b.get("ingested_at", ""))


def open_store(root: str | Path, create: bool = False) -> Store:
    """Open a store folder, finishing or discarding any interrupted transaction."""
    store = Store(Path(root))
    if not store.root.exists():
        if not create:
            raise UserError(f"store folder {store.root} does not exist")
        store.root.mkdir(parents=True)
    recover(store)
    return store


def recover(store: Store) -> None:
    """Complete committed transactions and discard uncommitted ones."""
    if not store.staging_dir.exists():
        return
    for tx_dir in sorted(store.staging_dir.iterdir()):
        if (tx_dir / _COMMIT_MARKER).exists():
            _apply(store, tx_dir)
        shutil.rmtree(tx_dir, ignore_errors=True)


def _apply(store: Store, tx_dir: Path) -> None:
    plan = json.loads((tx_dir / _PLAN_FILE).read_text(encoding="utf-8"))
    for item in plan["files"]:
        staged, target = tx_dir / item["staged"], store.root / item["target"]
        if staged.exists():  # absent when a previous recovery already moved it
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
    for rel in plan.get("delete", []):
        (store.root / rel).unlink(missing_ok=True)


class Transaction:
    """Collects files to add to the store; nothing is visible until commit."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.dir = store.staging_dir / self.id
        self.dir.mkdir(parents=True)
        self._files: list[dict] = []
        self._delete: list[str] = []

    def path_for(self, target: str, overwrite: bool = False) -> Path:
        """A staging path to write; it will become ``store/target`` on commit."""
        if (self.store.root / target).exists() and not overwrite:
            raise UserError(f"{self.store.root / target} already exists; refusing to overwrite it")
        staged = f"f{len(self._files):05d}_{Path(target).name}"
        self._files.append({"staged": staged, "target": target})
        return self.dir / staged

    def delete(self, target: str) -> None:
        """Remove ``store/target`` on commit (used when a file is rewritten under a new name)."""
        self._delete.append(target)

    def commit(self) -> None:
        plan_tmp = self.dir / (_PLAN_FILE + ".tmp")
        plan_tmp.write_text(json.dumps({"files": self._files, "delete": self._delete}), encoding="utf-8")
        _fsync(plan_tmp)
        os.replace(plan_tmp, self.dir / _PLAN_FILE)
        marker_tmp = self.dir / (_COMMIT_MARKER + ".tmp")
        marker_tmp.write_text(self.id, encoding="utf-8")
        _fsync(marker_tmp)
        os.replace(marker_tmp, self.dir / _COMMIT_MARKER)
        _apply(self.store, self.dir)
        shutil.rmtree(self.dir, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


@contextmanager
def transaction(store: Store) -> Iterator[Transaction]:
    """All-or-nothing: commits when the block finishes, discards everything if it raises."""
    tx = Transaction(store)
    try:
        yield tx
    except BaseException:
        tx.abort()
        raise
    tx.commit()


def _fsync(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())
