"""Building report files from a store (used by the command line and the dashboard)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.errors import UserError
from core.files import atomic_write
from exports.files import write_csv, write_xlsx
from geo.boundaries import load_boundaries
from metrics.engine import Filters, Settings, StatsEngine
from metrics.tables import commune_report, district_summary, monthly_return
from store.transaction import MONTH_RE, open_store


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
    referral = pd.read_parquet(store.referral_path) if store.referral_path.exists() else None
    if fmt == "csv":
        write_csv(table, out)
    elif fmt == "xlsx":
        extra = {"Báo cáo tháng": monthly_return(table, referral, engine.referral_counts(filters), settings.quota)}
        write_xlsx(table, district_summary(engine, filters, settings, table), settings, out, extra)
    else:
        _write_deck(engine, store, filters, settings, referral, out)
    return out


def _write_deck(engine: StatsEngine, store, filters: Filters, settings: Settings, referral, out: Path) -> None:
    from exports.briefing import build_briefing
    from exports.deck import build_deck
    from exports.images import ExportUnavailable

    bounds = load_boundaries(store.boundaries_path)
    try:
        deck = build_deck(build_briefing(engine, bounds, filters, settings, "vi", referral))
    except ExportUnavailable as exc:
        raise UserError(str(exc)) from exc
    atomic_write(Path(out), lambda tmp: Path(tmp).write_bytes(deck))
