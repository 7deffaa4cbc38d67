"""Benchmark: does the dashboard's cost grow with the months stored? (issue: history at national scale)

Stores: one national month (~3.1 M measurements over the 10,462 communes of 2024, bench.dashboard) copied under
the 23 months before it, then ``python -m analytics rebuild`` (timed): 24 national months, ~75 M measurements. The
1-, 6- and 12-month stores hard-link the latest months of it (snapshots and their per-month rollups, which depend on
their own month only).

For each, in a fresh process per page (the server's first visit), with Streamlit's AppTest:
- ours: the speed map (first visit, rerun, a carrier never chosen before nationally, then for one province), the
  overview and the trend page (their trends read every month), with the process's peak memory;
- the previous version (git worktree of PREVIOUS: every month loaded into an in-memory table at start) on the same
  pages, where it fits in this machine's memory (``--previous-max``, default 6 months; 12 took 11 GB and 83 s, 24
  cannot fit). Its national map (speed map, overview) fails with a GEOS topology error, so it is compared on the
  trend page;
- the plain dashboard (bench.dashboard.plain_rerun: pandas reads the month and hands full GeoJSON to plotly).
Printed as ratios from the same run; targets are printed beside, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import OUT, ROOT, require_shared, run_timed
from bench.dashboard import national_store, plain_rerun

PREVIOUS = "25222c1"  # the last commit that loaded every month into memory
SIZES = (1, 6, 12, 24)
PROVINCE = "01"  # Hà Nội, 579 communes
TARGETS = {"first": 15.0, "rerun": 0.3, "change_national": 0.5, "change_province": 0.3, "peak_gb": 3.0}

# One page in a fresh interpreter, in the app's own folder (our code or the previous version's), through that
# version's bench.dashboard.app_runs; each change is named here in order.
_RUNNER = r"""
import json, sys
from pathlib import Path
from bench.dashboard import app_runs
store, page, changes = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
out = app_runs(store, page, {}, [tuple(c[1:]) for c in changes])
timed = dict(zip([c[0] for c in changes], out.pop("changes").values(), strict=True))
print("RESULT " + json.dumps(out | timed))
"""
MAP_CHANGES = [
    ["change_national", "multiselect", "f_car", ["Vietnamobile"]],
    ["province_first", "selectbox", "f_prov", PROVINCE],
    ["change_province", "multiselect", "f_car", ["MobiFone"]],
]
PAGES = {
    "map": ("pages/ban-do-toc-do.py", MAP_CHANGES),
    "overview": ("pages/tong-quan.py", []),
    "trend": ("pages/xu-huong.py", []),  # no map: the previous version's national map fails (see README)
}


def history_store(months: int) -> Path:
    """The 24-month store (built by copying one month and rebuilding), or a smaller one linked from it; derived data
    of an earlier layout is brought up to date first, so that no timed first visit includes it."""
    from ingest.derived import ensure_derived
    from store.transaction import open_store

    full = OUT / "history-24"
    if not (full / "rollups").exists():
        _build_full(full)
    store = full if months == 24 else OUT / f"history-{months}"
    if not store.exists():
        _link_latest(full, store, months)
    ensure_derived(open_store(store))
    return store


def _build_full(full: Path) -> None:
    national = national_store()
    shutil.rmtree(full, ignore_errors=True)
    shutil.copytree(national, full, ignore=shutil.ignore_patterns("snapshots", "rollups", ".staging"))
    (source,) = sorted((national / "snapshots").iterdir())
    year, month = map(int, source.name.removeprefix("month=").split("-"))
    for back in range(24):
        y, m = divmod(year * 12 + month - 1 - back, 12)
        target = full / "snapshots" / f"month={y}-{m + 1:02d}"
        target.mkdir(parents=True)
        for f in source.glob("*.parquet"):
            shutil.copy(f, target / f.name)
    seconds, peak, _ = run_timed([sys.executable, "-m", "analytics", "rebuild", "--store", str(full)])
    print(f"rebuild of 24 national months: {seconds:.0f} s, peak memory {peak:.1f} GB")


def _link_latest(full: Path, store: Path, months: int) -> None:
    """Hard links: the root files, the display geometry, and the latest months' snapshots and rollups."""
    latest = sorted(p.name for p in (full / "snapshots").iterdir())[-months:]
    for path in full.rglob("*"):
        rel = path.relative_to(full)
        parts = rel.parts
        if path.is_dir() or ".staging" in parts:
            continue
        if parts[0] in ("snapshots", "rollups") and parts[1].startswith("month=") and parts[1] not in latest:
            continue
        (store / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(path, store / rel)


def previous_version() -> Path:
    """A worktree of the previous version (same store format; it ignores the rollups)."""
    tree = OUT / f"previous-{PREVIOUS}"
    if not (tree / "app.py").exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(tree), PREVIOUS], check=True, cwd=ROOT)
    return tree


