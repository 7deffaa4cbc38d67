"""Bản đồ độ phủ mẫu: samples against the monthly quota; communes under quota; the referral campaign."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.i18n import t
from metrics import rules
from ui import cache as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import open_commune, show_table
from viz import figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)

st.title(t("page_coverage_map", lang))
geometry = data.map_geometry(ctx, sig, (f.provinces, f.districts))
table = data.commune_table(ctx, sig, f, s)
fig = figures.coverage_map_figure(table, geometry, f, s, lang)
event = show(
    fig, key="coverage_map", geometry=geometry, on_select="rerun", selection_mode="points", config={"scrollZoom": True}
)
points = (event or {}).get("selection", {}).get("points", []) if event else []
clicked = next((p.get("location") for p in points if p.get("location")), None)
if clicked and clicked != st.session_state.get("_coverage_map_clicked"):
    st.session_state["_coverage_map_clicked"] = clicked
    open_commune(clicked)

referral = data.referral_list(ctx, sig)

st.subheader(t("under_quota_table", lang))
under = rules.below_quota(table, s, referral)
names = {
    "commune_name": t("col_commune", lang),
    "district_name": t("col_district", lang),
    "samples": t("col_samples", lang),
    "missing": t("col_gap_quota", lang),
    "quota_pct": t("col_quota_pct", lang),
    "referral_code": t("col_referral", lang),
}
keep = [c for c in names if c != "district_name" or ctx.has_districts]
show_table(
    under[keep].rename(columns=names),
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
    cols = {
        "referral_code": t("col_referral", lang),
        "commune_name": t("col_commune", lang),
        "district_name": t("col_district", lang),
        "samples": t("col_samples", lang),
        "quota_pct": t("col_quota_pct", lang),
    }
    keep = [c for c in cols if c != "district_name" or ctx.has_districts]
    show_table(
        campaign[keep].rename(columns=cols),
        lang,
        key="campaign",
        name=f"chien-dich-ma-gioi-thieu-{f.month}",
        height=320,
    )
