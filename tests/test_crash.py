"""Issue #7 with real processes: one writer at a time, readers never hurt it, a kill at any moment is recovered.

Every write here is a separate process (``python -m analytics ...`` or tests/crash_driver.py, which SIGKILLs
itself at a chosen point of a commit). After each kill the next command must work, the store must hold the
whole batch or none of it (checked against rows per month counted from the CSV itself, independently of the
ingest), ``.staging`` must be gone, and loading the file again must store it exactly once.
"""

from __future__ import annotations

import csv
import fcntl
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from core.errors import UserError
from store.audit import Actor, command_line_actor
from store.transaction import open_store, read_consistently, transaction
from tests.conftest import ROOT, tiny_boundaries

MONTHS = ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11"]
REPORT_MONTH = "2024-10"
HEADER = "measurement_id,measured_at,carrier,network_type,download_mbps,upload_mbps,latency_ms,lat,lon,referral_code"
CARRIERS = ["Viettel", "VinaPhone", "MobiFone"]
OLD_CODES = ["00001", "00002", "00003", "00004"]
NEW_CODES = ["00011", "00012", "00013", "00014"]  # the replacement boundaries: same squares, other codes


# ---- data, counted independently of the ingest ------------------------------------------------------------


def write_measurements(path: Path, prefix: str, n: int, invalid: int = 0) -> Path:
    """n rows spread over MONTHS and the four communes (distinct ids); ``invalid`` of them with a negative speed."""
    lines = [HEADER]
    for i in range(n):
        month = MONTHS[i % len(MONTHS)]
        day, minute, commune = 1 + (i // 5) % 28, i % 1440, (i // 7) % 4
        dl = -1.0 if i < invalid else 10 + i % 90 + 0.5
        lines.append(
            f"{prefix}{i},{month}-{day:02d}T{minute // 60:02d}:{minute % 60:02d}:00,{CARRIERS[i % 3]},4G,"
            f"{dl},{5 + i % 20}.25,{20 + i % 50},21.05,{105.05 + 0.1 * commune:.2f},"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def csv_months(path: Path) -> Counter:
    """Rows per month that an ingest must store: every row with a readable time and a non-negative speed."""
    with open(path, encoding="utf-8") as fh:
        return Counter(r["measured_at"][:7] for r in csv.DictReader(fh) if float(r["download_mbps"]) >= 0)


def write_boundaries(path: Path, codes: list[str]) -> Path:
    frame = tiny_boundaries()
    frame["commune_code"] = codes
    frame.to_file(path, driver="GPKG")
    return path


# ---- processes -------------------------------------------------------------------------------------------


def run(module: str, *args: object, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


def start(module: str, *args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def ok(proc: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr
    return proc


def ingest(store: Path, path: Path, *extra: object) -> subprocess.CompletedProcess:
    return run("analytics", "ingest", path, "--store", store, *extra)


def report_samples(store: Path, out: Path, month: str = REPORT_MONTH) -> int:
    """`report` must work; the month's samples as it counts them."""
    ok(run("analytics", "report", "--store", store, "--month", month, "--format", "csv", "--out", out))
    with open(out, encoding="utf-8-sig") as fh:
        return sum(int(r["samples"]) for r in csv.DictReader(fh))


def wait_for(condition, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# ---- what the store holds ------------------------------------------------------------------------------------


def settled(store: Path) -> Counter:
    """Check a store left by a finished command; its rows per month.

    Nothing staged; VERSION ready and counting one commit per audit record (each commit counted once, also when a
    recovery completed it); every snapshot file belongs to a recorded batch whose summary says exactly these rows."""
    staging = store / ".staging"
    assert not staging.exists() or not any(staging.iterdir()), sorted(p.name for p in staging.iterdir())
    version = json.loads((store / "VERSION").read_text(encoding="utf-8"))
    audit = list((store / "audit").glob("*.json"))
    assert version["state"] == "ready" and version["version"] == len(audit), (version, len(audit))
    files: dict[str, dict[str, int]] = {}
    for f in (store / "snapshots").glob("month=*/*.parquet"):
        files.setdefault(f.stem, {})[f.parent.name.removeprefix("month=")] = pq.ParquetFile(f).metadata.num_rows
    summaries = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (store / "batches").glob("*.json")}
    assert set(files) == {b for b, s in summaries.items() if s["accepted"]}, (sorted(files), sorted(summaries))
    for batch, months in files.items():
        assert months == summaries[batch]["months"], batch
    rejects = {p.name for p in (store / "rejects").glob("*.csv")} if (store / "rejects").exists() else set()
    assert rejects == {Path(s["rejects_file"]).name for s in summaries.values() if s.get("rejects_file")}
    total: Counter = Counter()
    for months in files.values():
        total.update(months)
    return total


def batches_of(store: Path, path: Path) -> list[str]:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return [p.stem for p in (store / "batches").glob("*.json") if json.loads(p.read_text("utf-8"))["sha256"] == sha]


def assignment(store: Path) -> str:
    """'old' or 'new': which boundaries the store holds, after checking that every stored row is assigned by them."""
    codes = sorted(pq.read_table(store / "boundaries.parquet", columns=["commune_code"]).column(0).to_pylist())
    kind = {tuple(OLD_CODES): "old", tuple(NEW_CODES): "new"}[tuple(codes)]
    for f in (store / "snapshots").glob("month=*/*.parquet"):
        table = pq.read_table(f, columns=["lon", "commune_code"]).to_pydict()
        for lon, code in zip(table["lon"], table["commune_code"], strict=True):
            assert code == codes[int((lon - 105.0) / 0.1)], (f, lon, code, kind)
    return kind


def in_parallel(*cases: Callable[[], None]) -> None:
    """Run independent cases side by side (this machine has two cores); a failure is re-raised as it was, several
    are reported together."""
    with ThreadPoolExecutor(len(cases)) as pool:
        futures = [pool.submit(case) for case in cases]
    failed = [exc for exc in (f.exception() for f in futures) if exc is not None]
    if len(failed) == 1:
        raise failed[0]
    if failed:
        raise AssertionError(" | ".join(f"{type(e).__name__}: {e}" for e in failed)) from failed[0]


# ---- fixtures: built once, copied per case --------------------------------------------------------------------


@dataclass
class World:
    old_gpkg: Path
    new_gpkg: Path
    prior: Path  # rows already stored (so a report has its month whatever happens), ids p*
    small: Path  # killed at deterministic points: 5 months, some rows rejected (a rejects file), ids s*
    big: Path  # an ingest of ~1-2 s, killed at moments spread over it, ids a*
    other: Path  # another file, ids b*
    prior_store: Path  # boundaries + prior
    loaded_store: Path  # boundaries + prior + small

    def months(self, *files: Path) -> Counter:
        total: Counter = Counter()
        for f in files:
            total += csv_months(f)
        return total


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    d = tmp_path_factory.mktemp("crash")
    w = World(
        old_gpkg=write_boundaries(d / "old.gpkg", OLD_CODES),
        new_gpkg=write_boundaries(d / "new.gpkg", NEW_CODES),
        prior=write_measurements(d / "prior.csv", "p", 500),
        small=write_measurements(d / "small.csv", "s", 4_000, invalid=40),
        big=write_measurements(d / "big.csv", "a", 40_000),
        other=write_measurements(d / "other.csv", "b", 20_000),
        prior_store=d / "prior_store",
        loaded_store=d / "loaded_store",
    )
    ok(run("analytics", "boundaries", w.old_gpkg, "--store", w.prior_store))
    ok(ingest(w.prior_store, w.prior))
    shutil.copytree(w.prior_store, w.loaded_store)
    ok(ingest(w.loaded_store, w.small))
    assert settled(w.loaded_store) == w.months(w.prior, w.small)
    return w


def copy_store(src: Path, folder: Path) -> Path:
    return shutil.copytree(src, folder / "store")


# ---- 2. kills at deterministic moments ----------------------------------------------------------------------------


def kill_at(action: str, target: object, store: Path, point: str) -> None:
    killed = run("tests.crash_driver", "kill", action, target, "--store", store, "--at", point)
    assert killed.returncode == -9, f"{action} at {point}: exit {killed.returncode} {killed.stderr}"


ALREADY = "đã nạp trước đây"  # what `ingest` says of a file it finds already stored (cli_already_ingested)


def next_command(kind: str, store: Path, path: Path) -> tuple[Counter, bool | None]:
    """The command after a kill (`report`, or `ingest` of the same file) must work and leave a settled store.

    Its rows per month, and for an ingest whether it found the file already stored (the killed write completed)."""
    if kind == "report":
        samples = report_samples(store, store.parent / "after-kill.csv")
        months = settled(store)
        assert samples == months[REPORT_MONTH]  # the report counted the state the store settled in
        return months, None
    done = ok(ingest(store, path))
    return settled(store), ALREADY in done.stdout


def ingest_case(world: World, folder: Path, point: str, then: str) -> None:
    store = copy_store(world.prior_store, folder)
    kill_at("ingest", world.small, store, point)
    before, after = world.months(world.prior), world.months(world.prior, world.small)
    committed = point != "before-commit"
    months, found = next_command(then, store, world.small)
    assert months == (after if committed or then == "ingest" else before), (point, then)
    assert found in (None, committed), point  # a committed write is completed, never discarded
    if then == "report":
        ok(ingest(store, world.small))  # loading the file again stores it exactly once
    assert settled(store) == after and len(batches_of(store, world.small)) == 1, point


def boundaries_case(world: World, folder: Path, point: str, then: str) -> None:
    store = copy_store(world.loaded_store, folder)
    kill_at("boundaries", world.new_gpkg, store, point)
    everything = world.months(world.prior, world.small)
    months, found = next_command(then, store, world.small)
    assert months == everything and found in (None, True), point  # never a row added or lost
    assert assignment(store) == ("old" if point == "before-commit" else "new"), point  # one set of boundaries
    if then == "report":
        ok(ingest(store, world.small))
    assert settled(store) == everything and len(batches_of(store, world.small)) == 1, point


def delete_case(world: World, folder: Path, point: str, then: str) -> None:
    store = copy_store(world.loaded_store, folder)
    [batch] = batches_of(store, world.small)
    kill_at("delete", batch, store, point)
    months, found = next_command(then, store, world.small)
    assert found in (None, point == "before-commit"), point  # a committed deletion is completed
    if then == "report":  # the batch is wholly there (not committed) or wholly gone
        assert months == world.months(world.prior, *([world.small] if point == "before-commit" else [])), point
        ok(ingest(store, world.small))
    assert settled(store) == world.months(world.prior, world.small) and len(batches_of(store, world.small)) == 1


# Two cases at a time, each (point, next command). move:K is K of the commit's n files moved into place.
INGEST_PAIRS = [
    (("before-commit", "report"), ("move:half", "report")),
    (("after-commit", "ingest"), ("move:0", "ingest")),
    (("move:1", "ingest"), ("move:last", "ingest")),
    (("move:all", "ingest"), ("after-applying", "ingest")),
    (("after-bump", "ingest"), ("done-rmtree", "ingest")),
]
BOUNDARY_PAIRS = [
    (("before-commit", "report"), ("after-bump", "ingest")),
    (("move:half", "ingest"), ("done-rmtree", "ingest")),
]
DELETE_PAIRS = [  # delete:K is K of the commit's deletions done
    (("delete:1", "report"), ("before-commit", "ingest")),
    (("delete:5", "ingest"), ("after-bump", "ingest")),
]


def _ids(pairs):
    return ["+".join(p for p, _ in pair) for pair in pairs]


@pytest.mark.parametrize("pair", INGEST_PAIRS, ids=_ids(INGEST_PAIRS))
def test_ingest_killed_at_a_point_is_all_or_nothing(world, tmp_path, pair):
    in_parallel(*(lambda p=p, t=t, i=i: ingest_case(world, tmp_path / str(i), p, t) for i, (p, t) in enumerate(pair)))


@pytest.mark.parametrize("pair", BOUNDARY_PAIRS, ids=_ids(BOUNDARY_PAIRS))
def test_boundary_replacement_killed_at_a_point_is_all_or_nothing(world, tmp_path, pair):
    in_parallel(*(lambda p=p, t=t, i=i: boundaries_case(world, tmp_path / str(i), p, t) for i, (p, t) in enumerate(pair)))


@pytest.mark.parametrize("pair", DELETE_PAIRS, ids=_ids(DELETE_PAIRS))
def test_delete_killed_at_a_point_is_all_or_nothing(world, tmp_path, pair):
    in_parallel(*(lambda p=p, t=t, i=i: delete_case(world, tmp_path / str(i), p, t) for i, (p, t) in enumerate(pair)))


def recovery_case(world: World, folder: Path, point: str, again: str, then: str) -> None:
    """A kill during the recovery of a kill: the next command still completes the commit, once."""
    store = copy_store(world.prior_store, folder)
    kill_at("ingest", world.small, store, point)
    killed = run("tests.crash_driver", "kill", "open", "--store", store, "--at", again)
    assert killed.returncode == -9, f"recovery at {again}: exit {killed.returncode} {killed.stderr}"
    months, found = next_command(then, store, world.small)
    assert months == world.months(world.prior, world.small) and found in (None, True), (point, again)
    assert len(batches_of(store, world.small)) == 1


def test_a_recovery_killed_in_turn_is_completed_by_the_next_command(world, tmp_path):
    in_parallel(
        lambda: recovery_case(world, tmp_path / "0", "move:1", "move:1", "ingest"),
        lambda: recovery_case(world, tmp_path / "1", "after-commit", "after-bump", "ingest"),
    )


def test_a_refusal_names_a_writer_that_has_only_just_taken_the_lock(tmp_path):
    """Between taking the lock and writing who it is, a writer is nameless for a moment; a refusal waits for it."""
    store = open_store(tmp_path / "store", create=True)
    fd = os.open(store.write_lock_path, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # taken; the holder's description follows a moment later
    me = {"action": "boundaries", "actor": "anh.nguyen (browser)", "pid": os.getpid(), "host": socket.gethostname()}
    later = threading.Timer(0.3, lambda: os.pwrite(fd, json.dumps({**me, "since": "10:00"}).encode(), 0))
    later.start()
    try:
        with pytest.raises(UserError) as busy, transaction(store, "ingest", Actor("tester", "cli"), wait=0):
            pass
    finally:
        later.join()
        os.close(fd)
    assert busy.value.key == "err_store_busy"
    assert "anh.nguyen (browser)" in busy.value.text("en") and "loading boundaries" in busy.value.text("en")


# ---- 3. kills at moments spread over an ingest ----------------------------------------------------------------------

# Fractions of an undisturbed ingest's wall time (two at a time, as calibrated), and the next command.
FRACTION_PAIRS = [
    ((0.3, "ingest"), (0.9, "report")),
    ((0.03, "ingest"), (0.5, "ingest")),
    ((0.6, "ingest"), (0.7, "ingest")),
    ((0.78, "ingest"), (0.84, "ingest")),
    ((0.87, "ingest"), (0.93, "ingest")),
    ((0.97, "ingest"), (1.1, "ingest")),  # the last lands after the ingest's end
]


UNCOMMITTED = ("not writing yet", "staging, not committed")


def left_behind(store: Path, returncode: int, path: Path) -> str:
    """Where a killed ingest was, judged from what it left: one of UNCOMMITTED, or a moment after its commit."""
    if returncode == 0:
        return "finished"
    staged = sorted((store / ".staging").iterdir()) if (store / ".staging").exists() else []
    version = json.loads((store / "VERSION").read_text(encoding="utf-8"))
    if version["state"] == "applying":
        return "moving files into place"
    if any(d.name.endswith(".done") for d in staged):
        return "removing the .done folder"
    if any((d / "COMMITTED").exists() for d in staged):
        return "committed, nothing moved yet"
    if staged:
        return UNCOMMITTED[1]
    return "committed and in place (exiting)" if batches_of(store, path) else UNCOMMITTED[0]


@pytest.fixture(scope="module")
def ingest_seconds(world, tmp_path_factory) -> float:
    """Wall time of `ingest big` with another beside it, as the kills run (measured just before them)."""
    d = tmp_path_factory.mktemp("calibration")
    stores = [shutil.copytree(world.prior_store, d / str(i)) for i in range(2)]
    began = time.monotonic()
    in_parallel(*(lambda s=s: ok(ingest(s, world.big)) for s in stores))
    seconds = time.monotonic() - began
    assert all(settled(s) == world.months(world.prior, world.big) for s in stores)
    return seconds


def random_case(world: World, seconds: float, folder: Path, fraction: float, then: str) -> None:
    store = copy_store(world.prior_store, folder)
    proc = start("analytics", "ingest", world.big, "--store", store)
    try:
        proc.wait(timeout=fraction * seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
    _, err = proc.communicate()
    assert proc.returncode in (0, -9), err
    moment = f"killed at {fraction} of {seconds:.1f} s: {left_behind(store, proc.returncode, world.big)}"
    print(moment)
    before, after = world.months(world.prior), world.months(world.prior, world.big)
    months, found = next_command(then, store, world.big)
    assert months in (before, after), moment
    if not moment.endswith(UNCOMMITTED):  # committed (or finished): completed, never discarded
        assert months == after and found in (None, True), moment
    if then == "report":
        ok(ingest(store, world.big))
    assert settled(store) == after and len(batches_of(store, world.big)) == 1, moment


@pytest.mark.parametrize("pair", FRACTION_PAIRS, ids=[f"{a[0]}+{b[0]}" for a, b in FRACTION_PAIRS])
def test_ingest_killed_at_any_moment_is_all_or_nothing(world, ingest_seconds, tmp_path, pair):
    in_parallel(
        *(lambda f=f, t=t, i=i: random_case(world, ingest_seconds, tmp_path / str(i), f, t) for i, (f, t) in enumerate(pair))
    )


# ---- 4. races ---------------------------------------------------------------------------------------------------------


def finished(proc: subprocess.Popen, timeout: float = 180) -> subprocess.CompletedProcess:
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def test_two_ingests_at_once_are_both_stored_once(world, tmp_path):
    store = copy_store(world.prior_store, tmp_path)
    procs = [start("analytics", "ingest", f, "--store", store) for f in (world.big, world.other)]
    done = [ok(finished(p)) for p in procs]
    assert settled(store) == world.months(world.prior, world.big, world.other)
    assert len(batches_of(store, world.big)) == 1 and len(batches_of(store, world.other)) == 1
    assert sum("Đang chờ" in d.stderr for d in done) <= 1  # one went first (the other waited if it had to)


def test_the_same_file_from_two_processes_is_stored_once(world, tmp_path):
    store = copy_store(world.prior_store, tmp_path)
    procs = [start("analytics", "ingest", world.big, "--store", store) for _ in range(2)]
    done = [ok(finished(p)) for p in procs]
    assert settled(store) == world.months(world.prior, world.big) and len(batches_of(store, world.big)) == 1
    assert sum("đã nạp trước đây" in d.stdout for d in done) == 1, [d.stdout for d in done]


def test_readers_during_an_ingest_see_before_or_after_and_never_hurt_it(world, tmp_path):
    store = copy_store(world.prior_store, tmp_path)
    stop = tmp_path / "stop"
    logs = [tmp_path / "reads.jsonl", tmp_path / "reports.jsonl"]
    loops = [
        start("tests.crash_driver", "read-loop", "--store", store, "--out", logs[0], "--stop", stop),
        start(
            "tests.crash_driver", "report-loop", "--store", store, "--out", logs[1], "--stop", stop,
            "--month", REPORT_MONTH, "--month", MONTHS[-1],
        ),
    ]
    wait_for(lambda: all(p.exists() and p.stat().st_size for p in logs), what="the readers' first observations")
    # Reports that opened the store 0.5 s and 1.0 s into an ingest once made it die: here they run all along it.
    began = time.time()
    ok(run("analytics", "ingest", world.big, "--store", store))
    ended = time.time()
    stop.touch()
    for p in loops:
        ok(finished(p))
    before, after = world.months(world.prior), world.months(world.prior, world.big)
    assert settled(store) == after
    reads = [json.loads(line) for line in logs[0].read_text().splitlines()]
    reported = [json.loads(line) for line in logs[1].read_text().splitlines()]
    assert any(began < seen["at"] < ended for seen in reads), "no read while the ingest ran"
    assert any(began < seen["at"] < ended for seen in reported), "no report while the ingest ran"
    for seen in reads:  # every month at once: never some months of the batch without the others
        assert seen["counts"] in (dict(before), dict(after)), seen
    for seen in reported:
        assert seen["status"] == 0 and seen["samples"] in (before[seen["month"]], after[seen["month"]]), seen
    assert reads[-1]["counts"] == dict(after) and reported[-1]["samples"] == after[reported[-1]["month"]]


def test_an_ingest_and_a_boundary_replacement_never_interleave(world, tmp_path):
    store = copy_store(world.prior_store, tmp_path)
    procs = [
        start("analytics", "ingest", world.big, "--store", store),
        start("analytics", "boundaries", world.new_gpkg, "--store", store, "--replace"),
    ]
    for p in procs:
        ok(finished(p))
    assert settled(store) == world.months(world.prior, world.big)
    assert assignment(store) == "new"  # whichever went first, every row is counted by the final boundaries


def test_a_second_writer_is_refused_with_who_is_writing_or_waits_its_turn(world, tmp_path):
    store = copy_store(world.prior_store, tmp_path)
    release = tmp_path / "release"
    writer = start("tests.crash_driver", "kill", "ingest", world.big, "--store", store, "--at", f"pause:{release}")
    wait_for(lambda: Path(f"{release}.paused").exists() or writer.poll() is not None, what="the first writer")
    lock = json.loads((store / ".write.lock").read_text(encoding="utf-8"))
    assert lock["pid"] == writer.pid and lock["action"] == "ingest"
    refusals = [
        ingest(store, world.other, "--wait", "0"),
        run("analytics", "boundaries", world.new_gpkg, "--store", store, "--replace", "--wait", "0"),
    ]
    for refused in refusals:
        assert refused.returncode == 2, refused.stderr
        [line] = refused.stderr.strip().splitlines()
        assert line.startswith("lỗi: Kho dữ liệu đang được ghi (nạp số liệu đo, bởi ")
        assert f"bởi {command_line_actor().name}, từ " in line and "Traceback" not in refused.stderr
    with open(tmp_path / "waiting.err", "w+", encoding="utf-8") as err:
        waiting = subprocess.Popen(
            [sys.executable, "-m", "analytics", "ingest", world.other, "--store", store, "--wait", "120"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=err, text=True,
        )
        wait_for(lambda: "Đang chờ" in (tmp_path / "waiting.err").read_text(encoding="utf-8"), what="the waiter")
        release.touch()
        ok(finished(writer))
        assert waiting.wait(timeout=120) == 0, (tmp_path / "waiting.err").read_text(encoding="utf-8")
    assert command_line_actor().name in (tmp_path / "waiting.err").read_text(encoding="utf-8")
    assert settled(store) == world.months(world.prior, world.big, world.other)
    assert len(batches_of(store, world.other)) == 1 and assignment(store) == "old"


def test_opening_the_store_never_fails_while_writes_come_and_go(tmp_path):
    """Readers look for staged work without the lock, while writers create and remove the staging folder."""
    store = open_store(tmp_path / "store", create=True).root
    stop = tmp_path / "stop"
    outs = [tmp_path / f"open{i}.json" for i in range(2)]
    readers = [start("tests.crash_driver", "open-loop", "--store", store, "--out", o, "--stop", stop) for o in outs]
    wait_for(lambda: all(Path(f"{o}.started").exists() for o in outs), what="the readers")
    ok(run("tests.crash_driver", "churn", "--store", store, "--count", 100))
    stop.touch()
    for p in readers:
        ok(finished(p))
    for o in outs:
        seen = json.loads(o.read_text(encoding="utf-8"))
        assert seen["failures"] == [] and seen["opened"] > 20, (seen["opened"], seen["failures"][:3])
    assert len(list((store / "churn").iterdir())) == 100


def test_a_write_that_opens_the_store_or_nests_a_write_keeps_what_it_staged(tmp_path):
    """Recovery by the lock's holder never takes its own write in progress for a killed writer's leftovers."""
    me = Actor("tester", "cli")
    store = open_store(tmp_path / "store", create=True)
    with transaction(store, "ingest", me) as outer:
        outer.path_for("batches/outer.json").write_text("{}")
        open_store(store.root)  # e.g. a helper called by the write opens the store
        read_consistently(store, store.months)
        with transaction(store, "referral", me) as inner:  # a nested write (an import inside the demo build)
            inner.path_for("batches/inner.json").write_text("{}")
    assert sorted(p.name for p in store.batches_dir.iterdir()) == ["inner.json", "outer.json"]
    assert store.version().number == 2 and not store.staging_dir.exists()
