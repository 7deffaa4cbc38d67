"""The demo store: deterministic, clearly labelled, and shaped like real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.settings import Settings
from geo.boundaries import load_boundaries
from ingest.demo import MONTHS, PROVINCE_NAME, REFORM_MONTH, build_boundaries, measurements, reform_boundaries
from metrics.engine import StatsEngine
from metrics.filters import Filters
from tests.helpers import stored


def test_demo_is_deterministic():
    a_bounds = build_boundaries(np.random.default_rng(1))
    b_bounds = build_boundaries(np.random.default_rng(1))
    assert a_bounds.geometry.equals(b_bounds.geometry)
    a = measurements(a_bounds, reform_boundaries(a_bounds)[1], np.random.default_rng(2))
    b = measurements(b_bounds, reform_boundaries(b_bounds)[1], np.random.default_rng(2))
    pd.testing.assert_frame_equal(a[MONTHS[-1]], b[MONTHS[-1]])


def test_demo_store_shape(demo_store):
    bounds = load_boundaries(demo_store.boundaries_path)
    assert "dữ liệu minh họa" in PROVINCE_NAME and set(bounds["province_name"]) == {PROVINCE_NAME}
    # The system in force today: communes without districts, each the union of old communes.
    assert bounds["district_code"].isna().all() and len(bounds) == 40
    # Wards in the old city, communes elsewhere; a town's name loses its whole prefix ('Thị trấn').
    assert bounds["commune_name"].str.match(r"^(Phường|Xã) [A-ZĐÂ]").all()
    assert not bounds["commune_name"].str.contains("trấn").any()
    assert bounds.geometry.is_valid.all()
    # A tessellation: neighbours touch without overlapping (areas in metres, VN-2000 / UTM 48N).
    metric = bounds.to_crs("EPSG:3405").geometry
    assert metric.union_all().area == pytest.approx(metric.area.sum(), rel=1e-9)
    assert demo_store.months() == MONTHS and demo_store.months()[-1] == "2026-10"
    # The earlier system is kept, and today's is in force from July 2025.
    versions = demo_store.boundary_versions()
    assert [v.get("effective_from") for v in versions][1:] == [REFORM_MONTH]
    assert [v["districts"] for v in versions] == [8, 0] and versions[0]["communes"] == 120


def test_demo_history_before_the_reform_is_in_todays_communes(demo_store):
    """Months before July 2025 are re-joined to today's communes by their coordinates; every sample accounted."""
    from metrics.briefing import build_briefing

    engine = StatsEngine(demo_store, load_boundaries(demo_store.boundaries_path))
    before = build_briefing(engine, Filters("2025-06"), Settings())
    assert len(before.communes) == 40 and (before.communes["samples"] > 0).all()
    assert before.account.total == int(before.overall["samples"])
    assert before.account.in_communes + before.account.unassigned_samples == before.account.total
    after = build_briefing(engine, Filters(REFORM_MONTH), Settings())
    assert after.headline.change_mbps is None and after.headline.boundaries_changed  # not compared across
    referral = pd.read_parquet(demo_store.referral_path)
    assert (~referral["former"]).sum() == 40  # today's list
    assert referral["former"].sum() > 0  # old codes still carried by measurements, kept and traced


def test_demo_measurements_look_real(demo_store):
    data = stored(demo_store)
    first, last = demo_store.months()[0], demo_store.months()[-1]
    assert not (data.loc[data["month"] == first, "network_type"] == "5G").any()  # 5G only in later months
    assert (data.loc[data["month"] == last, "network_type"] == "5G").any()
    assert (data["access_type"] == "fixed").mean() > 0.05
    assert data["carrier"].nunique() >= 5
    speed = data[data["network_type"] == "4G"].groupby("carrier")["download_mbps"].mean()
    assert speed["Viettel"] > speed["Vietnamobile"]
    assert (
        data.loc[data["month"] == last, "download_mbps"].mean()
        > data.loc[data["month"] == first, "download_mbps"].mean()
    )
    batches = demo_store.batch_summaries()
    assert all(b["rejected"] >= 1 for b in batches) and all(b["duplicate"] >= 1 for b in batches)
    assert sum(b["assigned_by_referral"] for b in batches) > 0
    assert sum(b["unassigned"] for b in batches) > 0  # neither a point nor a code


