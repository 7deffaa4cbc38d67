"""The commune report: exact CSV columns, and the XLSX holding the same values, formatted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from geo.boundaries import load_boundaries
from metrics.tables import REPORT_COLUMNS
from tests.helpers import make_report, report_pair, sheet_frame

CONTRACT_COLUMNS = [
    "month",
    "province_code",
    "province_name",
    "district_code",
    "district_name",
    "commune_code",
    "commune_name",
    "samples",
    "quota",
    "quota_pct",
    "meets_quota",
    "speed_samples",
    "mean_download_mbps",
    "median_download_mbps",
    "p10_download_mbps",
    "p90_download_mbps",
    "ci95_low_mbps",
    "ci95_high_mbps",
    "mean_upload_mbps",
    "mean_latency_ms",
    "speed_target_mbps",
    "meets_speed_target",
]


@pytest.fixture(scope="module")
def reports(demo_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("rep")
    month = demo_store.months()[-1]
    for fmt in ("csv", "xlsx"):
        assert make_report(demo_store, fmt, out / f"r.{fmt}", month=month) == 0
    return out / "r.csv", out / "r.xlsx", month


def test_csv_has_exactly_the_contract_columns_and_every_commune(reports, demo_store):
    csv, _, month = reports
    table = pd.read_csv(csv, dtype={"province_code": str, "district_code": str, "commune_code": str})
    assert list(table.columns) == REPORT_COLUMNS
    assert REPORT_COLUMNS[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS  # appended to, never reordered
    assert REPORT_COLUMNS[len(CONTRACT_COLUMNS) :] == [
        "data_status",
        "devices",
        "top_device_share",
        "cells_with_samples",
        "cells_total",
        "office_hours_share",
        "samples_per_device",
        "campaign_verdict",
    ]
    status = table.set_index("commune_code")["data_status"]
    assert set(status) <= {"no_data", "insufficient", "sufficient"}
    assert (status == "no_data").equals(table.set_index("commune_code")["speed_samples"] == 0)
    assert len(table) == len(load_boundaries(demo_store.boundaries_path)) and (table["month"] == month).all()
    insufficient = table["speed_samples"] < 30
    assert insufficient.any()
    assert table.loc[insufficient, ["mean_download_mbps", "meets_speed_target"]].isna().all().all()
    assert table.loc[~insufficient, "meets_speed_target"].notna().all()


def test_xlsx_first_sheet_equals_the_csv(reports):
    csv, xlsx, _ = reports
    expected = pd.read_csv(csv, dtype={"province_code": str, "district_code": str, "commune_code": str})
    wb = load_workbook(xlsx)
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "Tháng" and ws["G1"].value == "Xã/Phường"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(expected)
    for i, col in enumerate(expected.columns):
        a, b = [r[i] for r in rows], expected[col].to_numpy(dtype=object)
        for x, y in zip(a, b, strict=True):
            if y is None or (isinstance(y, float) and np.isnan(y)):
                assert x is None, col  # an empty cell, never 0 or "nan"
            elif col in ("meets_quota", "meets_speed_target"):
                assert x == ("Đạt" if y in (True, "True") else "Chưa đạt"), col  # one yes/no convention
            elif col == "data_status":
                words = {"no_data": "Không có số liệu", "insufficient": "Chưa đủ số liệu", "sufficient": "Đủ số liệu"}
                assert x == words[y], col
            elif col == "campaign_verdict":  # the verdict's flags in words, in the same order
                words = {"spread": "đo rộng khắp", "too_few": "quá ít mẫu", "no_samples": "chưa có mẫu"}
                words |= {
                    "few_devices": "ít thiết bị",
                    "narrow_area": "tập trung một chỗ",
                    "office_hours": "giờ hành chính",
                }
                assert x == " + ".join(words[part] for part in y.split("+")), col
            elif isinstance(y, float):
                assert x == pytest.approx(y), col
            else:
                assert str(x) == str(y), col
    assert ws.conditional_formatting  # below target / below quota highlighted
    # It prints: A4 landscape, all columns on the page width, the heading row on every page.
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert (
        ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    )
    assert ws.print_title_rows == "$1:$1"
    assert ws["M2"].number_format == "#,##0.0"
    # Today's communes have no districts: the summary is the province's, and its samples are the communes'.
    assert wb.sheetnames[:2] == ["Xã phường", "Tổng hợp tỉnh"]
    province = sheet_frame(wb.worksheets[1])
    assert len(province) == 1
    assert province["Số mẫu (di động)"].sum() == expected["samples"].sum()


def test_xlsx_district_summary_before_the_reform(district_store, tmp_path):
    expected, wb = report_pair(district_store, tmp_path, district_store.months()[-1], {"district_code": str})
    assert wb.sheetnames[:2] == ["Xã phường", "Tổng hợp huyện"]
    districts = sheet_frame(wb.worksheets[1])
    assert len(districts) == 8
    assert districts["Số mẫu (di động)"].sum() == expected["samples"].sum()


def test_report_refuses_unknown_month_and_district(demo_store, tmp_path, capsys):
    assert make_report(demo_store, "csv", tmp_path / "x.csv", month="2019-01") == 2
    assert "Không có số liệu đo của tháng 2019-01" in capsys.readouterr().err
    assert make_report(demo_store, "csv", tmp_path / "x.csv", "--district", "123") == 2
    assert not (tmp_path / "x.csv").exists()


def test_report_filters_by_district_and_carrier(district_store, tmp_path):
    month = district_store.months()[-1]
    assert (
        make_report(district_store, "csv", tmp_path / "d.csv", "--district", "991", "--carrier", "Viettel", month=month)
        == 0
    )
    table = pd.read_csv(tmp_path / "d.csv", dtype={"district_code": str})
    assert set(table["district_code"]) == {"991"} and len(table) == 15
