"""The store folder (docs/DATA.md): where each file lives, and the version readers key their caches on.

```
STORE/
  boundaries.parquet, referral_codes.parquet, snapshots/month=YYYY-MM/<batch>.parquet, rejects/<batch>.csv
  boundary_history/        versions.json (every boundary set loaded, the one in force last) and the earlier sets,
                           each with its lineage to today's communes (<id>.parquet, <id>-lineage.parquet)
  batches/<batch>.json     what each ingested file contributed (derived; the Data page lists it)
  audit/<time>-<tx>.json   one record per change: who, when, which file (name, SHA-256), what it added or replaced
  rollups/                 derived per-month files the dashboard reads, and the maps' geometry (store.rollups)
  VERSION                  {"version": n, "state": "ready" | "applying", "tx": id}: bumped by every commit
  store.json               what the store is (the demo says so) and when it was made
  .write.lock              held by the one writer (its description inside); .staging/ holds writes in progress
```
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
FORMAT = 3  # 3: snapshots say how each measurement was placed (assigned_by, unassigned_reason)


class StoreChanged(RuntimeError):
    """A commit landed while figures were being read: read again from the new version (never mix two)."""


@dataclass(frozen=True)
class Version:
    """The store's commit counter; ``applying`` while a commit's files are being moved into place."""

    number: int
    applying: bool = False
    tx: str | None = None


@dataclass(frozen=True)
class Store:
    """Paths of one store folder, and cheap questions about what it holds."""

    root: Path

    @property
    def boundaries_path(self) -> Path:
        return self.root / "boundaries.parquet"

    @property
    def referral_path(self) -> Path:
        return self.root / "referral_codes.parquet"

    @property
    def boundary_history_dir(self) -> Path:
        """Earlier boundary sets (a reform keeps the old communes, so old codes and names can still be traced)."""
        return self.root / "boundary_history"

    @property
    def boundary_versions_path(self) -> Path:
        return self.boundary_history_dir / "versions.json"

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
    def audit_dir(self) -> Path:
        return self.root / "audit"

    @property
    def staging_dir(self) -> Path:
        return self.root / ".staging"

    @property
    def version_path(self) -> Path:
        return self.root / "VERSION"

    @property
    def manifest_path(self) -> Path:
        return self.root / "store.json"

    @property
    def write_lock_path(self) -> Path:
        return self.root / ".write.lock"

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
        out = []
        for p in sorted(self.batches_dir.glob("*.json")):
            try:
                out.append(json.loads(p.read_text(encoding="utf-8")))
            except FileNotFoundError:  # removed by a deletion committing now (read_consistently reads again)
                continue
        return sorted(out, key=lambda b: b.get("ingested_at", ""))

    def version(self) -> Version:
        """The commit counter (0 for a store written before versions existed)."""
        try:
            data = json.loads(self.version_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Version(0)
        except (OSError, ValueError):  # torn by hand: treat as a store being changed
            return Version(-1, applying=True)
        return Version(int(data.get("version", 0)), data.get("state") == "applying", data.get("tx"))

    def manifest(self) -> dict:
        """store.json, or {} when the store has none (made before it existed, or by hand)."""
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def boundary_versions(self) -> list[dict]:
        """Every boundary set loaded, oldest first, the one in force last ([] before versions were recorded)."""
        try:
            return json.loads(self.boundary_versions_path.read_text(encoding="utf-8"))["versions"]
        except (OSError, ValueError, KeyError):
            return []

    @property
    def format(self) -> int:
        """The layout the store was written in (2 for stores made before the manifest said so)."""
        return int(self.manifest().get("format", 2))

    @property
    def is_demo(self) -> bool:
        return self.manifest().get("kind") == "demo"


def write_json_atomic(path: Path, data: dict) -> None:
    """Write, flush to disk, then rename over the target: a reader sees the old file or the new one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
