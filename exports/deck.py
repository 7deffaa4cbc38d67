"""The PPTX briefing deck (python-pptx, 16:9): editable titles, text and tables; charts and maps as pictures.

Every slide repeats what a page shows, from the same pieces: the figures of metrics.briefing, the verdicts and
lists of metrics.rules, the figures of viz.figures, the words of core.i18n.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from core.formats import number, signed
from core.i18n import t
from exports.images import inline_geometry, render, source_line
from geo.mapgeom import MapGeometry
from metrics.briefing import Briefing
from metrics.rules import account_rows, campaign_class_counts
from metrics.tables import campaign_listing
from viz import figures

FONT = "Arial"  # on every office PC, with Vietnamese glyphs; LibreOffice substitutes Liberation Sans
ROWS_PER_SLIDE = 10
SLIDE_W, SLIDE_H = Emu(12_192_000), Emu(6_858_000)  # 13.333 x 7.5 in, exactly 16:9
BLUE = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
TITLE_CHARS_AT_FULL_SIZE = 60  # longer titles are set smaller so that they stay on one or two lines


@dataclass(frozen=True)
class Deck:
    """What the slides are made from: the month's figures, the map's geometry, the reader's language."""

    b: Briefing
    geometry: MapGeometry
    lang: str

    @property
    def month_text(self) -> str:
        return self.b.filters.month_words(self.lang)

    @property
    def source(self) -> str:
        return source_line(self.b.filters.month, self.lang)

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def build_deck(
    b: Briefing, geometry: MapGeometry, lang: str = "vi", progress: Callable[[float], None] | None = None
) -> bytes:
    """The whole deck as PPTX bytes."""
    deck = Deck(b, geometry, lang)
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    steps = [
        _title_slide,
        _headline_slide,
        _account_slide,
        _speed_map_slide,
        _coverage_map_slide,
        _carriers_slide,
        _trend_slide,
        _below_target_slides,
        _below_quota_slides,
        _campaign_slide,
        _closing_slide,
    ]
    for i, step in enumerate(steps):
        step(prs, deck)
        if progress:
            progress((i + 1) / len(steps))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# ---- the rows a slide shows (also what a test compares with the page) ------------------------------------


def headline_rows(d: Deck) -> list[tuple[str, str]]:
    """The headline figures as (label, value), in the reader's language and number format (rules.headline)."""
    h, s, lang, net = d.b.headline, d.b.settings, d.lang, d.b.filters.network_words(d.lang)
    target = number(s.speed_target_mbps, 0, lang)
    if h.mean_mbps is None:
        speed = t("insufficient_legend", lang, min=s.min_samples)
    else:
        speed = f"{number(h.mean_mbps, 1, lang)} Mbps"
        if h.change_mbps is not None:
            speed += f" ({signed(h.change_mbps, 1, lang)} {t('vs_prev', lang)})"
        speed += "; " + t("ci_words", lang, lo=number(h.ci95[0], 1, lang), hi=number(h.ci95[1], 1, lang))
    c = h.counts
    return [
        (t("kpi_speed", lang, net=net) + f" · {t('target_line', lang, target=target)}", speed),
        (t("kpi_samples", lang), f"{number(h.samples, 0, lang)} ({_previous_samples(h.previous_samples, lang)})"),
        (t("kpi_quota_communes", lang, quota=number(s.quota, 0, lang)), f"{c.meet_quota} / {c.communes}"),
        (
            t("kpi_target_communes", lang, target=target),
            f"{c.meet_target} / {c.judged} " + t("kpi_target_help", lang, n=c.judged, min=s.min_samples).lower(),
        ),
        (t("kpi_insufficient", lang), number(c.insufficient, 0, lang)),
        (t("kpi_no_data", lang), number(c.no_data, 0, lang)),
        (t("kpi_unassigned", lang), number(h.unassigned, 0, lang)),
    ]


def _previous_samples(previous: int, lang: str) -> str:
    if previous == 0:
        return t("prev_month_no_data", lang)
    return f"{t('vs_prev', lang)}: {number(previous, 0, lang)}"


def account_table_rows(d: Deck) -> list[tuple[str, str, str]]:
    """The month's samples reconciled (rules.account_rows): group, measurements, the referral codes involved."""
    return [(r.label.render(d.lang), number(r.samples, 0, d.lang), r.codes) for r in account_rows(d.b.account)]


def below_target_table(d: Deck) -> tuple[pd.DataFrame, list[tuple[str, str, int]]]:
    columns = [
        ("commune_name", t("col_commune", d.lang), 0),
        ("district_name", t("col_district", d.lang), 0),
        ("mean_download_mbps", t("col_mean", d.lang), 1),
        ("gap", t("col_gap_target", d.lang), 1),
        ("speed_samples", t("col_speed_samples", d.lang), 0),
    ]
    return d.b.below_target(), columns


