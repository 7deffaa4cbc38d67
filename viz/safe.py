"""Text from the data, shown literally in figures: plotly reads <b>, <a href>, <br> and entities in every text
(titles, tick labels, legend names, hover text), so a commune or carrier name is escaped before it goes in.
Data never goes into a hover template either: templates refer to it (%{text}, %{fullData.name})."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd


def svg_text(value: object) -> str:
    """The value as plotly text that shows exactly its characters ('<', '>' and '&' as entities)."""
    return html.escape(str(value), quote=False)


def svg_texts(values: pd.Series | list) -> np.ndarray:
    """svg_text for every value, as an object array (plotly validates numpy arrays fastest)."""
    return np.asarray([svg_text(v) for v in values], dtype=object)
