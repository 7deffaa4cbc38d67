"""Building report files from a store (used by the command line and the dashboard)."""

from __future__ import annotations

from pathlib import Path

from analytics.errors import UserError
from analytics.report import commune_report, district_summary, write_csv, write_xlsx
from analytics.stats import Filters, Settings, StatsEngine
from analytics.store import MONTH_RE, open_store
from geo.boundaries import load_boundaries


def write_report(
    store_path: Path,
    month: str,
    fmt: str,
    out: Path,
    networks: list[str] | None = None,
    carriers: list[str] | None = None,
    districts: list[str] | None = None,
    speed_target: float = 40.0,
    quota: int = 300,
    min_samples: int = 30,
) -> Path:
    """Write the commune report of ``month`` as csv, xlsx or pptx."""
    if not MONTH_RE.match(month):
        raise UserError(f"--month {month}: expected YYYY-MM")
    store = open_store(store_path)
    if not store.has_boundaries():
        raise UserError(f"{store.root}: no boundaries loaded")
    if month not in store.months():
        raise UserError(f"{store.root}: no measurements for {month} (months: {', '.join(store.months()) or 'none'})")
    engine = StatsEngine(store, load_boundaries(store.boundaries_path))
    known = set(engine.areas["district_code"].dropna())
    unknown = [d for d in (districts or []) if d not in known]
    if unknown:
        raise UserError(f"--district {', '.join(unknown)}: no such district code in the boundaries")
    filters = Filters(
        month=month,
        networks=tuple(networks or ["4G"]),
        carriers=tuple(carriers or ()),
        districts=tuple(districts or ()),
    )
    settings = Settings(speed_target_mbps=speed_target, quota=quota, min_samples=min_samples)
    table = commune_report(engine, filters, settings)
    if fmt == "csv":
        write_csv(table, out)
    elif fmt == "xlsx":
        write_xlsx(table, district_summary(engine, filters, settings, table), settings, out)
    else:
        raise UserError("--format pptx: the briefing deck is not available yet; use csv or xlsx")
    return out
