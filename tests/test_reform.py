"""The 2025 reform end to end, on the real boundaries of Bắc Kạn (2024, with districts) and Thái Nguyên (2025,
without): office-written workbooks with title rows and codes mangled by Excel, a referral list of the old city,
boundaries replaced from July 2025, and every sample checked against an independent count (RULES §1, §13, §16–§18)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pytest
import shapely

from core.settings import Settings
from geo.boundaries import load_boundaries
from ingest.boundaries import import_boundaries
from ingest.measurements import ingest_files
from ingest.referral import import_referral
from metrics.briefing import build_briefing
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.rules import samples_by_code
from store.transaction import open_store
from tests.conftest import require_shared_geo

HEADER = [
    "STT",
    "Thời gian đo",
    "Nhà mạng",
    "Loại mạng",
    "Tốc độ tải xuống (Mbps)",
    "Tốc độ tải lên (Mbps)",
    "Vĩ độ",
    "Kinh độ",
    "Mã giới thiệu",
]
UNKNOWN_CODE = "0699999999"  # GSO form, but no such commune in Bắc Kạn
S = Settings(min_samples=5)


def _points(geom, n: int, rng: np.random.Generator) -> list[tuple[float, float]]:
    minx, miny, maxx, maxy = geom.bounds
    out: list[tuple[float, float]] = []
    while len(out) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(geom, x, y):
            out.append((round(x, 6), round(y, 6)))
    return out


def _write_measurements(path: Path, month: str, rows: list[dict]) -> None:
    """As offices write it: a title, a unit line, a blank row, then the header; codes as numbers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f"BÁO CÁO SỐ LIỆU ĐO TỐC ĐỘ i-SPEED THÁNG {month[5:]}/{month[:4]}"])
    ws.append(["Đơn vị: Sở Khoa học và Công nghệ"])
    ws.append([])
    ws.append(HEADER)
    for i, r in enumerate(rows, start=1):
        when = f"{1 + i % 28:02d}/{month[5:]}/{month[:4]} {7 + i // 28 % 14:02d}:{i // 392 % 60:02d}:00"
        ws.append([i, when, "Viettel", "4G", r["mbps"], 10.0, r["lat"], r["lon"], r["code"]])
    wb.save(path)


@pytest.fixture(scope="module")
def reform(tmp_path_factory):
    geo = require_shared_geo()
    folder = tmp_path_factory.mktemp("reform")
    old = gpd.read_parquet(geo / "vn_communes_2024.parquet")
    new = gpd.read_parquet(geo / "vn_communes_2025.parquet")
    bk = old[old["province_code"] == "06"].reset_index(drop=True)
    tn = new[new["province_code"] == "19"].reset_index(drop=True)
    hanoi = new[new["province_code"] == "01"].iloc[0].geometry
    bk.to_parquet(folder / "bk2024.parquet")
    tn.to_parquet(folder / "tn2025.parquet")
    city = bk[bk["district_name"].str.contains("Bắc Kạn")].reset_index(drop=True)
    codes = {r.commune_code: f"06{r.district_code}{r.commune_code}" for r in city.itertuples()}

    # The list: codes stored as numbers (leading zero lost), under a title row.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH MÃ GIỚI THIỆU i-SPEED THÀNH PHỐ BẮC KẠN"])
    ws.append([])
    ws.append(["STT", "Mã giới thiệu", "Xã/Phường", "Huyện/Quận", "Tỉnh/Thành phố"])
    for i, r in enumerate(city.itertuples(), start=1):
        ws.append([i, int(codes[r.commune_code]), r.commune_name, r.district_name, r.province_name])
    wb.save(folder / "ma_gioi_thieu.xlsx")

    rng = np.random.default_rng(7)
    truth: dict[str, list[dict]] = {}
    for month in ("2025-04", "2025-05", "2025-08", "2025-09"):
        rows = []
        for r in city.itertuples():
            code = codes[r.commune_code]
            for k, (lon, lat) in enumerate(_points(r.geometry, int(rng.integers(15, 30)), rng)):
                written = [int(code), float(code), f"{code[:4]} {code[4:]}", None][k % 4]
                rows.append(
                    {
                        "lat": lat,
                        "lon": lon,
                        "code": written,
                        "mbps": round(float(rng.uniform(5, 90)), 1),
                        "kind": "point",
                        "old_commune": r.commune_code,
                        "key": code,
                    }
                )
            for _ in range(3):  # no coordinates: the code alone says where (the old commune)
                rows.append(
                    {
                        "lat": None,
                        "lon": None,
                        "code": int(code),
                        "mbps": 30.0,
                        "kind": "code",
                        "old_commune": r.commune_code,
                        "key": code,
                    }
                )
        rows += [
            {
                "lat": None,
                "lon": None,
                "code": int(UNKNOWN_CODE),
                "mbps": 20.0,
                "kind": "unknown_code",
                "key": UNKNOWN_CODE,
            }
        ] * 4
        rows += [{"lat": None, "lon": None, "code": None, "mbps": 20.0, "kind": "nothing", "key": None}] * 2
        rows += [
            {"lat": lat, "lon": lon, "code": None, "mbps": 50.0, "kind": "outside", "key": None}
            for lon, lat in _points(hanoi, 5, rng)
        ]
        truth[month] = rows
        _write_measurements(folder / f"ispeed_{month}.xlsx", month, rows)

    store = open_store(folder / "store", create=True)
    import_boundaries(store, folder / "bk2024.parquet")
    listed = import_referral(store, folder / "ma_gioi_thieu.xlsx")
    before = ingest_files(store, [folder / "ispeed_2025-04.xlsx", folder / "ispeed_2025-05.xlsx"])
    change = import_boundaries(store, folder / "tn2025.parquet", replace=True)
    after = ingest_files(store, [folder / "ispeed_2025-08.xlsx", folder / "ispeed_2025-09.xlsx"])
    return {
        "store": store,
        "truth": truth,
        "city": city,
        "tn": tn,
        "codes": codes,
        "listed": listed,
        "change": change,
        "summaries": before + after,
    }


