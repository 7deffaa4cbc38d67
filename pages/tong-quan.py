"""Tổng quan: headline figures against the targets, trend, carriers, and the communes furthest behind."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.formats import month_label, number, signed
from core.i18n import t
from core.months import previous_month
from metrics import rules, timeline
from ui import cache as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import named, sample_account, share, show_table, speed_card
from viz import figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)
net = f.network_words(lang)

st.title(f"{t('page_overview', lang)} · {month_label(f.month, lang)}")
exp.briefing_buttons(ctx, view)
# One query by month gives the trend and this month's and last month's headline figures.
monthly = data.monthly(ctx, sig, f, s)
now = data.month_row(monthly, f.month, s)
before = data.month_row(monthly, previous_month(f.month), s)
communes = data.commune_table(ctx, sig, f, s)
account = data.sample_account(ctx, sig, f, s)
comparable = timeline.comparable(previous_month(f.month), f.month, ctx.marks)
head = rules.headline(now, before, communes, account, s, comparable)
c, target = head.counts, number(s.speed_target_mbps, 0, lang)

if head.mean_mbps is None:
    st.subheader(t("headline_none", lang, net=net))
elif head.meets_target:
    st.subheader(":green[" + t("headline_above", lang, value=number(head.mean_mbps, 1, lang), target=target) + "]")
else:
    st.subheader(":red[" + t("headline_below", lang, value=number(head.mean_mbps, 1, lang), target=target) + "]")

c1, c2, c3 = st.columns(3)
c4, c5, c6 = st.columns(3)
change = f"{signed(head.change_mbps, 1, lang)} Mbps {t('vs_prev', lang)}" if head.change_mbps is not None else None
speed_card(c1, now, view, delta=change, note=None if comparable else t("mom_not_comparable", lang))
c2.metric(
    t("kpi_samples", lang),
    number(head.samples, 0, lang),
    delta=f"{signed(head.samples - head.previous_samples, 0, lang)} {t('vs_prev', lang)}"
    if head.previous_samples and comparable
    else None,
    help=t("kpi_samples_help", lang, quota=s.quota, total=number(s.quota * c.communes, 0, lang), n=c.communes),
    border=True,
)
c3.metric(
    t("kpi_quota_communes", lang, quota=number(s.quota, 0, lang)),
    f"{c.meet_quota} / {c.communes}",
    delta=share(c.meet_quota, c.communes, lang),
    delta_color="off",
    delta_arrow="off",
    border=True,
)
c4.metric(
    t("kpi_target_communes", lang, target=target),
    f"{c.meet_target} / {c.judged}",
    delta=share(c.meet_target, c.judged, lang),
    delta_color="off",
    delta_arrow="off",
    help=t("kpi_target_help", lang, n=c.judged, min=s.min_samples),
    border=True,
)
c5.metric(
    t("kpi_insufficient", lang),
    number(c.insufficient, 0, lang),
    delta=f"{t('kpi_no_data', lang)}: {number(c.no_data, 0, lang)}",
    delta_color="off",
    delta_arrow="off",
    help=t("kpi_insufficient_help", lang, min=s.min_samples, net=net) + " " + t("kpi_no_data_help", lang, net=net),
    border=True,
)
c6.metric(t("kpi_unassigned", lang), number(head.unassigned, 0, lang), help=t("kpi_unassigned_help", lang), border=True)
sample_account(account, lang)

left, right = st.columns([3, 2])
with left:
    show(figures.trend_figure(monthly, f, s, lang, marks=ctx.marks), key="overview_trend")
with right:
    carriers = rules.carriers_with_speed(data.grouped(ctx, sig, f, s, ("carrier",)))
    show(figures.carriers_figure(carriers, f, s, lang), key="overview_carriers")

TOP = 10
left, right = st.columns(2)
with left:
    st.subheader(t("worst_speed", lang))
    slow = rules.below_target(communes, s).head(TOP)
    columns = ["commune_name", "district_name", "mean_download_mbps", "gap", "speed_samples"]
    show_table(
        named(slow, columns, lang, ctx.has_districts), lang, key="worst_speed", name=f"xa-duoi-muc-tieu-{f.month}"
    )
with right:
    st.subheader(t("worst_quota", lang))
    few = rules.below_quota(communes, s, data.referral_list(ctx, sig)).head(TOP)
    columns = ["commune_name", "district_name", "samples", "missing", "quota_pct"]
    show_table(named(few, columns, lang, ctx.has_districts), lang, key="worst_quota", name=f"xa-thieu-mau-{f.month}")

with st.expander(t("rules_title", lang)):
    st.write(t("rules_text", lang, net=net, min=s.min_samples))
    st.caption(s.signature(lang))
