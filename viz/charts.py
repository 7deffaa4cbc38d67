"""Charts other than maps. Every figure: Vietnamese-capable font, target lines labelled, no chart junk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.formats import month_label, number
from core.i18n import t
from viz.safe import svg_text, svg_texts

FONT = "Noto Sans, Arial, sans-serif"
CARRIER_COLOURS = {
    "Viettel": "#e4002b",
    "VinaPhone": "#0072bc",
    "MobiFone": "#1f3f8f",
    "Vietnamobile": "#f47920",
    "Gmobile": "#f2c500",
    "Itelecom": "#7a3e9d",
    "VNPT": "#0b7fc7",
    "FPT": "#f37021",
    "CMC": "#00a651",
}
TARGET_COLOUR = "#c0392b"


def base_layout(fig: go.Figure, title: str, lang: str, height: int = 380) -> go.Figure:
    fig.update_layout(
        title={"text": svg_text(title), "x": 0.01, "font": {"size": 16}},
        height=height,
        template="plotly_white",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"family": FONT, "size": 13},
        separators=",." if lang == "vi" else ".,",
        legend={"orientation": "h", "y": -0.18},
    )
    return fig


def trend(
    monthly: pd.DataFrame,
    target: float | None,
    title: str,
    lang: str,
    value: str = "mean_download_mbps",
    unit: str = "Mbps",
    series: str | None = None,
) -> go.Figure:
    """Monthly mean with its 95% interval; months with insufficient data (the 'sufficient' column, RULES §6)
    drawn hollow."""
    fig = go.Figure()
    groups = [(None, monthly)] if series is None else list(monthly.groupby(series, sort=False))
    for name, part in groups:
        part = part.sort_values("month")
        x = [month_label(m, lang, short=True) for m in part["month"]]
        ok = part["sufficient"].astype(bool)
        colour = CARRIER_COLOURS.get(name) if name else "#2166ac"
        if series is None and "ci95_low_mbps" in part and value == "mean_download_mbps":
            fig.add_trace(
                go.Scatter(
                    x=x + x[::-1],
                    y=list(part["ci95_high_mbps"]) + list(part["ci95_low_mbps"])[::-1],
                    fill="toself",
                    fillcolor="rgba(33,102,172,0.15)",
                    line={"width": 0},
                    hoverinfo="skip",
                    name=t("hover_ci", lang),
                )
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=part[value],
                mode="lines+markers",
                name=svg_text(name) if name else t("col_mean", lang),
                line={"color": colour, "width": 2.5},
                marker={"size": 8, "symbol": np.where(ok, "circle", "circle-open").tolist(), "color": colour},
                customdata=np.column_stack([part["speed_samples"]]),
                hovertemplate=f"%{{x}}: %{{y:,.1f}} {unit}<br>{t('hover_samples', lang)}: %{{customdata[0]:,.0f}}"
                + ("<extra>%{fullData.name}</extra>" if name else "<extra></extra>"),
            )
        )
    if target:
        fig.add_hline(
            y=target,
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            annotation_text=t("target_line", lang, target=number(target, 0, lang)),
            annotation_position="top left",
            annotation_font_color=TARGET_COLOUR,
        )
    fig.update_yaxes(title=unit, rangemode="tozero")
    return base_layout(fig, title, lang)


def carrier_bars(table: pd.DataFrame, target: float | None, title: str, lang: str) -> go.Figure:
    """Mean per carrier with 95% intervals; carriers with insufficient data greyed and labelled."""
    table = table.sort_values("mean_download_mbps", ascending=True)
    ok = table["sufficient"].astype(bool)
    colours = [
        CARRIER_COLOURS.get(c, "#555555") if good else "#cccccc" for c, good in zip(table["carrier"], ok, strict=True)
    ]
    err_plus = (table["ci95_high_mbps"] - table["mean_download_mbps"]).fillna(0)
    err_minus = (table["mean_download_mbps"] - table["ci95_low_mbps"]).fillna(0)
    labels = [
        f"{c}" + ("" if good else f" ({t('insufficient', lang).lower()})")
        for c, good in zip(table["carrier"], ok, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=table["mean_download_mbps"],
            y=svg_texts(labels),
            orientation="h",
            marker_color=colours,
            error_x={"type": "data", "array": err_plus, "arrayminus": err_minus, "color": "#333", "thickness": 1.5},
            text=[number(v, 1, lang) for v in table["mean_download_mbps"]],
            textposition="inside",
            customdata=np.column_stack([table["speed_samples"], table["ci95_low_mbps"], table["ci95_high_mbps"]]),
            hovertemplate="%{y}: %{x:,.1f} Mbps<br>"
            + t("hover_ci", lang)
            + ": %{customdata[1]:,.1f} – %{customdata[2]:,.1f}"
            + "<br>"
            + t("hover_samples", lang)
            + ": %{customdata[0]:,.0f}<extra></extra>",
        )
    )
    axis = "Mbps"
    if target:  # named on the axis title, where the label cannot cover a bar
        fig.add_vline(x=target, line={"color": TARGET_COLOUR, "dash": "dash", "width": 2})
        label = t("target_line", lang, target=number(target, 0, lang))
        axis += f"   <span style='color:{TARGET_COLOUR}'>┆ {label}</span>"
    fig.update_xaxes(title=axis, rangemode="tozero")
    fig.update_traces(insidetextanchor="start", textfont_color="#ffffff")
    return base_layout(fig, title, lang, height=max(260, 90 + 45 * len(table)))


def carrier_by_district(table: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Grouped dots with interval bars: carriers side by side within each district."""
    fig = go.Figure()
    for carrier, part in table.groupby("carrier", sort=False):
        part = part[part["sufficient"].astype(bool)]
        fig.add_trace(
            go.Scatter(
                x=part["mean_download_mbps"],
                y=svg_texts(part["district_name"]),
                mode="markers",
                name=svg_text(carrier),
                marker={"color": CARRIER_COLOURS.get(carrier), "size": 9},
                error_x={
                    "type": "data",
                    "array": part["ci95_high_mbps"] - part["mean_download_mbps"],
                    "arrayminus": part["mean_download_mbps"] - part["ci95_low_mbps"],
                    "thickness": 1.2,
                },
                hovertemplate="%{y} · %{fullData.name}: %{x:,.1f} Mbps<extra></extra>",
            )
        )
    fig.update_xaxes(title="Mbps", rangemode="tozero")
    return base_layout(fig, title, lang, height=max(320, 60 + 32 * table["district_name"].nunique()))


