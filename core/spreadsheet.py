"""Text from the data never becomes a live spreadsheet formula.

A cell that starts with '=', '+', '-', '@', a tab or a carriage return is read by Excel and LibreOffice as a
formula (CSV injection, OWASP). Such text is written with a leading apostrophe in CSV files (the spreadsheet
shows the text as typed) and as an explicit string cell in XLSX files. Plain numbers such as '-5' or '+84'
stay as they are: they are values, not formulas.
"""

from __future__ import annotations

import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet would evaluate."""
    return text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text.strip())


def neutralize(value: object) -> object:
    """The value, with formula-like text prefixed by an apostrophe (other values unchanged)."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table in which no text cell, header included, is formula-like."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralize, na_action="ignore")
    out.columns = [neutralize(str(c)) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path, **kwargs) -> None:
    """CSV for spreadsheets: UTF-8 with BOM (Excel reads Vietnamese right), no live formulas."""
    neutral_frame(frame).to_csv(path, index=False, encoding="utf-8-sig", **kwargs)
