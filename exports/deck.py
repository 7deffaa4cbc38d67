"""The PPTX briefing deck (python-pptx, 16:9): editable titles, text and tables; charts and maps as pictures."""

from __future__ import annotations

import copy
import io
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from core.formats import number
from core.i18n import t
from exports import briefing as bf
from exports.images import render

FONT = "Arial"  # on every office PC, with Vietnamese glyphs; LibreOffice substitutes Liberation Sans
ROWS_PER_SLIDE = 10
SLIDE_W, SLIDE_H = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 in, exactly 16:9
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)


def build_deck(b: bf.Briefing, progress: Callable[[float], None] | None = None) -> bytes:
    """The whole deck as PPTX bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    steps = [
        _title_slide,
        _headline_slide,
        _speed_map_slide,
        _coverage_map_slide,
        _carriers_slide,
        _trend_slide,
        _below_target_slides,
        _below_quota_slides,
        _closing_slide,
    ]
    for i, step in enumerate(steps):
        step(prs, b)
        if progress:
            progress((i + 1) / len(steps))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _vi(b: bf.Briefing, vi: str, en: str) -> str:
    return en if b.lang == "en" else vi


# ---- slides ---------------------------------------------------------------------------------------


def _title_slide(prs: Presentation, b: bf.Briefing) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = _vi(b, "Chất lượng băng rộng di động", "Mobile broadband quality") + f" – {b.month_text}"
    slide.placeholders[1].text = f"{b.area_name}\n{b.subtitle()}\n{b.source}"
    _style(slide, title_size=40)


def _headline_slide(prs: Presentation, b: bf.Briefing) -> None:
    slide = _titled(prs, _vi(b, "Các chỉ số chính", "Headline figures") + f" – {b.month_text}")
    rows = bf.headline(b)
    shape = slide.shapes.add_table(
        len(rows) + 1, 2, Inches(0.6), Inches(1.5), Inches(12.1), Inches(0.5 * (len(rows) + 1))
    )
    table = shape.table
    table.columns[0].width, table.columns[1].width = Inches(5.6), Inches(6.5)
    _fill_row(table, 0, [_vi(b, "Chỉ số", "Figure"), _vi(b, "Giá trị", "Value")], header=True)
    for i, (label, value) in enumerate(rows, start=1):
        _fill_row(table, i, [label, value])
    o, target = b.overall, b.settings.speed_target_mbps
    if o["sufficient"]:
        key = "headline_below" if o["mean_download_mbps"] < target else "headline_above"
        verdict = t(key, b.lang, value=number(o["mean_download_mbps"], 1, b.lang), target=number(target, 0, b.lang))
    else:
        verdict = t("headline_none", b.lang, net=b.net_label)
    _text(slide, verdict, Inches(0.6), Inches(6.3), Inches(12.1), Inches(0.6), size=20, bold=True)


def _picture_slide(
    prs: Presentation, b: bf.Briefing, title: str, fig: go.Figure, note: str = "", fitted: bool = False
) -> None:
    slide = _titled(prs, title)
    width, height = 1900, 1000
    png = render(_for_slide(fig, b, width, height, fitted), "png", width, height)
    top = Inches(1.25)
    pic_h = SLIDE_H - top - Inches(0.35 if not note else 0.85)
    slide.shapes.add_picture(io.BytesIO(png), Emu(int((SLIDE_W - pic_h * width / height) / 2)), top, height=pic_h)
    if note:
        _text(slide, note, Inches(0.6), SLIDE_H - Inches(0.8), Inches(12.1), Inches(0.6), size=14, color=GREY)


def _speed_map_slide(prs: Presentation, b: bf.Briefing) -> None:
    note = (
        t("insufficient_legend", b.lang, min=b.settings.min_samples)
        + ": "
        + _vi(b, "tô xám, không tính đạt hay không đạt.", "grey, counted neither as meeting nor as missing the target.")
    )
    _picture_slide(
        prs, b, _vi(b, "Bản đồ tốc độ tải xuống 4G", "4G download speed map"), bf.speed_figure(b), note, fitted=True
    )


def _coverage_map_slide(prs: Presentation, b: bf.Briefing) -> None:
    _picture_slide(prs, b, _vi(b, "Bản đồ độ phủ mẫu", "Sample coverage map"), bf.coverage_figure(b), fitted=True)


def _carriers_slide(prs: Presentation, b: bf.Briefing) -> None:
    judged = (
        b.carriers[b.carriers["speed_samples"] >= b.settings.min_samples]
        .sort_values("mean_download_mbps", ascending=False)
        .reset_index(drop=True)
    )
    notes = []
    for i in range(len(judged) - 1):
        x, y = judged.iloc[i], judged.iloc[i + 1]
        key = "not_significant" if x["ci95_low_mbps"] <= y["ci95_high_mbps"] else "significant"
        notes.append(t(key, b.lang, a=x["carrier"], b=y["carrier"]))
    _picture_slide(prs, b, t("page_carriers", b.lang), bf.carriers_figure(b), " ".join(notes[:3]))


def _trend_slide(prs: Presentation, b: bf.Briefing) -> None:
    _picture_slide(prs, b, t("page_trends", b.lang), bf.trend_figure(b))


def _below_target_slides(prs: Presentation, b: bf.Briefing) -> None:
    table = bf.below_target(b)
    columns = [
        ("commune_name", t("col_commune", b.lang), 0),
        ("district_name", t("col_district", b.lang), 0),
        ("mean_download_mbps", t("col_mean", b.lang), 1),
        ("gap", t("col_gap_target", b.lang), 1),
        ("speed_samples", t("col_speed_samples", b.lang), 0),
    ]
    _table_slides(prs, b, t("worst_speed", b.lang), table, columns)


def _below_quota_slides(prs: Presentation, b: bf.Briefing) -> None:
    table = bf.below_quota(b)
    columns = [
        ("commune_name", t("col_commune", b.lang), 0),
        ("district_name", t("col_district", b.lang), 0),
        ("samples", t("col_samples", b.lang), 0),
        ("missing", t("col_gap_quota", b.lang), 0),
    ]
    if b.referral is not None:
        codes = b.referral.dropna(subset=["commune_code"]).drop_duplicates("commune_code")
        table = table.merge(codes[["commune_code", "referral_code"]], on="commune_code", how="left")
        columns.append(("referral_code", t("col_referral", b.lang), 0))
    _table_slides(prs, b, t("under_quota_table", b.lang), table, columns)


def _closing_slide(prs: Presentation, b: bf.Briefing) -> None:
    s = b.settings
    slide = _titled(prs, t("rules_title", b.lang) + _vi(b, " và nguồn số liệu", " and data source"))
    lines = [
        t("rules_text", b.lang, net=b.net_label, min=s.min_samples),
        _vi(
            b,
            f"Mục tiêu tốc độ: {number(s.speed_target_mbps, 0, b.lang)} Mbps (tốc độ tải xuống trung bình). "
            f"Chỉ tiêu: {s.quota} mẫu đo/xã/tháng.",
            f"Speed target: {number(s.speed_target_mbps, 0, b.lang)} Mbps (mean download). "
            f"Quota: {s.quota} measurements per commune and month.",
        ),
        _vi(
            b,
            "Mẫu đo thuộc xã có ranh giới chứa tọa độ; không có tọa độ thì theo mã giới thiệu; còn lại là "
            "chưa xác định xã.",
            "A measurement belongs to the commune containing its point; without one, to its referral code's "
            "commune; otherwise it is unassigned.",
        ),
        _vi(b, "Khoảng tin cậy 95%: trung bình ± t(0,975; n−1)·s/√n.", "95% interval: mean ± t(0.975, n−1)·s/√n."),
        b.source,
    ]
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.5), Inches(12.1), Inches(5.5)).text_frame
    box.word_wrap = True
    for i, line in enumerate(lines):
        para = box.paragraphs[0] if i == 0 else box.add_paragraph()
        para.text = "• " + line
        para.space_after = Pt(10)
        for run in para.runs:
            run.font.size, run.font.name = Pt(20), FONT


# ---- building blocks ------------------------------------------------------------------------------


def _titled(prs: Presentation, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    _style(slide, title_size=30)
    return slide


def _style(slide, title_size: int) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.6), Inches(0.3), Inches(12.1), Inches(0.9)
    for para in title.text_frame.paragraphs:
        for run in para.runs:
            run.font.size, run.font.name, run.font.bold, run.font.color.rgb = Pt(title_size), FONT, True, BLUE
    for shape in slide.placeholders:
        if shape.placeholder_format.idx == 1:
            for para in shape.text_frame.paragraphs:
                for run in para.runs:
                    run.font.size, run.font.name, run.font.color.rgb = Pt(20), FONT, GREY


def _text(slide, text: str, left, top, width, height, size: int = 18, bold: bool = False, color=None) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    frame.text = text
    for run in frame.paragraphs[0].runs:
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        if color is not None:
            run.font.color.rgb = color


def _fill_row(table, row: int, values: list[str], header: bool = False) -> None:
    for col, value in enumerate(values):
        cell = table.cell(row, col)
        cell.text = value
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size, run.font.name, run.font.bold = Pt(14 if not header else 14), FONT, header


def _table_slides(
    prs: Presentation, b: bf.Briefing, title: str, table: pd.DataFrame, columns: list[tuple[str, str, int]]
) -> None:
    """The table over as many slides as needed, ROWS_PER_SLIDE rows each, numbered continuously."""
    if len(table) == 0:
        slide = _titled(prs, title)
        _text(slide, _vi(b, "Không có xã nào.", "No commune."), Inches(0.6), Inches(1.6), Inches(12), Inches(1))
        return
    pages = (len(table) + ROWS_PER_SLIDE - 1) // ROWS_PER_SLIDE
    for page in range(pages):
        part = table.iloc[page * ROWS_PER_SLIDE : (page + 1) * ROWS_PER_SLIDE]
        suffix = f" ({page + 1}/{pages})" if pages > 1 else ""
        slide = _titled(prs, f"{title} – {b.month_text}{suffix}")
        shape = slide.shapes.add_table(
            len(part) + 1, len(columns) + 1, Inches(0.6), Inches(1.4), Inches(12.1), Inches(0.42 * (len(part) + 1))
        )
        grid = shape.table
        _widths(grid, [key for key, _, _ in columns])
        _fill_row(grid, 0, ["STT", *[label for _, label, _ in columns]], header=True)
        for i, (_, row) in enumerate(part.iterrows(), start=1):
            cells = [str(page * ROWS_PER_SLIDE + i)]
            for key, _, decimals in columns:
                value = row.get(key)
                cells.append(
                    number(value, decimals, b.lang)
                    if isinstance(value, (int, float)) and not isinstance(value, bool)
                    else ("" if value is None or pd.isna(value) else str(value))
                )
            _fill_row(grid, i, cells)


def _widths(grid, keys: list[str]) -> None:
    """Names get the room, so that rows stay one line high and the table stays on the slide."""
    wide = {"commune_name": 3.3, "district_name": 2.9}
    rest = (12.1 - 0.7 - sum(wide.get(k, 0) for k in keys)) / max(1, sum(1 for k in keys if k not in wide))
    grid.columns[0].width = Inches(0.7)
    for i, key in enumerate(keys, start=1):
        grid.columns[i].width = Inches(wide.get(key, rest))


def _for_slide(fig: go.Figure, b: bf.Briefing, width: int, height: int, fitted: bool) -> go.Figure:
    """The chart without its own title (the slide has one), with the source line, sized for the slide.

    Fonts of about 13 pt once the 1900-pixel image spans the slide: readable from the back of a meeting room."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.update_layout(
        title=None,
        width=width,
        height=height,
        font={"family": "Noto Sans", "size": 30},
        margin={"l": 60, "r": 30, "t": 30, "b": 130},
        legend={"font": {"size": 26}},
    )
    out.update_xaxes(tickfont={"size": 26}, title_font={"size": 28})
    out.update_yaxes(tickfont={"size": 26}, title_font={"size": 28})
    out.update_traces(selector={"type": "choropleth"}, colorbar={"tickfont": {"size": 26}, "thickness": 36})
    out.update_traces(selector={"type": "bar"}, textfont_size=26)
    for annotation in out.layout.annotations:
        annotation.font.size = 26
    out.add_annotation(
        text=b.source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-100,
        xanchor="left",
        showarrow=False,
        font={"size": 22, "color": "#666"},
    )
    if fitted:
        out = bf.inline_geometry(out, b.geometry)
    return out
