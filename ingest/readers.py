"""Reading the files offices send (CSV, Excel and LibreOffice workbooks, Parquet) into string-valued tables.

Formats are recognised by content, not by name. The header row is found wherever it is: title rows, blank rows
and two-row headers with merged cells above the data are recognised and skipped (and said so, in ``notes``);
in a workbook every sheet whose header fits is read. A file that cannot be read as a whole is refused with one
reason naming the file, the line or column, and what to do; nothing is ever half-read or mis-read silently (a CSV
that mixes two encodings, even where the Windows-1258 part happens to be valid UTF-8; a file cut in the middle of a
character; a line that never ends; a quote that is never closed; a header that names a column twice; a Parquet
column of lists; a workbook with a password). A CSV that cannot be Windows-1258 (a tone mark after a consonant, a
byte it does not define) is read as Windows-1252, and said so in ``notes``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from core.errors import UserError
from core.files import check_input_file
from core.i18n import Msg, MsgList, t
from core.text import header_key, nfc

Progress = Callable[[float], None]
_SNIFF_BYTES = 1 << 16
_HEADER_SEARCH_ROWS = 30
_CHUNK = 4 << 20
_PROBE_BLOCK = 1 << 20  # bytes parsed at a time when only the first rows are wanted
_PROBE_BYTES = 2 << 20  # and at most this much of the file given to the parser (it reads its input ahead, whole)
MAX_COLUMNS = 1_000  # an i-Speed export has a few dozen; thousands means a wrong file or a wrong delimiter
_MAX_RAW_TEXT = 2_000  # characters of a malformed line kept in the rejects file

# Vietnamese letters outside ASCII, precomposed, and the five combining tone marks (Windows-1258 writes tones so).
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
_VIETNAMESE_LETTERS = frozenset(
    "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợ"
    "ỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ" + _TONE_MARKS
)


def _utf8_pattern(chars: Iterable[str]) -> re.Pattern:
    """A bytes pattern matching exactly the UTF-8 encodings of ``chars`` (grouped by lead bytes: fast)."""
    by_lead: dict[bytes, set[int]] = {}
    for char in chars:
        data = char.encode("utf-8")
        by_lead.setdefault(data[:-1], set()).add(data[-1])
    alternatives = (
        re.escape(lead) + b"[" + b"".join(b"\\x%02x" % b for b in sorted(last)) + b"]"
        for lead, last in sorted(by_lead.items())
    )
    return re.compile(b"|".join(alternatives))


# UTF-8 for a Vietnamese letter. Windows-1258 text practically never holds these byte pairs: its letters are
# followed by ASCII, not by bytes 80-BF.
_UTF8_VIETNAMESE = _utf8_pattern(_VIETNAMESE_LETTERS)


def _cp1258_by_chance() -> list[str]:
    """Two-byte UTF-8 characters that Windows-1258 text forms by chance: a byte that is a Vietnamese letter or tone
    mark there ('Ô' D4, 'Đ' D0, a combining grave CC) followed by a symbol byte (80-BF: '”', '…', '°'). A Vietnamese
    UTF-8 file never holds them: Cyrillic, Armenian, Arabic letters, C1 controls, combining marks other than the five
    tones. 'Ă' (C3) is left out: followed by a symbol it makes Latin-1 letters, Vietnamese ones among them."""
    chars = []
    for code in range(0x80, 0x800):
        char = chr(code)
        lead = char.encode("utf-8")[0]
        if char in _VIETNAMESE_LETTERS or lead == 0xC3 or (lead == 0xC2 and code >= 0xA0):
            continue
        if bytes([lead]).decode("cp1258", errors="ignore") in _VIETNAMESE_LETTERS:
            chars.append(char)
    return chars


_UTF8_UNLIKELY = _utf8_pattern(_cp1258_by_chance())
# Before the pattern, cheap checks: lead bytes every one of whose characters is unlikely, and the leads C2 and CC
# with the second bytes that are fine after them (symbols after C2; the five tone marks after CC).
_UNLIKELY_LEADS = {c.encode("utf-8")[0] for c in _cp1258_by_chance()}
_PARTLY_UNLIKELY = {0xC2: range(0xA0, 0xC0), 0xCC: [m.encode("utf-8")[1] for m in _TONE_MARKS]}
_NOT_ALWAYS_UNLIKELY = bytes(b for b in range(256) if b not in _UNLIKELY_LEADS - set(_PARTLY_UNLIKELY))
_FINE_AFTER = {lead: np.isin(np.arange(256), list(fine)) for lead, fine in _PARTLY_UNLIKELY.items()}
_VOWELS = frozenset("aăâeêioôơuưyAĂÂEÊIOÔƠUƯY")
# Bytes that text does not hold (NUL and the C0 controls but tab, line breaks, form feed and DOS's end-of-file mark):
# more than 1% of them in the first 64 KB means a binary file (a stray one in a cell does not).
_CONTROL_BYTES = bytes(range(0, 9)) + bytes(range(14, 26)) + bytes(range(27, 32))
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
    partial: bool = False  # only the first rows were read (``limit``), and the file holds more


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
            raise UserError(
                "err_input_duplicate_header", file=str(path), where=where, name=name, first=seen[key], second=i
            )
        seen[key] = i
    by_field: dict[str, list[str]] = {}
    for name in names:
        canon = spec.aliases.get(header_key(name)) if name else None
        if canon:
            by_field.setdefault(canon, []).append(name)
    for canon, columns in by_field.items():
        if len(columns) > 1:
            raise UserError(
                "err_input_same_field_twice",
                file=str(path),
                where=where,
                field=Msg(f"field_{canon}"),
                columns=", ".join(columns),
            )


def _unique(names: list[str]) -> list[str]:
    out, seen = [], set()
    for i, name in enumerate(names, start=1):
        name = name or t("unnamed_column", "vi", n=i)
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
    """UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1258, or Windows-1252 where Windows-1258 cannot be
    meant; a file mixing two encodings, cut in the middle of a character, or binary is refused."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    if sum(head.count(b) for b in _CONTROL_BYTES) * 100 > len(head):
        raise UserError("err_input_binary", file=str(path))
    scan = _scan_utf8(path)
    if scan.invalid is None and scan.cut is None:
        if scan.unlikely is None:
            return "utf-8"
        if scan.vietnamese is not None:  # UTF-8 letters, and elsewhere Windows-1258 that happens to be valid UTF-8
            raise _mixed(path, scan.vietnamese, scan.unlikely)
        # No UTF-8 letter anywhere: Windows-1258 whose bytes are valid UTF-8 by chance, if it reads as Vietnamese.
        return "cp1258" if _not_cp1258(path) is None else "utf-8"
    if scan.invalid is None and scan.vietnamese is not None:  # UTF-8 all through, but the last character is cut
        raise UserError("err_input_cut_off", file=str(path), line=_line_of(path, scan.cut))
    bad = scan.invalid if scan.invalid is not None else scan.cut
    if scan.vietnamese is not None:
        raise _mixed(path, scan.vietnamese, bad)
    return _single_byte(path)


