"""Small shared Streamlit widgets: KPI cards, formatted tables, CSV downloads, commune search."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st

from core.formats import mbps, number
from core.i18n import t
from core.spreadsheet import write_csv
from metrics.rules import SampleAccount, account_rows
from ui.cache import commune_labels
from ui.context import Context
from ui.filters import View
from ui.shell import COMMUNE_PAGE


def csv_download(table: pd.DataFrame, name: str, lang: str, key: str) -> None:
    """A CSV of exactly the table shown, built only when clicked (UTF-8 with BOM for Excel, no live formulas).

    on_click="ignore": a click must not rerun the page, since a rerun withdraws the other buttons' files (a click
    on one of them would then never produce its download)."""
    st.download_button(
        t("download_csv", lang),
        data=lambda: csv_bytes(table),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def csv_bytes(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    write_csv(table, buffer)
    return buffer.getvalue()


MAX_ROWS_SHOWN = 500


def show_table(table: pd.DataFrame, lang: str, key: str, name: str, height: int | None = None) -> None:
    """A table in the reader's number format (35,2 and 1.234 in Vietnamese, whatever the browser's locale),
    with a CSV download of all its rows (the screen shows the first 500, in the order given).

    Numbers are shown as right-aligned text: Streamlit's pandas-Styler path cost ~80 ms per table and rerun."""
    full = table
    if len(table) > MAX_ROWS_SHOWN:
        st.caption(t("rows_shown", lang, shown=number(MAX_ROWS_SHOWN, 0, lang), total=number(len(table), 0, lang)))
        table = table.head(MAX_ROWS_SHOWN)
    shown = table.copy()
    config = {}
    for col in table.columns:
        numeric = pd.api.types.is_numeric_dtype(table[col]) and not pd.api.types.is_bool_dtype(table[col])
        if numeric:
            decimals = 1 if pd.api.types.is_float_dtype(table[col]) else 0
            shown[col] = [number(v, decimals, lang) for v in table[col]]
            config[col] = st.column_config.TextColumn(col, alignment="right")
    st.dataframe(shown, hide_index=True, width="stretch", height=height or "auto", key=key, column_config=config)
    csv_download(full, name, lang, key=f"{key}_csv")


def commune_search(ctx: Context, view: View, key: str) -> str | None:
    """A searchable commune picker; returns the chosen commune code."""
    labels = commune_labels(ctx, ctx.signature, view.filters.provinces, view.filters.districts)
    current = st.session_state.get("commune")
    options = list(labels)
    index = options.index(current) if current in labels else None
    return st.selectbox(
        t("find_commune", view.lang), options, index=index, format_func=labels.get, key=key, placeholder="…"
    )


def label_of(row: pd.Series) -> str:
    parts = [row["commune_name"]]
    if pd.notna(row.get("district_name")):
        parts.append(row["district_name"])
    return " · ".join(parts)


def open_commune(code: str) -> None:
    """Go to the commune drill-down page for code."""
    st.session_state["commune"] = code
    st.switch_page(COMMUNE_PAGE)


def share(part: int, whole: int, lang: str) -> str:
    return f"{number(100 * part / whole, 0, lang)}%" if whole else "–"


# The heading (a language key) of every column a page's table may show.
COLUMN_KEYS = {
    "commune_name": "col_commune",
    "district_name": "col_district",
    "carrier": "col_carrier",
    "samples": "col_samples",
    "speed_samples": "col_speed_samples",
    "mean_download_mbps": "col_mean",
    "prev_mean_download_mbps": "col_mean_previous",
    "change_mean_download_mbps": "col_change",
    "median_download_mbps": "col_median",
    "ci95_low_mbps": "col_ci_low",
    "ci95_high_mbps": "col_ci_high",
    "mean_upload_mbps": "col_upload",
    "mean_latency_ms": "col_latency",
    "gap": "col_gap_target",
    "missing": "col_gap_quota",
    "quota_pct": "col_quota_pct",
    "referral_code": "col_referral",
    "devices": "col_devices",
    "samples_per_device": "col_samples_per_device",
    "top_device_pct": "col_top_device_share",
    "cells_with_samples": "col_cells_with_samples",
    "cells_total": "col_cells_total",
    "cell_pct": "col_cell_pct",
    "office_pct": "col_office_hours_share",
    "campaign_words": "col_campaign_verdict",
    "campaign_action": "col_campaign_action",
}


def named(table: pd.DataFrame, columns: list[str], lang: str, has_districts: bool = True) -> pd.DataFrame:
    """The table's chosen columns under their headings in the reader's language (no district column where the
    boundaries have none)."""
    keep = [c for c in columns if c != "district_name" or has_districts]
    return table[keep].rename(columns={c: t(COLUMN_KEYS[c], lang) for c in keep})


def speed_card(column, now: pd.Series, view: View, delta: str | None = None, note: str | None = None) -> None:
    """The mean download KPI with its interval in the help; insufficient data and no data are labelled as such.
    ``delta`` is a change (an arrow, coloured); ``note`` words in its place (no arrow: nothing went up or down)."""
    lang, s = view.lang, view.settings
    sufficient = bool(now["sufficient"])
    if int(now["speed_samples"]) == 0:
        note = t("no_speed_data", lang, net=view.filters.network_words(lang))
    elif not sufficient:
        note = t("insufficient_legend", lang, min=s.min_samples)
    changed = sufficient and delta is not None and note is None
    column.metric(
        t("kpi_speed", lang, net=view.filters.network_words(lang)),
        mbps(now["mean_download_mbps"], lang),
        delta=delta if changed else note,
        delta_color="normal" if changed else "off",
        delta_arrow="auto" if changed else "off",
        help=t(
            "kpi_speed_help",
            lang,
            net=view.filters.network_words(lang),
            lo=number(now["ci95_low_mbps"], 1, lang),
            hi=number(now["ci95_high_mbps"], 1, lang),
            target=number(s.speed_target_mbps, 0, lang),
        ),
        border=True,
    )


def sample_account(account: SampleAccount, lang: str) -> None:
    """The month's samples reconciled in one line, and by reason (with the codes involved) when some are in no
    commune (RULES §13)."""
    values = {
        "total": number(account.total, 0, lang),
        "in_communes": number(account.in_communes, 0, lang),
        "unassigned": number(account.unassigned_samples, 0, lang),
    }
    st.caption(t("account_line_area" if account.area_filtered else "account_line", lang, **values))
    if not account.unassigned:
        return
    with st.expander(t("account_title", lang)):
        rows = account_rows(account)
        table = pd.DataFrame(
            {
                t("account_col_what", lang): [r.label.render(lang) for r in rows],
                t("account_col_samples", lang): [r.samples for r in rows],
                t("account_col_codes", lang): [r.codes for r in rows],
            }
        )
        show_table(table, lang, key="sample_account", name="doi-chieu-so-mau")
