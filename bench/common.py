"""Shared helpers for the benchmarks: the national synthetic month and timing of subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = ROOT.parent / "shared" / "geo"
OUT = ROOT / "bench" / "out"
NATIONAL_2024 = SHARED_GEO / "vn_communes_2024.parquet"


def require_shared() -> None:
    if not NATIONAL_2024.exists():
        sys.exit(f"skipped: {NATIONAL_2024} not found (the benchmark needs ../shared/geo beside the repo)")


def national_month_csv(per_commune: int = 300, month: str = "2024-10", seed: int = 7) -> Path:
    """About 300 measurements per commune of the 2024 boundaries, as one CSV (cached in bench/out)."""
    path = OUT / f"national_{month}_{per_commune}.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    bounds = gpd.read_parquet(NATIONAL_2024)
    bounds = bounds[bounds["commune_code"].notna()]
    xs, ys, codes = [], [], []
    for code, geom in zip(bounds["commune_code"], bounds.geometry.values, strict=True):
        n = int(rng.poisson(per_commune))
        x, y = _points_in(geom, n, rng)
        xs.append(x)
        ys.append(y)
        codes.append(np.full(len(x), code, dtype=object))
    lon, lat = np.concatenate(xs), np.concatenate(ys)
    n = len(lon)
    start = pd.Timestamp(f"{month}-01")
    seconds = rng.integers(0, start.days_in_month * 86400, n)
    frame = pd.DataFrame(
        {
            "measured_at": (start + pd.to_timedelta(seconds, unit="s")).strftime("%Y-%m-%dT%H:%M:%S"),
            "network_type": rng.choice(["4G", "3G", "5G", "WIFI"], n, p=[0.8, 0.08, 0.04, 0.08]),
            "carrier": rng.choice(["Viettel", "VinaPhone", "MobiFone", "Vietnamobile"], n, p=[0.5, 0.25, 0.2, 0.05]),
            "download_mbps": rng.lognormal(np.log(40), 0.6, n).round(2),
            "upload_mbps": rng.lognormal(np.log(15), 0.6, n).round(2),
            "latency_ms": rng.lognormal(np.log(35), 0.4, n).round(1),
            "lat": lat.round(6),
            "lon": lon.round(6),
            "referral_code": np.where(rng.random(n) < 0.3, "X", None),
        }
    )
    frame.to_csv(path, index=False)
    return path


def _points_in(geom, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    xs, ys = [np.empty(0)], [np.empty(0)]
    got, tries = 0, 0
    while got < n and tries < 20:
        cx, cy = rng.uniform(minx, maxx, 4 * n + 8), rng.uniform(miny, maxy, 4 * n + 8)
        inside = shapely.contains_xy(geom, cx, cy)
        xs.append(cx[inside])
        ys.append(cy[inside])
        got += int(inside.sum())
        tries += 1
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]


# Runs the command in a fresh wrapper process so that RUSAGE_CHILDREN is that command's peak alone.
_WRAPPER = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print('PEAK_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(r.returncode)"
)


def run_timed(args: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, float, str]:
    """Wall seconds, peak resident memory (GB) of the command, and its output."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {proc.stderr.strip()[-2000:]}")
    peak_kb = int(next(ln.split()[1] for ln in proc.stderr.splitlines() if ln.startswith("PEAK_KB")))
    output = "\n".join(ln for ln in (proc.stdout + proc.stderr).splitlines() if not ln.startswith("PEAK_KB"))
    return elapsed, peak_kb / 1024 / 1024, output
