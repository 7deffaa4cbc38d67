"""Small builders for raw input files used across tests."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

HEADER = "measured_at,carrier,network_type,download_mbps,upload_mbps,latency_ms,lat,lon,referral_code"


def write_csv(path: Path, rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def row(
    time: str = "2024-10-15T10:00:00",
    carrier: str = "Viettel",
    network: str = "4G",
    dl: object = 50.0,
    ul: object = 20.0,
    latency: object = 30,
    lat: object = 21.05,
    lon: object = 105.05,
    ref: str = "",
) -> str:
    return f"{time},{carrier},{network},{dl},{ul},{latency},{lat},{lon},{ref}"


def stored(store) -> pd.DataFrame:
    """Every stored measurement, with its month partition."""
    files = store.snapshot_files()
    if not files:
        return pd.DataFrame()
    return pd.concat(
        [pd.read_parquet(f).assign(month=f.parent.name.removeprefix("month=")) for f in files], ignore_index=True
    )


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def encode_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 the way Vietnamese Excel does: base letters precomposed, tones combining."""
    import unicodedata

    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            tones = "".join(c for c in parts if c in _TONES)
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def make_report(store, fmt: str, out: Path, *extra: str, month: str | None = None) -> int:
    """`python -m analytics report` for the store's latest month (or month), as a script would call it."""
    from analytics.__main__ import main as cli

    month = month or store.months()[-1]
    return cli(["report", "--store", str(store.root), "--month", month, "--format", fmt, "--out", str(out), *extra])


CARRIER = "**Đậm** [x](http://evil.example) <b>tag</b> :red[đỏ] $x^2$"
COMMUNE = "<b>Xã</b> _Lạ_ http://evil.example"


def build_markup_store(folder: Path):
    """A tiny store whose commune 00001 and one carrier are named like Markdown and HTML."""
    from ingest.boundaries import import_boundaries
    from ingest.measurements import ingest_files
    from store.transaction import open_store
    from tests.conftest import centre, tiny_boundaries

    frame = tiny_boundaries()
    frame.loc[0, "commune_name"] = COMMUNE
    frame.to_file(folder / "b.gpkg", driver="GPKG")
    store = open_store(folder / "store", create=True)
    import_boundaries(store, folder / "b.gpkg")
    lat, lon = centre("00001")
    rows = []
    for i in range(40):
        day, hour = 1 + i % 28, 8 + i % 10
        rows.append(row(time=f"2024-10-{day:02d}T{hour:02d}:00:00", carrier="Viettel", dl=30 + i, lat=lat, lon=lon))
        rows.append(row(time=f"2024-10-{day:02d}T{hour:02d}:30:00", carrier=f'"{CARRIER}"', dl=50 + i, lat=lat, lon=lon))
    ingest_files(store, [write_csv(folder / "m.csv", rows)])
    return store


def report_pair(store, folder: Path, month: str, dtype: dict | None = None):
    """The commune report of ``month`` made by the command as CSV (read back) and as XLSX (opened)."""
    from openpyxl import load_workbook

    for fmt in ("csv", "xlsx"):
        assert make_report(store, fmt, folder / f"r.{fmt}", month=month) == 0
    return pd.read_csv(folder / "r.csv", dtype=dtype or {}), load_workbook(folder / "r.xlsx")


def sheet_frame(ws) -> pd.DataFrame:
    """A worksheet whose first row is its heading, as a frame."""
    rows = list(ws.values)
    return pd.DataFrame(rows[1:], columns=rows[0])
