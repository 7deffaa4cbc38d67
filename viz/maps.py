"""Commune choropleths: one SVG trace (plotly's ``geo`` choropleth) with numeric class codes and a stepped scale.

SVG rather than MapLibre: this machine, like most office PCs in a VM, has no GPU, and MapLibre's software WebGL
cost ~0.5 s of browser CPU per redraw on a 120-commune province (2.3 s against 3.4 s nationally); the SVG trace
costs what a bar chart costs. Nothing is fetched from the internet: the base map is hidden and plotly's topology
is an empty one served locally (:data:`EMPTY_TOPOLOGY`), in the app and in image export alike. One trace
whatever the number of classes (categorical colour would repeat the geometry per class); province or district
outlines are a second, unfilled trace over the communes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.formats import number
from core.i18n import t
from geo.mapgeom import MapGeometry
from metrics.classes import INSUFFICIENT, NO_DATA, judged_classes, quota_classes, speed_breaks, speed_classes
from viz.safe import svg_text

INSUFFICIENT_COLOUR = "#bdbdbd"
NO_DATA_COLOUR = "#f2f2f2"  # lighter than insufficient data: nothing measured at all
# Below the target: reds, light to dark away from it; at or above it: blues.
SPEED_COLOURS = ["#b2182b", "#d6604d", "#f4a582", "#fddbc7", "#d1e5f0", "#6baed6", "#2166ac"]
SEQUENTIAL_COLOURS = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
QUOTA_COLOURS = ["#de2d26", "#fc9272", "#fee0d2", "#31a354"]
UPLOAD_BREAKS = [2.5, 5.0, 10.0, 15.0, 25.0, 50.0]
LATENCY_BREAKS = [20.0, 30.0, 40.0, 50.0, 75.0, 100.0]
METRIC_COLUMNS = {
    "mean": "mean_download_mbps",
    "median": "median_download_mbps",
    "upload": "mean_upload_mbps",
    "latency": "mean_latency_ms",
}


# plotly's geo subplot loads a "world_110m" topology for its base map even when the base map is hidden; this
# empty one stands in for the CDN file (served by the app under TOPOJSON_URL, injected into the exporter).
TOPOJSON_NAME = "world_110m"
EMPTY_TOPOLOGY = {
    "type": "Topology",
    "arcs": [],
    "objects": {
        name: {"type": "GeometryCollection", "geometries": []}
        for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
    },
}
TRANSPARENT = [[0.0, "rgba(0,0,0,0)"], [1.0, "rgba(0,0,0,0)"]]


def stepped_scale(colours: list[str]) -> list[list]:
    """A colour scale with one flat step per integer code 0..len-1 (plotly.py#2633)."""
    n = len(colours)
    scale = []
    for i, colour in enumerate(colours):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def speed_legend(metric: str, target: float, min_samples: int, lang: str) -> tuple[list[str], list[str], list[float]]:
    """Colours, labels and breaks of the speed map for the chosen metric; the first two are no data and
    insufficient data (z = class + 1, metrics.classes)."""
    if metric in ("mean", "median"):
        breaks, colours, unit = speed_breaks(target), SPEED_COLOURS, "Mbps"
    elif metric == "upload":
        breaks, colours, unit = UPLOAD_BREAKS, SEQUENTIAL_COLOURS, "Mbps"
    else:
        breaks, colours, unit = LATENCY_BREAKS, SEQUENTIAL_COLOURS[::-1], "ms"
    labels = [t("no_data_legend", lang), t("insufficient_legend", lang, min=min_samples)]
    labels.append(f"< {number(breaks[0], 0 if breaks[0] >= 10 else 1, lang)} {unit}")
    for lo, hi in zip(breaks[:-1], breaks[1:], strict=True):
        labels.append(f"{number(lo, 0 if lo >= 10 else 1, lang)} – {number(hi, 0 if hi >= 10 else 1, lang)}")
    labels.append(f"≥ {number(breaks[-1], 0, lang)} {unit}")
    return [NO_DATA_COLOUR, INSUFFICIENT_COLOUR, *colours], labels, breaks


def metric_classes(table: pd.DataFrame, metric: str, target: float) -> np.ndarray:
    """Classes of metrics.classes: -1 no data, 0 insufficient data, 1..7 the figure's steps."""
    values = table[METRIC_COLUMNS[metric]]
    if metric in ("mean", "median"):
        return speed_classes(values, table["sufficient"], target, table["speed_samples"])
    breaks = UPLOAD_BREAKS if metric == "upload" else LATENCY_BREAKS
    codes = 1 + np.searchsorted(breaks, values.to_numpy(dtype="float64"), side="right")
    return judged_classes(codes, table["sufficient"], values, table["speed_samples"])


def speed_map(
    table: pd.DataFrame,
    geometry: MapGeometry,
    metric: str,
    target: float,
    min_samples: int,
    title: str,
    lang: str = "vi",
    height: int = 640,
) -> go.Figure:
    """Communes coloured in stepped classes of the metric; insufficient data grey and labelled."""
    table = _align(table, geometry)
    colours, labels, _ = speed_legend(metric, target, min_samples, lang)
    codes = metric_classes(table, metric, target)
    unit = "ms" if metric == "latency" else "Mbps"
    value = table[METRIC_COLUMNS[metric]].to_numpy(dtype="float64")
    custom = np.column_stack(
        [
            value,
            table["median_download_mbps"],
            table["speed_samples"],
            table["ci95_low_mbps"],
            table["ci95_high_mbps"],
        ]
    ).astype("float32")
    hover = (
        "<b>%{text}</b><br>"
        + f"{t('metric_' + metric, lang)}: %{{customdata[0]:,.1f}} {unit}<br>"
        + f"{t('hover_median', lang)}: %{{customdata[1]:,.1f}} Mbps<br>"
        + f"{t('hover_samples', lang)}: %{{customdata[2]:,.0f}}<br>"
        + f"{t('hover_ci', lang)}: %{{customdata[3]:,.1f}} – %{{customdata[4]:,.1f}} Mbps<extra></extra>"
    )
    flags = np.where(
        codes == NO_DATA,
        t("no_data_legend", lang),
        np.where(codes == INSUFFICIENT, t("insufficient", lang) + f" (< {min_samples})", ""),
    )
    text = _names(table, flags)
    fig = _choropleth(geometry, codes - NO_DATA, colours, labels, text, custom, hover, title, lang, height)
    return fig


def coverage_map(
    table: pd.DataFrame, geometry: MapGeometry, quota: int, title: str, lang: str = "vi", height: int = 640
) -> go.Figure:
    """Samples as a share of the monthly quota, in four classes."""
    table = _align(table, geometry)
    codes = quota_classes(table["quota_pct"]) - 1
    labels = [t("cov_under25", lang), t("cov_25_50", lang), t("cov_50_100", lang), t("cov_met", lang, quota=quota)]
    custom = np.column_stack([table["samples"], table["quota_pct"]]).astype("float32")
    hover = (
        "<b>%{text}</b><br>"
        + f"{t('hover_samples', lang)}: %{{customdata[0]:,.0f}} / {quota}<br>"
        + f"{t('hover_quota', lang)}: %{{customdata[1]:,.0f}}%<extra></extra>"
    )
    text = _names(table, np.full(len(table), "", dtype=object))
    return _choropleth(geometry, codes, QUOTA_COLOURS, labels, text, custom, hover, title, lang, height)


def _align(table: pd.DataFrame, geometry: MapGeometry) -> pd.DataFrame:
    """Rows in the order of the geometry's communes (communes outside the table get empty figures)."""
    return (
        table.set_index("commune_code")
        .reindex(list(geometry.codes))
        .reset_index()
        .assign(
            sufficient=lambda d: d["sufficient"].fillna(False).astype(bool),
            samples=lambda d: d["samples"].fillna(0),
            speed_samples=lambda d: d["speed_samples"].fillna(0),
            quota_pct=lambda d: d["quota_pct"].fillna(0),
        )
    )


def _names(table: pd.DataFrame, flags: np.ndarray) -> list[str]:
    """Each commune's name for its hover, with its flag (no data, insufficient data) in italics."""
    names = table["commune_name"].fillna("").map(svg_text)
    if table["district_name"].notna().any():
        names = names + " · " + table["district_name"].fillna("").map(svg_text)
    return [f"{n}<br><i>{flag}</i>" if flag else n for n, flag in zip(names, flags, strict=True)]


def class_trace(
    geojson: dict | str,
    ids: np.ndarray,
    codes: np.ndarray,
    colours: list[str],
    labels: list[str],
    *,
    line_width: float,
    colorbar: dict,
    **hover,
) -> go.Choropleth:
    """Areas coloured by class (0 … len(colours) - 1), a stepped legend naming each class; ``colorbar`` adds to
    the legend's common look, ``hover`` holds the trace's text, customdata and hovertemplate."""
    n = len(colours)
    return go.Choropleth(
        geojson=geojson,
        featureidkey="id",
        locations=ids,
        z=codes.astype("int8"),
        zmin=-0.5,
        zmax=n - 0.5,
        colorscale=stepped_scale(colours),
        marker_line_width=line_width,
        marker_line_color="#ffffff",
        colorbar={"tickvals": list(range(n)), "ticktext": labels, "thickness": 18, "outlinewidth": 0, **colorbar},
        **hover,
    )


def _choropleth(
    geometry: MapGeometry,
    codes: np.ndarray,
    colours: list[str],
    labels: list[str],
    text: list[str],
    custom: np.ndarray,
    hover: str,
    title: str,
    lang: str,
    height: int,
) -> go.Figure:
    trace = class_trace(
        geometry.geojson_url or geometry.geojson,
        np.asarray(geometry.codes, dtype=object),  # numpy: plotly validates it ~20x faster than a list
        codes,
        colours,
        labels,
        line_width=0.4,
        colorbar={"title": {"text": ""}, "len": 0.9, "x": 1.0},
        text=np.asarray(text, dtype=object),
        customdata=custom,
        hovertemplate=hover,
    )
    fig = go.Figure(trace)
    if geometry.outline:  # province or district boundaries over the communes; no fill, no hover
        ids = [f["id"] for f in geometry.outline["features"]]
        fig.add_trace(
            go.Choropleth(
                geojson=geometry.outline_url or geometry.outline,
                featureidkey="id",
                locations=np.asarray(ids, dtype=object),
                z=np.zeros(len(ids), dtype="int8"),
                colorscale=TRANSPARENT,
                showscale=False,
                marker_line_width=1.4,
                marker_line_color="#333333",
                hoverinfo="skip",
            )
        )
    map_layout(fig, title, lang, height)
    fig.update_layout(uirevision=geometry.revision)
    return fig


def map_layout(fig: go.Figure, title: str, lang: str, height: int) -> go.Figure:
    """The layout every map shares: no base map, the view fitted to what is drawn, Mercator, the title, the
    reader's number format, the font, panning."""
    fig.update_layout(
        geo={
            "visible": False,
            "fitbounds": "locations",
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        height=height,
        title={"text": svg_text(title), "x": 0.01, "font": {"size": 16}},
        separators=",." if lang == "vi" else ".,",
        font={"family": "Noto Sans, Arial, sans-serif"},
        dragmode="pan",
    )
    return fig