def below_quota_table(d: Deck) -> tuple[pd.DataFrame, list[tuple[str, str, int]]]:
    columns = [
        ("commune_name", t("col_commune", d.lang), 0),
        ("district_name", t("col_district", d.lang), 0),
        ("samples", t("col_samples", d.lang), 0),
        ("missing", t("col_gap_quota", d.lang), 0),
        ("referral_code", t("col_referral", d.lang), 0),
    ]
    return d.b.below_quota(), columns


# ---- slides ---------------------------------------------------------------------------------------------


def _title_slide(prs: Presentation, d: Deck) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = d.t("deck_title", month=d.month_text)
    slide.placeholders[1].text = f"{d.b.describe(d.lang)}\n{d.source}"
    _style(slide, title_size=36)


def _headline_slide(prs: Presentation, d: Deck) -> None:
    slide = _titled(prs, d.t("deck_headline", month=d.month_text))
    rows = headline_rows(d)
    shape = slide.shapes.add_table(
        len(rows) + 1, 2, Inches(0.6), Inches(1.5), Inches(12.1), Inches(0.5 * (len(rows) + 1))
    )
    table = shape.table
    table.columns[0].width, table.columns[1].width = Inches(5.6), Inches(6.5)
    _fill_row(table, 0, [d.t("deck_figure"), d.t("deck_value")], header=True)
    for i, (label, value) in enumerate(rows, start=1):
        _fill_row(table, i, [label, value])
    h, s = d.b.headline, d.b.settings
    if h.mean_mbps is None:
        verdict = d.t("headline_none", net=d.b.filters.network_words(d.lang))
    else:
        key = "headline_above" if h.meets_target else "headline_below"
        verdict = d.t(key, value=number(h.mean_mbps, 1, d.lang), target=number(s.speed_target_mbps, 0, d.lang))
    _text(slide, verdict, Inches(0.6), Inches(6.3), Inches(12.1), Inches(0.6), size=20, bold=True)


def _account_slide(prs: Presentation, d: Deck) -> None:
    """Every sample of the month accounted for: in communes, in none (by reason, with codes), the total."""
    rows = account_table_rows(d)
    slide = _titled(prs, d.t("account_title") + f" – {d.month_text}")
    shape = slide.shapes.add_table(
        len(rows) + 1, 3, Inches(0.6), Inches(1.5), Inches(12.1), Inches(0.5 * (len(rows) + 1))
    )
    table = shape.table
    table.columns[0].width, table.columns[1].width, table.columns[2].width = Inches(5.6), Inches(2.0), Inches(4.5)
    _fill_row(table, 0, [d.t("account_col_what"), d.t("account_col_samples"), d.t("account_col_codes")], header=True)
    for i, (label, samples, codes) in enumerate(rows, start=1):
        _fill_row(table, i, [label, samples, codes], bold=i == len(rows))


def _picture_slide(
    prs: Presentation, d: Deck, title: str, fig: go.Figure, note: str = "", is_map: bool = False
) -> None:
    slide = _titled(prs, title)
    width, height = 1900, 1000
    png = render(_for_slide(fig, d, width, height, is_map), "png", width, height)
    top = Inches(1.25)
    pic_h = SLIDE_H - top - Inches(0.35 if not note else 0.85)
    slide.shapes.add_picture(io.BytesIO(png), Emu(int((SLIDE_W - pic_h * width / height) / 2)), top, height=pic_h)
    if note:
        _text(slide, note, Inches(0.6), SLIDE_H - Inches(0.8), Inches(12.1), Inches(0.6), size=14, color=GREY)


def _speed_map_slide(prs: Presentation, d: Deck) -> None:
    s = d.b.settings
    note = t("insufficient_legend", d.lang, min=s.min_samples) + ": " + d.t("deck_grey_note")
    fig = figures.speed_map_figure(d.b.communes, d.geometry, d.b.filters, s, "mean", d.lang)
    _picture_slide(prs, d, d.t("deck_speed_map", net=d.b.filters.network_words(d.lang)), fig, note, is_map=True)


def _coverage_map_slide(prs: Presentation, d: Deck) -> None:
    fig = figures.coverage_map_figure(d.b.communes, d.geometry, d.b.filters, d.b.settings, d.lang)
    _picture_slide(prs, d, d.t("page_coverage_map"), fig, is_map=True)


def _carriers_slide(prs: Presentation, d: Deck) -> None:
    notes = [
        d.t("significant" if c.significant else "not_significant", a=c.faster, b=c.slower)
        for c in d.b.carrier_comparisons()
    ]
    fig = figures.carriers_figure(d.b.carriers, d.b.filters, d.b.settings, d.lang)
    _picture_slide(prs, d, d.t("page_carriers"), fig, " ".join(notes[:3]))


