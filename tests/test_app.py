"""Every page, every filter, shared URLs and the empty cases, through streamlit's AppTest."""

from __future__ import annotations

import geopandas as gpd
import pytest

from geo.boundaries import load_boundaries
from ingest.boundaries import import_boundaries
from ingest.measurements import ingest_files
from store.transaction import open_store
from tests.apptest_helpers import PAGES, app_for, figure_titles, figures, metric, run_page
from tests.conftest import centre, tiny_boundaries
from tests.helpers import row, write_csv


def started_app(store, monkeypatch):
    """The app on ``store``, after its first run (which must not fail)."""
    at = app_for(store.root, monkeypatch)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def demo_app(demo_store, monkeypatch):
    return started_app(demo_store, monkeypatch)


@pytest.fixture
def district_app(district_store, monkeypatch):
    """The app on the demo province before the 2025 reform, when it had districts."""
    return started_app(district_store, monkeypatch)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_vietnamese(demo_app, page):
    at = run_page(demo_app, page)
    titles = [h.value for h in at.title]
    assert titles, "each page has a title"
    assert not at.error
    if page in (
        "pages/ban-do-toc-do.py",
        "pages/ban-do-do-phu-mau.py",
        "pages/tong-quan.py",
        "pages/nha-mang.py",
        "pages/xu-huong.py",
    ):
        assert figures(at), f"{page} shows charts"
    assert any(
        "Dữ liệu" in p or "Tổng quan" in p or "Bản đồ" in p or "Nhà mạng" in p or "Xu hướng" in p or "Xã/phường" in p
        for p in titles
    )
    assert at.info[0].value.startswith("Đang xem dữ liệu minh họa")  # the demo says it is a demo


def test_overview_figures_match_the_engine(demo_app, demo_store):
    from core.settings import Settings
    from geo.boundaries import load_boundaries
    from metrics.engine import StatsEngine
    from metrics.filters import Filters

    at = run_page(demo_app, "pages/tong-quan.py")
    month = demo_store.months()[-1]
    engine = StatsEngine(demo_store, load_boundaries(demo_store.boundaries_path))
    whole = engine.overall(Filters(month), Settings())
    expected = f"{whole['mean_download_mbps']:.1f}".replace(".", ",") + " Mbps"
    assert metric(at, "Tốc độ tải xuống TB").value == expected
    table = engine.commune_table(Filters(month), Settings())
    assert metric(at, "Xã đủ 300 mẫu").value == f"{int(table['meets_quota'].sum())} / {len(table)}"


def test_month_filter_changes_figures_and_url(demo_app, demo_store):
    at = run_page(demo_app, "pages/tong-quan.py")
    before = metric(at, "Số mẫu đo di động").value
    first = demo_store.months()[0]
    at.sidebar.selectbox(key="f_month").set_value(first).run()
    assert not at.exception
    assert at.title[0].value.endswith(f"tháng {first[5:]}/{first[:4]}")
    assert metric(at, "Số mẫu đo di động").value != before
    assert at.query_params["month"] == first


def test_district_filter_limits_the_map_and_tables(district_app):
    at = run_page(district_app, "pages/ban-do-toc-do.py")
    all_codes = len(figures(at)[0]["data"][0]["locations"])
    at.sidebar.multiselect(key="f_dist").set_value(["991"]).run()
    assert not at.exception
    fig = figures(at)[0]
    assert len(fig["data"][0]["locations"]) == 15 < all_codes
    assert at.query_params["dist"] == "991"


def test_carrier_network_and_metric_filters(demo_app):
    at = run_page(demo_app, "pages/tong-quan.py")
    speed_all = metric(at, "Tốc độ tải xuống TB").value
    at.sidebar.multiselect(key="f_car").set_value(["Vietnamobile"]).run()
    assert metric(at, "Tốc độ tải xuống TB").value != speed_all
    at.sidebar.multiselect(key="f_net").set_value(["3G"]).run()
    assert "3G" in metric(at, "Tốc độ tải xuống TB").label
    at = run_page(at, "pages/ban-do-toc-do.py")
    at.sidebar.selectbox(key="f_metric").set_value("latency").run()
    assert "Độ trễ trung bình" in figure_titles(at)[0]
    assert at.query_params["metric"] == "latency" and at.query_params["car"] == "Vietnamobile"


