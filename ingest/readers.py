"""Reading the files offices send (CSV, Excel and LibreOffice workbooks, Parquet) into string-valued tables.

Formats are recognised by content, not by name. The header row is found wherever it is: title rows, blank rows
and two-row headers with merged cells above the data are recognised and skipped (and said so, in ``notes``);
in a workbook every sheet whose header fits is read. A file that cannot be read as a whole is refused with one
reason naming the file, the line or column, and what to do; nothing is ever half-read silently (a CSV that mixes
two encodings, a header that names a column twice, a Parquet column of lists).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from core.errors import UserError
from core.files import check_input_file
from core.i18n import Msg, MsgList
from core.text import header_key, nfc

Progress = Callable[[float], None]
_SNIFF_BYTES = 1 << 16
_HEADER_SEARCH_ROWS = 30
_CHUNK = 4 << 20
# Valid UTF-8 for Vietnamese letters: Latin-1/Extended (C3-C6 xx), Latin Extended Additional (E1 BA/BB xx) and
# combining tone marks (CC 80-A3). Windows-1258 text practically never holds these byte pairs.
_UTF8_VIETNAMESE = re.compile(rb"[\xC3-\xC6][\x80-\xBF]|\xE1[\xBA\xBB][\x80-\xBF]|\xCC[\x80-\xA3]")
_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class HeaderSpec:
    """What a header row of one kind of file looks like: alias key -> field, and the fields it must have.

    ``required`` is a list of alternatives: each entry is satisfied by any one of its fields."""

    aliases: dict[str, str]
    required: tuple[tuple[str, ...], ...]

    def fields_of(self, names: list[str]) -> dict[str, str]:
        """Field -> column name for the names that an alias recognises (first one wins)."""
        found: dict[str, str] = {}
        for name in names:
            canon = self.aliases.get(header_key(name)) if name else None
            if canon and canon not in found:
                found[canon] = name
        return found

    def score(self, names: list[str]) -> int:
        return len(self.fields_of(names))

    def missing(self, names: list[str]) -> list[tuple[str, ...]]:
        found = self.fields_of(names)
        return [group for group in self.required if not any(f in found for f in group)]


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
    sheets: pd.Series | None = None  # the sheet of each row, for workbooks read from several sheets
    notes: list[Msg] = field(default_factory=list)  # what the reader skipped or chose, for the person loading


def read_raw(path: Path, spec: HeaderSpec, progress: Progress | None = None, limit: int | None = None) -> RawTable:
    """Read any supported input file; raise UserError with the reason when it cannot be read.

    ``limit`` reads only the first rows (a quick look before the whole file is read)."""
    path = check_input_file(Path(path))
    size = path.stat().st_size
    if size == 0:
        raise UserError("err_input_empty", file=str(path))
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if head.startswith(b"PAR1"):
        table = _read_parquet(path, spec, progress, limit)
    elif head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        table = _read_workbook(path, spec, progress, limit)
    else:
        suffix = path.suffix.lower()
        if suffix in (".parquet", ".xlsx", ".xlsm", ".xls", ".ods"):
            raise UserError("err_input_not_format", file=str(path), fmt=suffix[1:].upper())
        table = _read_csv(path, head, size, spec, progress, limit)
    if len(table.frame) == 0 and not table.malformed:
        raise UserError("err_input_no_rows", file=str(path))
    return table


# ---- headers ------------------------------------------------------------------------------------------


@dataclass
class _Header:
    row: int  # index (0-based) of the last header row among the rows searched
    names: list[str]
    rows_above: int  # title or blank rows skipped above the header (the header's own first row excluded)
    two_rows: bool


def _find_header(rows: list[list[str]], spec: HeaderSpec) -> _Header | None:
    """The row (or pair of rows, for a two-row header under merged cells) that names the most fields."""
    best: _Header | None = None
    best_score = 0
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        candidates = [(_clean_names(row), False)]
        if i > 0:
            candidates.append((_two_row_names(rows[i - 1], row), True))
        for names, two in candidates:
            score = spec.score(names)
            if score > best_score:
                best_score = score
                skipped = sum(1 for r in rows[: i - 1 if two else i] if any(str(v).strip() for v in r))
                best = _Header(row=i, names=names, rows_above=skipped, two_rows=two)
    return best


def _clean_names(row: list) -> list[str]:
    return [nfc(str(v)).strip() if v is not None else "" for v in row]


def _two_row_names(parent_row: list, child_row: list) -> list[str]:
    """Names of a header whose upper row groups the lower (merged cells: 'Tốc độ (Mbps)' over 'Tải xuống')."""
    parents = _clean_names(parent_row)
    children = _clean_names(child_row)
    width = max(len(parents), len(children))
    parents += [""] * (width - len(parents))
    children += [""] * (width - len(children))
    filled, last = [], ""
    for p in parents:  # a merged parent spreads to the empty cells on its right
        last = p or last
        filled.append(p or last)
    names = []
    for parent, child in zip(filled, children, strict=True):
        if not child:
            names.append(parent)
            continue
        unit = re.search(r"\((k?bps|mbps|ms)\)", parent, re.IGNORECASE)
        names.append(f"{child} ({unit.group(1)})" if unit and "(" not in child else child)
    return names


def _check_header(path: Path, names: list[str], spec: HeaderSpec, where: str = "") -> None:
    """Refuse a header that names a column twice, or several columns for one field."""
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if not name:
            continue
        key = nfc(name).strip().lower()
        if key in seen:
            raise UserError("err_input_duplicate_header", file=str(path), where=where, name=name, first=seen[key], second=i)
        seen[key] = i
    by_field: dict[str, list[str]] = {}
    for name in names:
        canon = spec.aliases.get(header_key(name)) if name else None
        if canon:
            by_field.setdefault(canon, []).append(name)
    for canon, columns in by_field.items():
        if len(columns) > 1:
            raise UserError(
                "err_input_same_field_twice", file=str(path), where=where, field=Msg(f"field_{canon}"), columns=", ".join(columns)
            )


def _unique(names: list[str]) -> list[str]:
    out, seen = [], set()
    for i, name in enumerate(names, start=1):
        name = name or f"cột {i}"
        while name in seen:
            name += "_"
        seen.add(name)
        out.append(name)
    return out


def _header_notes(header: _Header, sheet: str | None = None) -> list[Msg]:
    notes = []
    if header.rows_above:
        notes.append(Msg("note_title_rows", n=header.rows_above, sheet=f" ({sheet})" if sheet else ""))
    if header.two_rows:
        notes.append(Msg("note_two_row_header", sheet=f" ({sheet})" if sheet else ""))
    return notes


def _no_header(path: Path, rows: list[list], spec: HeaderSpec, where: str = "") -> UserError:
    shown = " | ".join(v for v in _clean_names(next((r for r in rows if any(str(x).strip() for x in r)), [])) if v)
    return UserError(
        "err_input_no_header",
        file=str(path),
        where=where,
        needed=MsgList([Msg(f"field_{g[0]}") for g in spec.required]),
        first=shown[:200] or "–",
    )


# ---- CSV ----------------------------------------------------------------------------------------------


def _detect_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258; a file mixing two is refused."""
    if head.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8"
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    elif b"\x00" in head:
        raise UserError("err_input_binary", file=str(path))
    else:
        encoding = "utf-8"
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, seen_utf8_at = 0, None
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            if seen_utf8_at is None:
                match = _UTF8_VIETNAMESE.search(chunk)
                if match:
                    seen_utf8_at = offset + match.start()
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                bad = offset + exc.start
                if seen_utf8_at is not None and seen_utf8_at < bad:
                    raise UserError(
                        "err_input_mixed_encoding", file=str(path), utf8_line=_line_of(path, seen_utf8_at), other_line=_line_of(path, bad)
                    ) from exc
                return _check_cp1258(path, bad)
            offset += len(chunk)
    return encoding