@dataclass
class _Utf8Scan:
    invalid: int | None = None  # offset of the first byte that is not UTF-8
    cut: int | None = None  # offset of an incomplete character at the very end of the file
    vietnamese: int | None = None  # offset of the first Vietnamese letter written in UTF-8
    unlikely: int | None = None  # offset of the first valid UTF-8 that a Vietnamese file does not hold


def _scan_utf8(path: Path) -> _Utf8Scan:
    """One pass over the file (in chunks, never all of it in memory)."""
    scan = _Utf8Scan()
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, carry = 0, b""  # carry: the last bytes of the previous chunk, so a letter split between chunks is seen
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            window, base = carry + chunk, offset - len(carry)
            ascii_only = window.isascii()
            if scan.vietnamese is None and not ascii_only:
                scan.vietnamese = _first_match(_UTF8_VIETNAMESE, window, base)
            if scan.invalid is None:
                if scan.unlikely is None and not ascii_only and _may_hold_unlikely(window):
                    scan.unlikely = _first_match(_UTF8_UNLIKELY, window, base)
                try:
                    decoder.decode(chunk, final=False)
                except UnicodeDecodeError as exc:
                    scan.invalid = offset + exc.start
            if scan.vietnamese is not None and scan.invalid is not None:
                break
            carry = chunk[-2:]
            offset += len(chunk)
        else:
            if scan.invalid is None:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError as exc:
                    scan.cut = offset - len(exc.object) + exc.start
    if scan.unlikely is not None and scan.invalid is not None and scan.unlikely > scan.invalid:
        scan.unlikely = None
    return scan