def test_demo_has_communes_under_quota_and_with_insufficient_data(demo_store):
    engine = StatsEngine(demo_store, load_boundaries(demo_store.boundaries_path))
    table = engine.commune_table(Filters(demo_store.months()[-1]), Settings())
    assert (~table["meets_quota"]).sum() >= 5
    assert (table["speed_samples"] < 30).sum() >= 3
    assert table["meets_speed_target"].fillna(False).any() and (~table["meets_speed_target"].fillna(True)).any()
    wards = table["commune_name"].str.startswith("Phường")
    assert table.loc[wards, "mean_download_mbps"].mean() > table.loc[~wards, "mean_download_mbps"].mean()


# ---- the first start: built once, atomically, by one builder -----------------------------------------


def test_an_interrupted_build_leaves_nothing_and_the_next_start_builds_again(tmp_path, monkeypatch):
    import ingest.measurements as measurements
    from ingest.demo import ensure_demo, is_complete_demo

    root = tmp_path / "data" / "demo-store"
    real = measurements.ingest_files

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt  # Ctrl-C, or Streamlit stopping the script, in the middle of loading

    monkeypatch.setattr(measurements, "ingest_files", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ensure_demo(root, months=2)
    assert sorted(p.name for p in root.parent.iterdir()) == [".demo-store.lock"]  # no store, no half folder
    monkeypatch.setattr(measurements, "ingest_files", real)
    store = ensure_demo(root, months=2)
    assert is_complete_demo(root) and len(store.months()) == 2


def test_a_killed_build_is_cleaned_up_and_rebuilt(tmp_path):
    """SIGKILL in the middle of the build: the half-built folder is hidden, never the store, and goes next time."""
    import signal
    import subprocess
    import sys
    import time

    from ingest.demo import ensure_demo, is_complete_demo
    from tests.conftest import ROOT

    root = tmp_path / "demo-store"
    code = f"from ingest.demo import ensure_demo; ensure_demo({str(root)!r}, months=3)"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".demo-store.building-*/boundaries.parquet")):  # the build has begun
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not root.exists() and list(tmp_path.glob(".demo-store.building-*"))
    ensure_demo(root, months=2)
    assert is_complete_demo(root) and not list(tmp_path.glob(".demo-store.building-*"))


def test_an_incomplete_or_old_demo_store_is_rebuilt(tmp_path, demo_store):
    """A demo folder built by an older version in several writes may hold boundaries and no measurements."""
    import shutil

    from ingest.demo import ensure_demo, is_complete_demo

    root = tmp_path / "demo-store"
    root.mkdir()
    shutil.copy(demo_store.boundaries_path, root / "boundaries.parquet")
    assert not is_complete_demo(root)
    store = ensure_demo(root, months=2)
    assert is_complete_demo(root) and store.months() == demo_store.months()[-2:]


def test_two_processes_starting_at_once_build_the_demo_once(tmp_path):
    import json
    import subprocess
    import sys

    from store.audit import read_audit
    from store.folder import Store
    from tests.conftest import ROOT

    root = tmp_path / "demo-store"
    code = f"from ingest.demo import ensure_demo; s = ensure_demo({str(root)!r}, months=2); print(len(s.months()))"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs) and outputs[0] == outputs[1] != "0"
    demo_records = [r for r in read_audit(Store(root)) if r["action"] == "demo"]
    assert len(demo_records) == 1, json.dumps(demo_records)  # one builder; the other waited and found it done


def test_sessions_of_one_server_share_one_build(tmp_path, monkeypatch):
    import threading

    import ui.bootstrap as bootstrap

    started = threading.Event()
    release = threading.Event()

    def slow_build(_root, progress=None):
        started.set()
        release.wait(10)

    monkeypatch.setattr(bootstrap, "ensure_demo", slow_build)
    root = tmp_path / "demo-store"
    work = lambda progress: bootstrap.ensure_demo(root, progress)  # noqa: E731 - as ensure_demo_ready asks
    first = bootstrap._build_for("demo", root, work)
    started.wait(10)
    builds = [bootstrap._build_for("demo", root, work) for _ in range(5)]  # five more visitors while it runs
    assert all(b is first for b in builds)
    release.set()
    first.done.wait(10)
    assert first.error is None


def test_the_progress_tells_the_time_left_from_the_time_taken():
    import time

    from ui.bootstrap import Build

    build = Build(work=lambda _progress: None, started=time.monotonic() - 10)
    build.fraction = 0.1
    assert build.remaining_seconds() is None  # too early to say
    build.fraction = 0.5
    assert 9 <= build.remaining_seconds() <= 11  # half done in 10 s: about 10 s left