def test_thresholds_change_the_verdicts(demo_app):
    at = run_page(demo_app, "pages/tong-quan.py")
    at.sidebar.number_input(key="f_quota").set_value(50).run()
    assert metric(at, "Xã đủ 50 mẫu").value.split(" / ")[0] != "0"
    at.sidebar.number_input(key="f_target").set_value(10.0).run()
    assert "đạt mục tiêu 10 Mbps" in at.subheader[0].value
    assert at.query_params["target"] == "10" and at.query_params["quota"] == "50"


def test_language_switch_to_english(demo_app):
    at = run_page(demo_app, "pages/tong-quan.py")
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value.startswith("Overview")
    assert metric(at, "Mean download").value.endswith("Mbps") and "." in metric(at, "Mean download").value
    assert at.query_params["lang"] == "en"


def test_filters_survive_page_changes(district_app):
    at = run_page(district_app, "pages/tong-quan.py")
    at.sidebar.multiselect(key="f_dist").set_value(["992"]).run()
    at = run_page(at, "pages/ban-do-do-phu-mau.py")
    assert at.sidebar.multiselect(key="f_dist").value == ["992"]
    assert len(figures(at)[0]["data"][0]["locations"]) == 15


def test_a_shared_url_reproduces_the_view(district_store, monkeypatch):
    first = district_store.months()[0]
    at = app_for(
        district_store.root,
        monkeypatch,
        {
            "month": first,
            "dist": "993",
            "car": "Viettel",
            "net": "4G,5G",
            "metric": "median",
            "lang": "en",
            "evil": "x",
            "target": "35",
        },
    )
    at.run()
    at = run_page(at, "pages/ban-do-toc-do.py")
    assert at.sidebar.selectbox(key="f_month").value == first
    assert at.sidebar.multiselect(key="f_dist").value == ["993"]
    assert at.sidebar.multiselect(key="f_car").value == ["Viettel"]
    assert at.sidebar.multiselect(key="f_net").value == ["4G", "5G"]
    assert "Median download speed 4G+5G" in figure_titles(at)[0]
    assert "Target 35 Mbps" in figure_titles(at)[0]


def test_unknown_url_values_are_ignored(district_store, monkeypatch):
    at = app_for(
        district_store.root,
        monkeypatch,
        {"month": "1999-01", "dist": "'; DROP TABLE", "metric": "<script>", "target": "-5"},
    )
    at.run()
    at = run_page(at, "pages/tong-quan.py")
    assert at.sidebar.selectbox(key="f_month").value == district_store.months()[-1]
    assert at.sidebar.multiselect(key="f_dist").value == []
    assert at.sidebar.selectbox(key="f_metric").value == "mean"
    assert at.sidebar.number_input(key="f_target").value == 40.0


def test_commune_search_opens_the_drill_down_keeping_the_filters(demo_app, demo_store):
    code = load_boundaries(demo_store.boundaries_path)["commune_code"].iloc[3]
    at = run_page(demo_app, "pages/ban-do-toc-do.py")
    at.sidebar.number_input(key="f_target").set_value(35.0).run()
    at.sidebar.multiselect(key="f_net").set_value(["4G", "5G"]).run()
    at.selectbox(key="speed_map_search").set_value(code).run()
    at.button(key="speed_map_open").click().run()
    assert not at.exception
    # st.switch_page drops widget state in Streamlit; the filters must come back as they were.
    assert at.sidebar.number_input(key="f_target").value == 35.0
    assert at.sidebar.number_input(key="f_quota").value == 300
    assert at.sidebar.multiselect(key="f_net").value == ["4G", "5G"]
    assert "4G+5G" in metric(at, "Tốc độ tải xuống TB").label
    assert at.selectbox(key="commune_pick").value == code
    assert len(figures(at)) >= 5  # trend, samples, carriers, hours, distribution, map
    assert at.query_params["commune"] == code