def _may_hold_unlikely(data: bytes) -> bool:
    """False when ``data`` surely holds no _UTF8_UNLIKELY sequence (fast: no pattern over the whole chunk)."""
    if data.translate(None, _NOT_ALWAYS_UNLIKELY):  # what is left are leads of unlikely characters only
        return True
    codes = None
    for lead, fine in _FINE_AFTER.items():
        if bytes([lead]) in data:
            codes = np.frombuffer(data, np.uint8) if codes is None else codes
            if not fine[codes[1:][codes[:-1] == lead]].all():
                return True
    return False


def _first_match(pattern: re.Pattern, data: bytes, base: int) -> int | None:
    match = pattern.search(data)
    return None if match is None else base + match.start()


def _mixed(path: Path, utf8_at: int, other_at: int) -> UserError:
    return UserError(
        "err_input_mixed_encoding",
        file=str(path),
        utf8_line=_line_of(path, utf8_at),
        other_line=_line_of(path, other_at),
    )


def _single_byte(path: Path) -> str:
    """The file is not UTF-8. Windows-1258 (Vietnamese Excel) unless its bytes cannot be Vietnamese: a byte that
    Windows-1258 leaves undefined, or a tone mark after a consonant ('Hòa' saved as Windows-1252 reads 'Ḥa' in
    Windows-1258). Then Windows-1252 (Western European), the other encoding Excel writes here."""
    if _not_cp1258(path) is None:
        return "cp1258"
    decoder = codecs.getincrementaldecoder("cp1252")()
    offset = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            try:
                decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                raise UserError("err_input_encoding", file=str(path), line=_line_of(path, offset + exc.start)) from exc
            offset += len(chunk)
    return "cp1252"


