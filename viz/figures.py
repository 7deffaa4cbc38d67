"""The figures a page shows and a slide repeats, titled from the filters' own words: one builder for both, so the
deck reproduces the page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.formats import number
from core.i18n import t
from core.settings import Settings
from geo.mapgeom import MapGeometry
from metrics.filters import Filters
from metrics.timeline import BoundaryMark
from viz import charts
from viz.campaign import campaign_map
from viz.maps import coverage_map, speed_map


def speed_map_title(filters: Filters, settings: Settings, metric: str, lang: str) -> str:
    title = t(
        "map_speed_title",
        lang,
        metric=t(f"metric_{metric}", lang),
        net=filters.network_words(lang),
        month=filters.month_words(lang),
    )
    if metric in ("mean", "median"):
        title += f" · {t('target_line', lang, target=number(settings.speed_target_mbps, 0, lang))}"
    return title


def speed_map_figure(
    communes: pd.DataFrame,
    geometry: MapGeometry,
    filters: Filters,
    settings: Settings,
    metric: str,
    lang: str,
    title: str | None = None,
    height: int = 640,
) -> go.Figure:
    return speed_map(
        communes,
        geometry,
        metric,
        settings.speed_target_mbps,
        settings.min_samples,
        title or speed_map_title(filters, settings, metric, lang),
        lang,
        height=height,
    )


def coverage_map_figure(
    communes: pd.DataFrame, geometry: MapGeometry, filters: Filters, settings: Settings, lang: str
) -> go.Figure:
    title = t("cov_title", lang, quota=number(settings.quota, 0, lang), month=filters.month_words(lang))
    return coverage_map(communes, geometry, settings.quota, title, lang)


def campaign_map_figure(
    communes: pd.DataFrame, listing: pd.DataFrame, geometry: MapGeometry, filters: Filters, lang: str
) -> go.Figure:
    """The coverage map coloured by campaign verdict (RULES §21); ``listing`` from metrics.tables.campaign_listing."""
    title = t("campaign_map_title", lang, month=filters.month_words(lang))
    return campaign_map(communes, listing, geometry, title, lang)


def carriers_figure(carriers: pd.DataFrame, filters: Filters, settings: Settings, lang: str) -> go.Figure:
    """Carriers' mean speed with intervals (the rows of rules.carriers_with_speed)."""
    title = t("carrier_compare", lang, net=filters.network_words(lang), month=filters.month_words(lang))
    return charts.carrier_bars(carriers, settings.speed_target_mbps, title, lang)


def trend_figure(
    monthly: pd.DataFrame,
    filters: Filters,
    settings: Settings,
    lang: str,
    scope: str | None = None,
    marks: list[BoundaryMark] | None = None,
) -> go.Figure:
    """The selection's mean month by month, boundary changes marked; ``scope`` names a district or commune narrower
    than the filters."""
    title = t("trend_title", lang) + (f" · {scope}" if scope else "") + f" ({filters.network_words(lang)})"
    return charts.trend(monthly, settings.speed_target_mbps, title, lang, marks=marks)
