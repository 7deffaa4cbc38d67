"""All-or-nothing writes: an interrupted transaction is discarded, a committed one is completed."""

from __future__ import annotations

import json

import pytest

from core.errors import UserError
from store.transaction import Transaction, open_store, transaction


def test_crash_before_commit_leaves_nothing(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    tx = Transaction(store)
    tx.path_for("snapshots/month=2024-10/b.parquet").write_bytes(b"data")
    # The process dies here: no commit marker. Opening the store discards the staging folder.
    store = open_store(store.root)
    assert not store.staging_dir.exists() or not any(store.staging_dir.iterdir())
    assert store.months() == []


def test_crash_after_commit_marker_is_completed_on_open(tmp_path, monkeypatch):
    store = open_store(tmp_path / "s", create=True)
    tx = Transaction(store)
    tx.path_for("snapshots/month=2024-10/b.parquet").write_bytes(b"PAR1")
    import store.transaction as store_module

    def die(*_args):
        raise SystemExit("killed while moving files")

    monkeypatch.setattr(store_module, "_apply", die)
    with pytest.raises(SystemExit):
        tx.commit()
    monkeypatch.undo()
    assert (tx.dir / "COMMITTED").exists()
    store = open_store(store.root)
    assert (store.root / "snapshots/month=2024-10/b.parquet").read_bytes() == b"PAR1"
    assert not tx.dir.exists()


def test_error_inside_transaction_discards_everything(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    with pytest.raises(RuntimeError), transaction(store) as tx:
        tx.path_for("batches/x.json").write_text(json.dumps({}))
        raise RuntimeError("boom")
    assert not (store.root / "batches").exists()


def test_existing_files_are_never_overwritten_silently(tmp_path):
    store = open_store(tmp_path / "s", create=True)
    (store.root / "boundaries.parquet").write_bytes(b"old")
    with pytest.raises(UserError, match="refusing to overwrite"), transaction(store) as tx:
        tx.path_for("boundaries.parquet")
    assert (store.root / "boundaries.parquet").read_bytes() == b"old"
