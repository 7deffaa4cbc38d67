"""The end-to-end paths in a real browser: pages load, filters act, links reproduce views, uploads work, every
download arrives, and a visitor who has not signed in finds no way to change data."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.e2e.conftest import MAIN_H1, MAP_DRAWN, main_title_starts, running_app, settle, sign_in_as_officer
from tests.helpers import CARRIER, COMMUNE, HEADER, build_markup_store
from ui.safe import WORD_JOINER

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
    settle(page, main_title_starts(title))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


def test_maps_draw_in_the_browser_without_network(page, server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{server}/ban-do-toc-do")
    settle(page, MAP_DRAWN)
    assert "Chưa đủ dữ liệu" in page.locator(".js-plotly-plot").first.inner_text()
    # The base map's topology and the communes come from the app itself: nothing from the internet.
    assert any("/app/static/topo/world_110m.json" in url for url in requested)
    assert [url for url in requested if not url.startswith((server, "data:", "blob:"))] == []


def test_a_filter_change_changes_what_is_shown(page, server):
    page.goto(f"{server}/")
    settle(page, main_title_starts("Tổng quan"))
    samples = page.locator('[data-testid="stMetric"]').nth(1)
    before = samples.inner_text()
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.keyboard.type("09/2024")  # the list of 26 months scrolls; typing narrows it, as a user would
    page.get_by_role("option", name="tháng 09/2024").click()
    settle(page, f"(document.querySelector('{MAIN_H1}')?.innerText || '').includes('09/2024')")
    assert samples.inner_text() != before
    assert "month=2024-09" in page.url


def test_a_shared_url_reproduces_the_view(page, server):
    page.goto(f"{server}/ban-do-toc-do?month=2024-12&car=MobiFone&lang=en&metric=median")
    settle(page, main_title_starts("Speed map"))
    assert page.locator(MAIN_H1).first.inner_text() == "Speed map"
    assert "MobiFone" in page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
    assert "Median download speed 4G, December 2024" in page.locator(".js-plotly-plot").first.inner_text()
    # The URL still carries the view after the app has run.
    assert re.search(r"car=MobiFone", page.url) and "month=2024-12" in page.url


def test_filters_are_kept_when_changing_page(page, server):
    page.goto(f"{server}/?car=Vietnamobile")
    settle(page, main_title_starts("Tổng quan"))
    page.get_by_role("link", name="Xu hướng").click()
    settle(page, main_title_starts("Xu hướng"))
    assert "car=Vietnamobile" in page.url
    assert "Vietnamobile" in page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()


def test_a_visitor_without_sign_in_finds_no_way_to_change_data(page, server, demo_store):
    page.goto(f"{server}/du-lieu")
    settle(page, main_title_starts("Dữ liệu"))
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "Chỉ cán bộ dữ liệu đã đăng nhập" in text
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.get_by_role("button", name="Nạp vào kho").count() == 0
    assert page.get_by_role("button", name="Xóa khỏi kho").count() == 0
    assert "Nhật ký thay đổi" in text  # who changed what is shown to everyone
    assert str(demo_store.root.parent) not in page.content() and "/tmp/" not in text  # no server path


def test_a_wrong_password_is_refused(page, server):
    page.goto(f"{server}/du-lieu")
    settle(page, main_title_starts("Dữ liệu"))
    page.get_by_label("Mật khẩu").fill("not-the-password")
    page.get_by_role("button", name="Đăng nhập").click()
    settle(page, "document.body.innerText.includes('Mật khẩu không đúng')")
    assert page.locator('[data-testid="stFileUploader"]').count() == 0


def test_upload_a_measurement_file_through_the_data_page(page, server, tmp_path):
    path = tmp_path / "thang-moi.csv"
    lines = [HEADER] + [f"2025-11-0{i + 1}T10:00:00,Viettel,4G,{30 + i},10,30,22.15,105.95," for i in range(5)]
    lines.append("2025-11-02T10:00:00,Viettel,4G,-1,10,30,22.15,105.95,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sign_in_as_officer(page, server)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))
    page.get_by_role("button", name="Nạp vào kho").first.click()
    settle(page, "document.body.innerText.includes('Đã nạp thang-moi.csv')")
    text = page.locator('[data-testid="stAlertContentSuccess"]').last.inner_text()
    assert "nhận 5" in text and "loại 1" in text
    assert page.get_by_text("Tải danh sách dòng bị loại").count() == 1
    # Recorded in the change log with who did it.
    assert "cán bộ dữ liệu (mật khẩu)" in page.locator('[data-testid="stMain"]').inner_text()
    # The new month appears in the month filter at once.
    page.goto(f"{server}/?month=2025-11")
    settle(page, f"(document.querySelector('{MAIN_H1}')?.innerText || '').includes('11/2025')")


def _download(page, locator, tmp_path, timeout=180_000):
    """Click a download button and save what arrives (Streamlit gives a file up to 180 s to be built)."""
    with page.expect_download(timeout=timeout) as info:
        locator.click()
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def test_every_download_produces_its_file(page, server, tmp_path):
    """PNG and SVG of a chart, the deck, the monthly workbook and the CSVs, clicked one after another in the
    real browser: each arrives (a click never reruns the page, which would withdraw the other buttons' files)."""
    from openpyxl import load_workbook
    from PIL import Image
    from pptx import Presentation

    page.goto(f"{server}/")
    settle(page, main_title_starts("Tổng quan"))
    buttons = page.locator('[data-testid="stDownloadButton"] button')
    png = _download(page, buttons.filter(has_text="PNG").first, tmp_path)
    with Image.open(png) as image:
        assert image.size == (1920, 1080)
    svg = _download(page, buttons.filter(has_text="SVG").first, tmp_path)
    assert "Tốc độ tải xuống trung bình theo tháng" in svg.read_text(encoding="utf-8")
    deck = _download(page, buttons.filter(has_text="PPTX"), tmp_path)
    slides = list(Presentation(str(deck)).slides)
    assert len(slides) > 8 and slides[0].shapes.title.text.startswith("Chất lượng băng rộng di động")
    xlsx = _download(page, buttons.filter(has_text="XLSX"), tmp_path)
    assert load_workbook(xlsx).sheetnames[:3] == ["Xã phường", "Tổng hợp tỉnh", "Báo cáo tháng"]
    csv = _download(page, buttons.filter(has_text="Tải bảng xã/phường"), tmp_path)
    assert csv.read_bytes().startswith(b"\xef\xbb\xbfmonth,province_code")
    table_csv = _download(page, buttons.filter(has_text="Tải CSV", visible=True).first, tmp_path)
    assert "Xã/phường" in table_csv.read_text(encoding="utf-8-sig").splitlines()[0]
    last_csv = _download(page, buttons.filter(has_text="Tải CSV", visible=True).last, tmp_path)
    assert last_csv.stat().st_size > 0


def test_map_image_download(page, server, tmp_path):
    from PIL import Image

    page.goto(f"{server}/ban-do-toc-do")
    settle(page, MAP_DRAWN)
    png = _download(page, page.locator('[data-testid="stDownloadButton"] button').filter(has_text="PNG").first, tmp_path)
    with Image.open(png) as image:
        assert image.size == (1920, 1080)
        assert len(image.convert("RGB").getcolors(1 << 20) or []) > 20


def test_clicking_a_commune_on_the_map_opens_its_drill_down(page, server):
    page.goto(f"{server}/ban-do-toc-do?quota=250")
    settle(page, MAP_DRAWN)
    box = page.locator(".js-plotly-plot").first.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.55)
    settle(page, main_title_starts("Xã/phường") + " && document.querySelector('[data-testid=\"stMain\"] h2')")
    assert page.locator('[data-testid="stMain"] h2').first.inner_text()  # the commune's name
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "/ 250" in text  # the quota chosen before the click still applies
    assert "commune=" in page.url and "quota=250" in page.url