def test_commune_page_from_url_and_insufficient_commune(demo_store, monkeypatch):
    from core.settings import Settings
    from geo.boundaries import load_boundaries
    from metrics.engine import StatsEngine
    from metrics.filters import Filters

    engine = StatsEngine(demo_store, load_boundaries(demo_store.boundaries_path))
    table = engine.commune_table(Filters(demo_store.months()[-1]), Settings())
    small = table.loc[table["speed_samples"] < 30, "commune_code"].iloc[0]
    at = app_for(demo_store.root, monkeypatch, {"commune": small})
    at.run()
    at = run_page(at, "pages/xa-phuong.py")
    assert any("Chưa đủ dữ liệu" in w.value for w in at.warning)


def test_trends_levels(district_app):
    at = run_page(district_app, "pages/xu-huong.py")
    for level in ("district", "commune", "province"):
        at.radio(key="trend_level").set_value(level).run()
        assert not at.exception
    assert any("huyện và tháng" in title for title in figure_titles(at))


def test_no_district_level_where_communes_have_no_districts(demo_app):
    at = run_page(demo_app, "pages/xu-huong.py")
    assert "district" not in at.radio(key="trend_level").options


def test_carriers_page_reads_intervals(demo_app):
    at = run_page(demo_app, "pages/nha-mang.py")
    text = " ".join(m.value for m in at.markdown)
    assert "chồng nhau" in text or "nhanh hơn" in text


def test_data_page_lists_months_and_batches(demo_app, demo_store):
    at = run_page(demo_app, "pages/du-lieu.py")
    assert len(at.dataframe) >= 2
    months_table = at.dataframe[0].value
    assert len(months_table) == len(demo_store.months())


# ---- empty and unusual stores -----------------------------------------------------------------


def _store(tmp_path, frame: gpd.GeoDataFrame, rows: list[str]):
    frame.to_parquet(tmp_path / "b.parquet")
    store = open_store(tmp_path / "store", create=True)
    import_boundaries(store, tmp_path / "b.parquet")
    if rows:
        ingest_files(store, [write_csv(tmp_path / "m.csv", rows)])
    return store


def _rows(codes, month="2024-10", n=3, network="4G"):
    out = []
    for code in codes:
        lat, lon = centre(code)
        out += [row(time=f"{month}-0{i + 1}T10:00:00", lat=lat, lon=lon, dl=20 + i, network=network) for i in range(n)]
    return out


def test_store_without_districts(tmp_path, monkeypatch):
    frame = tiny_boundaries().assign(district_code=None, district_name=None)
    store = _store(tmp_path, frame, _rows(["00001", "00002", "00003"]))
    at = app_for(store.root, monkeypatch)
    at.run()
    assert not [m for m in at.sidebar.multiselect if m.key == "f_dist"]  # no district filter
    for page in PAGES:
        run_page(at, page)
    at = run_page(at, "pages/xu-huong.py")
    assert [o for o in at.radio(key="trend_level").options] == ["Toàn tỉnh", "Xã/phường"]


def test_district_with_one_commune(tmp_path, monkeypatch):
    frame = tiny_boundaries()
    frame.loc[3, "district_code"], frame.loc[3, "district_name"] = "003", "Huyện Ba"
    store = _store(tmp_path, frame, _rows(["00001", "00004"]))
    at = app_for(store.root, monkeypatch, {"dist": "003"})
    at.run()
    for page in PAGES:
        run_page(at, page)
    at = run_page(at, "pages/ban-do-toc-do.py")
    assert figures(at)[0]["data"][0]["locations"] == ["00004"]


