"""Nhà mạng: carriers with confidence intervals; overlapping intervals are called not significant."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.i18n import t
from metrics import rules
from ui import cache as data
from ui import downloads as exp
from ui.safe import plain
from ui.shell import page_context
from ui.widgets import named, show_table
from viz import charts, figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)

st.title(t("page_carriers", lang))
every = data.grouped(ctx, sig, f, s, ("carrier",), percentiles=True)  # the table shows medians
table = rules.carriers_with_speed(every)
net = f.network_words(lang)
show(figures.carriers_figure(table, f, s, lang), key="carriers_bars")

# Opensignal's reading: a carrier is called faster only where the intervals do not overlap.
for pair in rules.carrier_comparisons(table):
    key = "significant" if pair.significant else "not_significant"
    st.markdown("- " + t(key, lang, a=plain(pair.faster), b=plain(pair.slower)))

left, right = st.columns([3, 2])
with left:
    hist = data.histogram(ctx, sig, f)
    show(charts.distribution(hist, t("distribution", lang) + f" ({net})", lang), key="carriers_dist")
with right:
    show(charts.share_pie(rules.carriers_with_samples(every), t("share_samples", lang), lang), key="carriers_share")

if ctx.has_districts:
    by_district = data.grouped(ctx, sig, f, s, ("district_code", "carrier"))
    names = ctx.areas[["district_code", "district_name"]].drop_duplicates()
    by_district = by_district.merge(names, on="district_code", how="inner")
    show(charts.carrier_by_district(by_district, t("carrier_by_district", lang), lang), key="carriers_district")

monthly = data.grouped(ctx, sig, f, s, ("month", "carrier"), tuple(ctx.months))
monthly = monthly[monthly["carrier"].isin(table["carrier"])]
trend = charts.trend(monthly, s.speed_target_mbps, t("carrier_trend", lang), lang, series="carrier", marks=ctx.marks)
show(trend, key="carriers_trend")
CARRIER_TABLE = ["carrier", "speed_samples", "mean_download_mbps", "ci95_low_mbps", "ci95_high_mbps"]
CARRIER_TABLE += ["median_download_mbps", "mean_upload_mbps", "mean_latency_ms", "samples"]
show_table(named(table, CARRIER_TABLE, lang), lang, key="carriers_table", name=f"nha-mang-{f.month}")