def _trend_slide(prs: Presentation, d: Deck) -> None:
    _picture_slide(
        prs,
        d,
        d.t("page_trends"),
        figures.trend_figure(d.b.monthly, d.b.filters, d.b.settings, d.lang, marks=d.b.marks),
    )


def _below_target_slides(prs: Presentation, d: Deck) -> None:
    table, columns = below_target_table(d)
    _table_slides(prs, d, d.t("worst_speed"), table, columns)


def _below_quota_slides(prs: Presentation, d: Deck) -> None:
    table, columns = below_quota_table(d)
    _table_slides(prs, d, d.t("under_quota_table"), table, columns)


CAMPAIGN_ROWS = 6  # the communes whose campaign most needs doing again, on the one campaign slide


def campaign_table(d: Deck) -> tuple[pd.DataFrame, list[tuple[str, str, int]]]:
    """The flagged communes (rules.campaign_to_act's order) as the campaign slide lists them."""
    listing = campaign_listing(d.b.campaign, d.b.areas, d.b.settings, d.lang)
    columns = [
        ("commune_name", t("col_commune", d.lang), 0),
        ("samples", t("col_samples", d.lang), 0),
        ("devices", t("col_devices", d.lang), 0),
        ("top_device_pct", t("col_top_device_share", d.lang), 0),
        ("cell_pct", t("col_cell_pct", d.lang), 0),
        ("office_pct", t("col_office_hours_share", d.lang), 0),
        ("campaign_action", t("col_campaign_action", d.lang), 0),
    ]
    return listing[listing["campaign_flags"].map(bool)], columns


def _campaign_slide(prs: Presentation, d: Deck) -> None:
    """One slide: how many communes met the quota widely or from a few phones in one place, and the first to act on."""
    slide = _titled(prs, f"{d.t('slide_campaign')} – {d.month_text}")
    counts = campaign_class_counts(d.b.campaign, d.b.settings)
    summary = d.t("campaign_counts", **{k: number(v, 0, d.lang) for k, v in counts.items()})
    _text(slide, summary, Inches(0.6), Inches(1.3), Inches(12.1), Inches(0.6), size=18, bold=True)
    table, columns = campaign_table(d)
    part = table.head(CAMPAIGN_ROWS)
    if not len(part):
        _text(slide, d.t("deck_no_commune"), Inches(0.6), Inches(2.1), Inches(12), Inches(1))
        return
    grid = slide.shapes.add_table(
        len(part) + 1, len(columns), Inches(0.6), Inches(2.0), Inches(12.1), Inches(0.42 * (len(part) + 1))
    ).table
    for i, width in enumerate([2.6, 1.0, 1.0, 1.3, 1.3, 1.3, 3.6]):  # the action's words get the room
        grid.columns[i].width = Inches(width)
    _fill_row(grid, 0, [label for _, label, _ in columns], header=True, size=12)
    for i, (_, row) in enumerate(part.iterrows(), start=1):
        _fill_row(grid, i, [_cell_text(row.get(key), decimals, d.lang) for key, _, decimals in columns], size=12)
    more = len(table) - len(part)
    note = d.t("campaign_more", n=number(more, 0, d.lang)) + " " if more > 0 else ""
    rule = d.t(
        "campaign_rule_note",
        min_devices=d.b.settings.min_devices,
        top=d.b.settings.max_top_device_pct,
        cells=d.b.settings.min_cell_pct,
        office=d.b.settings.max_office_pct,
    )
    _text(slide, note + rule, Inches(0.6), SLIDE_H - Inches(0.9), Inches(12.1), Inches(0.7), size=12, color=GREY)


def _cell_text(value: object, decimals: int, lang: str) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return number(value, decimals, lang)
    return str(value)


def _closing_slide(prs: Presentation, d: Deck) -> None:
    s, lang = d.b.settings, d.lang
    slide = _titled(prs, d.t("deck_rules_title"))
    lines = [
        t("rules_text", lang, net=d.b.filters.network_words(lang), min=s.min_samples),
        t("deck_rules_targets", lang, target=number(s.speed_target_mbps, 0, lang), quota=number(s.quota, 0, lang)),
        t("deck_rules_where", lang),
        t("deck_rules_ci", lang),
        s.signature(lang),
        d.source,
    ]
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.5), Inches(12.1), Inches(5.5)).text_frame
    box.word_wrap = True
    for i, line in enumerate(lines):
        para = box.paragraphs[0] if i == 0 else box.add_paragraph()
        para.text = "• " + line
        para.space_after = Pt(10)
        for run in para.runs:
            run.font.size, run.font.name = Pt(20), FONT


# ---- building blocks ------------------------------------------------------------------------------------