def test_month_with_no_mobile_data(tmp_path, monkeypatch):
    rows = _rows(["00001"], month="2024-09") + _rows(["00001"], month="2024-10", network="WIFI")
    store = _store(tmp_path, tiny_boundaries(), rows)
    at = app_for(store.root, monkeypatch, {"month": "2024-10"})
    at.run()
    for page in PAGES:
        run_page(at, page)
    at = run_page(at, "pages/tong-quan.py")
    assert "Chưa đủ mẫu" in at.subheader[0].value
    assert metric(at, "Số mẫu đo di động").value == "0"


def test_store_without_measurements_points_to_the_data_page(tmp_path, monkeypatch):
    store = _store(tmp_path, tiny_boundaries(), [])
    at = app_for(store.root, monkeypatch)
    at.run()
    assert not at.exception
    assert "chưa có số liệu đo" in at.warning[0].value
    at = run_page(at, "pages/du-lieu.py")
    assert at.title[0].value == "Dữ liệu"


def test_store_without_boundaries(tmp_path, monkeypatch):
    at = app_for(tmp_path / "empty-store", monkeypatch)
    at.run()
    assert not at.exception
    assert "chưa có ranh giới" in at.warning[0].value


def test_a_store_that_lost_its_boundaries_says_so(tmp_path, monkeypatch):
    store = _store(tmp_path, tiny_boundaries(), _rows(["00001"]))
    store.boundaries_path.unlink()
    at = app_for(store.root, monkeypatch)
    at.run()
    assert not at.exception
    assert "thiếu tệp ranh giới" in at.warning[0].value and "1 tháng" in at.warning[0].value


def test_a_load_in_progress_is_explained(tmp_path, monkeypatch):
    import threading

    from store.audit import Actor
    from store.transaction import transaction

    store = _store(tmp_path, tiny_boundaries(), [])
    started, release = threading.Event(), threading.Event()

    def loading():
        with transaction(store, "ingest", Actor("chi.tran", "browser")):
            started.set()
            release.wait(30)

    thread = threading.Thread(target=loading)
    thread.start()
    started.wait(10)
    try:
        at = app_for(store.root, monkeypatch)
        at.run()
        assert not at.exception
        assert "Đang nạp dữ liệu" in at.info[0].value and "bởi chi\\.tran)" in at.info[0].value
    finally:
        release.set()
        thread.join()


def test_the_first_start_builds_the_demo_with_progress_then_shows_it(tmp_path, monkeypatch):
    """No store yet: the app builds the embedded demo (here a two-month one, for speed) and then shows it."""
    from streamlit.testing.v1 import AppTest

    import core.config as config
    import ingest.demo as demo
    import ui.bootstrap as bootstrap
    from tests.conftest import ROOT

    monkeypatch.setattr(config, "DEMO_STORE", tmp_path / "data" / "demo-store")
    monkeypatch.delenv("ISPEED_STORE", raising=False)
    monkeypatch.setattr(bootstrap, "ensure_demo", lambda root, progress=None: demo.ensure_demo(root, progress, months=2))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception
    assert demo.is_complete_demo(config.DEMO_STORE)
    assert at.info[0].value.startswith("Đang xem dữ liệu minh họa")
    assert at.title[0].value.startswith("Tổng quan")


def test_province_filter_with_several_provinces_persists(tmp_path, monkeypatch):
    frame = tiny_boundaries()
    frame.loc[2:, "province_code"], frame.loc[2:, "province_name"] = "02", "Tỉnh Thứ Hai"
    store = _store(tmp_path, frame, _rows(["00001", "00003"]))
    at = app_for(store.root, monkeypatch, {"prov": "02"})
    at.run()
    at = run_page(at, "pages/ban-do-toc-do.py")
    at.run()  # a plain rerun keeps it
    assert at.sidebar.selectbox(key="f_prov").value == "02"
    assert figures(at)[0]["data"][0]["locations"] == ["00003", "00004"]
    assert [o for o in at.sidebar.multiselect(key="f_dist").options] == ["Huyện Hai"]