def _not_cp1258(path: Path) -> int | None:
    """Offset of the first sign that the file is not Windows-1258 text, or None."""
    decoder = codecs.getincrementaldecoder("cp1258")()
    tone_after_consonant = re.compile(f"[{_TONE_MARKS}]")
    offset, previous = 0, "a"
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            try:
                text = decoder.decode(chunk, final=False)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            for match in tone_after_consonant.finditer(text):
                before = text[match.start() - 1] if match.start() else previous
                if before not in _VOWELS:
                    return offset  # a chunk's start is precise enough: only whether matters
            previous = text[-1:] or previous
            offset += len(chunk)
    return None


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
    lines = _LINE_END.split(text)  # line ends as the CSV reader counts them (not str.splitlines's)
    cut = len(head) == _SNIFF_BYTES and not text.endswith(("\n", "\r"))
    if cut:
        lines = lines[:-1]  # the last line may be cut in the middle
    if not lines:  # not one line break in the first 64 KB
        raise UserError("err_input_line_too_long", file=str(path), line=1, size="64 KB")
    lines = lines[: _HEADER_SEARCH_ROWS + 1]
    best: tuple[int, str, _Header] | None = None
    wide: tuple[int, int] | None = None  # (line, fields) of a row too wide to be a measurement file's
    for delimiter in _DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        too_wide = next(((i + 1, len(r)) for i, r in enumerate(rows) if len(r) > MAX_COLUMNS), None)
        if too_wide:
            wide = wide or too_wide
            continue
        header = _find_header(rows, spec)
        if header is None:
            continue
        score = spec.score(header.names)
        if best is None or score > best[0]:
            best = (score, delimiter, header)
    if best is None or spec.missing(best[2].names) and best[0] < 2:
        if wide:
            raise UserError("err_input_too_many_columns", file=str(path), line=wide[0], n=wide[1], max=MAX_COLUMNS)
        if cut and len(lines) < _HEADER_SEARCH_ROWS:  # the header may be the line that does not end
            raise UserError("err_input_line_too_long", file=str(path), line=len(lines) + 1, size="64 KB")
        rows = list(csv.reader(lines, delimiter=max(_DELIMITERS, key=lambda d: text.count(d))))
        first = " | ".join(v for v in _clean_names(next((r for r in rows if any(x.strip() for x in r)), [])) if v)
        if _LOST_LETTER.search(first):
            raise UserError("err_input_lost_letters", file=str(path), first=first[:200])
        raise _no_header(path, rows, spec)
    return best[1], best[2]


_LINE_END = re.compile(r"\r\n|\r|\n")
# '?' inside a word: a letter that the encoding the file was saved in did not have ('Th?i gian ?o').
_LOST_LETTER = re.compile(r"\w\?|\?\w")
_BLANK_BYTES = b" \t\r\n\x0b\x0c,;|"


def _is_blank(path: Path, head: bytes, size: int) -> bool:
    """Nothing but spaces, line breaks and delimiters (and a byte-order mark)."""
    if head.removeprefix(b"\xef\xbb\xbf").strip(_BLANK_BYTES):
        return False
    if size <= len(head):
        return True
    with open(path, "rb") as fh:
        fh.seek(len(head))
        return not any(chunk.strip(_BLANK_BYTES) for chunk in iter(lambda: fh.read(_CHUNK), b""))


def _read_csv(
    path: Path, head: bytes, size: int, spec: HeaderSpec, progress: Progress | None, limit: int | None
) -> RawTable:
    encoding = _detect_encoding(path, head)
    if encoding == "utf-16":
        return _read_utf16(path, spec, limit)
    if _is_blank(path, head, size):
        raise UserError("err_input_empty", file=str(path))
    delimiter, header = _sniff(path, head, encoding, spec)
    if len(header.names) > MAX_COLUMNS:
        raise UserError(
            "err_input_too_many_columns", file=str(path), line=header.row + 1, n=len(header.names), max=MAX_COLUMNS
        )
    names = _unique(header.names)
    _check_header(path, header.names, spec)
    block = _PROBE_BLOCK if limit is not None else 4 << 20
    try:
        table = _read_csv_with(path, names, delimiter, encoding, header.row + 1, size, progress, limit, block)
    except pa.ArrowInvalid as exc:
        long_line = _long_line(path, block) if "straddl" in str(exc) else None
        if long_line is not None:
            size_text = f"{block >> 20} MB"
            raise UserError("err_input_line_too_long", file=str(path), line=long_line, size=size_text) from exc
        raise UserError("err_input_csv", file=str(path), detail=_first_line(exc)) from exc
    table.notes.extend(_header_notes(header))
    if encoding == "cp1252":
        table.notes.append(Msg("note_encoding_western"))
    return table


def _long_line(path: Path, limit: int) -> int | None:
    """The first line longer than ``limit`` bytes (1-based), or None."""
    line, length = 1, 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            parts = chunk.split(b"\n")
            for i, part in enumerate(parts):
                length += len(part)
                if length > limit:
                    return line
                if i < len(parts) - 1:
                    line, length = line + 1, 0
    return None


