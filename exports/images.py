"""PNG and SVG images of figures, rendered by kaleido in Debian's Chromium through one persistent server.

The first image starts Chromium (a few seconds); later images reuse it and take well under a second.
Exported figures carry a Vietnamese title, a subtitle with the month and filters, and a source line,
in Noto Sans (Debian's fonts-noto-core), which has every Vietnamese glyph.
"""

from __future__ import annotations

import atexit
import copy
import threading
from pathlib import Path

import plotly.graph_objects as go

from core import config
from geo.mapgeom import MapGeometry
from viz.safe import svg_text

CHROMIUM = str(config.chromium_path())
EXPORT_FONT = "Noto Sans"
WIDTH, HEIGHT = 1920, 1080

_lock = threading.Lock()
_started = False


class ExportUnavailable(RuntimeError):
    """No Chromium to render with (install Debian's chromium: make run does)."""


def _ensure_server() -> None:
    global _started
    if _started:
        return
    if not Path(CHROMIUM).exists():
        raise ExportUnavailable(
            f"{CHROMIUM} not found: image export needs Debian's chromium (apt-get install chromium)"
        )
    import kaleido
    from kaleido import PageGenerator

    # Local plotly.js from plotly.py, no MathJax from a CDN, Debian's Chromium, and the maps' empty base-map
    # topology given to plotly.js up front: nothing is downloaded.
    page = PageGenerator(mathjax=False, others=[_geo_assets_script().as_uri()])
    kaleido.start_sync_server(n=1, timeout=120, page_generator=page, path=CHROMIUM, silence_warnings=True)
    atexit.register(kaleido.stop_sync_server, silence_warnings=True)
    _started = True


def _geo_assets_script() -> Path:
    """A script that hands plotly.js the (empty) base-map topology its geo maps would otherwise fetch."""
    import json
    import tempfile

    from viz.maps import EMPTY_TOPOLOGY, TOPOJSON_NAME

    path = Path(tempfile.mkdtemp(prefix="ispeed-kaleido-")) / "plotly-geo-assets.js"
    assets = {"topojson": {TOPOJSON_NAME: EMPTY_TOPOLOGY}}
    path.write_text(f"window.PlotlyGeoAssets = {json.dumps(assets)};", encoding="utf-8")
    return path


def render(fig: go.Figure, fmt: str = "png", width: int = WIDTH, height: int = HEIGHT, scale: float = 1.0) -> bytes:
    """The figure as PNG or SVG bytes."""
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported image format {fmt}")
    import kaleido

    with _lock:  # one Chromium tab: requests from concurrent sessions take turns
        _ensure_server()
        return kaleido.calc_fig_sync(fig, opts={"format": fmt, "width": width, "height": height, "scale": scale})


def for_export(
    fig: go.Figure, title: str, subtitle: str, source: str, width: int = WIDTH, height: int = HEIGHT
) -> go.Figure:
    """A copy of fig laid out for a 16:9 slide: title, subtitle (month, filters), source line, large fonts."""
    out = go.Figure(copy.deepcopy(fig.to_dict()))
    base = max(14, round(height / 60))
    out.update_layout(
        width=width,
        height=height,
        font={"family": EXPORT_FONT, "size": base},
        title={
            "text": f"<b>{svg_text(title)}</b><br><span style='font-size:{round(base * 1.05)}px;color:#555'>{svg_text(subtitle)}</span>",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.97,
            "yanchor": "top",
            "font": {"size": round(base * 1.7)},
        },
        margin={"l": 70, "r": 40, "t": round(height * 0.14), "b": round(height * 0.09)},
        paper_bgcolor="#ffffff",
    )
    out.add_annotation(
        text=svg_text(source),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-round(height * 0.045),
        showarrow=False,
        font={"size": round(base * 0.85), "color": "#666"},
    )
    return out


def source_line(month: str, lang: str) -> str:
    """'Nguồn: dữ liệu đo i-Speed (VNNIC), tháng 10/2025': the last line of every exported figure."""
    from core.formats import month_label
    from core.i18n import t

    return t("source_line", lang, month=month_label(month, lang))


def titled_figure(
    fig: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    geometry: MapGeometry | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> go.Figure:
    """For export: title, subtitle and source line; a map gets its geometry inline (Chromium renders outside the
    app, so a served URL is of no use); its view fits the area to the image (geo.fitbounds)."""
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
