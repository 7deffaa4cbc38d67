"""Nhà mạng: carriers with confidence intervals; overlapping intervals are called not significant."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.formats import month_label
from core.i18n import t
from ui import context as data
from ui import downloads as exp
from ui.safe import plain
from ui.shell import page_context
from ui.widgets import show_table, stat_labels
from viz import charts

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)

st.title(t("page_carriers", lang))
table = data.grouped(ctx, sig, f, s, ("carrier",), percentiles=True)  # the table shows medians
table = table[table["speed_samples"] > 0].sort_values("mean_download_mbps", ascending=False)
show(
    charts.carrier_bars(
        table,
        s.speed_target_mbps,
        t("carrier_compare", lang, net=view.net_label, month=month_label(f.month, lang)),
        lang,
        s.min_samples,
    ),
    key="carriers_bars",
)

# Opensignal-style reading: rank only where the intervals do not overlap.
judged = table[table["speed_samples"] >= s.min_samples].reset_index(drop=True)
for i in range(len(judged) - 1):
    a, b = judged.iloc[i], judged.iloc[i + 1]
    if a["ci95_low_mbps"] <= b["ci95_high_mbps"]:
        st.markdown("- " + t("not_significant", lang, a=plain(a["carrier"]), b=plain(b["carrier"])))
    else:
        st.markdown("- " + t("significant", lang, a=plain(a["carrier"]), b=plain(b["carrier"])))

left, right = st.columns([3, 2])
with left:
    hist = data.histogram(ctx, sig, f)
    show(charts.distribution(hist, t("distribution", lang) + f" ({view.net_label})", lang), key="carriers_dist")
with right:
    shares = table.sort_values("samples", ascending=False)
    show(charts.share_pie(shares[shares["samples"] > 0], t("share_samples", lang), lang), key="carriers_share")

if ctx.has_districts:
    by_district = data.grouped(ctx, sig, f, s, ("district_code", "carrier"))
    names = ctx.areas[["district_code", "district_name"]].drop_duplicates()
    by_district = by_district.merge(names, on="district_code", how="inner")
    show(
        charts.carrier_by_district(by_district, t("carrier_by_district", lang), lang, s.min_samples),
        key="carriers_district",
    )

monthly = data.grouped(ctx, sig, f, s, ("month", "carrier"), tuple(ctx.months))
monthly = monthly[monthly["carrier"].isin(table["carrier"])]
show(
    charts.trend(monthly, s.speed_target_mbps, t("carrier_trend", lang), lang, s.min_samples, series="carrier"),
    key="carriers_trend",
)
labels = stat_labels(lang)
keep = [
    "carrier",
    "speed_samples",
    "mean_download_mbps",
    "ci95_low_mbps",
    "ci95_high_mbps",
    "median_download_mbps",
    "mean_upload_mbps",
    "mean_latency_ms",
    "samples",
]
cols = {c: labels[c] for c in keep}
show_table(table[list(cols)].round(1).rename(columns=cols), lang, key="carriers_table", name=f"nha-mang-{f.month}")
