"""Where the overview page and the deck show the same thing, they show the same rows: the deck is built as a user
gets it (the command line), the page is run as a user sees it (AppTest), and their tables are compared."""

from __future__ import annotations

import pandas as pd
import pytest
from pptx import Presentation

from core.formats import number
from core.i18n import t
from core.settings import Settings
from geo.boundaries import load_boundaries
from metrics.briefing import build_briefing
from metrics.engine import StatsEngine
from metrics.filters import Filters
from tests.apptest_helpers import figures, run_page
from tests.conftest import require_chromium
from tests.helpers import make_report


@pytest.fixture(scope="module")
def deck(demo_store, tmp_path_factory):
    require_chromium()
    out = tmp_path_factory.mktemp("deck") / "deck.pptx"
    assert make_report(demo_store, "pptx", out) == 0
    return list(Presentation(str(out)).slides)


@pytest.fixture(scope="module")
def overview(demo_store):
    import os

    os.environ["ISPEED_STORE"] = str(demo_store.root)
    try:
        from streamlit.testing.v1 import AppTest

        from tests.conftest import ROOT

        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        return run_page(at, "pages/tong-quan.py")
    finally:
        del os.environ["ISPEED_STORE"]


def _slide_rows(slides, title_start: str) -> list[dict[str, str]]:
    """The rows of the tables on these slides, each by its column's heading."""
    rows = []
    for slide in slides:
        if not slide.shapes.title.text.startswith(title_start):
            continue
        for shape in slide.shapes:
            if shape.has_table:
                header, *body = list(shape.table.rows)
                names = [c.text for c in header.cells]
                rows += [dict(zip(names, [c.text for c in row.cells], strict=True)) for row in body]
    return rows


def _page_table(at, column_key: str) -> pd.DataFrame:
    """The page's table that has the column of this language key."""
    return next(df.value for df in at.dataframe if t(column_key) in df.value.columns)


def test_the_slowest_communes_are_the_same_rows(deck, overview):
    page = _page_table(overview, "col_gap_target")
    slides = _slide_rows(deck, "Xã có tốc độ thấp nhất")
    assert len(page) == min(10, len(slides))
    for (_, row), slide_row in zip(page.iterrows(), slides, strict=False):
        for key in ("col_commune", "col_mean", "col_gap_target"):  # in the same number format
            assert slide_row[t(key)] == row[t(key)], key


def test_the_communes_under_the_quota_are_the_same_rows(deck, overview):
    page = _page_table(overview, "col_gap_quota")
    slides = _slide_rows(deck, "Xã chưa đủ chỉ tiêu mẫu")
    assert len(page) == min(10, len(slides))
    for (_, row), slide_row in zip(page.iterrows(), slides, strict=False):
        for key in ("col_commune", "col_samples", "col_gap_quota"):
            assert slide_row[t(key)] == row[t(key)], key


def test_the_headline_figures_are_the_same(deck, overview):
    headline = next(sh for sh in deck[1].shapes if sh.has_table).table
    rows = {headline.cell(i, 0).text: headline.cell(i, 1).text for i in range(1, len(headline.rows))}
    metrics = {m.label: m.value for m in overview.metric}
    samples_label = next(k for k in rows if k.startswith("Số mẫu đo di động"))
    assert rows[samples_label].startswith(metrics["Số mẫu đo di động"] + " ")
    quota_label = next(k for k in rows if k.startswith("Xã đủ"))
    assert rows[quota_label] == metrics[quota_label]
    target_label = next(k for k in rows if k.startswith("Xã đạt"))
    assert rows[target_label].startswith(metrics[target_label] + " ")
    speed_label = next(k for k in rows if k.startswith("Tốc độ tải xuống TB"))
    speed_metric = next(v for k, v in metrics.items() if k.startswith("Tốc độ tải xuống TB"))
    assert rows[speed_label].startswith(speed_metric)


def test_the_carriers_chart_shows_the_same_carriers_as_the_deck(demo_store, overview):
    engine = StatsEngine(demo_store, load_boundaries(demo_store.boundaries_path))
    b = build_briefing(engine, Filters(demo_store.months()[-1]), Settings())
    chart = next(f for f in figures(overview) if f["data"] and f["data"][0].get("orientation") == "h")
    page = dict(zip(chart["data"][0]["y"], chart["data"][0]["text"], strict=True))
    expected = {c: number(m, 1, "vi") for c, m in zip(b.carriers["carrier"], b.carriers["mean_download_mbps"], strict=True)}
    assert {k.split(" (")[0]: v for k, v in page.items()} == expected
