"""The who/where/when panels the coverage page and the commune page share (RULES §20, §21)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.formats import number, percent
from core.i18n import t
from metrics.filters import Filters
from metrics.rules import campaign_actions, campaign_message
from ui import cache as data
from ui import downloads as exp
from ui.context import Context
from ui.filters import View
from viz.campaign import week_hours


def campaign_cards(row: pd.Series, view: View) -> None:
    """One commune's devices, top device, area measured and office hours, then its verdict and what to do."""
    lang, s = view.lang, view.settings
    unknown = t("kpi_unknown", lang)
    c1, c2, c3, c4 = st.columns(4)
    devices = row["devices"]
    per_device = row["samples_per_device"]
    c1.metric(
        t("kpi_devices", lang),
        unknown if pd.isna(devices) else number(devices, 0, lang),
        help=None if pd.isna(per_device) else f"{t('col_samples_per_device', lang)}: {number(per_device, 1, lang)}",
        border=True,
    )
    top = row["top_device_share"]
    c2.metric(t("kpi_top_device", lang), unknown if pd.isna(top) else percent(100 * top, 0, lang), border=True)
    cells, total = row["cells_with_samples"], row["cells_total"]
    area = unknown if pd.isna(cells) or pd.isna(total) or not total else percent(100 * cells / total, 0, lang)
    c3.metric(
        t("kpi_cells", lang),
        area,
        help=None if pd.isna(cells) else f"{number(cells, 0, lang)} / {number(total, 0, lang)}",
        border=True,
    )
    office = row["office_hours_share"]
    c4.metric(t("kpi_office", lang), unknown if pd.isna(office) else percent(100 * office, 0, lang), border=True)
    words = campaign_message(row, s).render(lang)
    actions = campaign_actions(row, s).render(lang)
    text = f"{words}. {t('col_campaign_action', lang)}: {actions}." if actions else f"{words}."
    (st.warning if row["campaign_flags"] else st.info)(text)


def input_notes(table: pd.DataFrame, lang: str) -> None:
    """Say so where the input cannot tell devices or places, instead of showing zeros."""
    measured = table[table["samples"] > 0]
    if len(measured) and measured["devices"].isna().all():
        st.caption(t("no_device_ids", lang))
    if len(measured) and measured["cells_with_samples"].isna().all():
        st.caption(t("no_locations", lang))


def density(ctx: Context, view: View, scope: Filters, codes: list[str], area: str, key: str) -> None:
    """The density of the area's measurements on the grid, with its communes outlined."""
    fig = data.density_figure(ctx, ctx.signature, scope, tuple(codes), area, view.lang)
    exp.chart(fig, key=key, ctx=ctx, view=view)


def week_hour_grid(ctx: Context, view: View, scope: Filters, area: str, key: str) -> None:
    """Samples by day of the week and hour for the area, office hours framed."""
    table = data.grouped(ctx, ctx.signature, scope, view.settings, ("dow", "hour"))
    exp.chart(week_hours(table, t("week_hours_title", view.lang, area=area), view.lang), key=key, ctx=ctx, view=view)