def page_run(app_dir: Path, store: Path, page: str, changes: list) -> dict:
    env = {"PYTHONPATH": str(app_dir)}
    args = [sys.executable, "-c", _RUNNER, str(store), page, json.dumps(changes)]
    try:
        seconds, peak, output = run_timed(args, env=env, cwd=app_dir)  # the app's own packages, not this checkout's
    except RuntimeError as exc:  # told in the table (the previous version cannot draw the national map)
        return {"error": str(exc).strip().splitlines()[-2][:160]}
    line = next(ln for ln in output.splitlines() if ln.startswith("RESULT "))
    return {**json.loads(line[7:]), "peak_gb": peak}


def rows_of(store: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in (store / "snapshots").rglob("*.parquet"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--previous-max", type=int, default=6, help="largest store the previous version is run on")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    require_shared()
    sizes = [int(s) for s in args.sizes.split(",")]
    previous = previous_version() if args.previous_max else None
    results = []
    for n in sizes:
        store = history_store(n)
        month = sorted(p.name[6:] for p in (store / "snapshots").iterdir())[-1]
        row = {"months": n, "rows": rows_of(store)}
        for name, (page, changes) in PAGES.items():
            row[f"ours_{name}"] = page_run(ROOT, store, page, changes)
            if previous and n <= args.previous_max:
                row[f"previous_{name}"] = page_run(previous, store, page, changes)
        t0 = time.perf_counter()
        plain = [plain_rerun(store, month)[0] for _ in range(2)]
        row["plain_rerun"] = statistics.median(plain) if plain else time.perf_counter() - t0
        results.append(row)
        print(json.dumps(row), flush=True)
    exports = _exports(history_store(max(sizes)))
    report(results, exports)


def _exports(store: Path) -> dict:
    """Map image (PNG, after the first image) and the deck for one province, on the largest store."""
    from core.settings import Settings
    from exports.deck import build_deck
    from exports.images import render, titled_figure
    from geo.boundaries import load_areas
    from geo.mapgeom import area_geometry
    from ingest.derived import read_display
    from metrics.briefing import build_briefing
    from metrics.engine import StatsEngine
    from metrics.filters import Filters
    from store.transaction import open_store
    from viz import figures

    st = open_store(store)
    engine = StatsEngine(st, load_areas(st.boundaries_path))
    filters = Filters(st.months()[-1], provinces=(PROVINCE,))
    t0 = time.perf_counter()
    b = build_briefing(engine, filters, Settings(), None)
    geometry = area_geometry(read_display(st), filters.provinces, (), "export")
    briefing = time.perf_counter() - t0
    fig = titled_figure(
        figures.speed_map_figure(b.communes, geometry, filters, Settings(), "mean", "vi"), "Bản đồ", "", "", geometry
    )
    render(fig, "png")  # the first image starts Chromium
    times = []
    for fmt in ("png", "svg", "png"):
        t0 = time.perf_counter()
        render(fig, fmt)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    build_deck(b, geometry, "vi")
    deck = time.perf_counter() - t0
    return {"briefing": briefing, "map_image": max(times), "deck": deck + briefing}


def _previous_cells(r: dict) -> str:
    """The previous version's trend page (it reads every month): first visit, rerun, peak memory."""
    prev = r.get("previous_trend")
    if not prev:
        return f"previous: {'not run (does not fit / --previous-max)':>38}"
    if "error" in prev:
        return f"previous: {'failed (below)':>38}"
    return f"previous: {prev['first']:>6.1f}s {prev['rerun']:>6.2f}s {'':>13} {prev['peak_gb']:>7.2f}"


def report(results: list[dict], exports: dict) -> None:
    print("\n== History at national scale (speed map and overview; a fresh server process per page)")
    print(
        f"{'months':>6} {'rows':>11} | {'first map':>9} {'first ovw':>9} {'rerun':>7} {'carrier':>8} "
        f"{'province':>8} {'peak GB':>7} | previous, trend: {'first':>8} {'rerun':>6} {'peak GB':>7} | "
        f"{'plain rerun':>11}"
    )
    for r in results:
        ours, ovw = r["ours_map"], r["ours_overview"]
        peak = max(r[f"ours_{name}"]["peak_gb"] for name in PAGES)
        line = (
            f"{r['months']:>6} {r['rows']:>11,} | {ours['first']:>8.1f}s {ovw['first']:>8.1f}s "
            f"{ours['rerun']:>6.2f}s {ours['change_national']:>7.2f}s {ours['change_province']:>7.2f}s {peak:>7.2f} | "
        )
        print(line + _previous_cells(r) + f" | {r['plain_rerun']:>10.2f}s")
        for name in PAGES:
            if "error" in r.get(f"previous_{name}", {}):
                print(f"{'':>20}previous version, {name} page failed: {r[f'previous_{name}']['error']}")
    print("\n== Ratios (same run)")
    for r in results:
        ours = r["ours_map"]
        text = f"  {r['months']:>2} months: plain rerun / our rerun {r['plain_rerun'] / ours['rerun']:.0f}x"
        text += f", plain rerun / our new carrier {r['plain_rerun'] / ours['change_national']:.0f}x"
        prev, mine = r.get("previous_trend", {}), r["ours_trend"]
        if "first" in prev:
            text += (
                f"; trend page, previous / ours: first visit {prev['first'] / mine['first']:.1f}x, "
                f"peak memory {prev['peak_gb'] / mine['peak_gb']:.1f}x"
            )
        print(text)
    first, last = results[0], results[-1]
    growth = last["ours_map"]["first"] / first["ours_map"]["first"]
    print(f"  our first visit, {last['months']} months / {first['months']} month: {growth:.2f}x")
    print("\n== Targets (printed, not asserted)")
    pages = [r[f"ours_{name}"] for r in results for name in PAGES]
    worst = {
        "first": max(p["first"] for p in pages),
        "rerun": max(p["rerun"] for p in pages),
        "change_national": max(r["ours_map"]["change_national"] for r in results),
        "change_province": max(r["ours_map"]["change_province"] for r in results),
        "peak_gb": max(p["peak_gb"] for p in pages),
    }
    for key, limit in TARGETS.items():
        print(f"  {key:<16} worst {worst[key]:8.2f}  target < {limit:<5} {'met' if worst[key] < limit else 'MISSED'}")
    print(
        f"  map image (PNG/SVG after the first) {exports['map_image']:.2f} s, target < 1 s: "
        f"{'met' if exports['map_image'] < 1 else 'MISSED'}"
    )
    print(
        f"  deck for one province (Hà Nội) {exports['deck']:.1f} s, target < 10 s: "
        f"{'met' if exports['deck'] < 10 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