def _read_csv_with(
    path: Path,
    header: list[str],
    delimiter: str,
    encoding: str,
    skip: int,
    size: int,
    progress: Progress | None,
    limit: int | None,
    block: int = 4 << 20,
) -> RawTable:
    malformed: list[tuple[int, str, str]] = []
    open_quote: list[int] = []
    long_line: list[int] = []
    window: int | None = None
    window_lines = [0]  # lines in the window, when only the first rows are read

    # Single-threaded parsing is what makes pyarrow report the physical line of a malformed row.
    def on_invalid(row: pacsv.InvalidRow) -> str:
        text = row.text or ""
        if window is not None and window_lines[0] and (row.number or 0) + text.count("\n") >= window_lines[0]:
            return "skip"  # the row runs to the end of the window: cut by the look, not by the file
        if "\n" in text.rstrip("\r\n") or "\r" in text.rstrip("\r\n"):
            open_quote.append(row.number or 0)  # a quoted cell ran over the following lines
        elif len(text) > _PROBE_BLOCK:
            long_line.append(row.number or 0)  # megabytes without a line break: not a row of measurements
        if len(text) > _MAX_RAW_TEXT:
            text = text[:_MAX_RAW_TEXT] + "…"
        reason = Msg("reason_row_fields", actual=row.actual_columns, expected=row.expected_columns)  # told later
        malformed.append((row.number or 0, text, reason))
        return "skip"

    with open(path, "rb") as raw:
        # pyarrow reads its whole input ahead: for a look at the first rows, give it the first lines only.
        if limit is not None and size > _PROBE_BYTES:
            window, window_lines[0] = _window_end(raw, _PROBE_BYTES)
        stream = _CountingReader(raw, window)
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=skip, encoding=encoding, block_size=block, use_threads=False
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
            if open_quote or long_line:
                break
            if progress:
                progress(min(stream.position / max(size, 1), 1.0))
            if limit is not None and rows >= limit:
                break
        table = pa.Table.from_batches(batches, schema=reader.schema)
    if open_quote:
        raise UserError("err_input_open_quote", file=str(path), line=open_quote[0])
    if long_line:
        raise UserError("err_input_line_too_long", file=str(path), line=long_line[0], size=f"{_PROBE_BLOCK >> 20} MB")
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
        partial=limit is not None and (window is not None or len(frame) + len(malformed) >= limit),
    )


def _read_utf16(path: Path, spec: HeaderSpec, limit: int | None) -> RawTable:
    """Excel's 'Unicode Text' export: UTF-16 with a BOM, tab-separated (or another delimiter); small files, read
    in one go."""
    try:
        text = path.read_text(encoding="utf-16")
    except UnicodeDecodeError as exc:
        raise UserError("err_input_encoding", file=str(path), line="?") from exc
    lines = _LINE_END.split(text.lstrip("\ufeff"))
    if not text.strip(" \t\r\n,;|\ufeff"):
        raise UserError("err_input_empty", file=str(path))
    best: tuple[int, str, _Header] | None = None
    for delimiter in ("\t", *(d for d in _DELIMITERS if d != "\t")):  # Excel's 'Unicode Text' is tab-separated
        header = _find_header(list(csv.reader(lines[: _HEADER_SEARCH_ROWS + 1], delimiter=delimiter)), spec)
        if header is not None and (best is None or spec.score(header.names) > best[0]):
            best = (spec.score(header.names), delimiter, header)
    if best is None:
        raise _no_header(path, list(csv.reader(lines[: _HEADER_SEARCH_ROWS + 1], delimiter="\t")), spec)
    _, delimiter, header = best
    if len(header.names) > MAX_COLUMNS:
        raise UserError(
            "err_input_too_many_columns", file=str(path), line=header.row + 1, n=len(header.names), max=MAX_COLUMNS
        )
    _check_header(path, header.names, spec)
    data = list(csv.reader(lines[header.row + 1 :], delimiter=delimiter))
    width = len(header.names)
    records, numbers, malformed = [], [], []
    for i, row in enumerate(data, start=header.row + 2):
        if not any(v.strip() for v in row):
            continue
        if len(row) != width:  # as in any CSV: a row with more or fewer cells than the header is rejected
            text = delimiter.join(row)
            reason = Msg("reason_row_fields", actual=len(row), expected=width)
            malformed.append((i, text[:_MAX_RAW_TEXT] + ("…" if len(text) > _MAX_RAW_TEXT else ""), reason))
        else:
            records.append(row)
            numbers.append(i)
        if limit is not None and len(records) + len(malformed) >= limit:
            break
    frame = pd.DataFrame(records, columns=_unique(header.names), dtype=object)
    table = RawTable(
        frame=frame,
        lines=pd.Series(numbers, dtype="int64"),
        source=str(path),
        fmt="csv",
        encoding="utf-16",
        delimiter=delimiter,
        malformed=malformed,
    )
    table.notes.extend(_header_notes(header))
    return table


