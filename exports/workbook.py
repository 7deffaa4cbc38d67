"""Formatting of the XLSX report (openpyxl): Vietnamese headers, number formats, frozen header, highlights."""

from __future__ import annotations

import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.settings import Settings
from metrics.tables import VI_HEADERS

_HEADER_FILL = PatternFill("solid", start_color="1F4E79")
_BELOW_TARGET = PatternFill("solid", start_color="F8CBAD")
_BELOW_QUOTA = PatternFill("solid", start_color="FFE699")
_FORMATS = {
    "samples": "#,##0",
    "quota": "#,##0",
    "speed_samples": "#,##0",
    "communes": "#,##0",
    "quota_pct": "0.0",
    "communes_meeting_quota": "#,##0",
    "communes_sufficient": "#,##0",
    "communes_meeting_target": "#,##0",
}
_WIDE = {"province_name": 22, "district_name": 24, "commune_name": 28}


def build_workbook(
    communes: pd.DataFrame, districts: pd.DataFrame, settings: Settings, extra: dict[str, pd.DataFrame]
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Xã phường"
    _write_sheet(ws, communes)
    _highlight_communes(ws, communes, settings)
    _write_sheet(wb.create_sheet("Tổng hợp huyện" if "district_code" in districts else "Tổng hợp tỉnh"), districts)
    for title, table in extra.items():
        _write_sheet(wb.create_sheet(title[:31]), table)
    legend = wb.create_sheet("Chú giải")
    for row in _legend(settings):
        append_literal(legend, row)
    legend.column_dimensions["A"].width = 100
    return wb


def _write_sheet(ws: Worksheet, table: pd.DataFrame) -> None:
    append_literal(ws, [VI_HEADERS.get(c, c) for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for record in table.itertuples(index=False):
        append_literal(ws, [_cell_value(v) for v in record])
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        fmt = _FORMATS.get(col, "#,##0.0" if pd.api.types.is_float_dtype(table[col]) else None)
        if fmt:
            for cell in ws[letter][1:]:
                cell.number_format = fmt
        ws.column_dimensions[letter].width = _WIDE.get(col, 14)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def append_literal(ws: Worksheet, values: list) -> None:
    """Append a row in which text is always text: openpyxl would store '=HYPERLINK(...)' from the data as a live
    formula; such cells are kept as string cells, shown exactly as written and never evaluated."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _cell_value(value: object) -> object:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _highlight_communes(ws: Worksheet, table: pd.DataFrame, settings: Settings) -> None:
    """Conditional formats, so the highlight follows the data if a user edits or sorts it."""
    if len(table) == 0:
        return
    cols = {c: get_column_letter(i) for i, c in enumerate(table.columns, start=1)}
    last = get_column_letter(len(table.columns))
    rng = f"A2:{last}{len(table) + 1}"
    target, samples = cols["meets_speed_target"], cols["samples"]
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f"${target}2=FALSE"], fill=_BELOW_TARGET, stopIfTrue=True))
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f"${samples}2<{settings.quota}"], fill=_BELOW_QUOTA))


def _legend(settings: Settings) -> list[list[str]]:
    return [
        ["Chú giải / Legend"],
        [
            f"Nền đỏ nhạt: xã/phường có tốc độ tải xuống 4G trung bình dưới mục tiêu {settings.speed_target_mbps:g} Mbps "
            f"(chỉ xét xã có ít nhất {settings.min_samples} mẫu)."
        ],
        [f"Nền vàng: xã/phường chưa đủ {settings.quota} mẫu đo di động trong tháng."],
        [f"Ô tốc độ để trống: dưới {settings.min_samples} mẫu, chưa đủ dữ liệu để đánh giá."],
        ["Tốc độ trung bình tính theo từng mẫu đo (không lấy trung bình của các trung bình)."],
        ["Nguồn: dữ liệu đo i-Speed."],
    ]