def distribution(hist: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Share of measurements per log-spaced speed bin, one line per carrier, on a log x axis."""
    fig = go.Figure()
    for carrier, part in hist.groupby("carrier", sort=False):
        share = 100 * part["n"] / part["n"].sum()
        fig.add_trace(
            go.Scatter(
                x=part["bin_mid"],
                y=share,
                mode="lines",
                name=svg_text(carrier),
                line_shape="spline",
                line={"color": CARRIER_COLOURS.get(carrier), "width": 2},
                hovertemplate="%{x:,.1f} Mbps: %{y:,.1f}%<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_xaxes(type="log", title="Mbps")
    fig.update_yaxes(title="%")
    return base_layout(fig, title, lang)


def share_pie(table: pd.DataFrame, title: str, lang: str) -> go.Figure:
    fig = go.Figure(
        go.Pie(
            labels=svg_texts(table["carrier"]),
            values=table["samples"],
            hole=0.5,
            sort=False,
            marker={"colors": [CARRIER_COLOURS.get(c, "#999") for c in table["carrier"]]},
            textinfo="label+percent",
            hovertemplate="%{label}: %{value:,.0f}<extra></extra>",
        )
    )
    return base_layout(fig, title, lang, height=340)


def heatmap(table: pd.DataFrame, title: str, lang: str, target: float) -> go.Figure:
    """District by month, diverging at the target; cells with insufficient data left blank and marked."""
    table = table.copy()
    table.loc[~table["sufficient"].astype(bool), "mean_download_mbps"] = np.nan
    grid = table.pivot_table(index="district_name", columns="month", values="mean_download_mbps", aggfunc="first")
    grid = grid.reindex(columns=sorted(grid.columns))
    x = [month_label(m, lang, short=True) for m in grid.columns]
    text = [[number(v, 0, lang) if pd.notna(v) else "·" for v in row] for row in grid.to_numpy()]
    span = max(
        abs(np.nanmax(grid.to_numpy(dtype=float)) - target) if grid.notna().any().any() else 1,
        abs(target - np.nanmin(grid.to_numpy(dtype=float))) if grid.notna().any().any() else 1,
    )
    fig = go.Figure(
        go.Heatmap(
            z=grid.to_numpy(dtype=float),
            x=x,
            y=svg_texts(list(grid.index)),
            text=text,
            texttemplate="%{text}",
            colorscale="RdBu",
            zmid=target,
            zmin=target - span,
            zmax=target + span,
            colorbar={"title": {"text": "Mbps"}},
            hovertemplate="%{y}, %{x}: %{z:,.1f} Mbps<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_yaxes(autorange="reversed")
    return base_layout(fig, title, lang, height=max(320, 80 + 34 * len(grid)))


def hour_profile(table: pd.DataFrame, title: str, lang: str) -> go.Figure:
    """Measurements per hour of the day (bars), and the mean speed (a line) only in hours with sufficient data."""
    table = table.sort_values("hour")
    fig = go.Figure(
        go.Bar(
            x=table["hour"],
            y=table["samples"],
            name=t("hover_samples", lang),
            marker_color="#c6dbef",
            hovertemplate="%{x}h: %{y:,.0f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=table["hour"],
            y=table["mean_download_mbps"].where(table["sufficient"].astype(bool)),
            name=t("col_mean", lang),
            yaxis="y2",
            mode="lines+markers",
            line={"color": "#2166ac", "width": 2.5},
            customdata=table[["speed_samples"]],
            hovertemplate="%{x}h: %{y:,.1f} Mbps<br>n = %{customdata[0]:,.0f}<extra></extra>",
        )
    )
    fig.update_xaxes(title=t("hour", lang), dtick=2)
    fig.update_layout(
        yaxis={"title": t("hover_samples", lang)},
        yaxis2={"title": "Mbps", "overlaying": "y", "side": "right", "rangemode": "tozero"},
    )
    return base_layout(fig, title, lang, height=320)


def samples_history(table: pd.DataFrame, quota: int, title: str, lang: str) -> go.Figure:
    table = table.sort_values("month")
    colours = ["#31a354" if s >= quota else "#fc9272" for s in table["samples"]]
    fig = go.Figure(
        go.Bar(
            x=[month_label(m, lang, short=True) for m in table["month"]],
            y=table["samples"],
            marker_color=colours,
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    fig.add_hline(
        y=quota, line={"color": "#333", "dash": "dash"}, annotation_text=f"{quota}", annotation_position="top left"
    )
    return base_layout(fig, title, lang, height=320)