def _expected_communes(rows: list[dict], city: gpd.GeoDataFrame, tn: gpd.GeoDataFrame) -> Counter:
    """An independent count: a point goes to the 2025 commune containing it; a code without a point to the 2025
    commune containing a point of the code's old commune (RULES §13, lineage)."""
    points = [r for r in rows if r["kind"] == "point"]
    frame = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy([r["lon"] for r in points], [r["lat"] for r in points]), crs="EPSG:4326"
    )
    joined = gpd.sjoin(frame, tn[["commune_code", "geometry"]], predicate="within", how="left")
    counts = Counter(joined["commune_code"].dropna())
    lineage = gpd.sjoin(
        gpd.GeoDataFrame({"old": city["commune_code"]}, geometry=city.geometry.representative_point(), crs=city.crs),
        tn[["commune_code", "geometry"]],
        predicate="within",
    ).set_index("old")["commune_code"]
    counts.update(lineage[r["old_commune"]] for r in rows if r["kind"] == "code")
    return counts


def test_office_files_are_read_whole_and_their_title_rows_reported(reform):
    for summary, month in zip(reform["summaries"], ("2025-04", "2025-05", "2025-08", "2025-09"), strict=True):
        assert summary.read == summary.accepted == len(reform["truth"][month])
        assert summary.rejected == 0
        assert [n["key"] for n in summary.notes] == ["note_title_rows"] and summary.notes[0]["n"] == "2"


def test_the_list_with_numeric_codes_is_matched_with_its_leading_zeros(reform):
    listed = reform["listed"]
    assert listed.matched == len(reform["codes"]) == 8
    assert sorted(listed.table["referral_code"]) == sorted(reform["codes"].values())


def test_replacing_the_boundaries_is_dated_and_carries_the_list_to_todays_communes(reform):
    change = reform["change"]
    assert change.entry["effective_from"] == "2025-07"  # districts → none: the 2025 reform
    assert change.referral is not None and change.referral.matched == 8
    table = change.referral.table
    assert set(table["match_method"]) == {"lineage"}
    assert set(table["commune_code"]) <= set(reform["tn"]["commune_code"])
    assert change.moves.changed > 0


