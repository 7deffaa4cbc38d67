"""The month's briefing: the figures and tables leadership sees, assembled once for the deck, images and XLSX.

The dashboard and `python -m analytics report --format pptx` both build their files from here, so the
deck says exactly what the pages say.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go

from core.formats import month_label, number
from core.i18n import t
from core.months import previous_month
from core.settings import Settings
from geo.mapgeom import MapGeometry, build_map_geometry
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.rules import judge
from viz import charts
from viz.maps import coverage_map, speed_map

SOURCE = {"vi": "Nguồn: dữ liệu đo i-Speed (VNNIC), {month}", "en": "Source: i-Speed measurements (VNNIC), {month}"}


@dataclass
class Briefing:
    """Everything one month's briefing shows, for one set of filters."""

    filters: Filters
    settings: Settings
    lang: str
    area_name: str
    overall: pd.Series
    previous: pd.Series
    communes: pd.DataFrame
    carriers: pd.DataFrame
    monthly: pd.DataFrame
    unassigned: int
    geometry: MapGeometry
    referral: pd.DataFrame | None = None

    @property
    def month_text(self) -> str:
        return month_label(self.filters.month, self.lang)

    @property
    def source(self) -> str:
        return SOURCE[self.lang].format(month=self.month_text)

    @property
    def net_label(self) -> str:
        return "+".join(self.filters.networks) if self.filters.networks else t("kpi_samples", self.lang)

    def subtitle(self) -> str:
        return describe(self.filters, self.area_name, self.lang)


def describe(filters: Filters, area_name: str, lang: str) -> str:
    """Month and filters in words: what a reader needs to know what a figure is about."""
    nets = "+".join(filters.networks) if filters.networks else ("di động" if lang == "vi" else "mobile")
    parts = [
        month_label(filters.month, lang).capitalize(),
        area_name,
        ", ".join(filters.carriers) if filters.carriers else t("all_carriers", lang).lower(),
        ("mạng " if lang == "vi" else "network ") + nets,
    ]
    return " · ".join(parts)


def source_line(month: str, lang: str) -> str:
    return SOURCE[lang].format(month=month_label(month, lang))


def area_name(areas: pd.DataFrame, filters: Filters, lang: str) -> str:
    return _area_name(areas, filters, lang)


def build_briefing(
    engine: StatsEngine,
    bounds: gpd.GeoDataFrame,
    filters: Filters,
    settings: Settings,
    lang: str = "vi",
    referral: pd.DataFrame | None = None,
    geometry: MapGeometry | None = None,
) -> Briefing:
    """Compute the briefing's figures (DuckDB queries over the month's snapshots)."""
    areas = engine.areas
    chosen = bounds
    if filters.provinces:
        chosen = chosen[chosen["province_code"].isin(filters.provinces)]
    if filters.districts:
        chosen = chosen[chosen["district_code"].isin(filters.districts)]
    if geometry is None:
        geometry = build_map_geometry(chosen.reset_index(drop=True), revision="export")
    carriers = judge(engine.aggregate(filters, ["carrier"]), settings)
    monthly = judge(engine.aggregate(filters, ["month"], engine.months()), settings)
    return Briefing(
        filters=filters,
        settings=settings,
        lang=lang,
        area_name=_area_name(areas, filters, lang),
        overall=engine.overall(filters, settings),
        previous=engine.overall(filters.with_month(previous_month(filters.month)), settings),
        communes=engine.commune_table(filters, settings),
        carriers=carriers[carriers["speed_samples"] > 0],
        monthly=monthly,
        unassigned=engine.unassigned(filters),
        geometry=geometry,
        referral=referral,
    )


def _area_name(areas: pd.DataFrame, filters: Filters, lang: str) -> str:
    if filters.districts:
        names = areas.loc[areas["district_code"].isin(filters.districts), "district_name"].dropna().unique()
        return ", ".join(sorted(names))
    chosen = areas[areas["province_code"].isin(filters.provinces)] if filters.provinces else areas
    names = chosen["province_name"].dropna().unique()
    if len(names) > 3:
        return "Toàn quốc" if lang == "vi" else "Whole country"
    return ", ".join(sorted(names))


# ---- figures, as on the pages ---------------------------------------------------------------------


def speed_figure(b: Briefing, metric: str = "mean") -> go.Figure:
    title = t("map_speed_title", b.lang, metric=t(f"metric_{metric}", b.lang), net=b.net_label, month=b.month_text)
    return speed_map(
        b.communes, b.geometry, metric, b.settings.speed_target_mbps, b.settings.min_samples, title, b.lang
    )