def _check_cp1258(path: Path, first_bad: int) -> str:
    """The file is not UTF-8: it must be Windows-1258 all through, without UTF-8 text further on."""
    offset = 0
    decoder = codecs.getincrementaldecoder("cp1258")()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            match = _UTF8_VIETNAMESE.search(chunk)
            if match:
                raise UserError(
                    "err_input_mixed_encoding",
                    file=str(path),
                    utf8_line=_line_of(path, offset + match.start()),
                    other_line=_line_of(path, first_bad),
                )
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                raise UserError("err_input_encoding", file=str(path), line=_line_of(path, offset + exc.start)) from exc
            offset += len(chunk)
    return "cp1258"


def _line_of(path: Path, offset: int) -> int:
    """The 1-based line holding byte ``offset``."""
    count, done = 1, 0
    with open(path, "rb") as fh:
        while done < offset:
            chunk = fh.read(min(_CHUNK, offset - done))
            if not chunk:
                break
            count += chunk.count(b"\n")
            done += len(chunk)
    return count


def _sniff(path: Path, head: bytes, encoding: str, spec: HeaderSpec) -> tuple[str, _Header]:
    """The delimiter and the header row that together name the most fields."""
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    lines = text.splitlines()[: _HEADER_SEARCH_ROWS + 1]
    if len(head) == _SNIFF_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut in the middle
    best: tuple[int, str, _Header] | None = None
    for delimiter in _DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        header = _find_header(rows, spec)
        if header is None:
            continue
        score = spec.score(header.names)
        if best is None or score > best[0]:
            best = (score, delimiter, header)
    if best is None or spec.missing(best[2].names) and best[0] < 2:
        rows = list(csv.reader(lines, delimiter=max(_DELIMITERS, key=lambda d: text.count(d))))
        raise _no_header(path, rows, spec)
    return best[1], best[2]


