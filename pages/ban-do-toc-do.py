"""Bản đồ tốc độ: communes in stepped classes diverging at the target; insufficient data grey."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.i18n import t
from ui import cache as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import commune_search, open_commune, show_table, stat_labels
from viz import figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)

st.title(t("page_speed_map", lang))
geometry = data.map_geometry(ctx, sig, (f.provinces, f.districts))
table = data.commune_table(ctx, sig, f, s)
fig = figures.speed_map_figure(table, geometry, f, s, view.metric, lang)
event = show(
    fig, key="speed_map", geometry=geometry, on_select="rerun", selection_mode="points", config={"scrollZoom": True}
)
st.caption(t("map_hint", lang) + (" " + t("map_coarse", lang) if len(geometry.codes) > 2500 else ""))

# A click on a commune opens its drill-down (once per click: returning here must not jump again).
points = (event or {}).get("selection", {}).get("points", []) if event else []
clicked = next((p.get("location") for p in points if p.get("location")), None)
if clicked and clicked != st.session_state.get("_speed_map_clicked"):
    st.session_state["_speed_map_clicked"] = clicked
    open_commune(clicked)

left, right = st.columns([3, 1], vertical_alignment="bottom")
with left:
    code = commune_search(ctx, view, key="speed_map_search")
with right:
    if st.button(t("open_commune", lang), disabled=code is None, key="speed_map_open"):
        open_commune(code)

labels = stat_labels(lang)
cols = {
    c: labels[c]
    for c in [
        "commune_name",
        "district_name",
        "mean_download_mbps",
        "median_download_mbps",
        "ci95_low_mbps",
        "ci95_high_mbps",
        "speed_samples",
        "mean_upload_mbps",
        "mean_latency_ms",
    ]
}
keep = [c for c in cols if c != "district_name" or ctx.has_districts]
shown = table.sort_values(["mean_download_mbps", "commune_code"])[keep].rename(columns=cols)
show_table(shown, lang, key="speed_table", name=f"toc-do-xa-{f.month}", height=320)
