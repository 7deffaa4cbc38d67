"""Cached results per store version and filters: small tables kept with st.cache_data (copied on each hit), and
read-only objects such as map geometry kept with st.cache_resource (shared, no copy)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.months import previous_month
from core.settings import Settings
from geo.mapgeom import MapGeometry, area_geometry, communes_shapes, outline_lines
from metrics import rules, tables, timeline
from metrics.engine import empty_result
from metrics.filters import Filters
from metrics.rules import SampleAccount, judge, month_over_month
from metrics.tables import month_account
from ui.context import Context
from ui.static import serve_geojson
from viz.campaign import density_map


@st.cache_data(show_spinner=False, max_entries=256)
def commune_table(_ctx: Context, sig: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    return _ctx.engine.commune_table(filters, settings)


@st.cache_data(show_spinner=False, max_entries=256)
def commune_table_mom(_ctx: Context, sig: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    now = commune_table(_ctx, sig, filters, settings)
    before = commune_table(_ctx, sig, filters.with_month(previous_month(filters.month)), settings)
    comparable = timeline.comparable(previous_month(filters.month), filters.month, _ctx.marks)
    return month_over_month(now, before, "commune_code", comparable)


@st.cache_data(show_spinner=False, max_entries=256)
def area_table(_ctx: Context, sig: str, filters: Filters, settings: Settings, level: str) -> pd.DataFrame:
    return _ctx.engine.area_table(filters, settings, level)


@st.cache_data(show_spinner=False, max_entries=256)
def overall(_ctx: Context, sig: str, filters: Filters, settings: Settings, percentiles: bool = False) -> pd.Series:
    return _ctx.engine.overall(filters, settings, percentiles=percentiles)


def month_row(monthly: pd.DataFrame, month: str, settings: Settings) -> pd.Series:
    """One month's figures from a by-month table; empty figures (0 samples) for a month without data."""
    rows = monthly[monthly["month"] == month]
    return rows.iloc[0] if len(rows) else judge(empty_result([]), settings).iloc[0]


@st.cache_data(show_spinner=False, max_entries=256)
def sample_account(_ctx: Context, sig: str, filters: Filters, settings: Settings) -> SampleAccount:
    """Every mobile measurement of the month in the selection: in communes, and in none by reason (RULES §13)."""
    communes = commune_table(_ctx, sig, filters, settings)
    return month_account(_ctx.engine, filters, communes)


@st.cache_data(show_spinner=False, max_entries=256)
def monthly(_ctx: Context, sig: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The selection month by month over every stored month, gaps included and boundary periods numbered."""
    table = judge(_ctx.engine.aggregate(filters, ["month"], _ctx.months, percentiles=False), settings)
    return timeline.with_periods(timeline.continuous(table, _ctx.months), _ctx.marks)


@st.cache_data(show_spinner=False, max_entries=256)
def grouped(
    _ctx: Context,
    sig: str,
    filters: Filters,
    settings: Settings,
    by: tuple[str, ...],
    months: tuple[str, ...] | None = None,
    percentiles: bool = False,
) -> pd.DataFrame:
    """Any grouping of the filtered measurements (month, carrier, district, hour...); means and intervals,
    and percentiles when asked."""
    result = _ctx.engine.aggregate(filters, list(by), list(months) if months else None, percentiles=percentiles)
    return judge(result, settings)


@st.cache_resource(show_spinner=False, max_entries=64)
def map_geometry(_ctx: Context, sig: str, area: tuple[tuple[str, ...], tuple[str, ...]]) -> MapGeometry:
    """Display geometry of the communes in the chosen provinces/districts (all when both are empty)."""
    provinces, districts = area
    geometry = area_geometry(_ctx.display, provinces, districts, revision=f"{sig}|{provinces}|{districts}")
    outline_url = serve_geojson(geometry.outline) if geometry.outline else None
    return replace(geometry, geojson_url=serve_geojson(geometry.geojson), outline_url=outline_url)


@st.cache_data(show_spinner=False, max_entries=64)
def commune_labels(_ctx: Context, sig: str, provinces: tuple[str, ...], districts: tuple[str, ...]) -> dict[str, str]:
    """'Xã X · Huyện Y' for each commune of the area, for the search boxes."""
    areas = _ctx.areas
    if provinces:
        areas = areas[areas["province_code"].isin(provinces)]
    if districts:
        areas = areas[areas["district_code"].isin(districts)]
    labels = areas["commune_name"].astype(str)
    if areas["district_name"].notna().any():
        labels = labels + (" · " + areas["district_name"].astype(str)).where(areas["district_name"].notna(), "")
    if areas["province_code"].nunique() > 1:
        labels = labels + " · " + areas["province_name"].astype(str)
    return dict(zip(areas["commune_code"], labels, strict=True))


@st.cache_data(show_spinner=False, max_entries=128)
def histogram(_ctx: Context, sig: str, filters: Filters) -> pd.DataFrame:
    """Log-spaced speed bins per carrier (distribution charts)."""
    return _ctx.engine.speed_histogram(filters, "carrier")


@st.cache_data(show_spinner=False, max_entries=128)
def referral_counts(_ctx: Context, sig: str, filters: Filters) -> pd.DataFrame:
    return _ctx.engine.referral_counts(filters)


@st.cache_data(show_spinner=False, max_entries=8)
def referral_list(_ctx: Context, sig: str) -> pd.DataFrame | None:
    """The store's matched referral-code list, or None when none is loaded."""
    path = _ctx.store.referral_path
    return pd.read_parquet(path) if path.exists() else None


@st.cache_data(show_spinner=False, max_entries=8)
def stored_by_month(_ctx: Context, sig: str) -> pd.DataFrame:
    return _ctx.engine.stored_by_month()


@st.cache_data(show_spinner=False, max_entries=8)
def unassigned_in_store(_ctx: Context, sig: str) -> pd.DataFrame:
    return rules.unassigned_summary(_ctx.engine.unassigned_in_store())


@st.cache_data(show_spinner=False, max_entries=128)
def campaign_table(_ctx: Context, sig: str, filters: Filters, settings: Settings) -> pd.DataFrame:
    """Who, where and when per commune of the area, with the campaign verdicts (RULES §20, §21)."""
    return _ctx.engine.campaign_table(filters, settings)


@st.cache_data(show_spinner=False, max_entries=64)
def campaign_listing(_ctx: Context, sig: str, filters: Filters, settings: Settings, lang: str) -> pd.DataFrame:
    """Every commune of the area with its campaign verdict and what to do, in words (metrics.tables)."""
    return tables.campaign_listing(campaign_table(_ctx, sig, filters, settings), _ctx.areas, settings, lang, False)


@st.cache_data(show_spinner=False, max_entries=64)
def cell_counts(_ctx: Context, sig: str, filters: Filters) -> pd.DataFrame:
    """Samples in every cell of the area's communes (0 where nobody measured)."""
    return _ctx.engine.cell_counts(filters)


@st.cache_resource(show_spinner=False, max_entries=32)
def density_figure(
    _ctx: Context, sig: str, filters: Filters, codes: tuple[str, ...], area: str, lang: str
) -> go.Figure:
    """The density grid of the communes ``codes`` (shared, never changed: exports copy it before titling it);
    thousands of cell outlines are drawn once per selection, not on every rerun."""
    cells = cell_counts(_ctx, sig, filters)
    outlines = outline_lines(communes_shapes(_ctx.display, list(codes)))
    return density_map(cells, outlines, area, filters.month_words(lang), lang)
