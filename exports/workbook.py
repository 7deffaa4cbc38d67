"""The monthly XLSX workbook (openpyxl): the commune report, the district (or province) summary, the monthly
return and the legend, with headings in the reader's language, one yes/no convention, highlights, and a page
setup that prints: A4 landscape, fitted to the page width, the heading row repeated on every page."""

from __future__ import annotations

import math

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.i18n import t
from core.settings import Settings
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.rules import SampleAccount, account_rows
from metrics.tables import campaign_listing, commune_report, district_summary, month_account, monthly_return

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
    "samples_with_code": "#,##0",
    "no": "0",
    "devices": "#,##0",
    "cells_with_samples": "#,##0",
    "cells_total": "#,##0",
    "top_device_share": "0.0%",
    "office_hours_share": "0.0%",
}
_WIDE = {
    "province_name": 22,
    "district_name": 24,
    "commune_name": 28,
    "referral_code": 16,
    "campaign_words": 44,
    "campaign_action": 34,
}
_WRAPPED = ("campaign_words", "campaign_action")  # sentences: wrapped in their column, so the sheet prints legibly
# The campaign sheet (RULES §20, §21): every commune, its figures, its verdict in words and what to do.
CAMPAIGN_SHEET = [
    "commune_code",
    "commune_name",
    "district_name",
    "samples",
    "devices",
    "samples_per_device",
    "top_device_pct",
    "cells_with_samples",
    "cells_total",
    "cell_pct",
    "office_pct",
    "campaign_words",
    "campaign_action",
]
_YES_NO = ("meets_quota", "meets_speed_target")
_DISTRICT_COLUMNS = ("district_code", "district_name")


def report_workbook(
    engine: StatsEngine, filters: Filters, settings: Settings, referral: pd.DataFrame | None, lang: str = "vi"
) -> Workbook:
    """The whole monthly workbook of a selection, in ``lang`` (the same tables as the CSV report and the pages)."""
    verdicts = engine.campaign_table(filters, settings)
    communes = commune_report(engine, filters, settings, verdicts)
    districts = district_summary(engine, filters, settings, communes)
    returns = monthly_return(communes, referral, engine.referral_counts(filters), settings)
    account = month_account(engine, filters, communes)
    campaign = campaign_listing(verdicts, engine.areas, settings, lang, to_act=False)
    subtitle = filters.describe(engine.areas, lang)
    return build_workbook(communes, districts, returns, account, settings, subtitle, lang, campaign)


def build_workbook(
    communes: pd.DataFrame,
    districts: pd.DataFrame,
    returns: pd.DataFrame,
    account: SampleAccount,
    settings: Settings,
    subtitle: str,
    lang: str = "vi",
    campaign: pd.DataFrame | None = None,
) -> Workbook:
    """The workbook from the report's tables; empty district columns (the 2025 system) are hidden on the report's
    sheet and left out of the monthly return, and the account sheet reconciles the communes' samples with every measurement of the month."""
    returns = _without_empty_districts(returns)
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_communes", lang)
    _write_sheet(ws, communes, lang)  # the report's own table (CONTRACTS): empty district columns hidden, kept
    _hide_empty_districts(ws, communes)
    _highlight_communes(ws, communes, settings, lang)
    level = "district" if "district_code" in districts else "province"
    _write_sheet(wb.create_sheet(t(f"sheet_{level}s", lang)), districts, lang)
    sheet = wb.create_sheet(t("sheet_monthly_return", lang))
    _write_sheet(sheet, returns, lang)
    _total_row(sheet, returns, settings, lang)
    _account_note(sheet, returns, account, lang)
    _account_sheet(wb.create_sheet(t("sheet_account", lang)), account, lang)
    if campaign is not None:
        _write_sheet(
            wb.create_sheet(t("sheet_campaign", lang)), _without_empty_districts(campaign[CAMPAIGN_SHEET]), lang
        )
    legend = wb.create_sheet(t("sheet_legend", lang))
    for row in _legend(settings, subtitle, lang):
        append_literal(legend, row)
    legend.column_dimensions["A"].width = 110
    for sheet in wb.worksheets:
        _page_setup(sheet, subtitle)
    return wb


def _empty_districts(table: pd.DataFrame) -> list[str]:
    """District columns with nothing in them (boundaries of the 2025 system have no districts)."""
    return [c for c in _DISTRICT_COLUMNS if c in table and len(table) and table[c].isna().all()]


