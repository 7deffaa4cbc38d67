"""Report files: the commune CSV and the XLSX workbook, written atomically."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core import spreadsheet
from core.files import atomic_write
from core.settings import Settings
from exports.workbook import build_workbook


def write_csv(table: pd.DataFrame, out: Path) -> None:
    """UTF-8 with BOM so that Excel opens Vietnamese names correctly, no cell a live formula; written atomically."""
    atomic_write(out, lambda tmp: spreadsheet.write_csv(table, tmp))


def write_xlsx(
    communes: pd.DataFrame,
    districts: pd.DataFrame,
    settings: Settings,
    out: Path,
    extra_sheets: dict[str, pd.DataFrame] | None = None,
) -> None:
    """First sheet: the commune table with Vietnamese headers; then the district summary."""
    atomic_write(out, lambda tmp: build_workbook(communes, districts, settings, extra_sheets or {}).save(tmp))