def _titled(prs: Presentation, title: str):
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # "Title Only"
    slide.shapes.title.text = title
    _style(slide, title_size=30)
    return slide


def _style(slide, title_size: int) -> None:
    """Title in the deck's font, inside the slide: long titles are set smaller and wrap within their box."""
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(0.6), Inches(0.3), Inches(12.1), Inches(0.95)
    text = title.text_frame.text
    size = (
        title_size
        if len(text) <= TITLE_CHARS_AT_FULL_SIZE
        else max(20, round(title_size * TITLE_CHARS_AT_FULL_SIZE / len(text)))
    )
    title.text_frame.word_wrap = True
    title.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    for para in title.text_frame.paragraphs:
        for run in para.runs:
            run.font.size, run.font.name, run.font.bold, run.font.color.rgb = Pt(size), FONT, True, BLUE
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


def _fill_row(table, row: int, values: list[str], header: bool = False, bold: bool = False, size: int = 14) -> None:
    for col, value in enumerate(values):
        cell = table.cell(row, col)
        cell.text = value
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size, run.font.name, run.font.bold = Pt(size), FONT, header or bold


def _table_slides(
    prs: Presentation, d: Deck, title: str, table: pd.DataFrame, columns: list[tuple[str, str, int]]
) -> None:
    """The table over as many slides as needed, ROWS_PER_SLIDE rows each, numbered continuously; a column
    with nothing in it (districts under the 2025 system, codes without a referral list) is left out."""
    columns = [c for c in columns if c[0] in table and table[c[0]].notna().any()] if len(table) else columns
    if len(table) == 0:
        slide = _titled(prs, title)
        _text(slide, d.t("deck_no_commune"), Inches(0.6), Inches(1.6), Inches(12), Inches(1))
        return
    pages = (len(table) + ROWS_PER_SLIDE - 1) // ROWS_PER_SLIDE
    for page in range(pages):
        part = table.iloc[page * ROWS_PER_SLIDE : (page + 1) * ROWS_PER_SLIDE]
        suffix = f" ({page + 1}/{pages})" if pages > 1 else ""
        slide = _titled(prs, f"{title} – {d.month_text}{suffix}")
        shape = slide.shapes.add_table(
            len(part) + 1, len(columns) + 1, Inches(0.6), Inches(1.4), Inches(12.1), Inches(0.42 * (len(part) + 1))
        )
        grid = shape.table
        _widths(grid, [key for key, _, _ in columns])
        _fill_row(grid, 0, [t("col_no", d.lang), *[label for _, label, _ in columns]], header=True)
        for i, (_, row) in enumerate(part.iterrows(), start=1):
            cells = [str(page * ROWS_PER_SLIDE + i)]
            for key, _, decimals in columns:
                value = row.get(key)
                cells.append(
                    number(value, decimals, d.lang)
                    if isinstance(value, (int, float)) and not isinstance(value, bool)
                    else ("" if value is None or pd.isna(value) else str(value))
                )
            _fill_row(grid, i, cells)


def _widths(grid, keys: list[str]) -> None:
    """Names get the room, so that rows stay one line high and the table stays on the slide."""
    wide = {"commune_name": 3.6, "district_name": 2.9}
    rest = (12.1 - 0.7 - sum(wide.get(k, 0) for k in keys)) / max(1, sum(1 for k in keys if k not in wide))
    grid.columns[0].width = Inches(0.7)
    for i, key in enumerate(keys, start=1):
        grid.columns[i].width = Inches(wide.get(key, rest))


def _for_slide(fig: go.Figure, d: Deck, width: int, height: int, is_map: bool) -> go.Figure:
    """The chart without its own title (the slide has one), with the source line, sized for the slide.

    Fonts of about 13 pt once the 1900-pixel image spans the slide: readable from the back of a meeting room."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    out.update_layout(
        title=None,
        width=width,
        height=height,
        font={"family": "Noto Sans", "size": 30},
        # The legend above the chart, the source below the axis labels (slanted months need the room).
        margin={"l": 60, "r": 30, "t": 90, "b": 190},
        legend={"font": {"size": 26}, "orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
    )
    out.update_xaxes(tickfont={"size": 26}, title_font={"size": 28})
    out.update_yaxes(tickfont={"size": 26}, title_font={"size": 28})
    out.update_traces(selector={"type": "choropleth"}, colorbar={"tickfont": {"size": 26}, "thickness": 36})
    out.update_traces(selector={"type": "bar"}, textfont_size=26)
    for annotation in out.layout.annotations:
        annotation.font.size = 26
    out.add_annotation(
        text=d.source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-170,
        xanchor="left",
        showarrow=False,
        font={"size": 22, "color": "#666"},
    )
    return inline_geometry(out, d.geometry) if is_map else out
