"""Download buttons for images, the briefing deck and the monthly workbook. Files are built on click only."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from core.i18n import t
from exports.deck import build_deck
from exports.images import CHROMIUM, render, source_line, titled_figure
from exports.workbook import report_workbook
from geo.mapgeom import MapGeometry
from metrics.briefing import build_briefing
from metrics.tables import commune_report
from ui.cache import map_geometry
from ui.context import Context
from ui.filters import View
from ui.static import topojson_url
from ui.widgets import csv_bytes, open_commune
from viz.locale import plotly_config

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_ready() -> bool:
    return Path(CHROMIUM).exists()


def chart(
    fig: go.Figure,
    *,
    key: str,
    ctx: Context,
    view: View,
    title: str | None = None,
    geometry: MapGeometry | None = None,
    config: dict | None = None,
    **plotly_kwargs,
):
    """st.plotly_chart plus PNG and SVG downloads of the same figure, titled for a slide
    (by default with the chart's own title)."""
    config = {**plotly_config(view.lang), "topojsonURL": topojson_url(), **(config or {})}
    event = st.plotly_chart(fig, key=key, config=config, **plotly_kwargs)
    image_buttons(fig, key, ctx, view, title or fig.layout.title.text or "", geometry)
    return event


def image_buttons(
    fig: go.Figure, key: str, ctx: Context, view: View, title: str, geometry: MapGeometry | None = None
) -> None:
    lang = view.lang
    subtitle = view.filters.describe(ctx.areas, lang)
    source = source_line(view.filters.month, lang)

    def build(fmt: str) -> bytes:
        return render(titled_figure(fig, title, subtitle, source, geometry), fmt)

    ready = export_ready()
    help_text = None if ready else t("export_unavailable", lang)
    row = st.container(horizontal=True)  # side by side at their own width, however narrow the chart's column
    for fmt, mime in (("png", "image/png"), ("svg", "image/svg+xml")):
        row.download_button(
            fmt.upper(),
            data=lambda fmt=fmt: build(fmt),
            file_name=f"{key}.{fmt}",
            mime=mime,
            key=f"{key}_{fmt}",
            on_click="ignore",
            disabled=not ready,
            help=help_text,
            icon=":material/image:",
        )


def briefing_buttons(ctx: Context, view: View) -> None:
    """The PPTX deck and the monthly XLSX report of the current view."""
    lang, f, s = view.lang, view.filters, view.settings

    geometry = map_geometry(ctx, ctx.signature, (f.provinces, f.districts))  # cached: the maps' own

    # The files are built on click, from values captured now (a click's callable runs outside the script).
    def referral() -> pd.DataFrame | None:
        return pd.read_parquet(ctx.store.referral_path) if ctx.store.referral_path.exists() else None

    def deck() -> bytes:
        return build_deck(build_briefing(ctx.engine, f, s, referral()), geometry, lang)

    def workbook() -> bytes:
        buffer = io.BytesIO()
        report_workbook(ctx.engine, f, s, referral(), lang).save(buffer)
        return buffer.getvalue()

    ready = export_ready()
    unavailable = None if ready else t("export_unavailable", lang)
    buttons = [
        (
            "download_deck",
            deck,
            f"bao-cao-i-speed-{f.month}.pptx",
            PPTX,
            "download_deck_pptx",
            ":material/slideshow:",
            not ready,
            unavailable,
        ),
        (
            "download_xlsx",
            workbook,
            f"bao-cao-i-speed-{f.month}.xlsx",
            XLSX,
            "report_xlsx",
            ":material/table:",
            False,
            None,
        ),
        (
            "download_report_csv",
            lambda: csv_bytes(commune_report(ctx.engine, f, s)),
            f"bao-cao-xa-{f.month}.csv",
            "text/csv",
            "report_csv",
            ":material/download:",
            False,
            None,
        ),
    ]
    for column, (label, build, name, mime, key, icon, disabled, why) in zip(st.columns(3), buttons, strict=True):
        column.download_button(
            t(label, lang),
            data=build,
            file_name=name,
            mime=mime,
            key=key,
            on_click="ignore",
            disabled=disabled,
            help=why,
            icon=icon,
            type="primary" if key == "download_deck_pptx" else "secondary",
        )


def clickable_map(fig: go.Figure, *, key: str, ctx: Context, view: View, geometry: MapGeometry) -> None:
    """A commune map with its image downloads, where a click on a commune opens its drill-down (once per click:
    coming back to the map must not jump again)."""
    event = chart(
        fig,
        key=key,
        ctx=ctx,
        view=view,
        geometry=geometry,
        on_select="rerun",
        selection_mode="points",
        config={"scrollZoom": True},
    )
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    clicked = next((p.get("location") for p in points if p.get("location")), None)
    if clicked and clicked != st.session_state.get(f"_{key}_clicked"):
        st.session_state[f"_{key}_clicked"] = clicked
        open_commune(clicked)
