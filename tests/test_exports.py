"""Exports: images rendered by kaleido in Debian's Chromium, the PPTX deck, and the monthly XLSX."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from core.formats import number
from core.settings import Settings
from exports.images import for_export, render, source_line, titled_figure
from geo.boundaries import load_boundaries
from geo.mapgeom import build_map_geometry
from metrics.briefing import build_briefing
from metrics.engine import StatsEngine
from metrics.filters import Filters
from tests.conftest import require_chromium
from tests.helpers import make_report, report_pair
from viz import figures


@pytest.fixture(scope="module")
def chromium():
    require_chromium()


@pytest.fixture(scope="module")
def briefing(demo_store):
    engine = StatsEngine(demo_store, load_boundaries(demo_store.boundaries_path))
    referral = pd.read_parquet(demo_store.referral_path)
    return build_briefing(engine, Filters(demo_store.months()[-1]), Settings(), referral)


@pytest.fixture(scope="module")
def geometry(demo_store):
    return build_map_geometry(load_boundaries(demo_store.boundaries_path), "export")


def _words(b):
    return b.describe("vi"), source_line(b.filters.month, "vi")


def _not_blank(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = np.asarray(image)
    assert pixels.std() > 10, "the image is (nearly) one colour"
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20
    return image


def test_chart_png_is_1920_by_1080_and_not_blank(chromium, briefing):
    trend = figures.trend_figure(briefing.monthly, briefing.filters, briefing.settings, "vi")
    fig = for_export(trend, "Tốc độ tải xuống trung bình", *_words(briefing))
    image = _not_blank(render(fig, "png"))
    assert image.size == (1920, 1080)


def test_map_png_renders_offline(chromium, briefing, geometry):
    speed = figures.speed_map_figure(briefing.communes, geometry, briefing.filters, briefing.settings, "mean", "vi")
    fig = titled_figure(speed, "Bản đồ tốc độ 4G", *_words(briefing), geometry)
    image = _not_blank(render(fig, "png"))
    assert image.size == (1920, 1080)
    # The choropleth's colours are there: the deep blue and the red classes of the stepped scale.
    colours = {tuple(c) for c in np.asarray(image).reshape(-1, 3)[::97]}
    assert any(b > 150 and r < 120 for r, g, b in colours) and any(r > 180 and g < 120 for r, g, b in colours)


def test_svg_carries_the_vietnamese_title_subtitle_and_source(chromium, briefing):
    carriers = figures.carriers_figure(briefing.carriers, briefing.filters, briefing.settings, "vi")
    fig = for_export(carriers, "So sánh nhà mạng – Phường Hồng Hà", *_words(briefing))
    svg = render(fig, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:500]
    assert "So sánh nhà mạng – Phường Hồng Hà" in svg
    month = briefing.filters.month
    assert f"Tháng {month[5:]}/{month[:4]}" in svg and "Nguồn: dữ liệu đo i-Speed" in svg
    assert "Noto Sans" in svg


def test_deck_slides_titles_pictures_and_tables_match_the_data(chromium, demo_store, tmp_path):
    month = demo_store.months()[-1]
    out = tmp_path / "deck.pptx"
    assert make_report(demo_store, "pptx", out, month=month) == 0
    assert make_report(demo_store, "csv", tmp_path / "r.csv", month=month) == 0
    report = pd.read_csv(tmp_path / "r.csv", dtype={"commune_code": str})
    below_target = int((report["meets_speed_target"] == False).sum())  # noqa: E712 - empty means not judged
    below_quota = int((~report["meets_quota"]).sum())
    deck = Presentation(str(out))
    assert deck.slide_width * 9 == deck.slide_height * 16  # 16:9
    slides = list(deck.slides)
    titles = [s.shapes.title.text for s in slides]
    expected = 1 + 1 + 1 + 4 + math.ceil(below_target / 10) + math.ceil(below_quota / 10) + 1 + 1
    assert len(slides) == expected
    assert titles[0].startswith(f"Chất lượng băng rộng di động – tháng {month[5:]}/{month[:4]}")
    assert titles[1].startswith("Các chỉ số chính")
    assert titles[2].startswith("Đối chiếu số mẫu")
    assert titles[3:7] == ["Bản đồ tốc độ tải xuống 4G", "Bản đồ độ phủ mẫu", "Nhà mạng", "Xu hướng"]
    assert titles[-1] == "Quy tắc tính và nguồn số liệu"
    # One slide on the campaign: the flagged communes, those meeting the quota with the most samples first.
    assert titles[-2].startswith("Chất lượng chiến dịch đo")
    flagged = report[~report["campaign_verdict"].isin(["spread", "too_few", "no_samples"])]
    flagged = flagged.assign(met=flagged["meets_quota"]).sort_values(["met", "samples"], ascending=[False, False])
    campaign = next(sh for sh in slides[-2].shapes if sh.has_table).table
    assert len(campaign.rows) - 1 == min(6, len(flagged)) > 0
    assert campaign.cell(1, 0).text == flagged.iloc[0]["commune_name"]
    assert campaign.cell(1, 1).text == number(flagged.iloc[0]["samples"], 0, "vi")
    account = next(sh for sh in slides[2].shapes if sh.has_table).table
    total = account.cell(len(account.rows) - 1, 1).text.replace(".", "")
    assert int(total) == int(report["samples"].sum()) + sum(
        int(account.cell(r, 1).text.replace(".", "")) for r in range(2, len(account.rows) - 1)
    )  # the total = the communes of the report + the unassigned, by reason
    for slide in slides[3:7]:
        assert sum(1 for sh in slide.shapes if sh.shape_type == 13) == 1  # one picture
    target_rows = _table_rows(slides, "Xã có tốc độ thấp nhất")
    quota_rows = _table_rows(slides, "Xã chưa đủ chỉ tiêu")
    assert len(target_rows) == below_target and len(quota_rows) == below_quota
    # Continuous numbering, and the first row is the commune furthest below the target.
    assert [r.cells[0].text for r in target_rows] == [str(i) for i in range(1, below_target + 1)]
    judged = report[report["meets_speed_target"] == False]  # noqa: E712
    worst = judged.sort_values("mean_download_mbps").iloc[0]
    assert target_rows[0].cells[1].text == worst["commune_name"]
    assert target_rows[0].cells[2].text == f"{worst['mean_download_mbps']:.1f}".replace(".", ",")
    # Today's communes have no districts: the column is left out rather than shown empty.
    heading = [c.text for c in _table_heading(slides, "Xã có tốc độ thấp nhất")]
    assert heading[:3] == ["STT", "Xã/phường", "TB tải xuống (Mbps)"] and "Huyện/quận" not in heading
    # The text is editable text, not pictures: the headline table carries the figures.
    headline = next(sh for sh in slides[1].shapes if sh.has_table).table
    assert "Mbps" in headline.cell(1, 1).text


def _table_rows(slides, title_start: str) -> list:
    """Body rows of the tables on the slides whose title starts so (a table split over several slides)."""
    return [
        row
        for slide in slides
        if slide.shapes.title.text.startswith(title_start)
        for shape in slide.shapes
        if shape.has_table
        for row in list(shape.table.rows)[1:]
    ]


def _table_heading(slides, title_start: str) -> list:
    slide = next(s for s in slides if s.shapes.title.text.startswith(title_start))
    return list(next(sh for sh in slide.shapes if sh.has_table).table.rows[0].cells)


def test_deck_without_chromium_is_a_clear_error(demo_store, tmp_path, monkeypatch, capsys):
    import exports.images as images

    monkeypatch.setattr(images, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setattr(images, "_started", False)
    code = make_report(demo_store, "pptx", tmp_path / "d.pptx")
    assert code == 2 and "chromium" in capsys.readouterr().err
    assert not (tmp_path / "d.pptx").exists()


def test_xlsx_monthly_return_sheet_matches_the_report(demo_store, tmp_path):
    from core.i18n import t

    month = demo_store.months()[-1]
    report, wb = report_pair(demo_store, tmp_path, month, {"commune_code": str})
    assert "Báo cáo tháng" in wb.sheetnames
    rows = list(wb["Báo cáo tháng"].values)
    header = rows[0]
    names = [r[header.index(t("report_commune_name"))] for r in rows]
    end = names.index("Tổng cộng các xã")
    body, total, after = rows[1:end], rows[end], rows[end + 1 :]
    sheet = pd.DataFrame(body, columns=header)
    samples, code = t("report_samples"), t("report_commune_code")
    assert list(sheet[code]) == list(report["commune_code"])
    assert list(sheet[samples]) == list(report["samples"])
    assert total[header.index(samples)] == report["samples"].sum()
    # Below the total, the month's measurements in no commune and the sum they make with it.
    unassigned, grand = (r[header.index(samples)] for r in after)
    assert [r[header.index(t("report_commune_name"))] for r in after][1] == "Tổng số mẫu đo di động"
    assert unassigned > 0 and grand == report["samples"].sum() + unassigned
    assert sheet[t("report_referral_code")].notna().all()  # every demo commune has its code
    assert (sheet[t("report_samples_with_code")] > 0).any()
    met = sheet[t("report_meets_quota")] == "Đạt"
    assert (met == (sheet[samples] >= 300)).all()
