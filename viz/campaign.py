"""Who, where and when (RULES §20, §21): the coverage map coloured by campaign verdict, the density of measurements
over the H3 grid (places nobody measured shown as such, nothing finer than a cell), and the weekday × hour grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.formats import number
from core.grid import RESOLUTION, cell_km2, parents
from core.i18n import t
from geo.cells import cell_polygons
from geo.mapgeom import MapGeometry
from metrics.engine import OFFICE_DAYS, OFFICE_HOURS
from metrics.rules import CAMPAIGN_CLASSES
from viz.charts import base_layout
from viz.maps import _align, _choropleth, _names, class_trace, map_layout
from viz.safe import svg_text

# Legend order of rules.CAMPAIGN_CLASSES: met and spread green; met but concentrated orange (the figure most likely
# to be trusted wrongly); under and concentrated red; under quota light blue; not judged grey.
CAMPAIGN_COLOURS = ["#1a9850", "#f46d43", "#a50026", "#abd9e9", "#d9d9d9"]
# Density classes: nobody measured (light orange: a place to go), then samples per cell in greens.
DENSITY_BREAKS = [1, 3, 10, 30]
DENSITY_COLOURS = ["#fdd0a2", "#c7e9c0", "#74c476", "#31a354", "#006d2c"]
MAX_CELLS_DRAWN = 4000  # more cells than this (a whole province) are drawn one resolution coarser
WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def campaign_map(
    communes: pd.DataFrame, listing: pd.DataFrame, geometry: MapGeometry, title: str, lang: str, height: int = 640
) -> go.Figure:
    """Communes coloured by their campaign class, with the verdict in words in the hover (``listing``: every
    commune of metrics.tables.campaign_listing)."""
    campaign = listing.drop(columns=["samples", "commune_name", "district_name", "province_name"], errors="ignore")
    table = _align(communes.merge(campaign, on="commune_code", how="left"), geometry)
    codes = table["campaign_class"].fillna("not_judged").map({c: i for i, c in enumerate(CAMPAIGN_CLASSES)})
    words = table["campaign_words"].fillna("").map(svg_text)
    cell_pct = 100 * table["cells_with_samples"].astype("float64") / table["cells_total"].astype("float64")
    custom = np.column_stack([table["samples"], table["devices"].astype("float64"), cell_pct])
    hover = (
        "<b>%{text}</b><br>"
        + f"{t('hover_samples', lang)}: %{{customdata[0]:,.0f}}<br>"
        + f"{t('col_devices', lang)}: %{{customdata[1]:,.0f}}<br>"
        + f"{t('col_cells_with_samples', lang)}: %{{customdata[2]:,.0f}}%<extra></extra>"
    )
    labels = [t(f"campaign_class_{c}", lang) for c in CAMPAIGN_CLASSES]
    text = _names(table, np.asarray(words, dtype=object))
    return _choropleth(
        geometry, codes.to_numpy(), CAMPAIGN_COLOURS, labels, text, custom.astype("float32"), hover, title, lang, height
    )


def density_cells(cells: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Samples per cell to draw (columns cell, samples) and their resolution: the grid's own, or one coarser when
    there are too many cells to draw (a coarse cell is measured when any of its cells is)."""
    table = cells.groupby("cell", as_index=False)["samples"].sum()
    resolution = RESOLUTION
    while len(table) > MAX_CELLS_DRAWN and resolution > 5:
        resolution -= 1
        table = table.assign(cell=parents(table["cell"].to_numpy(), resolution))
        table = table.groupby("cell", as_index=False)["samples"].sum()
    return table, resolution


def density_map(
    cells: pd.DataFrame, outlines: tuple[np.ndarray, np.ndarray], area: str, month: str, lang: str, height: int = 560
) -> go.Figure:
    """Every cell of the area coloured by its samples, cells nobody measured in their own colour, the communes'
    outlines over them. ``outlines``: lon and lat arrays, lines separated by NaN; ``area`` and ``month`` in words."""
    table, resolution = density_cells(cells)
    km2 = number(cell_km2(resolution), 2 if resolution >= 8 else 1, lang)
    title = t("density_title", lang, km2=km2, area=area, month=month)
    ids = np.asarray([str(int(c)) for c in table["cell"]], dtype=object)
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": i, "properties": {}, "geometry": g}
            for i, g in zip(ids, cell_polygons(table["cell"].to_numpy()), strict=True)
        ],
    }
    samples = table["samples"].to_numpy()
    codes = np.searchsorted(DENSITY_BREAKS, samples, side="right")
    labels = [t("density_none", lang)] + [
        f"{number(lo, 0, lang)}–{number(hi - 1, 0, lang)}" if hi - 1 > lo else number(lo, 0, lang)
        for lo, hi in zip(DENSITY_BREAKS[:-1], DENSITY_BREAKS[1:], strict=True)
    ]
    labels.append(f"≥ {number(DENSITY_BREAKS[-1], 0, lang)}")
    fig = go.Figure(
        class_trace(
            geojson,
            ids,
            codes,
            DENSITY_COLOURS,
            labels,
            line_width=0.3,
            colorbar={"title": {"text": t("density_legend", lang)}, "len": 0.8},
            customdata=samples.reshape(-1, 1),
            hovertemplate=f"{t('hover_samples', lang)}: %{{customdata[0]:,.0f}}<extra></extra>",
        )
    )
    lon, lat = outlines
    fig.add_trace(
        go.Scattergeo(
            lon=lon,
            lat=lat,
            mode="lines",
            line={"width": 1.6, "color": "#333333"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    return map_layout(fig, title, lang, height)


def week_hours(table: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Samples per day of the week (rows, Monday first) and hour of the day (columns), office hours framed."""
    grid = np.zeros((7, 24))
    for dow, hour, n in table[["dow", "hour", "samples"]].itertuples(index=False):
        grid[int(dow) - 1, int(hour)] += n
    days = [t(f"weekday_{k}", lang) for k in WEEKDAY_KEYS]
    fig = go.Figure(
        go.Heatmap(
            z=grid,
            x=list(range(24)),
            y=days,
            colorscale="Blues",
            colorbar={"title": {"text": t("hover_samples", lang)}},
            hovertemplate="%{y}, %{x}h: %{z:,.0f}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.add_shape(
        type="rect",
        x0=OFFICE_HOURS[0] - 0.5,
        x1=OFFICE_HOURS[1] + 0.5,
        y0=OFFICE_DAYS[0] - 1.5,
        y1=OFFICE_DAYS[1] - 0.5,
        line={"color": "#c0392b", "width": 2},
    )
    fig.add_annotation(
        x=OFFICE_HOURS[1] + 0.5,
        y=OFFICE_DAYS[0] - 1.5,
        text=t("office_hours_box", lang),
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font={"color": "#c0392b", "size": 12},
    )
    fig.update_xaxes(title=t("hour", lang), dtick=2)
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, title, lang, height=340)
