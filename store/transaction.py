"""All-or-nothing writes, one writer at a time, and readers that never see half a write.

A write happens in a :func:`transaction`, which holds the writer lock (store.locks) from start to end:

1. files are written to ``.staging/<tx>/``; nothing is visible yet;
2. the staged files are flushed to disk, then ``plan.json`` then a ``COMMITTED`` marker are written and flushed:
   this is the commit point (a failure before it discards the staging folder);
3. ``VERSION`` says "applying" (naming the transaction), the files are renamed into place, then ``VERSION`` is
   bumped to the next number, still naming it (so a repeat after a kill counts the commit once);
4. the staging folder is renamed ``<tx>.done`` and removed.

A kill before 2 leaves the store as it was; a kill at any point after it is completed by the next command. Only a
process that holds the writer lock ever completes or discards staged work, so opening the store to read never
touches a write in progress. Readers use :func:`read_consistently`: they read between two equal, settled
versions, so a commit that lands while they read makes them read again rather than mix two states.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from core.errors import UserError
from store import rollups
from store.audit import Actor
from store.folder import FORMAT, MONTH_RE, Store, Version, fsync_dir, write_json_atomic
from store.locks import holds_writer, release_lock, still_holds, try_writer_lock, writer_key, writer_lock

_COMMIT_MARKER = "COMMITTED"
_PLAN_FILE = "plan.json"
_DONE = ".done"
T = TypeVar("T")
# Transactions of this process in progress: staging folder name -> the writer-lock claim of the thread writing it.
_active: dict[str, tuple[str, int]] = {}


def open_store(root: str | Path, create: bool = False) -> Store:
    """Open a store folder. Leftovers of a killed writer are completed or discarded, but only when no writer
    holds the store: a write in progress is never touched."""
    store = Store(Path(root))
    if not store.root.exists():
        if not create:
            raise UserError("err_store_missing", store=str(store.root))
        try:
            store.root.mkdir(parents=True)
            store.write_lock_path.touch()  # exists from the start: a refused first write changes no file
        except OSError as exc:
            raise UserError("err_store_not_writable", store=str(store.root), reason=exc.strerror or str(exc)) from exc
    elif not store.root.is_dir():
        raise UserError("err_store_not_a_folder", store=str(store.root))
    repair_if_idle(store)
    return store


def repair_if_idle(store: Store) -> None:
    """Complete or discard a killed writer's staged work, if there is any and nobody is writing now."""
    if not _has_staged(store) and not store.version().applying:
        return
    if holds_writer(store):
        recover(store)
        return
    fd = try_writer_lock(store)
    if fd is None:
        return  # a writer is at work; its staging folder is its own
    try:
        recover(store)
    finally:
        release_lock(fd)


def recover(store: Store) -> None:
    """Complete committed transactions and discard uncommitted ones. The caller holds the writer lock.

    A transaction still being written under the lock the caller holds (the outer one of a nested write, or one
    whose writer opens the store) is left alone: it is no killed writer's leftover."""
    if store.staging_dir.exists():
        for tx_dir in sorted(store.staging_dir.iterdir()):
            owner = _active.get(tx_dir.name)
            if owner is not None and still_holds(owner):
                continue
            _active.pop(tx_dir.name, None)
            if tx_dir.name.endswith(_DONE):
                shutil.rmtree(tx_dir, ignore_errors=True)
            elif (tx_dir / _COMMIT_MARKER).exists() and (tx_dir / _PLAN_FILE).exists():
                _apply(store, tx_dir)
            else:
                # Not committed, or committed and already applied by a writer killed while removing it
                # (the plan goes before the marker, so a marker without a plan means removal had begun).
                shutil.rmtree(tx_dir, ignore_errors=True)
        _remove_if_empty(store.staging_dir)
    for tmp in store.root.glob(f".{store.version_path.name}.*.tmp"):  # a writer killed while writing VERSION
        tmp.unlink(missing_ok=True)
    version = store.version()
    if version.applying:  # its staging folder is gone: the files were already in place
        write_json_atomic(store.version_path, {"version": max(version.number, 0) + 1, "state": "ready"})


