"""Xã/phường: everything about one commune: figures, trend, carriers, distribution, hours, quota history, map."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import plotly.graph_objects as go
import streamlit as st

from core.formats import mbps, month_label, number
from core.i18n import t
from geo.mapgeom import commune_shape, outline_lines
from metrics import rules
from ui import cache as data
from ui import downloads as exp
from ui.campaign import campaign_cards, density, input_notes, week_hour_grid
from ui.safe import plain
from ui.shell import page_context
from ui.widgets import commune_search, label_of, speed_card
from viz import charts, figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)

st.title(t("page_commune", lang))
code = commune_search(ctx, view, key="commune_pick")
if code is None:
    st.info(t("choose_commune", lang))
    st.stop()
if code != st.session_state.get("commune"):
    st.session_state["commune"] = code
    st.query_params["commune"] = code

row = ctx.areas.set_index("commune_code").loc[code]
st.header(plain(label_of(row)))
scope = replace(f, provinces=(), districts=(), communes=(code,))
now = data.overall(ctx, sig, scope, s, percentiles=True)  # the median is shown
c1, c2, c3, c4 = st.columns(4)
speed_card(c1, now, view)
c2.metric(t("col_median", lang), mbps(now["median_download_mbps"], lang), border=True)
c3.metric(t("kpi_samples", lang), f"{number(now['samples'], 0, lang)} / {s.quota}", border=True)
c4.metric(t("col_speed_samples", lang), number(now["speed_samples"], 0, lang), border=True)
if int(now["speed_samples"]) == 0:
    st.warning(t("no_speed_data", lang, net=f.network_words(lang)) + f" · {month_label(f.month, lang)}")
elif not now["sufficient"]:
    st.warning(t("insufficient_legend", lang, min=s.min_samples) + f" · {month_label(f.month, lang)}")

monthly = data.monthly(ctx, sig, scope, s)
left, right = st.columns(2)
with left:
    trend = charts.trend(monthly, s.speed_target_mbps, t("commune_trend", lang), lang, marks=ctx.marks)
    show(trend, key="commune_trend")
with right:
    show(charts.samples_history(monthly, s.quota, t("quota_history", lang), lang), key="commune_quota")

left, right = st.columns(2)
with left:
    carriers = rules.carriers_with_speed(data.grouped(ctx, sig, scope, s, ("carrier",)))
    show(charts.carrier_bars(carriers, s.speed_target_mbps, t("carriers_title", lang), lang), key="commune_carriers")
with right:
    hours = data.grouped(ctx, sig, scope, s, ("hour",))
    show(charts.hour_profile(hours, t("hour_profile", lang), lang), key="commune_hours")

show(charts.distribution(data.histogram(ctx, sig, scope), t("distribution", lang), lang), key="commune_dist")

st.subheader(t("campaign_section", lang))
campaign = data.campaign_table(ctx, sig, scope, s)
campaign_cards(campaign.iloc[0], view)
input_notes(campaign, lang)
left, right = st.columns([3, 2])
with left:
    density(ctx, view, scope, [code], plain(row["commune_name"]), key="commune_density")
with right:
    week_hour_grid(ctx, view, scope, plain(row["commune_name"]), key="commune_week_hours")

st.subheader(t("where_on_map", lang))
area = ((row["province_code"],), (row["district_code"],) if ctx.has_districts else ())
geometry = data.map_geometry(ctx, sig, area)
table = data.commune_table(ctx, sig, replace(f, provinces=area[0], districts=area[1]), s)
fig = figures.speed_map_figure(table, geometry, f, s, view.metric, lang, title=label_of(row), height=460)
lon, lat = outline_lines(commune_shape(ctx.display, code))
fig.add_trace(
    go.Scattergeo(
        lon=lon, lat=lat, mode="lines", line={"width": 4, "color": "#000000"}, hoverinfo="skip", showlegend=False
    )
)
show(fig, key="commune_map", geometry=geometry)
