"""Bản đồ độ phủ mẫu: samples against the monthly quota; communes under quota; the referral campaign."""

from __future__ import annotations

import streamlit as st

from core.i18n import t
from metrics import rules
from ui import cache as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import named, show_table
from viz import figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature

st.title(t("page_coverage_map", lang))
table = data.commune_table(ctx, sig, f, s)
geometry = data.map_geometry(ctx, sig, (f.provinces, f.districts))
exp.clickable_map(
    figures.coverage_map_figure(table, geometry, f, s, lang), key="coverage_map", ctx=ctx, view=view, geometry=geometry
)

referral = data.referral_list(ctx, sig)

st.subheader(t("under_quota_table", lang))
under = rules.below_quota(table, s, referral)
columns = ["commune_name", "district_name", "samples", "missing", "quota_pct", "referral_code"]
show_table(
    named(under, columns, lang, ctx.has_districts),
    lang,
    key="under_quota",
    name=f"xa-chua-du-mau-{f.month}",
    height=320,
)

st.subheader(t("campaign", lang))
st.caption(t("campaign_help", lang))
if referral is None:
    st.info(t("no_referral", lang))
else:
    campaign = rules.referral_campaign(referral, data.referral_counts(ctx, sig, f), s)
    columns = ["referral_code", "commune_name", "district_name", "samples", "quota_pct"]
    show_table(
        named(campaign, columns, lang, ctx.has_districts),
        lang,
        key="campaign",
        name=f"chien-dich-ma-gioi-thieu-{f.month}",
        height=320,
    )