def read_consistently(store: Store, read: Callable[[], T], timeout: float = 120.0) -> tuple[T, Version]:
    """``read()`` against one settled version of the store, and that version.

    Waits while a commit is being applied (completing it if its writer was killed) and reads again when a commit
    lands during the read, so the result never mixes two versions."""
    deadline = time.monotonic() + timeout
    while True:
        before = _settled_version(store, deadline)
        try:
            result = read()
        except Exception:
            if store.version() != before:
                continue  # a file vanished or changed under us: read the new version
            raise
        if store.version() == before:
            return result, before


def _settled_version(store: Store, deadline: float) -> Version:
    while True:
        version = store.version()
        if not version.applying:
            return version
        repair_if_idle(store)
        if time.monotonic() > deadline:
            raise UserError("err_store_applying", store=str(store.root))
        time.sleep(0.05)


class Transaction:
    """Collects files to add to the store and the audit record of the change; nothing is visible until commit."""

    def __init__(self, store: Store, action: str, actor: Actor) -> None:
        if not holds_writer(store):
            raise RuntimeError("a transaction needs the store's writer lock (use store.transaction.transaction)")
        self.store = store
        self.action = action
        self.actor = actor
        self.id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f") + "-" + uuid.uuid4().hex[:8]  # sorts by time
        self.dir = store.staging_dir / self.id
        self.dir.mkdir(parents=True)
        _active[self.id] = writer_key(store)
        self.details: dict = {}
        self._files: list[dict] = []
        self._delete: list[str] = []
        self._derived: dict[str, dict] = {}  # month -> the snapshot files its staged rollups were built from

    def path_for(self, target: str, overwrite: bool = False) -> Path:
        """A staging path to write; it will become ``store/target`` on commit."""
        if not overwrite and ((self.store.root / target).exists() or any(f["target"] == target for f in self._files)):
            raise UserError("err_store_no_overwrite", target=target)
        if target in self._delete:
            raise ValueError(f"{target} is both deleted and written by one transaction")
        staged = f"f{len(self._files):05d}_{Path(target).name}"
        self._files.append({"staged": staged, "target": target})
        return self.dir / staged

    def delete(self, target: str) -> None:
        """Remove ``store/target`` on commit (a file replaced by one under another name)."""
        if any(f["target"] == target for f in self._files):
            raise ValueError(f"{target} is both written and deleted by one transaction")
        self._delete.append(target)

    def derive(self, months: Iterable[str]) -> None:
        """Rewrite the rollups of ``months`` from their snapshots as they will be after this commit (or remove them
        where no snapshot remains). Commit does it for every month whose snapshots the transaction changes."""
        for month in sorted(set(months)):
            sources = self._snapshots_after(month)
            targets = rollups.month_targets(month)
            self._derived[month] = rollups.sources_of(sources)
            if sources:
                rollups.build_month(sources, {n: self.path_for(rel, overwrite=True) for n, rel in targets.items()})
                continue
            for rel in targets.values():
                if (self.store.root / rel).exists() and rel not in self._delete:
                    self.delete(rel)

    def _snapshots_after(self, month: str) -> dict[str, Path]:
        """The month's snapshot files once this transaction is applied: name -> where to read it now."""
        prefix = f"snapshots/month={month}/"
        found = {p.name: p for p in self.store.month_dir(month).glob("*.parquet")}
        for rel in self._delete:
            if rel.startswith(prefix):
                found.pop(rel.removeprefix(prefix), None)
        for item in self._files:
            rel = item["target"]
            if rel.startswith(prefix) and rel.endswith(".parquet") and (self.dir / item["staged"]).exists():
                found[rel.removeprefix(prefix)] = self.dir / item["staged"]
        return found

    def months_written(self) -> set[str]:
        """Months whose snapshot files this transaction adds, replaces or removes."""
        changed = [item["target"] for item in self._files] + self._delete
        months = set()
        for rel in changed:
            parts = rel.split("/")
            if len(parts) == 3 and parts[0] == "snapshots" and MONTH_RE.match(parts[1].removeprefix("month=")):
                months.add(parts[1].removeprefix("month="))
        return months

    def commit(self) -> None:
        if not self._files and not self._delete:  # nothing changed (a file loaded twice): nothing to record
            self.abort()
            return
        try:
            self.derive(self._months_to_derive())
            self._write_audit()
            if not (self.store.root / "store.json").exists():
                with open(self.path_for("store.json"), "w", encoding="utf-8") as fh:
                    json.dump({"format": FORMAT, "created_at": _now()}, fh)
            for item in self._files:  # on disk before the marker: a commit never points at files lost in a crash
                _fsync_file(self.dir / item["staged"])
            plan = {"files": self._files, "delete": self._delete}
            _write_flushed(self.dir / _PLAN_FILE, json.dumps(plan))
            fsync_dir(self.dir)
            _write_flushed(self.dir / _COMMIT_MARKER, self.id)  # the commit point
        except BaseException:
            self.abort()  # not committed: leave nothing behind
            raise
        _active.pop(self.id, None)  # committed: if applying fails, the next writer or reader completes it
        fsync_dir(self.dir)
        _apply(self.store, self.dir)

    def abort(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        _active.pop(self.id, None)
        _remove_if_empty(self.store.staging_dir)

    def _months_to_derive(self) -> set[str]:
        """Months whose snapshots change, less those already derived (rebuild derives every month itself) from the
        snapshots as they now stand: a month changed again after it was derived is derived again."""
        return {
            month
            for month in self.months_written() | set(self._derived)
            if self._derived.get(month) != rollups.sources_of(self._snapshots_after(month))
        }

    def _write_audit(self) -> None:
        record = {
            "tx": self.id,
            "at": _now(),
            "action": self.action,
            "actor": self.actor.name,
            "via": self.actor.via,
            **self.details,
        }
        target = f"audit/{self.id}.json"
        with open(self.path_for(target), "w", encoding="utf-8") as fh:
            json.dump(record, fh, ensure_ascii=False, indent=1, default=str)


@contextmanager
def transaction(
    store: Store,
    action: str,
    actor: Actor,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> Iterator[Transaction]:
    """All-or-nothing under the writer lock: commits when the block finishes, discards everything if it raises.
    Waits up to ``wait`` seconds for another writer, then refuses with who is writing."""
    with writer_lock(store, action, actor.name, wait, on_wait):
        recover(store)
        tx = Transaction(store, action, actor)
        try:
            yield tx
        except BaseException:
            tx.abort()
            raise
        tx.commit()


def _apply(store: Store, tx_dir: Path) -> None:
    """Move a committed transaction's files into place; safe to repeat after a kill at any point.

    VERSION names the transaction while it is applied and once it is in place, so a repeat after the bump only
    finishes the clean-up: a commit is counted once, however often its application was interrupted."""
    version = store.version()
    if version.tx != tx_dir.name or version.applying:
        plan = json.loads((tx_dir / _PLAN_FILE).read_text(encoding="utf-8"))
        number = max(version.number, 0)
        write_json_atomic(store.version_path, {"version": number, "state": "applying", "tx": tx_dir.name})
        parents = set()
        for item in plan["files"]:
            staged, target = tx_dir / item["staged"], store.root / item["target"]
            if staged.exists():  # absent when an earlier attempt already moved it
                _make_dirs(target.parent)
                _move(staged, target)
                parents.add(target.parent)
        for rel in plan.get("delete", []):
            target = store.root / rel
            target.unlink(missing_ok=True)
            parents.add(target.parent)
        for parent in parents:
            fsync_dir(parent)
        write_json_atomic(store.version_path, {"version": number + 1, "state": "ready", "tx": tx_dir.name})
    done = tx_dir.with_name(tx_dir.name + _DONE)
    os.replace(tx_dir, done)
    shutil.rmtree(done, ignore_errors=True)
    _remove_if_empty(store.staging_dir)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty (another transaction's folder), or already gone
        folder.rmdir()


def _move(staged: Path, target: Path) -> None:
    os.replace(staged, target)


def _make_dirs(folder: Path) -> None:
    """Create ``folder`` and missing parents, each durably named in its parent."""
    if folder.is_dir():
        return
    _make_dirs(folder.parent)
    with contextlib.suppress(FileExistsError):
        folder.mkdir()
    fsync_dir(folder.parent)


def _fsync_file(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:  # reserved but never written: _apply skips it
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _has_staged(store: Store) -> bool:
    """Whether anything is staged; a writer may remove the folder at any moment (no lock is held here)."""
    try:
        with os.scandir(store.staging_dir) as entries:
            return any(True for _ in entries)
    except (FileNotFoundError, NotADirectoryError):
        return False


def _write_flushed(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
