"""The end-to-end paths in a real browser: pages load, filters act, links reproduce views, uploads work."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import MAIN_H1, settle
from tests.helpers import HEADER

pytestmark = pytest.mark.e2e

PAGES = {
    "": "Tổng quan",
    "ban-do-toc-do": "Bản đồ tốc độ",
    "ban-do-do-phu-mau": "Bản đồ độ phủ mẫu",
    "nha-mang": "Nhà mạng",
    "xu-huong": "Xu hướng",
    "xa-phuong": "Xã/phường",
    "du-lieu": "Dữ liệu",
}


@pytest.mark.parametrize(("path", "title"), list(PAGES.items()))
def test_every_page_loads_without_an_error(page, server, path, title):
    page.goto(f"{server}/{path}")
    settle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.locator(MAIN_H1).first.inner_text().startswith(title)


def test_maps_draw_in_the_browser_without_network(page, server):
    page.goto(f"{server}/ban-do-toc-do")
    settle(page)
    page.wait_for_selector(".js-plotly-plot .maplibregl-canvas, .js-plotly-plot canvas", timeout=30_000)
    assert "Chưa đủ dữ liệu" in page.locator(".js-plotly-plot").first.inner_text()


def test_a_filter_change_changes_what_is_shown(page, server):
    page.goto(f"{server}/")
    settle(page)
    samples = page.locator('[data-testid="stMetric"]').nth(1)
    before = samples.inner_text()
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="tháng 09/2024").click()
    settle(page)
    page.wait_for_function(f"() => document.querySelector('{MAIN_H1}').innerText.includes('09/2024')", timeout=30_000)
    assert samples.inner_text() != before
    assert "month=2024-09" in page.url


def test_a_shared_url_reproduces_the_view(page, server):
    page.goto(f"{server}/ban-do-toc-do?month=2024-12&dist=991&lang=en&metric=median")
    settle(page)
    assert page.locator(MAIN_H1).first.inner_text() == "Speed map"
    assert "Huyện Sơn Hà" in page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
    assert "Median download speed 4G, December 2024" in page.locator(".js-plotly-plot").first.inner_text()
    # The URL still carries the view after the app has run.
    assert re.search(r"dist=991", page.url) and "month=2024-12" in page.url


def test_filters_are_kept_when_changing_page(page, server):
    page.goto(f"{server}/?dist=992")
    settle(page)
    page.get_by_role("link", name="Nhà mạng").click()
    settle(page)
    assert "dist=992" in page.url
    assert "Huyện Lâm Thượng" in page.locator('[data-testid="stSidebar"]').inner_text()


def test_upload_a_measurement_file_through_the_data_page(page, server, tmp_path):
    path = tmp_path / "thang-moi.csv"
    lines = [HEADER] + [f"2025-11-0{i + 1}T10:00:00,Viettel,4G,{30 + i},10,30,22.15,105.95," for i in range(5)]
    lines.append("2025-11-02T10:00:00,Viettel,4G,-1,10,30,22.15,105.95,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.goto(f"{server}/du-lieu")
    settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    page.get_by_role("button", name="Nạp vào kho").click()
    page.wait_for_selector("text=Đã nạp thang-moi.csv", timeout=60_000)
    text = page.locator('[data-testid="stAlertContentSuccess"]').inner_text()
    assert "nhận 5" in text and "loại 1" in text
    assert page.locator("text=Tải danh sách dòng bị loại").count() == 1
    # The new month appears in the month filter at once.
    page.goto(f"{server}/?month=2025-11")
    settle(page)
    assert "11/2025" in page.locator(MAIN_H1).first.inner_text()


def _download(page, locator, tmp_path, timeout=300_000):
    with page.expect_download(timeout=timeout) as info:
        locator.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def test_every_download_produces_its_file(page, server, tmp_path):
    """PNG and SVG of a chart, the deck, the monthly workbook and the CSVs, clicked in the real browser."""
    from openpyxl import load_workbook
    from PIL import Image
    from pptx import Presentation

    page.goto(f"{server}/")
    settle(page)
    buttons = page.locator('[data-testid="stDownloadButton"] button')
    png = _download(page, buttons.filter(has_text="PNG").first, tmp_path)
    with Image.open(png) as image:
        assert image.size == (1920, 1080)
    svg = _download(page, buttons.filter(has_text="SVG").first, tmp_path)
    assert "Tốc độ tải xuống trung bình theo tháng" in svg.read_text(encoding="utf-8")
    deck = _download(page, buttons.filter(has_text="PPTX"), tmp_path, timeout=400_000)
    slides = list(Presentation(str(deck)).slides)
    assert len(slides) > 8 and slides[0].shapes.title.text.startswith("Chất lượng băng rộng di động")
    xlsx = _download(page, buttons.filter(has_text="XLSX"), tmp_path)
    assert load_workbook(xlsx).sheetnames[:3] == ["Xã phường", "Tổng hợp huyện", "Báo cáo tháng"]
    csv = _download(page, buttons.filter(has_text="Tải bảng xã/phường"), tmp_path)
    assert csv.read_bytes().startswith(b"\xef\xbb\xbfmonth,province_code")
    table_csv = _download(page, buttons.filter(has_text="Tải CSV").first, tmp_path)
    assert "Xã/phường" in table_csv.read_text(encoding="utf-8-sig").splitlines()[0]


def test_map_image_download(page, server, tmp_path):
    from PIL import Image

    page.goto(f"{server}/ban-do-toc-do")
    settle(page)
    png = _download(
        page, page.locator('[data-testid="stDownloadButton"] button').filter(has_text="PNG").first, tmp_path
    )
    with Image.open(png) as image:
        assert image.size == (1920, 1080)
        assert len(image.convert("RGB").getcolors(1 << 20) or []) > 20


def test_clicking_a_commune_on_the_map_opens_its_drill_down(page, server):
    page.goto(f"{server}/ban-do-toc-do?quota=250")
    settle(page)
    page.wait_for_timeout(2000)  # MapLibre draws after the script has finished
    box = page.locator(".js-plotly-plot").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
    page.wait_for_function(
        f"() => document.querySelector('{MAIN_H1}').innerText.startsWith('Xã/phường')", timeout=60_000
    )
    settle(page)
    assert page.locator('[data-testid="stMain"] h2').first.inner_text()  # the commune's name
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "/ 250" in text  # the quota chosen before the click still applies
    assert "commune=" in page.url and "quota=250" in page.url
