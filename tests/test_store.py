"""All-or-nothing writes, one writer at a time, readers that never see half a write or touch a write in progress."""

from __future__ import annotations

import json
import threading

import pyarrow.parquet as pq
import pytest

import store.transaction as store_module
from core.errors import UserError
from store import rollups
from store.audit import Actor, read_audit
from store.locks import writer_lock
from store.schema import SNAPSHOT_SCHEMA
from store.transaction import Transaction, open_store, read_consistently, transaction

ME = Actor("tester", "cli")


def test_crash_before_commit_leaves_nothing(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    with writer_lock(store, "ingest", "tester"):
        tx = Transaction(store, "ingest", ME)
        tx.path_for("snapshots/month=2024-10/b.parquet").write_bytes(b"data")
    # The writer is gone without a commit marker: the next opening discards its staging folder.
    store = open_store(store.root)
    assert not store.staging_dir.exists() or not any(store.staging_dir.iterdir())
    assert store.months() == []


def empty_snapshot(path) -> None:
    """A real snapshot file without rows: commits derive the month's rollups from it."""
    pq.write_table(SNAPSHOT_SCHEMA.empty_table(), path)


def test_crash_after_commit_marker_is_completed_on_open(tmp_path, monkeypatch):
    store = open_store(tmp_path / "s", create=True)

    def die(*_args):
        raise SystemExit("killed while moving files")

    with writer_lock(store, "ingest", "tester"):
        tx = Transaction(store, "ingest", ME)
        empty_snapshot(tx.path_for("snapshots/month=2024-10/b.parquet"))
        written = (tx.dir / "f00000_b.parquet").read_bytes()
        monkeypatch.setattr(store_module, "_move", die)
        with pytest.raises(SystemExit):
            tx.commit()
        monkeypatch.undo()
    assert (tx.dir / "COMMITTED").exists()
    assert store.version().applying
    store = open_store(store.root)
    assert (store.root / "snapshots/month=2024-10/b.parquet").read_bytes() == written
    assert rollups.stale_months(store) == []  # its rollups were committed with it
    assert not tx.dir.exists()
    assert not store.version().applying and store.version().number == 1
    assert [r["action"] for r in read_audit(store)] == ["ingest"]


def test_killed_while_moving_files_is_completed_whatever_was_moved(tmp_path, monkeypatch):
    store = open_store(tmp_path / "s", create=True)
    moved = []

    def move_two_then_die(staged, target):
        if len(moved) == 2:
            raise SystemExit("killed")
        moved.append(target)
        staged.replace(target)

    with writer_lock(store, "ingest", "tester"):
        tx = Transaction(store, "ingest", ME)
        for i in range(5):
            empty_snapshot(tx.path_for(f"snapshots/month=2024-10/b{i}.parquet"))
        monkeypatch.setattr(store_module, "_move", move_two_then_die)
        with pytest.raises(SystemExit):
            tx.commit()
        monkeypatch.undo()
    # A reader waits for, or completes, the half-applied commit: it never reads two of five files.
    result, version = read_consistently(store, lambda: sorted(p.name for p in store.snapshot_files()))
    assert result == [f"b{i}.parquet" for i in range(5)] and not version.applying
    assert rollups.stale_months(store) == []


def test_killed_while_removing_the_staging_folder_is_cleaned(tmp_path):
    """A marker without its plan is a finished transaction whose removal was interrupted (seen in the field)."""
    store = open_store(tmp_path / "s", create=True)
    leftover = store.staging_dir / "20250101T000000-deadbeef"
    leftover.mkdir(parents=True)
    (leftover / "COMMITTED").write_text("x")
    store = open_store(store.root)
    assert not store.staging_dir.exists()
    with transaction(store, "ingest", ME) as tx:  # and later writes work
        tx.path_for("batches/x.json").write_text("{}")
    assert (store.root / "batches/x.json").exists()


def test_error_inside_transaction_discards_everything(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    with pytest.raises(RuntimeError), transaction(store, "ingest", ME) as tx:
        tx.path_for("batches/x.json").write_text(json.dumps({}))
        raise RuntimeError("boom")
    assert not (store.root / "batches").exists()
    assert read_audit(store) == [] and store.version().number == 0


def test_existing_files_are_never_overwritten_silently(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    (store.root / "boundaries.parquet").write_bytes(b"old")
    with pytest.raises(UserError) as refused, transaction(store, "boundaries", ME) as tx:
        tx.path_for("boundaries.parquet")
    assert refused.value.key == "err_store_no_overwrite"
    assert (store.root / "boundaries.parquet").read_bytes() == b"old"


def test_every_commit_is_recorded_and_bumps_the_version(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    for i in range(3):
        with transaction(store, "referral", Actor(f"officer{i}", "browser")) as tx:
            tx.path_for(f"batches/{i}.json").write_text("{}")
            tx.details["file"] = {"name": f"list{i}.xlsx", "sha256": "ab" * 32}
    records = read_audit(store)
    assert [r["actor"] for r in records] == ["officer2", "officer1", "officer0"]
    assert records[0]["file"]["name"] == "list2.xlsx" and records[0]["via"] == "browser"
    assert store.version().number == 3


def test_a_second_writer_is_refused_with_who_is_writing(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    started, release = threading.Event(), threading.Event()

    def first():
        with transaction(store, "ingest", Actor("anh.nguyen", "browser")) as tx:
            tx.path_for("batches/a.json").write_text("{}")
            started.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(10)
    with pytest.raises(UserError) as busy, transaction(store, "boundaries", ME):
        pass
    assert busy.value.key == "err_store_busy"
    assert "anh.nguyen" in busy.value.text("en") and "loading measurements" in busy.value.text("en")
    release.set()
    thread.join()
    assert (store.root / "batches/a.json").exists()


def test_a_waiting_writer_goes_after_the_first(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    order = []
    started = threading.Event()

    def first():
        with transaction(store, "ingest", ME) as tx:
            started.set()
            tx.path_for("batches/a.json").write_text("{}")
            threading.Event().wait(0.5)
            order.append("first")

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(10)
    with transaction(store, "ingest", ME, wait=10) as tx:
        order.append("second")
        tx.path_for("batches/b.json").write_text("{}")
    thread.join()
    assert order == ["first", "second"] and store.version().number == 2


def test_opening_the_store_never_touches_a_write_in_progress(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    started, release = threading.Event(), threading.Event()

    def writer():
        with transaction(store, "ingest", ME) as tx:
            tx.path_for("batches/a.json").write_text("{}")
            started.set()
            release.wait(10)
            tx.path_for("batches/b.json").write_text("{}")

    thread = threading.Thread(target=writer)
    thread.start()
    started.wait(10)
    staged = list(store.staging_dir.iterdir())
    for _ in range(3):  # a report, a page view, a second ingest's opening
        open_store(store.root)
    assert list(store.staging_dir.iterdir()) == staged
    release.set()
    thread.join()
    assert sorted(p.name for p in store.batches_dir.iterdir()) == ["a.json", "b.json"]
