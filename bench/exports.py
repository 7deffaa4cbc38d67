"""Benchmark: image export through the persistent kaleido server, and the whole PPTX deck.

Prints the first image (starts Chromium), later images (reuse it), and the deck, beside the plain
approach of one fresh kaleido process per image (plotly's write_image without a server).
"""

from __future__ import annotations

import statistics
import time

import pandas as pd

from bench.dashboard import demo_store
from core.settings import Settings
from exports.deck import build_deck
from exports.images import CHROMIUM, for_export, render, source_line, titled_figure
from geo.boundaries import load_boundaries
from geo.mapgeom import build_map_geometry
from metrics.briefing import build_briefing
from metrics.engine import StatsEngine
from metrics.filters import Filters
from viz import figures


def main() -> None:
    store = demo_store()
    from store.transaction import open_store

    st = open_store(store)
    bounds = load_boundaries(st.boundaries_path)
    engine = StatsEngine(st, pd.DataFrame(bounds.drop(columns="geometry")))
    b = build_briefing(engine, Filters(st.months()[-1]), Settings(), pd.read_parquet(st.referral_path))
    geometry = build_map_geometry(bounds, "export")
    subtitle, source = b.describe("vi"), source_line(b.filters.month, "vi")
    chart = for_export(figures.trend_figure(b.monthly, b.filters, b.settings, "vi"), "Tốc độ tải xuống trung bình", subtitle, source)
    speed = figures.speed_map_figure(b.communes, geometry, b.filters, b.settings, "mean", "vi")
    mapped = titled_figure(speed, "Bản đồ tốc độ 4G", subtitle, source, geometry)

    t0 = time.perf_counter()
    render(chart, "png")
    first = time.perf_counter() - t0
    later = []
    for fig in (chart, mapped, chart, mapped, chart):
        t0 = time.perf_counter()
        render(fig, "png")
        later.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    render(mapped, "svg")
    svg = time.perf_counter() - t0
    t0 = time.perf_counter()
    deck = build_deck(b, geometry, "vi")
    deck_time = time.perf_counter() - t0

    import kaleido

    kaleido.stop_sync_server(silence_warnings=True)
    plain = []
    for _ in range(2):  # no server: each image starts its own Chromium
        t0 = time.perf_counter()
        kaleido.calc_fig_sync(
            chart, opts={"format": "png", "width": 1920, "height": 1080}, kopts={"path": CHROMIUM, "mathjax": False}
        )
        plain.append(time.perf_counter() - t0)

    print(f"first image (starts Chromium):  {first:6.2f} s")
    print(f"later images (chart/map, PNG):  median {statistics.median(later):.2f} s, max {max(later):.2f} s")
    print(f"map as SVG:                     {svg:6.2f} s")
    print(f"whole deck ({len(deck) / 1e6:.1f} MB PPTX):      {deck_time:6.2f} s")
    print(
        f"plain (fresh Chromium per image): median {statistics.median(plain):.2f} s "
        f"-> {statistics.median(plain) / statistics.median(later):.0f}x slower than a later image"
    )


if __name__ == "__main__":
    main()
