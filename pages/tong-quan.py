"""Tổng quan: headline figures against the targets, trend, carriers, and the communes furthest behind."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.formats import month_label, number, signed
from core.i18n import t
from core.months import previous_month
from ui import context as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import share, show_table, speed_card, verdict_counts
from viz import charts

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)

st.title(f"{t('page_overview', lang)} · {month_label(f.month, lang)}")
exp.briefing_buttons(ctx, view)
# One query by month gives the trend and this month's and last month's headline figures.
monthly = data.grouped(ctx, sig, f, s, ("month",), tuple(ctx.months))
now = data.month_row(monthly, f.month, s)
before = data.month_row(monthly, previous_month(f.month), s)
communes = data.commune_table(ctx, sig, f, s)
counts = verdict_counts(communes)
target = number(s.speed_target_mbps, 0, lang)

if not now["sufficient"]:
    st.subheader(t("headline_none", lang, net=view.net_label))
elif now["mean_download_mbps"] < s.speed_target_mbps:
    st.subheader(
        ":red[" + t("headline_below", lang, value=number(now["mean_download_mbps"], 1, lang), target=target) + "]"
    )
else:
    st.subheader(
        ":green[" + t("headline_above", lang, value=number(now["mean_download_mbps"], 1, lang), target=target) + "]"
    )

c1, c2, c3 = st.columns(3)
c4, c5, c6 = st.columns(3)
change = (
    now["mean_download_mbps"] - before["mean_download_mbps"] if before["sufficient"] and now["sufficient"] else None
)
speed_card(c1, now, view, delta=f"{signed(change, 1, lang)} Mbps {t('vs_prev', lang)}" if change is not None else None)
c2.metric(
    t("kpi_samples", lang),
    number(now["samples"], 0, lang),
    delta=f"{signed(now['samples'] - before['samples'], 0, lang)} {t('vs_prev', lang)}" if before["samples"] else None,
    help=t(
        "kpi_samples_help",
        lang,
        quota=s.quota,
        total=number(s.quota * counts["communes"], 0, lang),
        n=counts["communes"],
    ),
    border=True,
)
c3.metric(
    t("kpi_quota_communes", lang, quota=s.quota),
    f"{counts['meet_quota']} / {counts['communes']}",
    delta=share(counts["meet_quota"], counts["communes"], lang),
    delta_color="off",
    border=True,
)
c4.metric(
    t("kpi_target_communes", lang, target=target),
    f"{counts['meet_target']} / {counts['judged']}",
    delta=share(counts["meet_target"], counts["judged"], lang),
    delta_color="off",
    help=t("kpi_target_help", lang, n=counts["judged"], min=s.min_samples),
    border=True,
)
c5.metric(
    t("kpi_insufficient", lang),
    number(counts["insufficient"], 0, lang),
    help=t("kpi_insufficient_help", lang, min=s.min_samples, net=view.net_label),
    border=True,
)
c6.metric(
    t("kpi_unassigned", lang),
    number(data.unassigned(ctx, sig, f), 0, lang),
    help=t("kpi_unassigned_help", lang),
    border=True,
)

left, right = st.columns([3, 2])
with left:
    fig = charts.trend(
        monthly, s.speed_target_mbps, t("trend_title", lang) + f" ({view.net_label})", lang, s.min_samples
    )
    show(fig, key="overview_trend")
with right:
    carriers = data.grouped(ctx, sig, f, s, ("carrier",))
    carriers = carriers[carriers["samples"] > 0]
    fig = charts.carrier_bars(
        carriers, s.speed_target_mbps, t("carriers_title", lang) + f" ({view.net_label})", lang, s.min_samples
    )
    show(fig, key="overview_carriers")

names = {
    "commune_name": t("col_commune", lang),
    "district_name": t("col_district", lang),
    "speed_samples": t("col_speed_samples", lang),
    "mean_download_mbps": t("col_mean", lang),
    "gap": t("col_gap_target", lang),
    "samples": t("col_samples", lang),
    "missing": t("col_gap_quota", lang),
    "quota_pct": t("col_quota_pct", lang),
}
cols = ["commune_name", "district_name"] if ctx.has_districts else ["commune_name"]
left, right = st.columns(2)
with left:
    st.subheader(t("worst_speed", lang))
    slow = communes[communes["meets_speed_target"].eq(False).fillna(False)].copy()
    slow["gap"] = (s.speed_target_mbps - slow["mean_download_mbps"]).round(1)
    slow = slow.sort_values("gap", ascending=False).head(10)
    show_table(
        slow[cols + ["mean_download_mbps", "gap", "speed_samples"]].round(1).rename(columns=names),
        lang,
        key="worst_speed",
        name=f"xa-duoi-muc-tieu-{f.month}",
    )
with right:
    st.subheader(t("worst_quota", lang))
    few = communes[~communes["meets_quota"]].copy()
    few["missing"] = s.quota - few["samples"]
    few = few.sort_values("missing", ascending=False).head(10)
    show_table(
        few[cols + ["samples", "missing", "quota_pct"]].round(1).rename(columns=names),
        lang,
        key="worst_quota",
        name=f"xa-thieu-mau-{f.month}",
    )

with st.expander(t("rules_title", lang)):
    st.write(t("rules_text", lang, net=view.net_label, min=s.min_samples))