def coverage_figure(b: Briefing) -> go.Figure:
    title = t("cov_title", b.lang, quota=b.settings.quota, month=b.month_text)
    return coverage_map(b.communes, b.geometry, b.settings.quota, title, b.lang)


def carriers_figure(b: Briefing) -> go.Figure:
    title = t("carrier_compare", b.lang, net=b.net_label, month=b.month_text)
    return charts.carrier_bars(b.carriers, b.settings.speed_target_mbps, title, b.lang, b.settings.min_samples)


def trend_figure(b: Briefing) -> go.Figure:
    title = t("trend_title", b.lang) + f" ({b.net_label})"
    return charts.trend(b.monthly, b.settings.speed_target_mbps, title, b.lang, b.settings.min_samples)


def export_figure(
    fig: go.Figure, b: Briefing, title: str, width: int = 1920, height: int = 1080, geometry: MapGeometry | None = None
) -> go.Figure:
    """The figure as it goes on a slide: title, subtitle with month and filters, source line."""
    return titled_figure(fig, title, b.subtitle(), b.source, geometry, width, height)


def titled_figure(
    fig: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    geometry: MapGeometry | None = None,
    width: int = 1920,
    height: int = 1080,
) -> go.Figure:
    """For export: title, subtitle and source line; a map gets its geometry inline (Chromium renders outside the
    app, so a served URL is of no use); its view fits the area to the image (geo.fitbounds)."""
    from exports.images import for_export

    if geometry is not None:
        fig = inline_geometry(fig, geometry)
    return for_export(fig, title, subtitle, source, width, height)


def inline_geometry(fig: go.Figure, geometry: MapGeometry) -> go.Figure:
    """A copy of a map whose communes and outlines carry their GeoJSON instead of the app's URLs."""
    fig = go.Figure(fig)
    traces = [tr for tr in fig.data if tr.type == "choropleth"]
    if traces:
        traces[0].geojson = geometry.geojson
    if len(traces) > 1 and geometry.outline is not None:
        traces[1].geojson = geometry.outline
    return fig


# ---- tables ---------------------------------------------------------------------------------------


def below_target(b: Briefing) -> pd.DataFrame:
    """Communes judged and below the speed target, furthest first."""
    table = b.communes[b.communes["meets_speed_target"].eq(False).fillna(False)].copy()
    table["gap"] = b.settings.speed_target_mbps - table["mean_download_mbps"]
    return table.sort_values("gap", ascending=False)


def below_quota(b: Briefing) -> pd.DataFrame:
    """Communes under the monthly quota, furthest first."""
    table = b.communes[~b.communes["meets_quota"]].copy()
    table["missing"] = b.settings.quota - table["samples"]
    return table.sort_values("missing", ascending=False)


def headline(b: Briefing) -> list[tuple[str, str]]:
    """The headline figures as (label, value) pairs, in the reader's language and number format."""
    lang, s, o, p = b.lang, b.settings, b.overall, b.previous
    communes = b.communes
    judged = int(communes["meets_speed_target"].notna().sum())
    meet = int(communes["meets_speed_target"].fillna(False).sum())
    speed = f"{number(o['mean_download_mbps'], 1, lang)} Mbps" if o["sufficient"] else t("insufficient", lang)
    if o["sufficient"] and p["sufficient"]:
        change = o["mean_download_mbps"] - p["mean_download_mbps"]
        speed += f" ({'+' if change > 0 else ''}{number(change, 1, lang)} {t('vs_prev', lang)})"
    if o["sufficient"]:
        speed += f"; KTC 95%: {number(o['ci95_low_mbps'], 1, lang)} – {number(o['ci95_high_mbps'], 1, lang)}"
    return [
        (
            t("kpi_speed", lang, net=b.net_label)
            + f" · {t('target_line', lang, target=number(s.speed_target_mbps, 0, lang))}",
            speed,
        ),
        (
            t("kpi_samples", lang),
            f"{number(o['samples'], 0, lang)} ({t('vs_prev', lang)}: {number(p['samples'], 0, lang)})",
        ),
        (t("kpi_quota_communes", lang, quota=s.quota), f"{int(communes['meets_quota'].sum())} / {len(communes)}"),
        (
            t("kpi_target_communes", lang, target=number(s.speed_target_mbps, 0, lang)),
            f"{meet} / {judged} " + t("kpi_target_help", lang, n=judged, min=s.min_samples).lower(),
        ),
        (t("kpi_insufficient", lang), number(int((~communes["sufficient"]).sum()), 0, lang)),
        (t("kpi_unassigned", lang), number(b.unassigned, 0, lang)),
    ]