def _line_numbers(first: int, n_rows: int, skipped: list[int]) -> pd.Series:
    lines = np.arange(first, first + n_rows + len(skipped), dtype="int64")
    if skipped:
        lines = lines[~np.isin(lines, skipped)]
    return pd.Series(lines[:n_rows])


class _CountingReader(io.RawIOBase):
    """A file wrapper that knows how many bytes the CSV reader has consumed, and ends at ``end`` if given."""

    def __init__(self, raw: io.BufferedReader, end: int | None = None) -> None:
        self._raw = raw
        self._end = end
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._end is not None:
            left = self._end - self.position
            if left <= 0:
                return 0
            if len(buffer) > left:
                buffer = memoryview(buffer)[:left]
        n = self._raw.readinto(buffer)
        self.position += n or 0
        return n


def _window_end(raw: io.BufferedReader, size: int) -> tuple[int, int]:
    """The end of the last whole line within the first ``size`` bytes, and the number of lines up to it."""
    head = raw.read(size)
    raw.seek(0)
    cut = head.rfind(b"\n") + 1
    end = cut or len(head)
    return end, head.count(b"\n", 0, end)


# ---- workbooks (xlsx, xlsm, xls, ods) --------------------------------------------------------------------


def _read_workbook(path: Path, spec: HeaderSpec, progress: Progress | None, limit: int | None) -> RawTable:
    """Every visible sheet whose header names the required fields, one after the other."""
    from python_calamine import CalamineWorkbook

    try:
        with open(path, "rb") as fh:  # by content, not by name: an .xls saved as .xlsx, an .ods as .xls
            workbook = CalamineWorkbook.from_filelike(fh)
        sheets = [
            m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible") and "Work" in str(m.typ)
        ]
    except Exception as exc:  # zip/XML/OLE errors: not a workbook, or a damaged one
        exc = _named_format_error(path) or exc  # the reader its name asks for says why ('Cannot detect' does not)
        if _encrypted(path, exc):
            raise UserError("err_input_password", file=str(path)) from exc
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


def _named_format_error(path: Path) -> Exception | None:
    from python_calamine import CalamineWorkbook

    try:
        CalamineWorkbook.from_path(str(path)).close()
    except Exception as exc:  # the reason, e.g. a password or a damaged zip
        return exc
    return None


def _encrypted(path: Path, exc: Exception) -> bool:
    """A workbook with an opening password: an .xls with a FilePass record, or an .xlsx that Excel encrypted
    (an OLE container holding an 'EncryptedPackage' stream instead of a zip)."""
    if "password" in str(exc).lower():
        return True
    marker = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as fh:
        return fh.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" and any(
            marker in chunk for chunk in iter(lambda: fh.read(_CHUNK), b"")
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
