"""A process that kills itself at a chosen moment of a store write, and processes that keep reading a store.

Used by tests/test_crash.py through ``python -m tests.crash_driver``:

    kill ingest FILE... --store DIR --at POINT          ingest_files, SIGKILL at POINT
    kill boundaries FILE --store DIR --at POINT         import_boundaries(replace=True), SIGKILL at POINT
    kill delete BATCH --store DIR --at POINT            delete_batch, SIGKILL at POINT
    kill open --store DIR --at POINT                    open_store, which completes a killed writer's commit:
                                                        SIGKILL at POINT of that recovery
    read-loop --store DIR --out FILE --stop FILE        open_store + read_consistently over every snapshot
    report-loop --store DIR --out FILE --stop FILE --month M...   the `report` command, again and again
    churn --store DIR --count N                          N tiny commits, one after another
    open-loop --store DIR --out FILE --stop FILE         open_store + read_consistently as fast as it can
                                                         (listing .staging takes 2 ms longer: a slow reader)

POINT is one of: before-commit (plan written, no COMMITTED marker), after-commit (marker written), move:K (K of
the transaction's n files moved into place; K is a number, ``half`` = n//2, ``last`` = n-1 or ``all`` = n),
after-applying (VERSION says "applying"), delete:K (K of the transaction's deletions done), after-bump (VERSION
bumped to the next number), done-rmtree (the ``.done`` folder half removed, plan first); or pause:FILE, which
kills nothing: before the COMMITTED marker it creates FILE.paused and waits until FILE exists, then finishes (a
real writer that holds the store as long as a test needs).
A driver that finishes without reaching its POINT exits with status 3, so a test never passes vacuously.
The loops write one JSON line per observation and stop, after one last read, when the stop file appears.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import tempfile
import time
import types
from pathlib import Path

import pyarrow.parquet as pq

import store.transaction as tx_module

NOT_REACHED = 3


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str, recovering: bool = False) -> None:
    """Patch the store's hooks so that this process SIGKILLs itself at ``point`` of the next commit (or of the
    recovery of a commit already made, which writes no marker)."""
    state = {"committed": recovering, "moved": 0, "deleted": 0, "k": None}
    original_flushed = tx_module._write_flushed
    original_json = tx_module.write_json_atomic
    original_move = tx_module._move
    original_unlink = Path.unlink
    real_shutil = tx_module.shutil
    kind, _, arg = point.partition(":")

    def write_flushed(path: Path, text: str) -> None:
        if path.name == "COMMITTED" and point == "before-commit":
            die()
        if path.name == "COMMITTED" and kind == "pause":  # holding the writer lock, with everything staged
            release = Path(arg)
            Path(f"{release}.paused").touch()
            while not release.exists():
                time.sleep(0.02)
        original_flushed(path, text)
        if path.name == "COMMITTED":
            state["committed"] = True
            if point == "after-commit":
                die()

    def write_json(path: Path, data: dict) -> None:
        original_json(path, data)
        if state["committed"] and path.name == "VERSION":
            if data.get("state") == "applying" and point == "after-applying":
                die()
            if data.get("state") == "ready" and point == "after-bump":
                die()

    def plan_size(tx_dir: Path, key: str) -> int:
        return len(json.loads((tx_dir / "plan.json").read_text(encoding="utf-8"))[key])

    def resolve(n: int) -> int:
        return int(arg) if arg.isdigit() else {"half": n // 2, "last": n - 1, "all": n}[arg]

    def move(staged: Path, target: Path) -> None:
        if state["k"] is None:
            state["k"] = resolve(plan_size(staged.parent, "files"))
        if state["moved"] == state["k"]:
            die()
        original_move(staged, target)
        state["moved"] += 1
        if state["moved"] == state["k"] and state["moved"] == plan_size(staged.parent, "files"):
            die()  # "all": every file moved, nothing after that done yet

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if state["committed"] and kind == "delete":
            if state["deleted"] == int(arg):
                die()
            state["deleted"] += 1
        original_unlink(self, missing_ok=missing_ok)

    def rmtree(path, *args, **kwargs) -> None:
        path = Path(path)
        if point == "done-rmtree" and path.name.endswith(".done"):
            files = sorted(path.iterdir(), key=lambda p: p.name != "plan.json")  # the plan goes first
            for f in files[: max(1, len(files) // 2)]:
                f.unlink()
            die()
        real_shutil.rmtree(path, *args, **kwargs)

    tx_module._write_flushed = write_flushed
    tx_module.write_json_atomic = write_json
    if kind == "move":
        tx_module._move = move
    if kind == "delete":
        Path.unlink = unlink
    tx_module.shutil = types.SimpleNamespace(rmtree=rmtree)


def kill(args: argparse.Namespace) -> int:
    from ingest.boundaries import import_boundaries
    from ingest.measurements import delete_batch, ingest_files
    from store.transaction import open_store

    if args.action == "open":
        arm(args.at, recovering=True)
        open_store(args.store)
        print(f"{args.at} not reached", file=sys.stderr)
        return NOT_REACHED
    store = open_store(args.store)
    arm(args.at)
    if args.action == "ingest":
        ingest_files(store, [Path(f) for f in args.targets])
    elif args.action == "boundaries":
        import_boundaries(store, Path(args.targets[0]), replace=True)
    else:
        delete_batch(store, args.targets[0])
    if args.at.startswith("pause:"):
        return 0
    print(f"{args.at} not reached", file=sys.stderr)
    return NOT_REACHED


def _loop(args: argparse.Namespace, observe) -> int:
    stop = Path(args.stop)
    with open(args.out, "a", encoding="utf-8") as out:
        while True:
            last = stop.exists()
            for line in observe():
                out.write(json.dumps(line) + "\n")
                out.flush()
            if last:
                return 0
            time.sleep(args.interval)


def read_loop(args: argparse.Namespace) -> int:
    """A plain reader: open the store, then count the rows of every snapshot file per month, consistently."""
    from store.transaction import open_store, read_consistently

    def observe() -> list[dict]:
        store = open_store(args.store)

        def read() -> dict[str, int]:
            counts: dict[str, int] = {}
            for f in store.snapshot_files():
                month = f.parent.name.removeprefix("month=")
                counts[month] = counts.get(month, 0) + pq.read_table(f).num_rows
            return counts

        counts, version = read_consistently(store, read)
        return [{"reader": "open_store", "version": version.number, "counts": counts, "at": time.time()}]

    return _loop(args, observe)


def report_loop(args: argparse.Namespace) -> int:
    """The `report` command, run again and again in this process: samples per month as the report counts them."""
    import pandas as pd

    from analytics.cli import main

    out_dir = Path(tempfile.mkdtemp(prefix="report-loop-"))

    def observe() -> list[dict]:
        seen = []
        for month in args.month:
            out = out_dir / f"{month}.csv"
            status = main(["report", "--store", args.store, "--month", month, "--format", "csv", "--out", str(out)])
            samples = int(pd.read_csv(out, encoding="utf-8-sig")["samples"].sum()) if status == 0 else None
            seen.append({"reader": "report", "status": status, "month": month, "samples": samples, "at": time.time()})
        return seen

    return _loop(args, observe)


def churn(args: argparse.Namespace) -> int:
    """Many small writes: each stages a file, commits and removes its staging folder."""
    from store.audit import Actor
    from store.transaction import open_store, transaction

    store = open_store(args.store, create=True)
    for i in range(args.count):
        with transaction(store, "ingest", Actor("churn", "cli"), wait=60) as tx:
            tx.path_for(f"churn/{os.getpid()}-{i}.txt").write_text(str(i))
    return 0


def open_loop(args: argparse.Namespace) -> int:
    """Open the store and read it consistently, without pause, until told to stop; what failed, counted."""
    from store.transaction import open_store, read_consistently

    for name in ("scandir", "listdir"):  # a reader descheduled between looking at .staging and listing it
        real = getattr(os, name)

        def slow(path=".", _real=real):
            if str(path).endswith(".staging"):
                time.sleep(0.002)
            return _real(path)

        setattr(os, name, slow)
    stop, opened, failures = Path(args.stop), 0, []
    while not stop.exists():
        try:
            store = open_store(args.store)
            read_consistently(store, lambda: sorted(store.root.glob("churn/*.txt")))  # noqa: B023 - called at once
        except Exception as exc:  # every failure is what the test looks for
            failures.append(f"{type(exc).__name__}: {exc}")
        opened += 1
        if opened == 1:
            Path(args.out + ".started").touch()
    Path(args.out).write_text(json.dumps({"opened": opened, "failures": failures}), encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.crash_driver")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("kill")
    p.add_argument("action", choices=["ingest", "boundaries", "delete", "open"])
    p.add_argument("targets", nargs="*")
    p.add_argument("--store", required=True)
    p.add_argument("--at", required=True)
    p.set_defaults(run=kill)
    p = sub.add_parser("churn")
    p.add_argument("--store", required=True)
    p.add_argument("--count", type=int, required=True)
    p.set_defaults(run=churn)
    for name, run in (("read-loop", read_loop), ("report-loop", report_loop), ("open-loop", open_loop)):
        p = sub.add_parser(name)
        p.add_argument("--store", required=True)
        p.add_argument("--out", required=True)
        p.add_argument("--stop", required=True)
        p.add_argument("--interval", type=float, default=0.1)
        p.add_argument("--month", action="append", default=[])
        p.set_defaults(run=run)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
