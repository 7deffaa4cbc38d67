"""plotly.js in the reader's language: its few built-in words and its number and date formats."""

from __future__ import annotations

from core.i18n import PLOTLY_VI


def plotly_config(lang: str) -> dict:
    """Config for every chart: the reader's language, and no toolbar (its Streamlit 'Fullscreen' button cannot be
    translated, and the camera button would make a second, untitled PNG beside the app's own export)."""
    return {"displaylogo": False, "displayModeBar": False, "locale": lang, "locales": {"vi": PLOTLY_VI}}