def test_a_deep_link_works_on_a_fresh_server_started_with_streamlit_run(browser, demo_store, tmp_path):
    """`streamlit run app.py` as hosting platforms start it: the very first request is a shared deep link."""
    root = tmp_path / "store"
    shutil.copytree(demo_store.root, root)
    with running_app(root, tmp_path / "fresh.log") as url:
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/ban-do-toc-do?month=2025-06")
        settle(page, main_title_starts("Bản đồ tốc độ"))
        assert "Page not found" not in page.content() and "không tìm thấy" not in page.content().lower()
        assert "06/2025" in page.locator(".js-plotly-plot").first.inner_text()
        assert "month=2025-06" in page.url
        links = page.locator('[data-testid="stSidebarNav"] a')
        hrefs = {re.sub(r"^https?://[^/]+", "", links.nth(i).get_attribute("href") or "") for i in range(links.count())}
        assert {"/ban-do-toc-do", "/ban-do-do-phu-mau", "/nha-mang", "/xu-huong", "/xa-phuong", "/du-lieu"} <= hrefs
        context.close()


def test_names_from_the_data_are_never_rendered_as_markup(browser, tmp_path):
    """A carrier named like Markdown and a commune named like HTML show as typed, in the real browser."""
    store = build_markup_store(tmp_path)
    with running_app(store.root, tmp_path / "markup.log") as url:
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/nha-mang")
        settle(page, main_title_starts("Nhà mạng"))
        main = page.locator('[data-testid="stMain"]')
        assert CARRIER in main.inner_text().replace(WORD_JOINER, "")  # an invisible joiner breaks autolinks
        assert page.locator('a[href*="evil.example"]').count() == 0
        assert page.locator('[data-testid="stMain"] strong', has_text="Đậm").count() == 0
        page.goto(f"{url}/xa-phuong?commune=00001")
        settle(page, main_title_starts("Xã/phường") + " && document.querySelector('[data-testid=\"stMain\"] h2')")
        assert page.locator('[data-testid="stMain"] h2').first.inner_text().replace(WORD_JOINER, "").startswith(COMMUNE)
        assert page.locator('a[href*="evil.example"]').count() == 0
        context.close()
