"""Bản đồ độ phủ mẫu: samples against the monthly quota; communes under quota; the referral campaign."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core.formats import month_label
from core.i18n import t
from ui import context as data
from ui import downloads as exp
from ui.shell import page_context
from ui.widgets import open_commune, show_table
from viz.maps import coverage_map

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature
show = partial(exp.chart, ctx=ctx, view=view)

st.title(t("page_coverage_map", lang))
geometry = data.map_geometry(ctx, sig, (f.provinces, f.districts))
table = data.commune_table(ctx, sig, f, s)
fig = coverage_map(
    table, geometry, s.quota, t("cov_title", lang, quota=s.quota, month=month_label(f.month, lang)), lang
)
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
under = table[~table["meets_quota"]].copy()
under["missing"] = s.quota - under["samples"]
if referral is not None:
    codes = referral.dropna(subset=["commune_code"]).drop_duplicates("commune_code")
    under = under.merge(codes[["commune_code", "referral_code"]], on="commune_code", how="left")
else:
    under["referral_code"] = None
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
    under.sort_values("missing", ascending=False)[keep].round(1).rename(columns=names),
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
    counts = data.referral_counts(ctx, sig, f)
    campaign = referral.merge(counts, on="referral_code", how="left").fillna({"samples": 0})
    campaign["samples"] = campaign["samples"].astype(int)
    campaign["quota_pct"] = (100 * campaign["samples"] / s.quota).round(1)
    cols = {
        "referral_code": t("col_referral", lang),
        "commune_name": t("col_commune", lang),
        "district_name": t("col_district", lang),
        "samples": t("col_samples", lang),
        "quota_pct": t("col_quota_pct", lang),
    }
    keep = [c for c in cols if c != "district_name" or ctx.has_districts]
    show_table(
        campaign.sort_values("samples", ascending=False)[keep].rename(columns=cols),
        lang,
        key="campaign",
        name=f"chien-dich-ma-gioi-thieu-{f.month}",
        height=320,
    )