@pytest.mark.parametrize("month", ["2025-04", "2025-08"])
def test_every_sample_is_accounted_for_against_an_independent_count(reform, month):
    store, rows = reform["store"], reform["truth"][month]
    engine = StatsEngine(store, load_boundaries(store.boundaries_path))
    b = build_briefing(engine, Filters(month), S)
    account = b.account
    assert account.total == len(rows) == int(b.overall["samples"])
    reasons = {g.reason: g.samples for g in account.unassigned}
    assert reasons == {"no_location+not_in_list": 4, "no_location": 2, "outside": 5}
    assert dict(next(g for g in account.unassigned if g.reason == "no_location+not_in_list").codes) == {UNKNOWN_CODE: 4}
    got = b.communes.set_index("commune_code")["samples"]
    expected = _expected_communes(rows, reform["city"], reform["tn"])
    assert {c: int(n) for c, n in got[got > 0].items()} == dict(expected)
    assert account.in_communes == sum(expected.values())


def test_campaign_counts_every_way_a_code_was_written(reform):
    store = reform["store"]
    engine = StatsEngine(store, load_boundaries(store.boundaries_path))
    counts = samples_by_code(engine.referral_counts(Filters("2025-08")))
    expected = Counter(r["key"].lstrip("0") for r in reform["truth"]["2025-08"] if r["code"] is not None)
    assert {k: v for k, v in counts.items()} == dict(expected)


def test_the_trend_marks_the_reform_and_leaves_july_a_gap(reform):
    store = reform["store"]
    engine = StatsEngine(store, load_boundaries(store.boundaries_path))
    b = build_briefing(engine, Filters("2025-09"), S)
    assert [m.month for m in b.marks] == ["2025-07"] and b.marks[0].system_changed
    monthly = b.monthly.set_index("month")
    assert list(monthly.index) == ["2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09"]
    assert list(monthly["has_data"]) == [True, True, False, False, True, True]
    assert list(monthly["period"]) == [0, 0, 0, 1, 1, 1]
    # August against July: no change shown across a gap; September against August: comparable.
    assert b.headline.change_mbps is not None
    august = build_briefing(engine, Filters("2025-08"), S)
    assert august.headline.change_mbps is None


def test_the_workbook_and_the_deck_reconcile_the_month(reform, tmp_path):
    from pptx import Presentation

    from analytics.report import write_report

    store, rows = reform["store"], reform["truth"]["2025-08"]
    xlsx = write_report(store.root, "2025-08", "xlsx", tmp_path / "r.xlsx", settings=Settings(min_samples=5))
    assert xlsx.account.total == len(rows)
    wb = openpyxl.load_workbook(xlsx.path)
    account = [[c.value for c in r] for r in wb["Đối chiếu số mẫu"].iter_rows(min_row=2)]
    assert account[0][:2] == ["Trong các xã/phường", xlsx.account.in_communes]
    assert account[-1][:2] == ["Tổng số mẫu đo di động", len(rows)]
    assert sum(r[1] for r in account[:-1]) == len(rows)
    assert any(r[2] == f"{UNKNOWN_CODE} (4)" for r in account)
    communes = wb["Xã phường"]
    headings = [c.value for c in communes[1]]
    hidden = {
        communes.cell(1, i + 1).value
        for i in range(len(headings))
        if communes.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].hidden
    }
    assert hidden == {"Huyện/Quận", "Mã huyện"}  # 2025: no districts; the contract's columns kept, not printed
    assert "Huyện/Quận" not in [c.value for c in wb["Báo cáo tháng"][1]]
    status = headings.index("Tình trạng số liệu") + 1
    assert {communes.cell(r, status).value for r in range(2, communes.max_row + 1)} >= {
        "Không có số liệu",
        "Đủ số liệu",
    }
    sheet = wb["Báo cáo tháng"]
    samples = [c.value for c in sheet[1]].index("Số mẫu (di động)") + 1
    assert sheet.cell(sheet.max_row, samples).value == len(rows)  # the return ends on the month's total

    deck = write_report(store.root, "2025-08", "pptx", tmp_path / "r.pptx", settings=Settings(min_samples=5))
    slides = Presentation(deck.path).slides
    [table] = [s.shapes[1].table for s in slides if s.shapes.title.text.startswith("Đối chiếu số mẫu")]
    cells = [[table.cell(r, c).text for c in range(3)] for r in range(len(table.rows))]
    assert cells[-1][:2] == ["Tổng số mẫu đo di động", f"{len(rows)}"]
