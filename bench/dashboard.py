"""Benchmark: server-side rerun times and map payload of the dashboard, beside a plain implementation.

Plain implementation: pandas reads the month's Parquet on every rerun, groups by commune, and hands
the full-resolution GeoJSON to px.choropleth_map. Ours: AppTest runs of the real pages (cached
aggregates, simplified cached geometry). Stores: the demo, and a national month built from
../shared/geo/vn_communes_2024.parquet (~3.1 M measurements; built once into bench/out/).
Targets: national map page < 1 s and < 3 MB; one province < 0.3 s and < 500 KB; demo widget change < 0.3 s.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import plotly.express as px

from bench.common import NATIONAL_2024, OUT, ROOT, national_month_csv, require_shared


def plain_rerun(store: Path, month: str) -> tuple[float, int]:
    """One rerun of the plain dashboard: read, group, full GeoJSON into px.choropleth_map."""
    t0 = time.perf_counter()
    frame = pd.read_parquet(store / "snapshots" / f"month={month}")
    frame = frame[frame["network_type"] == "4G"]
    means = frame.groupby("commune_code", as_index=False)["download_mbps"].mean()
    bounds = gpd.read_parquet(store / "boundaries.parquet")
    geojson = json.loads(bounds[["commune_code", "geometry"]].to_json())
    fig = px.choropleth_map(
        means,
        geojson=geojson,
        locations="commune_code",
        featureidkey="properties.commune_code",
        color="download_mbps",
        map_style="white-bg",
        zoom=4.5,
        center={"lat": 16, "lon": 106},
    )
    payload = fig.to_json()
    return time.perf_counter() - t0, len(payload)


def app_runs(store: Path, page: str, query: dict, changes: list[tuple[str, str, object]]) -> dict:
    """Server-side times of the page (first run, plain rerun, widget changes) and its chart payload."""
    from streamlit.testing.v1 import AppTest

    os.environ["ISPEED_STORE"] = str(store)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for k, v in query.items():
        at.query_params[k] = v
    t0 = time.perf_counter()
    at.run()
    at.switch_page(page)
    at.run()
    first = time.perf_counter() - t0
    assert not at.exception, [e.message for e in at.exception]
    reruns = []
    for _ in range(3):
        t0 = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - t0)
    payload = sum(len(el.proto.spec) for el in at.get("plotly_chart"))
    changed = {}
    for kind, key, value in changes:
        widget = getattr(at.sidebar, kind)(key=key)
        t0 = time.perf_counter()
        widget.set_value(value).run()
        changed[f"{key}={value}"] = time.perf_counter() - t0
        assert not at.exception
    return {"first": first, "rerun": statistics.median(reruns), "payload": payload, "changes": changed}


def national_store() -> Path:
    store = OUT / "national-store"
    if not (store / "snapshots").exists():
        csv = national_month_csv()
        py = sys.executable
        subprocess.run(
            [py, "-m", "analytics", "boundaries", str(NATIONAL_2024), "--store", str(store)], check=True, cwd=ROOT
        )
        subprocess.run([py, "-m", "analytics", "ingest", str(csv), "--store", str(store)], check=True, cwd=ROOT)
    return store


def demo_store() -> Path:
    store = OUT / "demo-store"
    if not (store / "snapshots").exists():
        from ingest.demo import build_demo

        build_demo(store)
    return store


def report(name: str, ours: dict, plain: tuple[float, int] | None, targets: tuple[float, float]) -> None:
    t_target, kb_target = targets
    print(f"\n== {name}")
    print(
        f"  ours: first run {ours['first']:.2f} s, rerun {ours['rerun'] * 1000:.0f} ms, "
        f"chart payload {ours['payload'] / 1e6:.2f} MB"
    )
    for change, seconds in ours["changes"].items():
        print(f"  ours: widget change {change:<28} {seconds * 1000:6.0f} ms")
    if plain:
        print(
            f"  plain: rerun {plain[0]:.2f} s, payload {plain[1] / 1e6:.2f} MB  "
            f"-> rerun ratio {plain[0] / ours['rerun']:.0f}x, payload ratio {plain[1] / ours['payload']:.1f}x"
        )
    slowest = max([ours["rerun"], *ours["changes"].values()])
    print(
        f"  targets: rerun < {t_target} s ({'met' if slowest < t_target else 'MISSED'} by slowest "
        f"{slowest:.2f} s), payload < {kb_target / 1e6:.1f} MB "
        f"({'met' if ours['payload'] < kb_target else 'MISSED'})"
    )


SCENARIOS = {
    "demo-map": (
        "demo",
        "pages/ban-do-toc-do.py",
        {},
        [
            ("selectbox", "f_month", "2025-01"),
            ("multiselect", "f_dist", ["991"]),
            ("multiselect", "f_car", ["Viettel"]),
            ("selectbox", "f_metric", "median"),
        ],
    ),
    "demo-overview": (
        "demo",
        "pages/tong-quan.py",
        {},
        [
            ("selectbox", "f_month", "2025-01"),
            ("multiselect", "f_dist", ["991"]),
            ("multiselect", "f_car", ["Viettel"]),
            ("selectbox", "f_metric", "median"),
        ],
    ),
    "national-map": ("national", "pages/ban-do-toc-do.py", {}, [("multiselect", "f_car", ["Viettel"])]),
    "province-map": ("national", "pages/ban-do-toc-do.py", {"prov": "01"}, [("multiselect", "f_car", ["VinaPhone"])]),
}


def run_scenario(name: str) -> None:
    """One scenario in this process (a fresh one per scenario keeps the timings independent)."""
    which, page, query, changes = SCENARIOS[name]
    store = demo_store() if which == "demo" else national_store()
    print("RESULT " + json.dumps(app_runs(store, page, query, changes)))


def scenario(name: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.dashboard", "--scenario", name], capture_output=True, text=True, cwd=ROOT
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"scenario {name} failed: {proc.stderr[-2000:]}")
    return json.loads(line[7:])


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--scenario":
        run_scenario(sys.argv[2])
        return
    demo = demo_store()
    month = sorted(p.name[6:] for p in (demo / "snapshots").iterdir())[-1]
    report("demo store, speed map page", scenario("demo-map"), plain_rerun(demo, month), (0.3, 500_000))
    report("demo store, overview page", scenario("demo-overview"), None, (0.3, 500_000))
    require_shared()
    national = national_store()
    month = sorted(p.name[6:] for p in (national / "snapshots").iterdir())[-1]
    report(
        "national store (10,462 communes, 3.1 M rows), speed map page",
        scenario("national-map"),
        plain_rerun(national, month),
        (1.0, 3_000_000),
    )
    report("national store, one province (Hà Nội, 579 communes)", scenario("province-map"), None, (0.3, 500_000))


if __name__ == "__main__":
    main()
