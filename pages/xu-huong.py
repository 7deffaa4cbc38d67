"""Xu hướng: month by month for the whole area, a district or a commune; district-by-month heatmap; changes."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import streamlit as st

from core.i18n import t
from core.months import previous_month
from metrics import timeline
from ui import cache as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import named, show_table
from viz import charts, figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)
months = tuple(ctx.months)

st.title(t("page_trends", lang))
levels = ["province", "district", "commune"] if ctx.has_districts else ["province", "commune"]
level = st.radio(
    t("trend_level", lang), levels, horizontal=True, key="trend_level", format_func=lambda v: t(f"level_{v}", lang)
)
scope, name = f, None
areas = f.select_areas(ctx.areas)
if level == "district":
    districts = areas[["district_code", "district_name"]].drop_duplicates().dropna()
    labels = dict(zip(districts["district_code"], districts["district_name"], strict=True))
    code = st.selectbox(t("col_district", lang), list(labels), format_func=labels.get, key="trend_district")
    scope, name = replace(f, districts=(code,)), labels.get(code, "")
elif level == "commune":
    labels = data.commune_labels(ctx, sig, f.provinces, f.districts)
    code = st.selectbox(t("col_commune", lang), list(labels), format_func=labels.get, key="trend_commune")
    scope, name = replace(f, communes=(code,)), labels.get(code, "")

monthly = data.monthly(ctx, sig, scope, s)
show(figures.trend_figure(monthly, f, s, lang, scope=name, marks=ctx.marks), key="trends_line")

if ctx.has_districts:
    grid = data.grouped(ctx, sig, f, s, ("month", "district_code"), months)
    grid = grid.merge(ctx.areas[["district_code", "district_name"]].drop_duplicates(), on="district_code")
    show(charts.heatmap(grid, t("heatmap_title", lang), lang, s.speed_target_mbps), key="trends_heatmap")

st.subheader(t("mom_title", lang))
if not timeline.comparable(previous_month(f.month), f.month, ctx.marks):
    st.info(t("mom_not_comparable", lang))
mom = data.commune_table_mom(ctx, sig, f, s)
columns = ["commune_name", "district_name", "prev_mean_download_mbps", "mean_download_mbps"]
columns += ["change_mean_download_mbps", "speed_samples"]
shown = mom.dropna(subset=["change_mean_download_mbps"]).sort_values(["change_mean_download_mbps", "commune_code"])
show_table(
    named(shown, columns, lang, ctx.has_districts), lang, key="trends_mom", name=f"thay-doi-{f.month}", height=320
)
