"""Bản đồ độ phủ mẫu: samples against the monthly quota; communes under quota; the referral campaign."""

from __future__ import annotations

import streamlit as st

from core.formats import number
from core.i18n import t
from metrics import rules
from ui import cache as data
from ui import downloads as exp
from ui.campaign import density, input_notes, week_hour_grid
from ui.shell import page_context
from ui.widgets import named, show_table
from viz import figures

ctx, view = page_context().require()
lang, f, s = view.lang, view.filters, view.settings
sig = ctx.signature

st.title(t("page_coverage_map", lang))
table = data.commune_table(ctx, sig, f, s)
verdicts = data.campaign_listing(ctx, sig, f, s, lang)  # every commune's verdict, in words
geometry = data.map_geometry(ctx, sig, (f.provinces, f.districts))
colour = st.segmented_control(
    t("colour_by", lang),
    ["quota", "campaign"],
    default="quota",
    format_func=lambda c: t(f"colour_{c}", lang),
    key="coverage_colour",
)
if colour == "campaign":
    fig = figures.campaign_map_figure(table, verdicts, geometry, f, lang)
    exp.clickable_map(fig, key="campaign_map", ctx=ctx, view=view, geometry=geometry)
else:
    fig = figures.coverage_map_figure(table, geometry, f, s, lang)
    exp.clickable_map(fig, key="coverage_map", ctx=ctx, view=view, geometry=geometry)

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

st.subheader(t("campaign_section", lang))
st.caption(t("campaign_section_help", lang))
counts = rules.campaign_class_counts(verdicts, s)
st.markdown(t("campaign_counts", lang, **{k: number(v, 0, lang) for k, v in counts.items()}))
input_notes(verdicts, lang)
st.markdown(f"**{t('campaign_to_act', lang)}**")
listing = rules.campaign_to_act(verdicts, s)
columns = ["commune_name", "district_name", "samples", "devices", "top_device_pct", "cell_pct", "office_pct"]
show_table(
    named(listing, [*columns, "campaign_words", "campaign_action"], lang, ctx.has_districts),
    lang,
    key="campaign_to_act",
    name=f"chat-luong-chien-dich-{f.month}",
    height=360,
)
area = f.area_words(ctx.areas, lang)
codes = list(f.select_areas(ctx.areas)["commune_code"])
density(ctx, view, f, codes, area, key="area_density")
week_hour_grid(ctx, view, f, area, key="area_week_hours")
