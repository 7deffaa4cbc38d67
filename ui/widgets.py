"""Small shared Streamlit widgets: KPI cards, formatted tables, CSV downloads, commune search."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.context import Context, commune_labels
from ui.filters import View
from viz.format import number
from viz.i18n import t


def csv_download(table: pd.DataFrame, name: str, lang: str, key: str) -> None:
    """A CSV of exactly the table shown, built only when clicked (UTF-8 with BOM for Excel)."""
    st.download_button(
        t("download_csv", lang),
        data=lambda: table.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


MAX_ROWS_SHOWN = 500


def show_table(table: pd.DataFrame, lang: str, key: str, name: str, height: int | None = None) -> None:
    """A table in the reader's number format (35,2 and 1.234 in Vietnamese, whatever the browser's locale),
    sortable on the underlying numbers, with a CSV download of all its rows (the screen shows the first 500)."""
    full = table
    if len(table) > MAX_ROWS_SHOWN:
        st.caption(t("rows_shown", lang, shown=number(MAX_ROWS_SHOWN, 0, lang), total=number(len(table), 0, lang)))
        table = table.head(MAX_ROWS_SHOWN)
    floats = [c for c in table.columns if pd.api.types.is_float_dtype(table[c])]
    ints = [
        c for c in table.columns if pd.api.types.is_integer_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
    ]
    styled = table.style.format(lambda v: number(v, 1, lang), subset=floats, na_rep="–").format(
        lambda v: number(v, 0, lang), subset=ints
    )
    st.dataframe(styled, hide_index=True, width="stretch", height=height or "auto", key=key)
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
    st.switch_page("pages/commune.py")


def verdict_counts(table: pd.DataFrame) -> dict[str, int]:
    judged = table["meets_speed_target"].notna()
    return {
        "communes": len(table),
        "meet_quota": int(table["meets_quota"].sum()),
        "judged": int(judged.sum()),
        "meet_target": int(table["meets_speed_target"].fillna(False).sum()),
        "insufficient": int((~table["sufficient"]).sum()),
    }


def share(part: int, whole: int, lang: str) -> str:
    return f"{number(100 * part / whole, 0, lang)}%" if whole else "–"
