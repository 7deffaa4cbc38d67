"""Benchmark: ingest one national month (~3 M rows as CSV, ~300 per commune of vn_communes_2024).

Prints wall time and peak memory of `python -m analytics ingest` (validation, de-duplication and the
spatial join included) beside a plain baseline (pandas.read_csv + geopandas.sjoin, no validation).
Targets on the 2-core machine: under 3 minutes and under 4 GB.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from bench.common import NATIONAL_2024, national_month_csv, require_shared, run_timed

_BASELINE = """
import sys, pandas as pd, geopandas as gpd
b = gpd.read_parquet(sys.argv[1])
m = pd.read_csv(sys.argv[2])
pts = gpd.GeoDataFrame(m, geometry=gpd.points_from_xy(m.lon, m.lat), crs=4326)
j = gpd.sjoin(pts, b[['commune_code', 'geometry']], predicate='within', how='left')
print(len(j))
"""


def main() -> None:
    require_shared()
    csv = national_month_csv()
    size_mb = csv.stat().st_size / 1e6
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        run_timed([py, "-m", "analytics", "boundaries", str(NATIONAL_2024), "--store", str(store)])
        ours, ours_mem, out = run_timed([py, "-m", "analytics", "ingest", str(csv), "--store", str(store)])
        again, _, out_again = run_timed([py, "-m", "analytics", "ingest", str(csv), "--store", str(store)])
        shutil.rmtree(store)
    base, base_mem, _ = run_timed([py, "-c", _BASELINE, str(NATIONAL_2024), str(csv)])
    print(f"input: {csv.name} ({size_mb:.0f} MB)")
    print(out.strip().splitlines()[0])
    print(f"ingest (validate + dedupe + spatial join + write): {ours:6.1f} s, peak {ours_mem:4.2f} GB")
    print(f"same file again (detected, nothing added):        {again:6.1f} s  [{out_again.strip().splitlines()[0]}]")
    print(f"plain baseline (read_csv + sjoin, no validation):  {base:6.1f} s, peak {base_mem:4.2f} GB")
    print(f"ratio ingest / baseline: {ours / base:.2f}x time")
    print(f"targets: < 180 s ({'met' if ours < 180 else 'MISSED'}), < 4 GB ({'met' if ours_mem < 4 else 'MISSED'})")


if __name__ == "__main__":
    main()