def _without_empty_districts(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(columns=_empty_districts(table))


def _hide_empty_districts(ws: Worksheet, table: pd.DataFrame) -> None:
    for column in _empty_districts(table):
        ws.column_dimensions[get_column_letter(list(table.columns).index(column) + 1)].hidden = True


def _account_sheet(ws: Worksheet, account: SampleAccount, lang: str) -> None:
    """Every mobile measurement of the month: in communes, in none by reason (with the codes), and the total."""
    rows = account_rows(account)
    table = pd.DataFrame(
        {
            "what": [r.label.render(lang) for r in rows],
            "samples": [r.samples for r in rows],
            "codes": [r.codes or None for r in rows],
        }
    )
    append_literal(ws, [t("account_col_what", lang), t("account_col_samples", lang), t("account_col_codes", lang)])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for record in table.itertuples(index=False):
        append_literal(ws, list(record))
        ws.cell(ws.max_row, 2).number_format = "#,##0"
        for cell in ws[ws.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 70, 14, 60


def _write_sheet(ws: Worksheet, table: pd.DataFrame, lang: str) -> None:
    append_literal(ws, [t(f"report_{c}", lang) for c in table.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for record in table.itertuples(index=False):
        append_literal(ws, [_cell_value(col, v, lang) for col, v in zip(table.columns, record, strict=True)])
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        fmt = _FORMATS.get(col, "#,##0.0" if pd.api.types.is_float_dtype(table[col]) else None)
        if fmt:
            for cell in ws[letter][1:]:
                cell.number_format = fmt
        if col in _WRAPPED:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = math.ceil(len(str(cell.value or "")) / _WIDE[col])  # a character is about a width unit
                height = ws.row_dimensions[cell.row].height or 15
                ws.row_dimensions[cell.row].height = max(height, 15 * lines)  # offices' readers do not grow rows
        ws.column_dimensions[letter].width = _WIDE.get(col, 13)
    ws.row_dimensions[1].height = 48
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions


def _cell_value(column: str, value: object, lang: str) -> object:
    """Empty for a missing figure; yes/no columns as the same two words everywhere ('Đạt' / 'Chưa đạt')."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if column in _YES_NO:
        return t("yes_met" if bool(value) else "no_not_met", lang)
    if column == "data_status":
        return t(f"data_status_{value}", lang)
    if column == "campaign_verdict":
        return " + ".join(t(f"verdict_{part}", lang) for part in str(value).split("+"))
    if hasattr(value, "item"):
        return value.item()
    return value


def append_literal(ws: Worksheet, values: list) -> None:
    """Append a row in which text is always text: openpyxl would store '=HYPERLINK(...)' from the data as a live
    formula; such cells are kept as string cells, shown exactly as written and never evaluated."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _total_row(ws: Worksheet, returns: pd.DataFrame, settings: Settings, lang: str) -> None:
    """The monthly return's total: samples of the communes, the quota of all of them, communes meeting it."""
    cols = list(returns.columns)
    row: list[object] = [None] * len(cols)
    row[cols.index("commune_name")] = t("total_communes", lang)
    row[cols.index("samples")] = int(returns["samples"].sum())
    row[cols.index("quota")] = settings.quota * len(returns)
    row[cols.index("quota_pct")] = 100.0 * returns["samples"].sum() / max(settings.quota * len(returns), 1)
    row[cols.index("meets_quota")] = t("communes_met_of", lang, met=int(returns["meets_quota"].sum()), n=len(returns))
    row[cols.index("samples_with_code")] = int(returns["samples_with_code"].sum())
    append_literal(ws, row)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.cell(ws.max_row, cols.index("quota_pct") + 1).number_format = _FORMATS["quota_pct"]


def _account_note(ws: Worksheet, returns: pd.DataFrame, account: SampleAccount, lang: str) -> None:
    """Below the total: the measurements in no commune, so that the total reconciles with the month's count."""
    if not account.unassigned:
        return
    cols = list(returns.columns)
    for label, samples in (
        (t("account_unassigned_all", lang, sheet=t("sheet_account", lang)), account.unassigned_samples),
        (t("account_total_area" if account.area_filtered else "account_total", lang), account.total),
    ):
        row: list[object] = [None] * len(cols)
        row[cols.index("commune_name")], row[cols.index("samples")] = label, samples
        append_literal(ws, row)
        ws.cell(ws.max_row, cols.index("commune_name") + 1).alignment = Alignment(wrap_text=True)
        ws.row_dimensions[ws.max_row].height = 30  # two lines: spreadsheets do not grow a row for wrapped text
        ws.cell(ws.max_row, cols.index("samples") + 1).number_format = "#,##0"


def _highlight_communes(ws: Worksheet, table: pd.DataFrame, settings: Settings, lang: str) -> None:
    """Conditional formats, so the highlight follows the data if a user edits or sorts it."""
    if len(table) == 0:
        return
    cols = {c: get_column_letter(i) for i, c in enumerate(table.columns, start=1)}
    rng = f"A2:{get_column_letter(len(table.columns))}{len(table) + 1}"
    target, samples = cols["meets_speed_target"], cols["samples"]
    not_met = t("no_not_met", lang).replace('"', '""')
    ws.conditional_formatting.add(
        rng, FormulaRule(formula=[f'${target}2="{not_met}"'], fill=_BELOW_TARGET, stopIfTrue=True)
    )
    ws.conditional_formatting.add(rng, FormulaRule(formula=[f"${samples}2<{settings.quota}"], fill=_BELOW_QUOTA))


def _legend(settings: Settings, subtitle: str, lang: str) -> list[list[str]]:
    target = f"{settings.speed_target_mbps:g}"
    return [
        [t("legend_title", lang)],
        [subtitle],
        [t("legend_below_target", lang, target=target, min=settings.min_samples)],
        [t("legend_below_quota", lang, quota=settings.quota)],
        [t("legend_insufficient", lang, min=settings.min_samples)],
        [t("legend_means", lang)],
        [settings.signature(lang)],
        [t("legend_source", lang)],
    ]


def _page_setup(ws: Worksheet, subtitle: str) -> None:
    """A4 landscape, every column on the page width, the heading row on every page, page numbers in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = f"{ws.title} · {subtitle}".replace("&", "&&")
    ws.oddFooter.center.text = "&P / &N"
