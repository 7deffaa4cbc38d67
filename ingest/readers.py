"""Reading raw measurement files (CSV, XLSX, Parquet) into string-valued tables.

Formats are recognised by content, not by name, so a binary file renamed ``.csv`` or a
truncated Parquet file is refused with a one-line reason instead of being half-read.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from core.errors import UserError
from core.text import nfc

Progress = Callable[[float], None]
_SNIFF_BYTES = 1 << 16


@dataclass
class RawTable:
    """A raw input: its columns as read, the source line of each row, and rows it could not parse."""

    frame: pd.DataFrame
    lines: pd.Series
    source: str
    fmt: str
    encoding: str | None = None
    delimiter: str | None = None
    malformed: list[tuple[int, str, str]] = field(default_factory=list)  # (line, text, reason)


def read_raw(path: Path, progress: Progress | None = None) -> RawTable:
    """Read any supported input file; raise UserError with the reason when it cannot be read."""
    if not path.exists():
        raise UserError(f"{path}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise UserError(f"{path}: the file is empty")
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(b"PAR1"):
        table = _read_parquet(path, progress)
    elif head.startswith(b"PK\x03\x04"):
        table = _read_xlsx(path, progress)
    else:
        suffix = path.suffix.lower()
        if suffix in (".parquet", ".xlsx", ".xlsm"):
            raise UserError(f"{path}: not a valid {suffix[1:].upper()} file (its content does not start like one)")
        table = _read_csv(path, head, size, progress)
    if len(table.frame) == 0 and not table.malformed:
        raise UserError(f"{path}: the file has a header but no data rows")
    return table


def _read_parquet(path: Path, progress: Progress | None) -> RawTable:
    try:
        pf = pq.ParquetFile(path)
        parts = []
        for i in range(pf.num_row_groups):
            parts.append(pf.read_row_group(i))
            if progress:
                progress((i + 1) / pf.num_row_groups)
        table = pa.concat_tables(parts) if parts else pf.schema_arrow.empty_table()
    except (pa.ArrowInvalid, OSError) as exc:
        raise UserError(f"{path}: cannot read Parquet file, it is truncated or corrupt ({_first_line(exc)})") from exc
    frame = table.to_pandas()
    return RawTable(frame=frame, lines=pd.Series(range(1, len(frame) + 1)), source=str(path), fmt="parquet")


def _read_xlsx(path: Path, progress: Progress | None) -> RawTable:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip and XML errors: the file is not a workbook
        raise UserError(f"{path}: not a readable XLSX workbook ({_first_line(exc)})") from exc
    ws = wb.worksheets[0]
    total = max(ws.max_row or 1, 1)
    header: list[str] | None = None
    rows, lines = [], []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        if header is None:
            header = [nfc(str(v)).strip() if v is not None else f"column_{i + 1}" for i, v in enumerate(values)]
            continue
        rows.append(list(values[: len(header)]) + [None] * (len(header) - len(values)))
        lines.append(number)
        if progress and number % 20_000 == 0:
            progress(min(number / total, 1.0))
    wb.close()
    if header is None:
        raise UserError(f"{path}: the first sheet is empty")
    frame = pd.DataFrame(rows, columns=_unique(header), dtype=object)
    return RawTable(frame=frame, lines=pd.Series(lines, dtype="int64"), source=str(path), fmt="xlsx")


def _detect_encoding(path: Path, head: bytes) -> str:
    if b"\x00" in head:
        raise UserError(f"{path}: not a text CSV file (it contains binary data)")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not a text CSV file (neither UTF-8 nor Windows-1258)") from exc
    return "cp1258"


def _sniff_header(path: Path, head: bytes, encoding: str) -> tuple[list[str], str]:
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not first:
        raise UserError(f"{path}: the file is empty")
    delimiter = max([",", ";", "\t"], key=first.count)
    if first.count(delimiter) == 0:
        raise UserError(f"{path}: cannot find columns in the first line (expected ',' or ';' between headers)")
    header = next(csv.reader([first], delimiter=delimiter))
    return _unique([nfc(h).strip() for h in header]), delimiter


def _read_csv(path: Path, head: bytes, size: int, progress: Progress | None) -> RawTable:
    encoding = _detect_encoding(path, head)
    header, delimiter = _sniff_header(path, head, encoding)
    try:
        return _read_csv_with(path, header, delimiter, encoding, size, progress)
    except pa.ArrowInvalid as exc:
        if encoding == "utf-8" and "UTF8" in str(exc).upper():
            # The first 64 KB were UTF-8 but later bytes are not: a Windows-1258 export.
            return _read_csv_with(path, header, delimiter, "cp1258", size, progress)
        raise UserError(f"{path}: cannot parse CSV ({_first_line(exc)})") from exc


def _read_csv_with(
    path: Path, header: list[str], delimiter: str, encoding: str, size: int, progress: Progress | None
) -> RawTable:
    malformed: list[tuple[int, str, str]] = []

    # Single-threaded parsing is what makes pyarrow report the physical line of a malformed row.
    def on_invalid(row: pacsv.InvalidRow) -> str:
        reason = f"row has {row.actual_columns} fields, the header has {row.expected_columns}"
        malformed.append((row.number or 0, row.text, reason))
        return "skip"

    with open(path, "rb") as raw:
        stream = _CountingReader(raw)
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=1, encoding=encoding, block_size=4 << 20, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        # Batch by batch, so that progress is reported from the caller's thread (pyarrow reads ahead in its own).
        batches = []
        for batch in reader:
            batches.append(batch)
            if progress:
                progress(min(stream.position / max(size, 1), 1.0))
        table = pa.Table.from_batches(batches, schema=reader.schema)
    frame = table.to_pandas()
    if encoding == "cp1258":
        # Vietnamese Excel writes tone marks as combining characters in CP1258.
        for col in frame.columns:
            frame[col] = frame[col].map(nfc, na_action="ignore")
    # Physical line of each row: rows are numbered from line 2, skipping the malformed lines.
    lines = _line_numbers(len(frame), sorted(m[0] for m in malformed))
    if progress:
        progress(1.0)
    return RawTable(
        frame=frame,
        lines=lines,
        source=str(path),
        fmt="csv",
        encoding=encoding,
        delimiter=delimiter,
        malformed=malformed,
    )


def _line_numbers(n_rows: int, skipped: list[int]) -> pd.Series:
    import numpy as np

    lines = np.arange(2, n_rows + 2 + len(skipped), dtype="int64")
    if skipped:
        lines = lines[~np.isin(lines, skipped)]
    return pd.Series(lines[:n_rows])


class _CountingReader(io.RawIOBase):
    """A file wrapper that knows how many bytes the CSV reader has consumed."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self._raw = raw
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        n = self._raw.readinto(buffer)
        self.position += n or 0
        return n


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        name = name or "column"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
