"""The `report` command: one month's commune report as CSV, XLSX or a PPTX deck, from a store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core import spreadsheet
from core.errors import UserError
from core.files import atomic_write, check_output_path
from core.formats import number
from core.settings import DEFAULT_SPEED_NETWORKS, Settings
from exports.workbook import report_workbook
from geo.boundaries import load_areas
from geo.mapgeom import area_geometry
from ingest.derived import ensure_derived, read_display
from metrics.briefing import build_briefing
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.rules import SampleAccount, account_rows
from metrics.tables import commune_report, month_account
from store.folder import MONTH_RE
from store.transaction import open_store, read_consistently


@dataclass(frozen=True)
class Report:
    """A written report and the month's samples accounted for (what the command prints under it)."""

    path: Path
    account: SampleAccount


def write_report(
    store_path: Path,
    month: str,
    fmt: str,
    out: Path,
    networks: list[str] | None = None,
    carriers: list[str] | None = None,
    districts: list[str] | None = None,
    settings: Settings | None = None,
    lang: str = "vi",
    progress: Callable[[float], None] | None = None,
    on_wait: Callable[[dict], None] | None = None,
) -> Report:
    """Write the commune report of ``month`` as csv, xlsx or pptx; the file appears whole or not at all.
    Derived data missing from the store (one written by the previous version) is built first (``progress``)."""
    if not MONTH_RE.match(month):
        raise UserError("err_month_format", month=month)
    out = check_output_path(Path(out))
    store = open_store(store_path)
    settings = settings or Settings()
    accounts: list[SampleAccount] = []
    if store.has_boundaries():
        ensure_derived(store, progress, on_wait=on_wait)

    def build() -> None:
        if not store.has_boundaries():
            raise UserError("err_no_boundaries", store=str(store.root))
        if month not in store.months():
            raise UserError("err_no_month", month=month, months=", ".join(store.months()) or "–")
        engine = StatsEngine(store, load_areas(store.boundaries_path))
        known = set(engine.areas["district_code"].dropna())
        unknown = [d for d in (districts or []) if d not in known]
        if unknown:
            raise UserError("err_unknown_district", codes=", ".join(unknown))
        filters = Filters(
            month=month,
            networks=tuple(networks or DEFAULT_SPEED_NETWORKS),
            carriers=tuple(carriers or ()),
            districts=tuple(districts or ()),
            device_day_cap=settings.device_day_cap,
        )
        referral = pd.read_parquet(store.referral_path) if store.referral_path.exists() else None
        table = commune_report(engine, filters, settings)
        accounts[:] = [month_account(engine, filters, table)]
        if fmt == "csv":
            atomic_write(out, lambda tmp: spreadsheet.write_csv(table, tmp))
        elif fmt == "xlsx":
            atomic_write(out, report_workbook(engine, filters, settings, referral, lang).save)
        else:
            _write_deck(engine, store, filters, settings, referral, out, lang)

    read_consistently(store, build)
    return Report(out, accounts[0])


def account_lines(account: SampleAccount, lang: str) -> list[str]:
    """The account as lines of text, for the command line."""
    return [
        f"  {number(r.samples, 0, lang):>10}  {r.label.render(lang)}" + (f": {r.codes}" if r.codes else "")
        for r in account_rows(account)
    ]


def _write_deck(
    engine: StatsEngine, store, filters: Filters, settings: Settings, referral, out: Path, lang: str
) -> None:
    from exports.deck import build_deck
    from exports.images import ExportUnavailable

    geometry = area_geometry(read_display(store), filters.provinces, filters.districts, revision="export")
    try:
        deck = build_deck(build_briefing(engine, filters, settings, referral), geometry, lang)
    except ExportUnavailable as exc:
        raise UserError("err_no_chromium", path=str(exc)) from exc
    atomic_write(Path(out), lambda tmp: Path(tmp).write_bytes(deck))
