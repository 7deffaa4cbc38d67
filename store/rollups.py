"""Derived per-month files the dashboard reads instead of the snapshots (docs/DATA.md, "Derived data").

Each month with snapshots has, under ``rollups/month=YYYY-MM/``:

- ``values.parquet``: one row per measurement, only what the statistics use (area code and how it was placed,
  carrier, network and access type, hour and day of the week, the three speeds, the device's hash as a number,
  the measurement's rank among its device's tests of that day, and its H3 cell when it was placed by its location),
  sorted by commune so that one commune's or one province's rows are a few row groups. Percentiles, histograms,
  hours, devices and cells are computed from it, exactly.
- ``cube.parquet``: counts and sums per commune code, reason for being unplaced, carrier, network type, access
  type and device-day rank (ranks above RANKS_KEPT together). Counts, means, standard deviations of any grouping
  of these, over any number of months, with or without a device cap, add up from it.
- ``referrals.parquet``: measurements per referral code as stored, with the same keys (campaign counts and the
  account of unplaced measurements).
- ``sources.json``: the snapshot files (name and size) and the rollup layout they were built from, so that a month
  whose snapshots changed, or rollups of an older layout, are known to be out of date.

They depend on the month's snapshot files only (today's communes are joined when a figure is computed), are written
by the transaction that changes the snapshots (store.transaction), and can be rebuilt from the snapshots at any time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa

from core.grid import cells_of
from store.folder import Store
from store.schema import TIMEZONE

ROLLUPS = "rollups"
LAYOUT = 3  # bump when the rollup files change: stores of an earlier layout rebuild them on open
KINDS = ("values", "cube", "referrals")
SOURCES = "sources.json"
CELLS = f"{ROLLUPS}/display/cells.parquet"  # the H3 cells of every commune (geo.cells), written with the geometry

RANKS_KEPT = 100  # the cube tells ranks 1..100 apart (the device cap's range, core.settings), later ones as 101
_KEYS = "commune_code, unassigned_reason, carrier, network_type, access_type"
# One row per measurement with what every rollup needs; the device's tests of one local day ranked by time (RULES §20).
_PREPARED = """
    SELECT commune_code, unassigned_reason, carrier, network_type, access_type,
           hour(measured_at)::TINYINT AS hour, isodow(measured_at)::TINYINT AS dow,
           download_mbps, upload_mbps, latency_ms, referral_code,
           CASE WHEN device_hash IS NOT NULL THEN hash(device_hash) END AS device,
           CASE WHEN device_hash IS NOT NULL THEN row_number() OVER (
               PARTITION BY device_hash, measured_at::DATE ORDER BY measured_at, measurement_id) END::INTEGER AS day_rank,
           CASE WHEN assigned_by = 'location' THEN nullif(h3_cell(lat, lon), 0) END AS cell
    FROM raw"""
# NULL (no device identifier: always counted) stays NULL; least() alone would make it the last rank.
_RANK = f"CASE WHEN day_rank IS NOT NULL THEN least(day_rank, {RANKS_KEPT + 1}) END::INTEGER AS day_rank"
_SQL = {
    "values": f"""SELECT {_KEYS}, hour, dow, download_mbps, upload_mbps, latency_ms, device, day_rank, cell
                  FROM src ORDER BY commune_code, carrier, network_type, access_type""",
    "cube": f"""SELECT {_KEYS}, {_RANK}, count(*) AS n,
                       count(download_mbps) AS dl_n, sum(download_mbps) AS dl_sum,
                       sum(download_mbps * download_mbps) AS dl_sq,
                       count(upload_mbps) AS ul_n, sum(upload_mbps) AS ul_sum,
                       count(latency_ms) AS lat_n, sum(latency_ms) AS lat_sum
                FROM src GROUP BY ALL ORDER BY commune_code, carrier, network_type, access_type""",
    "referrals": f"""SELECT commune_code, unassigned_reason, carrier, access_type, referral_code,
                           {_RANK}, count(*) AS n
                    FROM src GROUP BY ALL ORDER BY commune_code, carrier, referral_code""",
}


_NAMES = (*(f"{kind}.parquet" for kind in KINDS), SOURCES)  # what derive writes and removes; nothing else counts


def month_dir(root: Path, month: str) -> Path:
    return root / ROLLUPS / f"month={month}"


def target(month: str, name: str) -> str:
    """The store-relative path of one rollup file of a month."""
    return f"{ROLLUPS}/month={month}/{name}"


def month_targets(month: str) -> dict[str, str]:
    """Each rollup file of a month (KINDS and SOURCES) -> its store-relative path."""
    return {kind: target(month, f"{kind}.parquet") for kind in KINDS} | {SOURCES: target(month, SOURCES)}


def sources_of(files: dict[str, Path]) -> dict:
    """What a month's rollups are built from: the layout and each snapshot file's name (as stored), size and time of
    writing (a rename into place keeps it; a file rewritten by anything else changes it)."""
    stats = {name: path.stat() for name, path in files.items()}
    return {"layout": LAYOUT, "files": sorted([name, st.st_size, st.st_mtime_ns] for name, st in stats.items())}


def build_month(files: dict[str, Path], out: dict[str, Path]) -> None:
    """Write the rollups of one month (``out``: kind -> path, and SOURCES) from its snapshot ``files`` (the name each
    has in the store -> where to read it now: a file being committed is still in the staging folder)."""
    sources = sources_of(files)
    con = duckdb.connect()
    try:
        con.execute(f"SET TimeZone = '{TIMEZONE}'")
        con.execute("SET preserve_insertion_order = false")
        raw = con.read_parquet([str(p) for p in files.values()], union_by_name=True)
        missing = [c for c in ("device_hash", "assigned_by") if c not in raw.columns]  # files of earlier versions
        raw.project(", ".join(["*", *(f"NULL::VARCHAR AS {c}" for c in missing)])).create_view("raw")
        con.create_function("h3_cell", _h3_cells, ["DOUBLE", "DOUBLE"], "UBIGINT", type="arrow")
        con.execute(f"CREATE TEMP TABLE src AS {_PREPARED}")
        for kind in KINDS:
            path = str(out[kind]).replace("'", "''")
            con.execute(f"COPY ({_SQL[kind]}) TO '{path}' (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
    out[SOURCES].write_text(json.dumps(sources), encoding="utf-8")


def _h3_cells(lat: pa.Array, lon: pa.Array) -> pa.Array:
    """DuckDB calls this on chunks of rows: the H3 cell of each point (0 without one)."""
    return pa.array(cells_of(lat.to_numpy(zero_copy_only=False), lon.to_numpy(zero_copy_only=False)))


def recorded_sources(root: Path, month: str) -> dict | None:
    try:
        return json.loads((month_dir(root, month) / SOURCES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_current(root: Path, month: str, snapshot_files: list[Path]) -> bool:
    """Whether the month's rollups exist, are of this layout and were built from exactly these snapshot files."""
    folder = month_dir(root, month)
    if not all((folder / f"{kind}.parquet").exists() for kind in KINDS):
        return False
    try:
        return recorded_sources(root, month) == sources_of({p.name: p for p in snapshot_files})
    except FileNotFoundError:  # a snapshot file removed by a commit landing now: out of date
        return False


def rollup_months(root: Path) -> list[str]:
    """Months that have rollup files (possibly left from snapshots since deleted; an emptied folder is none)."""
    base = root / ROLLUPS
    if not base.is_dir():
        return []
    return sorted(
        d.name.removeprefix("month=")
        for d in base.iterdir()
        if d.is_dir() and d.name.startswith("month=") and any((d / Path(rel).name).exists() for rel in _NAMES)
    )


def files(root: Path, kind: str, months: Iterable[str]) -> list[str]:
    """The rollup files of one kind for the months that have them."""
    return [str(p) for m in months if (p := month_dir(root, m) / f"{kind}.parquet").exists()]


def stale_months(store: Store) -> list[str]:
    """Months whose rollups are missing, of an older layout, built from other snapshot files, or left over from
    snapshots since removed: what has to be derived again before figures are read."""
    stale = [m for m in store.months() if not is_current(store.root, m, store.snapshot_files([m]))]
    leftover = set(rollup_months(store.root)) - set(store.months())
    return sorted(set(stale) | leftover)
