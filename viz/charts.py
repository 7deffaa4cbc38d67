"""Charts other than maps. Every figure: Vietnamese-capable font, target lines labelled, no chart junk."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.formats import month_label, number
from core.i18n import t
from core.months import month_range
from metrics.timeline import BoundaryMark, continuous, marks_between, with_periods
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
    marks: list[BoundaryMark] | None = None,
) -> go.Figure:
    """Monthly mean with its 95% interval (RULES §18): every month on the axis, a month without data a gap (never
    joined across), months with insufficient data drawn hollow, and each change of boundaries a marked line the
    series is not joined across (``monthly`` from metrics.timeline.continuous)."""
    marks = marks or []
    present = sorted(monthly["month"].unique())
    months = month_range(present[0], present[-1]) if present else []
    if months:
        monthly = with_periods(continuous_by(monthly, months, series), marks)
    position = {m: i for i, m in enumerate(months)}
    fig = go.Figure()
    if months:
        groups = [(None, monthly)] if series is None else list(monthly.groupby(series, sort=False))
        for name, part in groups:
            _trend_series(fig, part.sort_values("month"), name, value, unit, lang, series is None)
        axis = [month_label(m, lang, short=True) for m in months]
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=axis, tickangle=-45 if len(axis) > 12 else 0)
        _gaps(fig, monthly, position, lang)
        shown_marks = marks_between(marks, months[0], months[-1])
        for mark in shown_marks:
            _boundary_line(fig, position.get(mark.month), len(months), mark, lang)
        if shown_marks:
            _headroom(fig, monthly, value, target)
    if target:
        fig.add_hline(
            y=target,
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            annotation_text=t("target_line", lang, target=number(target, 0, lang)),
            annotation_position="top left",
            annotation_font_color=TARGET_COLOUR,
        )
    fig.update_yaxes(title=unit, rangemode="tozero")
    base_layout(fig, title, lang)
    if len(months) > 12:  # slanted month labels need the room the legend would otherwise take
        fig.update_layout(legend={"y": -0.3}, height=420)
    return fig


def continuous_by(monthly: pd.DataFrame, months: list[str], series: str | None) -> pd.DataFrame:
    """Every month for every series (a carrier without data in a month: a gap in its line)."""
    if series is None:
        return continuous(monthly, months)
    parts = [continuous(part, months).assign(**{series: name}) for name, part in monthly.groupby(series, sort=False)]
    return pd.concat(parts, ignore_index=True) if parts else continuous(monthly, months)


def _trend_series(
    fig: go.Figure, part: pd.DataFrame, name: str | None, value: str, unit: str, lang: str, band: bool
) -> None:
    """One line per stretch of months under one set of boundaries; the earlier stretches dashed."""
    colour = CARRIER_COLOURS.get(name) if name else "#2166ac"
    last = part["period"].max()
    for period, stretch in part.groupby("period", sort=True):
        x = [month_label(m, lang, short=True) for m in stretch["month"]]
        shown = stretch[value].where(stretch["has_data"])
        earlier = period != last
        if band and "ci95_low_mbps" in stretch and value == "mean_download_mbps":
            for i, run in enumerate(_runs_with_data(stretch)):
                xs = [month_label(m, lang, short=True) for m in run["month"]]
                fig.add_trace(_band(xs, run, lang, showlegend=not earlier and i == 0))
        label = svg_text(name) if name else t("col_mean", lang)
        fig.add_trace(
            go.Scatter(
                x=x,
                y=shown,
                mode="lines+markers",
                connectgaps=False,
                name=t("trend_earlier_boundaries", lang, name=label) if earlier else label,
                legendgroup=f"{label}-{period}",
                line={"color": colour, "width": 2.5, "dash": "dot" if earlier else "solid"},
                marker={
                    "size": 8,
                    "symbol": np.where(stretch["sufficient"].astype(bool), "circle", "circle-open").tolist(),
                    "color": colour,
                },
                customdata=np.column_stack([stretch["speed_samples"]]),
                hovertemplate=f"%{{x}}: %{{y:,.1f}} {unit}<br>{t('hover_samples', lang)}: %{{customdata[0]:,.0f}}"
                + ("<extra>%{fullData.name}</extra>" if name else "<extra></extra>"),
            )
        )


def _runs_with_data(stretch: pd.DataFrame) -> list[pd.DataFrame]:
    """The stretch's runs of consecutive months with data: a band is drawn over each, never across a gap."""
    run_id = (~stretch["has_data"]).cumsum()
    return [run for _, run in stretch[stretch["has_data"]].groupby(run_id[stretch["has_data"]], sort=True)]


def _band(x: list[str], run: pd.DataFrame, lang: str, showlegend: bool) -> go.Scatter:
    high, low = run["ci95_high_mbps"], run["ci95_low_mbps"]
    return go.Scatter(
        x=x + x[::-1],
        y=list(high) + list(low)[::-1],
        mode="lines",
        fill="toself",
        fillcolor="rgba(33,102,172,0.15)",
        line={"width": 0},
        hoverinfo="skip",
        name=t("hover_ci", lang),
        showlegend=showlegend,
    )


def _gaps(fig: go.Figure, monthly: pd.DataFrame, position: dict[str, int], lang: str) -> None:
    """A shaded column, labelled, for each month without any data."""
    empty = sorted(set(monthly["month"]) - set(monthly.loc[monthly["has_data"], "month"]))
    for month in empty:
        i = position[month]
        fig.add_vrect(x0=i - 0.5, x1=i + 0.5, fillcolor="#eeeeee", opacity=0.8, line_width=0, layer="below")
        fig.add_annotation(
            x=i,
            y=0.5,
            yref="paper",
            text=t("trend_no_data", lang),
            textangle=-90,
            showarrow=False,
            font={"size": 11, "color": "#777"},
        )


def _headroom(fig: go.Figure, monthly: pd.DataFrame, value: str, target: float | None) -> None:
    """Room above the data for the words of a boundary change, so that they never cover a point or a band."""
    columns = [c for c in (value, "ci95_high_mbps") if c in monthly]
    highest = max([float(monthly[c].max()) for c in columns if monthly[c].notna().any()] + [target or 0.0, 1.0])
    fig.update_yaxes(range=[0, highest * 1.35])


def _boundary_line(fig: go.Figure, i: int | None, months: int, mark: BoundaryMark, lang: str) -> None:
    """A vertical line where new boundaries come into force, saying what changed, in the headroom above the data;
    the words run towards the wider side of the chart."""
    if i is None:
        return
    details = []
    if mark.system_changed and not mark.districts_after:
        details.append(t("trend_mark_no_districts", lang))
    if mark.area_changed:
        details.append(t("trend_mark_area", lang))
    words = [t("trend_mark_boundaries", lang, month=month_label(mark.month, lang, short=True))]
    if details:
        words.append("; ".join(details))
    fig.add_vline(x=i - 0.5, line={"color": "#555", "width": 1.5, "dash": "dashdot"})
    fig.add_annotation(
        x=i - 0.5,
        y=1.0,
        yref="paper",
        xanchor="left" if i <= months / 2 else "right",
        yanchor="top",
        text="<br>".join(words),
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#444"},
        bgcolor="rgba(255,255,255,0.8)",
    )


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
    # The value in the middle of its bar (clear of the interval), and a space after each carrier's name: a name
    # never runs into its value ('Viettel44,8'), whatever the size the chart is drawn at.
    fig.update_traces(insidetextanchor="middle", textfont_color="#ffffff", cliponaxis=False)
    fig.update_yaxes(ticksuffix="   ")
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