def _read_csv(path: Path, head: bytes, size: int, spec: HeaderSpec, progress: Progress | None, limit: int | None) -> RawTable:
    encoding = _detect_encoding(path, head)
    if encoding == "utf-16":
        return _read_utf16(path, spec, limit)
    delimiter, header = _sniff(path, head, encoding, spec)
    names = _unique(header.names)
    _check_header(path, header.names, spec)
    try:
        table = _read_csv_with(path, names, delimiter, encoding, header.row + 1, size, progress, limit)
    except pa.ArrowInvalid as exc:
        raise UserError("err_input_csv", file=str(path), detail=_first_line(exc)) from exc
    table.notes.extend(_header_notes(header))
    return table


def _read_csv_with(
    path: Path,
    header: list[str],
    delimiter: str,
    encoding: str,
    skip: int,
    size: int,
    progress: Progress | None,
    limit: int | None,
) -> RawTable:
    malformed: list[tuple[int, str, str]] = []

    # Single-threaded parsing is what makes pyarrow report the physical line of a malformed row.
    def on_invalid(row: pacsv.InvalidRow) -> str:
        reason = Msg("reason_row_fields", actual=row.actual_columns, expected=row.expected_columns)  # told later
        malformed.append((row.number or 0, row.text, reason))
        return "skip"

    with open(path, "rb") as raw:
        stream = _CountingReader(raw)
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=skip, encoding=encoding, block_size=4 << 20, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, invalid_row_handler=on_invalid, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        # Batch by batch, so that progress is reported from the caller's thread (pyarrow reads ahead in its own).
        batches, rows = [], 0
        for batch in reader:
            batches.append(batch)
            rows += batch.num_rows
            if progress:
                progress(min(stream.position / max(size, 1), 1.0))
            if limit is not None and rows >= limit:
                break
        table = pa.Table.from_batches(batches, schema=reader.schema)
    frame = table.to_pandas()
    if limit is not None:
        frame = frame.head(limit)
    if encoding == "cp1258":
        # Vietnamese Excel writes tone marks as combining characters in CP1258.
        for col in frame.columns:
            frame[col] = frame[col].map(nfc, na_action="ignore")
    # Physical line of each row: the first line after the header, then on, skipping malformed lines (whose
    # numbers pyarrow gives as physical lines of the file).
    lines = _line_numbers(skip + 1, len(frame), sorted(m[0] for m in malformed))
    blank = (frame.fillna("").astype(str).apply(lambda c: c.str.strip()) == "").all(axis=1).to_numpy()
    if blank.any():  # blank lines between rows: not data, not errors
        frame, lines = frame[~blank].reset_index(drop=True), lines[~blank].reset_index(drop=True)
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


def _read_utf16(path: Path, spec: HeaderSpec, limit: int | None) -> RawTable:
    """Excel's 'Unicode Text' export: UTF-16 with a BOM, tab-separated (small files; read in one go)."""
    try:
        text = path.read_text(encoding="utf-16")
    except UnicodeDecodeError as exc:
        raise UserError("err_input_encoding", file=str(path), line="?") from exc
    lines = text.splitlines()
    rows = list(csv.reader(lines[: _HEADER_SEARCH_ROWS + 1], delimiter="\t"))
    header = _find_header(rows, spec)
    if header is None:
        raise _no_header(path, rows, spec)
    _check_header(path, header.names, spec)
    data = list(csv.reader(lines[header.row + 1 :], delimiter="\t"))
    width = len(header.names)
    records, numbers = [], []
    for i, row in enumerate(data, start=header.row + 2):
        if not any(v.strip() for v in row):
            continue
        records.append((row + [""] * width)[:width])
        numbers.append(i)
        if limit is not None and len(records) >= limit:
            break
    frame = pd.DataFrame(records, columns=_unique(header.names), dtype=object)
    table = RawTable(frame=frame, lines=pd.Series(numbers, dtype="int64"), source=str(path), fmt="csv", encoding="utf-16", delimiter="\t")
    table.notes.extend(_header_notes(header))
    return table


def _line_numbers(first: int, n_rows: int, skipped: list[int]) -> pd.Series:
    lines = np.arange(first, first + n_rows + len(skipped), dtype="int64")
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


# ---- workbooks (xlsx, xlsm, xls, ods) --------------------------------------------------------------------


