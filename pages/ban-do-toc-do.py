"""Bản đồ tốc độ: communes in stepped classes diverging at the target; insufficient data grey."""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from ui import cache as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import commune_search, named, open_commune, show_table
from viz import figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings

st.title(t("page_speed_map", lang))
geometry = data.map_geometry(ctx, ctx.signature, (f.provinces, f.districts))
table = data.commune_table(ctx, ctx.signature, f, s)
fig = figures.speed_map_figure(table, geometry, f, s, view.metric, lang)
exp.clickable_map(fig, key="speed_map", ctx=ctx, view=view, geometry=geometry)
st.caption(t("map_hint", lang) + (" " + t("map_coarse", lang) if len(geometry.codes) > 2500 else ""))

left, right = st.columns([3, 1], vertical_alignment="bottom")
with left:
    code = commune_search(ctx, view, key="speed_map_search")
with right:
    if st.button(t("open_commune", lang), disabled=code is None, key="speed_map_open"):
        open_commune(code)

SPEED_TABLE = ["commune_name", "district_name", "mean_download_mbps", "median_download_mbps", "ci95_low_mbps"]
SPEED_TABLE += ["ci95_high_mbps", "speed_samples", "mean_upload_mbps", "mean_latency_ms"]
shown = named(table.sort_values(["mean_download_mbps", "commune_code"]), SPEED_TABLE, lang, ctx.has_districts)
show_table(shown, lang, key="speed_table", name=f"toc-do-xa-{f.month}", height=320)