def _read_workbook(path: Path, spec: HeaderSpec, progress: Progress | None, limit: int | None) -> RawTable:
    """Every visible sheet whose header names the required fields, one after the other."""
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible") and "Work" in str(m.typ)]
    except Exception as exc:  # zip/XML/OLE errors: not a workbook, or a damaged one
        raise UserError("err_input_workbook", file=str(path), detail=_first_line(exc)) from exc
    parts, skipped, notes = [], [], []
    for index, name in enumerate(sheets):
        part = _read_sheet(workbook, name, path, spec, limit)
        if part is None:
            skipped.append(name)
        else:
            parts.append(part)
            notes.extend(part.notes)
        if progress:
            progress((index + 1) / max(len(sheets), 1))
        if limit is not None and sum(len(p.frame) for p in parts) >= limit:
            break
    workbook.close()
    if not parts:
        raise UserError("err_input_no_sheet", file=str(path), sheets=", ".join(sheets) or "–")
    if len(parts) > 1 or skipped:
        notes.append(Msg("note_sheets", used=", ".join(p.source for p in parts), skipped=", ".join(skipped) or "–"))
    frame = pd.concat([p.frame for p in parts], ignore_index=True, sort=False)
    lines = pd.concat([p.lines for p in parts], ignore_index=True)
    sheet_of = pd.Series(np.repeat([p.source for p in parts], [len(p.frame) for p in parts]), dtype=object)
    if limit is not None:
        frame, lines, sheet_of = frame.head(limit), lines.head(limit), sheet_of.head(limit)
    return RawTable(
        frame=frame.astype(object),
        lines=lines.astype("int64"),
        source=str(path),
        fmt="xlsx",
        sheets=sheet_of if len(parts) > 1 else None,
        notes=notes,
    )


def _read_sheet(workbook, name: str, path: Path, spec: HeaderSpec, limit: int | None) -> RawTable | None:
    sheet = workbook.get_sheet_by_name(name)
    start_row = (sheet.start or (0, 0))[0]
    rows = []
    for i, values in enumerate(sheet.iter_rows()):
        rows.append(list(values))
        if i >= _HEADER_SEARCH_ROWS:
            break
    _fill_merged(rows, sheet.merged_cell_ranges or [], start_row)
    header = _find_header(rows, spec)
    if header is None or spec.missing(header.names):
        return None
    _check_header(path, header.names, spec, where=f" ({name})")
    width = len(header.names)
    records, numbers = [], []
    for i, values in enumerate(sheet.iter_rows()):
        if i <= header.row:
            continue
        row = list(values[:width]) + [""] * (width - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        records.append([None if isinstance(v, str) and not v.strip() else v for v in row])
        numbers.append(start_row + i + 1)
        if limit is not None and len(records) >= limit:
            break
    frame = pd.DataFrame(records, columns=_unique(header.names), dtype=object)
    table = RawTable(frame=frame, lines=pd.Series(numbers, dtype="int64"), source=name, fmt="xlsx")
    table.notes.extend(_header_notes(header, name))
    return table


def _fill_merged(rows: list[list], ranges: list, start_row: int) -> None:
    """Give every cell of a merged range (within the rows read) the value of its top-left cell."""
    for (r0, c0), (r1, c1) in ranges:
        top = r0 - start_row
        if top < 0 or top >= len(rows):
            continue
        value = rows[top][c0] if c0 < len(rows[top]) else ""
        for r in range(top, min(r1 - start_row, len(rows) - 1) + 1):
            for c in range(c0, c1 + 1):
                if c < len(rows[r]) and (rows[r][c] is None or rows[r][c] == ""):
                    rows[r][c] = value


# ---- Parquet ----------------------------------------------------------------------------------------------


def _read_parquet(path: Path, spec: HeaderSpec, progress: Progress | None, limit: int | None) -> RawTable:
    try:
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
    except (pa.ArrowInvalid, OSError) as exc:
        raise UserError("err_input_parquet", file=str(path), detail=_first_line(exc)) from exc
    names = [f.name for f in schema]
    _check_header(path, names, spec)
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    wanted = spec.fields_of(names)
    bad = [name for name in nested if name in wanted.values()]
    if bad:
        raise UserError("err_input_nested", file=str(path), columns=", ".join(bad))
    columns = [n for n in names if n not in nested]
    try:
        parts, rows = [], 0
        for i in range(pf.num_row_groups):
            part = pf.read_row_group(i, columns=columns)
            parts.append(part)
            rows += part.num_rows
            if progress:
                progress((i + 1) / pf.num_row_groups)
            if limit is not None and rows >= limit:
                break
        table = pa.concat_tables(parts) if parts else schema.empty_table().select(columns)
        if limit is not None:
            table = table.slice(0, limit)
        frame = table.to_pandas(timestamp_as_object=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError, ValueError, OverflowError) as exc:
        raise UserError("err_input_parquet", file=str(path), detail=_first_line(exc)) from exc
    out = RawTable(frame=frame, lines=pd.Series(range(1, len(frame) + 1)), source=str(path), fmt="parquet")
    if nested:
        out.notes.append(Msg("note_nested_ignored", columns=", ".join(nested)))
    return out


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
