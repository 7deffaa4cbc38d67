"""Hostile files (issue #7): every file the command line is given is loaded correctly or refused with one line.

A refusal is exit status 2 and exactly one line on stderr, "lỗi: ..." (Vietnamese, the default) or "error: ..."
(--lang en), naming the file and saying what to do, in the words of one message key of core.i18n (never the
"unexpected error" line, never a traceback); the store's files are byte-identical afterwards. A file that should
load, loads with the right counts. Every fixture is generated here (no binary file is committed); the big ones once
per session.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from shapely.geometry import box

from analytics.__main__ import main as cli
from core.i18n import TEXT
from ingest.boundaries import import_boundaries
from ingest.readers import read_raw
from ingest.vocab import MEASUREMENT_HEADER
from store.transaction import Store, open_store
from tests.conftest import tiny_boundaries, tree_digest
from tests.helpers import HEADER, encode_cp1258, row, stored

VI_HEADER = "Thời gian đo,Nhà mạng,Loại mạng,Tốc độ tải xuống (Mbps),Tốc độ tải lên (Mbps),Vĩ độ,Kinh độ,Ghi chú"
NOTE_HEADER = "measured_at,carrier,network_type,download_mbps,upload_mbps,lat,lon,note"
MB = 1 << 20


# ---- running the command line --------------------------------------------------------------------


def run(argv: list[str], capfd, lang: str | None = None) -> tuple[int, str, str]:
    """The command line in this process, as a person would call it; its exit status, stdout and stderr."""
    code = cli([*argv, *(["--lang", lang] if lang else [])])
    out, err = capfd.readouterr()
    return code, out, err


def fits(key: str, lang: str, message: str) -> bool:
    """Whether ``message`` is the text of message key ``key`` in ``lang`` (placeholders match anything)."""
    template = TEXT[key][1 if lang == "en" else 0]
    pattern = "".join(
        ".*?" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[a-z_0-9]+\})", template)
    )
    return re.fullmatch(pattern, message, re.DOTALL) is not None


def refused(root: Path, argv: list[str], capfd, name: str, key: str, *, also: str = "") -> str:
    """Run ``argv`` in Vietnamese and in English: refused with ``key``, one line naming ``name``, nothing changed.

    Returns the English line."""
    before = tree_digest(root)
    english = ""
    for lang, prefix in ((None, "lỗi: "), ("en", "error: ")):
        code, out, err = run(argv, capfd, lang)
        assert "Traceback" not in out + err, err
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        line = lines[0]
        assert line.startswith(prefix), line
        assert code == 2, line
        assert name in line, line
        assert fits(key, lang or "vi", line.removeprefix(prefix)), f"expected {key}, got: {line}"
        if lang == "en":
            english = line
    assert tree_digest(root) == before
    if also:
        assert also in english, english
    return english


def ingested(store: Store, path: Path, capfd, lang: str | None = "en") -> tuple[dict, str]:
    """Ingest through the command line; it must succeed. The batch summary and stdout."""
    code, out, err = run(["ingest", str(path), "--store", str(store.root)], capfd, lang)
    assert "Traceback" not in out + err
    assert code == 0, err
    batches = sorted(store.batches_dir.glob("*.json"))
    assert batches, out
    return json.loads(batches[-1].read_text(encoding="utf-8")), out


def rejects_of(store: Store, summary: dict) -> pd.DataFrame:
    return pd.read_csv(store.root / summary["rejects_file"], dtype=str, keep_default_na=False)


# ---- stores --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def template_store(tmp_path_factory) -> Path:
    """The tiny province's store, built once; each test gets its own copy."""
    base = tmp_path_factory.mktemp("template")
    tiny_boundaries().to_file(base / "tiny.gpkg", driver="GPKG")
    store = open_store(base / "store", create=True)
    import_boundaries(store, base / "tiny.gpkg")
    return store.root


@pytest.fixture
def store(template_store, tmp_path) -> Store:
    shutil.copytree(template_store, tmp_path / "store")
    return open_store(tmp_path / "store")


@pytest.fixture
def loaded_store(store, tmp_path) -> Store:
    """A store with a few measurements in October 2024 (for reports)."""
    from ingest.measurements import ingest_files

    ingest_files(store, [_good_csv(tmp_path / "good.csv", 40)])
    return store


def _good_rows(n: int, day: int = 1) -> list[str]:
    return [
        row(time=f"2024-10-{day + i // 600 % 27:02d}T{8 + i // 60 % 10:02d}:{i % 60:02d}:00", dl=10 + i % 50)
        for i in range(n)
    ]


def _good_csv(path: Path, n: int) -> Path:
    path.write_text("\n".join([HEADER, *_good_rows(n)]) + "\n", encoding="utf-8")
    return path


def _note_row(i: int, note: str = "ok") -> str:
    return f"2024-10-{1 + i % 28:02d}T{8 + i // 60 % 10:02d}:{i % 60:02d}:00,Viettel,4G,{10 + i % 50},5,21.05,105.05,{note}"


def _note_lines(start: int, n: int) -> str:
    return "".join(_note_row(i) + "\n" for i in range(start, start + n))


# ---- generated office files ----------------------------------------------------------------------


def cfb(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (the container of .xls and of password-protected Office files): version 3,
    512-byte sectors, each stream padded to 4096 bytes so that no mini stream is needed."""
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    fat, body, starts, sizes, sector = [fat_sector, end], b"", [], [], 2  # sector 0: FAT, 1: directory
    for content in streams.values():
        content = content.ljust(max(4096, -(-len(content) // 512) * 512), b"\0")
        count = len(content) // 512
        starts.append(sector)
        fat += [sector + i + 1 for i in range(count - 1)] + [end]
        sector += count
        body += content
        sizes.append(len(content))
    assert len(fat) <= 128, "one FAT sector only"
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int = none, right: int = none, start: int = end, size: int = 0) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return struct.pack(
            "<64sHBBIII16sIQQIQ", raw, len(raw), kind, 1, none, right, child, b"\0" * 16, 0, 0, 0, start, size
        )

    names = list(streams)
    entries = [entry("Root Entry", 5, child=1 if names else none)]
    for i, name in enumerate(names):
        entries.append(entry(name, 2, right=i + 2 if i + 1 < len(names) else none, start=starts[i], size=sizes[i]))
    entries += [entry("", 0)] * (4 - len(entries))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    ) + struct.pack("<109I", 0, *([free] * 108))
    return header + struct.pack("<128I", *fat) + b"".join(entries) + body


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def xls_bytes(rows: list[list], sheet: str = "Số liệu", password: bool = False) -> bytes:
    """An Excel 97-2003 workbook (BIFF8) of one sheet: text cells as LABEL records, numbers as NUMBER records."""
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    filepass = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48) if password else b""
    name = sheet.encode("utf-16-le")
    eof = _record(0x000A, b"")
    offset = len(bof_globals) + len(filepass) + 4 + 8 + len(name) + len(eof)
    boundsheet = _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(sheet), 1) + name)
    cells = b""
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, str):
                text = value.encode("utf-16-le")
                cells += _record(0x0204, struct.pack("<HHHHB", r, c, 15, len(value), 1) + text)
            elif value is not None:
                cells += _record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))
    sheet_stream = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0)) + cells + eof
    return cfb({"Workbook": bof_globals + filepass + boundsheet + eof + sheet_stream})


def ods_bytes(rows: list[list], sheet: str = "Số liệu") -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice stores one (a zip of XML)."""
    from xml.sax.saxutils import escape

    def cell(value) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, datetime):
            iso = value.isoformat()
            return f'<table:table-cell office:value-type="date" office:date-value="{iso}"><text:p>{iso}</text:p></table:table-cell>'
        if isinstance(value, int | float):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in r) + "</table:table-row>" for r in rows)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


SHEET_ROWS = [
    ["Thời gian đo", "Nhà mạng", "Loại mạng", "Tốc độ tải xuống (Mbps)", "Tốc độ tải lên (Mbps)", "Vĩ độ", "Kinh độ"],
    ["2024-10-01 10:00:00", "Viettel", "4G", 35.5, 12.0, 21.05, 105.05],
    ["2024-10-02 11:00:00", "MobiFone", "4G", 20.0, 8.0, 21.05, 105.15],
    [45568.5, "VinaPhone", "4G", 15.0, 5.0, 21.05, 105.25],  # an Excel date serial: 2024-10-03 12:00
]


def _frame(n: int = 10) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measured_at": [f"2024-10-{1 + i % 28:02d}T10:00:00" for i in range(n)],
            "carrier": ["Viettel"] * n,
            "download_mbps": [10.0 + i for i in range(n)],
            "upload_mbps": [5.0] * n,
            "lat": [21.05] * n,
            "lon": [105.05] * n,
        }
    )


# ---- the catalogue of measurement files refused by `ingest` ----------------------------------------


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[Path], Path]  # writes the file under the given folder, returns its path
    key: str  # the message key of the refusal
    also: str = ""  # a fragment the English line must hold (the line, the column, the sheets)


def _bytes(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data() if callable(data) else data)
        return path

    return make


def _mixed_utf8_then_cp1258(folder: Path) -> Path:
    # UTF-8 from the first line; a Windows-1258 line far beyond the first 64 KB.
    head = VI_HEADER + "\n" + _note_lines(0, 1500)
    assert len(head.encode()) > 70_000
    data = head.encode("utf-8") + encode_cp1258(_note_row(1500, "Xã Đức Xuân") + "\n") + _note_lines(1501, 20).encode()
    return _write(folder / "mixed-late.csv", data)


def _mixed_cp1258_then_utf8(folder: Path) -> Path:
    # Windows-1258 from the first line (a byte invalid in UTF-8 early), UTF-8 beyond the first 64 KB.
    data = encode_cp1258(VI_HEADER + "\n" + _note_lines(0, 1500)) + (_note_row(1500, "Xã Đức Xuân") + "\n").encode()
    return _write(folder / "mixed-early.csv", data)


def _mixed_ascii_header_cp1258_row_then_utf8(folder: Path) -> Path:
    data = (
        (NOTE_HEADER + "\n").encode()
        + encode_cp1258(_note_row(0, "Phường Huyền Tụng") + "\n")
        + _note_lines(1, 1500).encode()
        + (_note_row(1501, "Thị trấn Nà Phặc") + "\n").encode()
    )
    return _write(folder / "mixed-ascii-header.csv", data)


# Windows-1258 text whose bytes happen to be valid UTF-8: 'CÔ” Đ…' is C3 D4 94 20 D0 85, which UTF-8 reads as
# Armenian and Cyrillic letters. Read as UTF-8 it would be silently wrong.
CP1258_VALID_UTF8 = "CÔ” Đ…".encode("cp1258")
assert CP1258_VALID_UTF8.decode("utf-8") != "CÔ” Đ…"


def _mixed_cp1258_valid_utf8(folder: Path) -> Path:
    data = (VI_HEADER + "\n" + _note_lines(0, 1500)).encode() + (
        _note_row(1500, "x").encode()[:-1] + CP1258_VALID_UTF8 + b"\n"
    )
    return _write(folder / "mixed-valid-utf8.csv", data)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _text(name: str, text: str, encoding: str = "utf-8") -> Callable[[Path], Path]:
    return _bytes(name, text.encode(encoding))


def _binary_no_nul() -> bytes:
    import random

    rng = random.Random(7)
    return bytes(rng.choice(range(1, 256)) for _ in range(20_000))


def _columns_100k(folder: Path) -> Path:
    header = "measured_at,carrier,download_mbps,upload_mbps," + ",".join(f"c{i}" for i in range(99_996))
    line = "2024-10-01T10:00:00,Viettel,10,5," + ",".join("1" for _ in range(99_996))
    return _write(folder / "wide.csv", (header + "\n" + line + "\n" + line + "\n").encode())


def _columns_5000(folder: Path) -> Path:
    header = "measured_at,carrier,download_mbps,upload_mbps," + ",".join(f"{i}" for i in range(5000))
    line = "2024-10-01T10:00:00,Viettel,10,5," + ",".join("" for _ in range(5000))
    return _write(folder / "wide5000.csv", (header + "\n" + line + "\n").encode())


def _single_line_10mb(folder: Path) -> Path:
    return _write(folder / "oneline.csv", b"measured_at,carrier,download_mbps,upload_mbps," + b"x," * (5 * MB))


def _long_line_inside(folder: Path) -> Path:
    lines = [HEADER, *_good_rows(10)]
    data = ("\n".join(lines) + "\n").encode() + b"y" * (5 * MB) + b"\n" + ("\n".join(_good_rows(5)) + "\n").encode()
    return _write(folder / "longline.csv", data)


def _open_quote_early(folder: Path) -> Path:
    rows = _good_rows(50)
    rows[5] = rows[5].replace(",Viettel,", ',"Viettel,')
    return _write(folder / "quote.csv", ("\n".join([HEADER, *rows]) + "\n").encode())


def _parquet(name: str, table: Callable[[], pa.Table]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        pq.write_table(table(), folder / name)
        return folder / name

    return make


def _nested_required() -> pa.Table:
    base = pa.Table.from_pandas(_frame(), preserve_index=False)
    return base.set_column(1, "carrier", pa.array([["Viettel"]] * base.num_rows, pa.list_(pa.string())))


def _duplicate_names() -> pa.Table:
    base = pa.Table.from_pandas(_frame(), preserve_index=False)
    return pa.Table.from_arrays(
        [*base.columns, base.column("download_mbps")], names=[*base.column_names, "download_mbps"]
    )


def _truncated_parquet(folder: Path) -> Path:
    _frame(500).to_parquet(folder / "full.parquet")
    data = (folder / "full.parquet").read_bytes()
    return _write(folder / "cut.parquet", data[: len(data) * 2 // 3])


def _xlsx(name: str, sheets: dict[str, list[list]]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        from openpyxl import Workbook

        wb = Workbook()
        wb.remove(wb.active)
        for title, rows in sheets.items():
            ws = wb.create_sheet(title)
            for r in rows:
                ws.append(r)
        wb.save(folder / name)
        return folder / name

    return make


def _corrupt_zip(folder: Path) -> Path:
    good = _xlsx("ok.xlsx", {"Số liệu": SHEET_ROWS[:3]})(folder).read_bytes()
    return _write(folder / "corrupt.xlsx", good[:200] + bytes(range(256)) * 20)


def _zip_of_csv(folder: Path) -> Path:
    with zipfile.ZipFile(folder / "archive.xlsx", "w") as zf:
        zf.writestr("data.csv", "\n".join([HEADER, *_good_rows(3)]))
    return folder / "archive.xlsx"


def _encrypted_xlsx(folder: Path) -> Path:
    # What Excel writes for a workbook with an opening password: an OLE container, not a zip.
    return _write(
        folder / "locked.xlsx",
        cfb({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x40" * 200, "EncryptedPackage": b"\x99" * 5000}),
    )


def _junk_mostly_rejected(folder: Path) -> Path:
    rows = [row(time="not a time", dl="n/a") for _ in range(12)]
    return _write(folder / "junk.csv", ("\n".join([HEADER, *rows, row()]) + "\n").encode())


INGEST_REFUSED = [
    # encodings
    Hostile(
        "mixed_utf8_then_cp1258_late", _mixed_utf8_then_cp1258, "err_input_mixed_encoding", "line 1 is UTF-8, line 1502"
    ),
    Hostile(
        "mixed_cp1258_then_utf8_late", _mixed_cp1258_then_utf8, "err_input_mixed_encoding", "line 1502 is UTF-8, line 1"
    ),
    Hostile(
        "mixed_ascii_header_cp1258_then_utf8",
        _mixed_ascii_header_cp1258_row_then_utf8,
        "err_input_mixed_encoding",
        "line 1503 is UTF-8, line 2",
    ),
    Hostile(
        "mixed_cp1258_valid_utf8", _mixed_cp1258_valid_utf8, "err_input_mixed_encoding", "line 1 is UTF-8, line 1502"
    ),
    Hostile("all_nul_bytes", _bytes("nul.csv", b"\0" * 5000), "err_input_binary"),
    Hostile(
        "binary_renamed_csv", _bytes("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40), "err_input_binary"
    ),
    Hostile("binary_without_nul", _bytes("blob.csv", _binary_no_nul), "err_input_binary"),
    Hostile(
        "truncated_utf8_at_end",
        _bytes(
            "cut.csv",
            (
                "\n".join([HEADER, *_good_rows(3)]) + "\n" + "2024-10-01T10:00:00,Viettel,4G,1,2,3,21.05,105.05,Xã Đ"
            ).encode()[:-1],
        ),
        "err_input_cut_off",
        "line 5",
    ),
    Hostile(
        "latin1_lost_letters_header",
        _bytes("western.csv", (VI_HEADER + "\n" + _note_row(0) + "\n").encode("cp1252", errors="replace")),
        "err_input_lost_letters",
        "Th?i gian ?o",
    ),
    # structure
    Hostile("empty", _bytes("empty.csv", b""), "err_input_empty"),
    Hostile("bom_only", _bytes("bom.csv", b"\xef\xbb\xbf"), "err_input_empty"),
    Hostile("header_only", _text("header.csv", HEADER + "\n"), "err_input_no_rows"),
    Hostile("blank_lines_only", _bytes("blank.csv", b"\n\r\n   \n\t\n\n"), "err_input_empty"),
    Hostile("delimiters_only", _bytes("commas.csv", b",,,,\n;;;\n,,\n"), "err_input_empty"),
    Hostile("no_header", _text("nohead.csv", "\n".join(_good_rows(5)) + "\n"), "err_input_no_header"),
    Hostile(
        "duplicate_header",
        _text(
            "dup.csv",
            "measured_at,carrier,download_mbps,upload_mbps,download_mbps\n2024-10-01T10:00:00,Viettel,1,2,3\n",
        ),
        "err_input_duplicate_header",
        "'download_mbps' appears twice (columns 3 and 5)",
    ),
    Hostile(
        "same_field_twice",
        _text(
            "twice.csv",
            "measured_at,carrier,download_mbps,upload_mbps,Tốc độ tải xuống (Mbps)\n2024-10-01T10:00:00,Viettel,1,2,3\n",
        ),
        "err_input_same_field_twice",
    ),
    Hostile("columns_100k", _columns_100k, "err_input_line_too_long", "line 1"),
    Hostile("columns_5000", _columns_5000, "err_input_too_many_columns", "5004 columns"),
    Hostile("single_line_10mb", _single_line_10mb, "err_input_line_too_long", "line 1"),
    Hostile("line_of_5mb_inside", _long_line_inside, "err_input_line_too_long", "line 12"),
    Hostile("quote_open_swallowing_the_rest", _open_quote_early, "err_input_open_quote", "line 7"),
    Hostile("mostly_rejected", _junk_mostly_rejected, "err_input_mostly_rejected", "12 of 13 rows"),
    # types
    Hostile(
        "parquet_nested_required_field", _parquet("nested.parquet", _nested_required), "err_input_nested", "carrier"
    ),
    Hostile(
        "parquet_duplicate_names",
        _parquet("dupnames.parquet", _duplicate_names),
        "err_input_duplicate_header",
        "download_mbps",
    ),
    Hostile("parquet_truncated", _truncated_parquet, "err_input_parquet"),
    Hostile("parquet_magic_only", _bytes("magic.parquet", b"PAR1"), "err_input_parquet"),
    Hostile(
        "parquet_no_rows",
        _parquet("norows.parquet", lambda: pa.Table.from_pandas(_frame(0), preserve_index=False)),
        "err_input_no_rows",
    ),
    Hostile(
        "xlsx_no_fitting_sheet",
        _xlsx("sheets.xlsx", {"Ghi chú": [["Ghi chú"], ["xin chào"]], "Tổng hợp": [["Tỉnh", "Số mẫu"], ["A", 3]]}),
        "err_input_no_sheet",
        "Ghi chú, Tổng hợp",
    ),
    Hostile("xlsx_password_protected", _encrypted_xlsx, "err_input_password"),
    Hostile(
        "xls_password_protected",
        _bytes("locked.xls", lambda: xls_bytes(SHEET_ROWS, password=True)),
        "err_input_password",
    ),
    Hostile("xlsx_corrupt_zip", _corrupt_zip, "err_input_workbook"),
    Hostile("xlsx_zip_of_something_else", _zip_of_csv, "err_input_workbook"),
    Hostile("csv_renamed_xlsx", _text("text.xlsx", HEADER + "\n" + row() + "\n"), "err_input_not_format", "XLSX"),
    Hostile("ods_corrupt", _bytes("broken.ods", b"PK\x03\x04" + b"\0" * 100), "err_input_workbook"),
    # sizes
    Hostile("zero_bytes_xlsx", _bytes("zero.xlsx", b""), "err_input_empty"),
    Hostile("zero_bytes_parquet", _bytes("zero.parquet", b""), "err_input_empty"),
]


@pytest.mark.parametrize("case", INGEST_REFUSED, ids=[c.name for c in INGEST_REFUSED])
def test_ingest_refuses(case: Hostile, store, tmp_path, capfd):
    path = case.make(tmp_path)
    refused(store.root, ["ingest", str(path), "--store", str(store.root)], capfd, path.name, case.key, also=case.also)
    assert store.months() == []


# ---- measurement files that load ------------------------------------------------------------------


def test_cp1258_whose_bytes_are_valid_utf8_is_read_as_cp1258(store, tmp_path, capfd):
    data = (
        (NOTE_HEADER + "\n").encode()
        + b"\n".join(_note_row(i, "x").encode()[:-1] + CP1258_VALID_UTF8 for i in range(3))
        + b"\n"
    )
    path = _write(tmp_path / "cp.csv", data)
    raw = read_raw(path, MEASUREMENT_HEADER)
    assert raw.encoding == "cp1258" and raw.frame["note"].tolist() == ["CÔ” Đ…"] * 3
    summary, _ = ingested(store, path, capfd)
    assert (summary["read"], summary["accepted"]) == (3, 3)


def test_utf16_with_bom_tab_separated_loads(store, tmp_path, capfd):
    text = "\n".join(line.replace(",", "\t") for line in [VI_HEADER, *(_note_row(i, "Xã Đức Xuân") for i in range(3))])
    path = _write(tmp_path / "unicode.txt", (text + "\n").encode("utf-16"))
    summary, _ = ingested(store, path, capfd)
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (3, 3, 0)
    assert read_raw(path, MEASUREMENT_HEADER).frame["Ghi chú"].tolist() == ["Xã Đức Xuân"] * 3


def test_utf16_with_commas_loads_and_utf16_blank_is_empty(store, tmp_path, capfd):
    text = "\n".join([VI_HEADER, *(_note_row(i, "Xã") for i in range(4)), _note_row(5, "Xã,thừa")]) + "\n"
    summary, _ = ingested(store, _write(tmp_path / "u16.csv", text.encode("utf-16")), capfd)
    assert (summary["accepted"], summary["rejected"]) == (4, 1)
    assert rejects_of(store, summary)["line"].tolist() == ["6"]
    path = _write(tmp_path / "blank16.csv", "\n \n".encode("utf-16"))
    refused(store.root, ["ingest", str(path), "--store", str(store.root)], capfd, path.name, "err_input_empty")


def test_windows_1252_file_is_read_as_western_text(store, tmp_path, capfd):
    # Words that Windows-1252 can hold ('Hòa Bình'), and a byte only Windows-1252 defines (Š, 0x8A).
    lines = [NOTE_HEADER, _note_row(0, "Hòa Bình – café"), _note_row(1, "Škoda"), _note_row(2, "ok")]
    path = _write(tmp_path / "western.csv", ("\n".join(lines) + "\n").encode("cp1252"))
    raw = read_raw(path, MEASUREMENT_HEADER)
    assert raw.encoding == "cp1252"
    assert raw.frame["note"].tolist() == ["Hòa Bình – café", "Škoda", "ok"]
    summary, _ = ingested(store, path, capfd)
    assert summary["accepted"] == 3
    assert [n["key"] for n in summary["notes"]] == ["note_encoding_western"]


def test_title_rows_above_the_header_load_and_are_noted(store, tmp_path, capfd):
    text = "BÁO CÁO SỐ LIỆU ĐO i-Speed\nTỉnh Thử Nghiệm, tháng 10/2024\n\n" + "\n".join([HEADER, *_good_rows(4)]) + "\n"
    summary, _ = ingested(store, _write(tmp_path / "titled.csv", text.encode()), capfd)
    assert (summary["read"], summary["accepted"]) == (4, 4)
    assert [n["key"] for n in summary["notes"]] == ["note_title_rows"]


def test_rows_with_too_many_or_too_few_fields_are_rejected_with_their_physical_line(store, tmp_path, capfd):
    rows = _good_rows(10)
    rows[2] += ",extra,fields"
    rows[6] = "2024-10-01T10:00:00,Viettel,4G"
    summary, _ = ingested(store, _write(tmp_path / "ragged.csv", ("\n".join([HEADER, *rows]) + "\n").encode()), capfd)
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (10, 8, 2)
    rejects = rejects_of(store, summary)
    assert rejects["line"].tolist() == ["4", "8"] and set(rejects["reason_code"]) == {"row_fields"}
    assert summary["reasons"] == {"row_fields": 2}


def test_quote_left_open_on_the_last_line_rejects_that_row(store, tmp_path, capfd):
    text = "\n".join([HEADER, *_good_rows(5)]) + '\n2024-10-09T10:00:00,"Viettel,4G,1,2,3,21.05,105.05,\n'
    summary, _ = ingested(store, _write(tmp_path / "openquote.csv", text.encode()), capfd)
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (6, 5, 1)
    assert rejects_of(store, summary)["line"].tolist() == ["7"]


def test_parquet_nested_extra_columns_are_ignored(store, tmp_path, capfd):
    base = pa.Table.from_pandas(_frame(), preserve_index=False)
    n = base.num_rows
    table = (
        base.append_column("tags", pa.array([["a", "b"]] * n, pa.list_(pa.string())))
        .append_column("device", pa.array([{"model": "X", "ram": 4}] * n))
        .append_column("extra", pa.array([[("k", "v")]] * n, pa.map_(pa.string(), pa.string())))
    )
    pq.write_table(table, tmp_path / "extra.parquet")
    summary, _ = ingested(store, tmp_path / "extra.parquet", capfd)
    assert summary["accepted"] == n
    assert (
        summary["notes"][0]["key"] == "note_nested_ignored" and "tags, device, extra" in summary["notes"][0]["columns"]
    )


@pytest.mark.parametrize("tz", [None, "UTC"])
def test_parquet_timestamps_of_year_9999_and_0001_are_rejected_rows(store, tmp_path, capfd, tz):
    times = [datetime(2024, 10, 1 + i, 10) for i in range(8)] + [datetime(9999, 12, 31, 23), datetime(1, 1, 1)]
    frame = _frame(10)
    table = pa.Table.from_pandas(frame.drop(columns="measured_at"), preserve_index=False)
    table = table.append_column("measured_at", pa.array(times, pa.timestamp("us", tz=tz)))
    pq.write_table(table, tmp_path / "times.parquet")
    summary, _ = ingested(store, tmp_path / "times.parquet", capfd)
    assert (summary["accepted"], summary["rejected"]) == (8, 2)
    assert summary["reasons"] == {"time_future": 1, "time_too_early": 1}
    assert store.months() == ["2024-10"]


def test_parquet_with_dictionary_and_decimal_columns_loads(store, tmp_path, capfd):
    from decimal import Decimal

    base = pa.Table.from_pandas(_frame(), preserve_index=False)
    table = base.set_column(1, "carrier", pa.array(["Viettel"] * 10).dictionary_encode())
    table = table.set_column(2, "download_mbps", pa.array([Decimal("12.50")] * 10, pa.decimal128(6, 2)))
    pq.write_table(table, tmp_path / "typed.parquet")
    summary, _ = ingested(store, tmp_path / "typed.parquet", capfd)
    assert summary["accepted"] == 10
    assert stored(store)["download_mbps"].tolist() == [12.5] * 10


def test_xlsx_with_formulas_and_error_cells(store, tmp_path, capfd):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(SHEET_ROWS[0])
    for i in range(8):
        ws.append([f"2024-10-0{i + 1} 10:00:00", "Viettel", "4G", 10 + i, 5, 21.05, 105.05])
    ws.append(["2024-10-09 10:00:00", "Viettel", "4G", "#DIV/0!", 5, 21.05, 105.05])  # an error cell
    ws.append(["2024-10-10 10:00:00", "Viettel", "4G", "=1/0", 5, 21.05, 105.05])  # a formula without a value
    ws.append(["2024-10-11 10:00:00", "Viettel", "4G", "=SUM(D2:D3)", "#N/A", 21.05, 105.05])
    assert ws["D10"].data_type == "e" and ws["D11"].data_type == "f"
    wb.save(tmp_path / "formulas.xlsx")
    summary, _ = ingested(store, tmp_path / "formulas.xlsx", capfd)
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (11, 8, 3)
    assert set(rejects_of(store, summary)["line"]) == {"10", "11", "12"}


def test_xlsx_with_a_measurement_sheet_and_a_notes_sheet(store, tmp_path, capfd):
    path = _xlsx("two.xlsx", {"Ghi chú": [["Ghi chú"], ["Số liệu tháng 10"]], "Số liệu": SHEET_ROWS})(tmp_path)
    summary, _ = ingested(store, path, capfd)
    assert (summary["read"], summary["accepted"]) == (3, 3)
    note = next(n for n in summary["notes"] if n["key"] == "note_sheets")
    assert note["used"] == "Số liệu" and note["skipped"] == "Ghi chú"


def _check_sheet_rows_loaded(store: Store, summary: dict) -> None:
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (3, 3, 0)
    data = stored(store).sort_values("measured_at")
    assert data["commune_code"].tolist() == ["00001", "00002", "00003"]
    assert data["measured_at"].iloc[2] == pd.Timestamp("2024-10-03 12:00", tz="Asia/Ho_Chi_Minh")  # the serial


def test_old_xls_workbook_loads(store, tmp_path, capfd):
    path = _write(tmp_path / "old.xls", xls_bytes(SHEET_ROWS))
    summary, _ = ingested(store, path, capfd)
    _check_sheet_rows_loaded(store, summary)


def test_ods_workbook_loads(store, tmp_path, capfd):
    path = _write(tmp_path / "calc.ods", ods_bytes(SHEET_ROWS))
    summary, _ = ingested(store, path, capfd)
    _check_sheet_rows_loaded(store, summary)


def test_ods_written_by_libreoffice_loads(store, tmp_path, capfd):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed here, so no .ods it wrote can be made; the hand-made .ods is tested above"
        )
    import subprocess

    _xlsx("lo.xlsx", {"Số liệu": SHEET_ROWS})(tmp_path)
    subprocess.run(
        [soffice, "--headless", "--convert-to", "ods", "--outdir", str(tmp_path), str(tmp_path / "lo.xlsx")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    summary, _ = ingested(store, tmp_path / "lo.ods", capfd)
    assert summary["accepted"] == 3


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("old.xlsx", lambda d: xls_bytes(SHEET_ROWS)),
        ("calc.xlsx", lambda d: ods_bytes(SHEET_ROWS)),
        ("new.xls", lambda d: _xlsx("x.xlsx", {"Số liệu": SHEET_ROWS})(d).read_bytes()),
        ("old.ods", lambda d: xls_bytes(SHEET_ROWS)),
    ],
)
def test_workbooks_are_read_by_content_not_by_name(name, content, store, tmp_path, capfd):
    summary, _ = ingested(store, _write(tmp_path / name, content(tmp_path)), capfd)
    _check_sheet_rows_loaded(store, summary)


def test_xlsx_renamed_csv_is_read_as_a_workbook(store, tmp_path, capfd):
    path = _xlsx("real.xlsx", {"Số liệu": SHEET_ROWS})(tmp_path)
    summary, _ = ingested(store, path.rename(tmp_path / "renamed.csv"), capfd)
    assert summary["accepted"] == 3


# ---- sizes ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def junk_10mb(tmp_path_factory) -> Path:
    """10 MB of rows under a right header, nearly all of them rejected."""
    path = tmp_path_factory.mktemp("junk") / "junk-10mb.csv"
    line = "garbage-time,Viettel,4G,not-a-number,5,30,21.05,105.05,\n"
    count = 10 * MB // len(line)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n")
        for start in range(0, count, 10_000):
            fh.write(line * min(10_000, count - start))
    return path


def test_10mb_of_junk_is_refused_early_and_cheaply(store, junk_10mb, capfd, monkeypatch):
    import ingest.measurements as measurements
    import ingest.readers as readers

    calls, furthest = [], [0]
    real_read_raw, real_reader = measurements.read_raw, readers._CountingReader

    def spy_read_raw(*args, **kwargs):
        calls.append(kwargs.get("limit"))
        return real_read_raw(*args, **kwargs)

    class SpyReader(real_reader):
        def readinto(self, buffer):
            n = super().readinto(buffer)
            furthest[0] = max(furthest[0], self.position)
            return n

    monkeypatch.setattr(measurements, "read_raw", spy_read_raw)
    monkeypatch.setattr(readers, "_CountingReader", SpyReader)
    line = refused(
        store.root,
        ["ingest", str(junk_10mb), "--store", str(store.root)],
        capfd,
        junk_10mb.name,
        "err_input_mostly_rejected",
    )
    assert "cannot read the time" in line
    assert calls == [measurements.PROBE_ROWS] * 2  # only the first rows were parsed, in each language
    assert 0 < furthest[0] <= 3 * MB, "the rows are parsed from the first megabytes only"


def test_rejects_file_is_capped_and_counts_by_reason_are_kept(store, tmp_path, capfd, monkeypatch):
    import ingest.measurements as measurements

    monkeypatch.setattr(measurements, "MAX_REJECTS_LISTED", 50)
    rows = _good_rows(200)
    for i in range(0, 200, 3):  # 67 rejected of 200: more than the cap, fewer than half
        rows[i] = row(time=f"2024-10-01T10:{i % 60:02d}:00", dl=-i - 1 if i % 2 else "abc")
    summary, _ = ingested(store, _write(tmp_path / "many.csv", ("\n".join([HEADER, *rows]) + "\n").encode()), capfd)
    assert (summary["read"], summary["rejected"]) == (200, 67)
    assert summary["reasons"] == {"speed_negative": 33, "speed_not_number": 34}
    rejects = rejects_of(store, summary)
    assert len(rejects) == 51
    assert rejects["reason_code"].iloc[-1] == "truncated" and "17 more" in rejects["reason_en"].iloc[-1]


# ---- paths ------------------------------------------------------------------------------------------


def _boundary_file(folder: Path) -> Path:
    tiny_boundaries().to_file(folder / "b.geojson", driver="GeoJSON")
    return folder / "b.geojson"


PATH_CASES = {
    "folder": (lambda d: (d / "folder").mkdir() or d / "folder", "err_file_is_folder"),
    "missing": (lambda d: d / "nowhere.csv", "err_file_missing"),
    "dev_null": (lambda d: Path("/dev/null"), "err_file_not_regular"),
    "folder_with_trailing_slash": (lambda d: (d / "dir.csv").mkdir() or d / "dir.csv", "err_file_is_folder"),
    "symlink_to_folder": (
        lambda d: (d / "real").mkdir() or (d / "link.csv").symlink_to(d / "real") or d / "link.csv",
        "err_file_is_folder",
    ),
    "fifo": (lambda d: os.mkfifo(d / "pipe.csv") or d / "pipe.csv", "err_file_not_regular"),
}


@pytest.mark.parametrize("command", ["ingest", "referral", "boundaries"])
@pytest.mark.parametrize("case", list(PATH_CASES))
def test_paths_that_are_not_readable_files(case, command, store, tmp_path, capfd):
    make, key = PATH_CASES[case]
    path = make(tmp_path)
    arg = str(path) + ("/" if case == "folder_with_trailing_slash" else "")
    extra = ["--replace"] if command == "boundaries" else []
    refused(store.root, [command, arg, "--store", str(store.root), *extra], capfd, path.name, key)


def test_unreadable_file(store, tmp_path, capfd):
    path = _good_csv(tmp_path / "secret.csv", 3)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as root: a chmod 000 file is still readable, so it cannot be refused as unreadable")
        refused(store.root, ["ingest", str(path), "--store", str(store.root)], capfd, path.name, "err_file_unreadable")
    finally:
        path.chmod(0o644)


def test_a_file_named_with_a_trailing_slash_is_the_file(store, tmp_path, capfd):
    # The shell would refuse 'file.csv/'; the command line takes it as the file, and loads it.
    path = _good_csv(tmp_path / "m.csv", 3)
    code, out, err = run(["ingest", str(path) + "/", "--store", str(store.root)], capfd, "en")
    assert code == 0 and "read 3, accepted 3" in out, err


def _out_under_file(d: Path) -> Path:
    (d / "plain.txt").write_text("x")
    return d / "plain.txt" / "report.csv"


OUT_CASES = {
    "folder": (lambda d: d, "err_out_is_folder"),
    "under_a_file": (_out_under_file, "err_out_under_file"),
    "proc": (lambda d: Path("/proc/x"), "err_out_not_writable"),
    "sys": (lambda d: Path("/sys/ispeed-report.csv"), "err_out_not_writable"),
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(OUT_CASES))
def test_report_out_that_cannot_be_written(case, fmt, loaded_store, tmp_path, capfd):
    make, key = OUT_CASES[case]
    (tmp_path / "outs").mkdir()
    out = make(tmp_path / "outs")
    argv = ["report", "--store", str(loaded_store.root), "--month", "2024-10", "--format", fmt, "--out", str(out)]
    refused(loaded_store.root, argv, capfd, str(out), key)


def test_report_out_in_a_read_only_folder(loaded_store, tmp_path, capfd):
    import subprocess

    folder = tmp_path / "readonly"
    folder.mkdir()
    folder.chmod(0o555)
    immutable = False
    try:
        if os.access(folder, os.W_OK):  # root writes into a 0555 folder; an immutable one stops even root
            immutable = subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode == 0
            if not immutable:
                pytest.skip("running as root, where a read-only folder is still writable, and chattr +i is unavailable")
        out = folder / "r.csv"
        argv = ["report", "--store", str(loaded_store.root), "--month", "2024-10", "--format", "csv", "--out", str(out)]
        refused(loaded_store.root, argv, capfd, str(out), "err_out_not_writable")
        assert not out.exists()
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        folder.chmod(0o755)


# ---- times ------------------------------------------------------------------------------------------

TIME_CASES = [
    ("0000-01-01T10:00:00", {"time_too_early", "time_unreadable"}),
    ("0204-05-01T10:00:00", {"time_too_early"}),
    ("1970-01-01T07:00:00", {"time_too_early"}),
    ("2015-06-01T10:00:00", {"time_too_early"}),
    ("2021-03-31T23:59:59", {"time_too_early"}),
    ("2031-01-01T10:00:00", {"time_future"}),
    ("9999-12-31T10:00:00", {"time_future"}),
    ("01/01/0000 10:00", {"time_too_early", "time_unreadable"}),
    ("01/01/0204 10:00", {"time_too_early"}),
    ("31/12/9999 23:59:59", {"time_future"}),
    ("31/02/2024 10:00", {"time_unreadable"}),
    ("30/02/2024", {"time_unreadable"}),
    ("2024-10-01T24:00:00", {"time_unreadable"}),
    ("01/10/2024 24:00", {"time_unreadable"}),
    ("2024-13-01T10:00:00", {"time_unreadable"}),
    ("15/13/2024 10:00", {"time_unreadable"}),
    ("2024-10-01T10:61:00", {"time_unreadable"}),
    ("99999999999999999999", {"time_unreadable"}),
    ("-45600.5", {"time_unreadable"}),
    ("2958466", {"time_unreadable", "time_future"}),  # beyond Excel's last day
]


def test_implausible_times_are_rejected_rows_and_never_months(store, tmp_path, capfd):
    bad = [row(time=t, dl=i + 1) for i, (t, _) in enumerate(TIME_CASES)]
    rows = bad + _good_rows(len(bad) + 5)
    summary, _ = ingested(store, _write(tmp_path / "times.csv", ("\n".join([HEADER, *rows]) + "\n").encode()), capfd)
    assert summary["rejected"] == len(TIME_CASES)
    rejects = rejects_of(store, summary)
    for (given, allowed), (_, reject) in zip(TIME_CASES, rejects.iterrows(), strict=True):
        assert reject["measured_at"] == given
        assert set(reject["reason_code"].split("; ")) <= allowed, (given, reject["reason_code"])
    assert store.months() == ["2024-10"]


def test_excel_date_serials_in_a_csv_are_read_as_dates(store, tmp_path, capfd):
    times = ["45600.5", "45600", " 45566,25 ", "45600.999988426"]  # the third with a decimal comma
    rows = [row(time="TIME").replace(",", ";").replace("TIME", t) for t in times]
    text = "\n".join([HEADER.replace(",", ";"), *rows]) + "\n"
    summary, _ = ingested(store, _write(tmp_path / "serials.csv", text.encode()), capfd)
    assert summary["accepted"] == 4
    times = sorted(stored(store)["measured_at"])
    assert times == [
        pd.Timestamp("2024-10-01 06:00", tz="Asia/Ho_Chi_Minh"),
        pd.Timestamp("2024-11-04 00:00", tz="Asia/Ho_Chi_Minh"),
        pd.Timestamp("2024-11-04 12:00", tz="Asia/Ho_Chi_Minh"),
        pd.Timestamp("2024-11-04 23:59:59", tz="Asia/Ho_Chi_Minh"),
    ]


# ---- coordinates ------------------------------------------------------------------------------------

COORD_CASES = [
    (row(lat=105.05, lon=21.05), "coords_swapped"),
    (row(lat=95), "lat_range"),
    (row(lat=-90.5), "lat_range"),
    (row(lon=181), "lon_range"),
    (row(lat="NaN"), "coord_not_number"),
    (row(lon="nan"), "coord_not_number"),
    (row(lat="inf"), "coord_not_number"),
    (row(lon="-Infinity"), "coord_not_number"),
    (row(lat="21°03'N"), "coord_not_number"),
]


def test_bad_coordinates_are_rejected_rows_with_reasons(store, tmp_path, capfd):
    rows = [r for r, _ in COORD_CASES] + _good_rows(len(COORD_CASES) + 2)
    rows.append('2024-10-20T10:00:00,Viettel,4G,50,20,30,"21,05","105,15",')  # decimal comma, quoted
    summary, _ = ingested(store, _write(tmp_path / "coords.csv", ("\n".join([HEADER, *rows]) + "\n").encode()), capfd)
    assert (summary["accepted"], summary["rejected"]) == (len(COORD_CASES) + 3, len(COORD_CASES))
    assert rejects_of(store, summary)["reason_code"].tolist() == [code for _, code in COORD_CASES]
    assert "00002" in set(stored(store)["commune_code"])


def test_decimal_comma_coordinates_in_a_semicolon_file(store, tmp_path, capfd):
    text = HEADER.replace(",", ";") + "\n2024-10-01T10:00:00;Viettel;4G;50,5;20;30;21,05;105,35;\n"
    summary, _ = ingested(store, _write(tmp_path / "semi.csv", text.encode()), capfd)
    assert summary["accepted"] == 1 and stored(store)["commune_code"].tolist() == ["00004"]


def _boundaries_refused(tmp_path, capfd, path: Path, key: str, also: str = "") -> str:
    empty = open_store(tmp_path / "new-store", create=True)
    return refused(empty.root, ["boundaries", str(path), "--store", str(empty.root)], capfd, path.name, key, also=also)


def test_boundaries_in_metres_declared_as_degrees(tmp_path, capfd):
    metres = tiny_boundaries().to_crs("EPSG:3405").set_crs("EPSG:4326", allow_override=True)
    metres.to_file(tmp_path / "metres.gpkg", driver="GPKG")
    _boundaries_refused(tmp_path, capfd, tmp_path / "metres.gpkg", "err_boundary_metres_as_degrees", "--crs")


def test_geojson_in_metres_without_a_crs_member(tmp_path, capfd):
    metres = tiny_boundaries().to_crs("EPSG:3405")
    data = json.loads(metres.to_json())
    data.pop("crs", None)
    path = tmp_path / "metres.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    _boundaries_refused(tmp_path, capfd, path, "err_boundary_metres_as_degrees", "--crs EPSG:3405")


def test_boundaries_outside_vietnam(tmp_path, capfd):
    paris = tiny_boundaries()
    paris["geometry"] = [box(2.3 + 0.01 * i, 48.8, 2.31 + 0.01 * i, 48.81) for i in range(len(paris))]
    paris.to_file(tmp_path / "paris.geojson", driver="GeoJSON")
    _boundaries_refused(tmp_path, capfd, tmp_path / "paris.geojson", "err_boundary_not_vietnam")


def test_boundaries_with_longitude_and_latitude_swapped(tmp_path, capfd):
    swapped = tiny_boundaries()
    swapped["geometry"] = [box(21.0, 105.0 + 0.1 * i, 21.1, 105.1 + 0.1 * i) for i in range(len(swapped))]
    swapped.to_file(tmp_path / "swapped.geojson", driver="GeoJSON")
    _boundaries_refused(tmp_path, capfd, tmp_path / "swapped.geojson", "err_boundary_lonlat_swapped")


def _truncated_geoparquet(folder: Path) -> Path:
    tiny_boundaries().to_parquet(folder / "b.parquet")
    return _write(folder / "cut.parquet", (folder / "b.parquet").read_bytes()[:700])


BOUNDARY_FILES = [
    Hostile("empty_geojson", _bytes("empty.geojson", b""), "err_boundary_unreadable"),
    Hostile("binary_gpkg", _bytes("photo.gpkg", bytes(range(256)) * 40), "err_boundary_unreadable"),
    Hostile("truncated_geoparquet", lambda d: _truncated_geoparquet(d), "err_boundary_unreadable"),
    Hostile("csv_as_boundaries", _text("b.csv", "a,b\n1,2\n"), "err_boundary_format"),
    Hostile(
        "no_features", _text("none.geojson", '{"type": "FeatureCollection", "features": []}'), "err_boundary_empty"
    ),
    Hostile(
        "points_only",
        _text(
            "points.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"ma_tinh": "01", "ten_tinh": "T", "ma_xa": "00001", "ten_xa": "X"},
                            "geometry": {"type": "Point", "coordinates": [105.0, 21.0]},
                        }
                    ],
                }
            ),
        ),
        "err_boundary_no_polygon",
    ),
    Hostile(
        "null_geometries",
        _text(
            "nulls.geojson",
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "features": [
                        {
                            "type": "Feature",
                            "properties": {"ma_tinh": "01", "ten_tinh": "T", "ma_xa": "00001", "ten_xa": "X"},
                            "geometry": None,
                        }
                    ],
                }
            ),
        ),
        "err_boundary_no_polygon",
    ),
]


@pytest.mark.parametrize("case", BOUNDARY_FILES, ids=[c.name for c in BOUNDARY_FILES])
def test_boundaries_refuses(case: Hostile, tmp_path, capfd):
    _boundaries_refused(tmp_path, capfd, case.make(tmp_path), case.key, case.also)


# ---- referral lists ---------------------------------------------------------------------------------

REFERRAL_HEADER_LINE = "STT,Mã giới thiệu,Xã/Phường,Huyện/Quận,Tỉnh/Thành phố"
REFERRAL_REFUSED = [
    Hostile("empty", _bytes("ref.csv", b""), "err_input_empty"),
    Hostile("binary", _bytes("ref.csv", bytes(range(256)) * 10), "err_input_binary"),
    Hostile(
        "mixed_encoding",
        lambda d: _write(
            d / "ref.csv",
            (REFERRAL_HEADER_LINE + "\n1,0100100001,Xã An Bình,Huyện Một,Tỉnh Thử Nghiệm\n").encode()
            + encode_cp1258("2,0100100002,Phường Huyền Tụng,Huyện Một,Tỉnh Thử Nghiệm\n"),
        ),
        "err_input_mixed_encoding",
    ),
    Hostile("columns_100k", _columns_100k, "err_input_line_too_long"),
    Hostile("corrupt_xlsx", _corrupt_zip, "err_input_workbook"),
    Hostile("header_only", _text("ref.csv", REFERRAL_HEADER_LINE + "\n"), "err_input_no_rows"),
    Hostile("measurement_file", lambda d: _good_csv(d / "m.csv", 3), "err_input_no_header"),
]


@pytest.mark.parametrize("case", REFERRAL_REFUSED, ids=[c.name for c in REFERRAL_REFUSED])
def test_referral_refuses(case: Hostile, store, tmp_path, capfd):
    path = case.make(tmp_path)
    refused(store.root, ["referral", str(path), "--store", str(store.root)], capfd, path.name, case.key, also=case.also)


# ---- referral codes as spreadsheets write them ------------------------------------------------------

CODES = ["605801852", "6.05801852E+08", "605801852.0", " 0605-801-852 ", "0100100003", "1.001E+08", "abc-1", ""]


def test_referral_codes_written_as_numbers_in_a_csv_load(store, tmp_path, capfd):
    rows = [
        row(time=f"2024-10-{i + 1:02d}T10:00:00", ref=f'"{c}"' if "," in c else c, lat="", lon="")
        for i, c in enumerate(CODES)
    ]
    summary, _ = ingested(store, _write(tmp_path / "codes.csv", ("\n".join([HEADER, *rows]) + "\n").encode()), capfd)
    assert (summary["read"], summary["accepted"], summary["rejected"]) == (len(CODES), len(CODES), 0)


def test_referral_codes_written_as_numbers_in_a_workbook_load(store, tmp_path, capfd):
    rows = [list(SHEET_ROWS[0]) + ["Mã giới thiệu"]]
    for i, code in enumerate([605801852, 6.05801852e08, 605801852.0, " 0605-801-852 ", 100100003]):
        rows.append([f"2024-10-0{i + 1} 10:00:00", "Viettel", "4G", 10, 5, None, None, code])
    summary, _ = ingested(store, _xlsx("codes.xlsx", {"Số liệu": rows})(tmp_path), capfd)
    assert (summary["accepted"], summary["rejected"]) == (5, 0)
    codes = stored(store)["referral_code"]
    assert codes.notna().all() and not codes.str.contains("E+", regex=False).any()


# ---- formulas from the data never become live formulas -----------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0", "\t=1+1"]


def test_formula_text_never_becomes_a_live_formula(tmp_path, capfd):
    from openpyxl import load_workbook

    frame = tiny_boundaries()
    frame["commune_name"] = [FORMULAS[0], FORMULAS[1], "@SUM(A1)", "Xã\x07 Bình"]  # and a control character
    frame["district_name"] = [FORMULAS[2], FORMULAS[2], FORMULAS[4], FORMULAS[4]]
    frame.to_file(tmp_path / "b.gpkg", driver="GPKG")
    store = open_store(tmp_path / "store", create=True)
    assert run(["boundaries", str(tmp_path / "b.gpkg"), "--store", str(store.root)], capfd)[0] == 0
    ref = io.StringIO()
    csv.writer(ref, lineterminator="\n").writerows(
        [
            ["STT", "Mã giới thiệu", "Xã/Phường", "Huyện/Quận"],
            [1, "=1+1", "X", ""],
            [2, "0100100001", FORMULAS[0], "@x"],
        ]
    )
    (tmp_path / "ref.csv").write_text(ref.getvalue(), encoding="utf-8")
    code, _, err = run(["referral", str(tmp_path / "ref.csv"), "--store", str(store.root)], capfd)
    assert code == 0, err
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    for i, formula in enumerate(FORMULAS):  # stored: the carrier and the referral code are formula-like text
        writer.writerow(["2024-10-01T10:00:00", formula, "4G", 10 + i, 5, 30, "", "", f"={i}+{i}"])
    for i in range(2):  # rejected (negative speed): their original values go to the rejects file
        writer.writerow([f"2024-10-0{i + 1}T10:00:00", "@evil", "4G", -1, 5, 30, "", "", FORMULAS[0]])
    buffer.write("\n".join(_good_rows(10)) + "\n")
    summary, _ = ingested(store, _write(tmp_path / "m.csv", buffer.getvalue().encode()), capfd)
    assert summary["rejected"] == 2

    def check_csv(path: Path) -> None:
        text = path.read_text(encoding="utf-8-sig")
        for record in csv.reader(io.StringIO(text)):
            for cell in record:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    assert re.fullmatch(r"[+-]?\d+([.,]\d*)?([eE][+-]?\d+)?", cell.strip()), (path.name, cell)
        assert "'=HYPERLINK" in text

    check_csv(store.root / summary["rejects_file"])
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        code, _, err = run(
            ["report", "--store", str(store.root), "--month", "2024-10", "--format", fmt, "--out", str(out)], capfd
        )
        assert code == 0 and "Traceback" not in err, err
        if fmt == "csv":
            check_csv(out)
            continue
        wb = load_workbook(out)
        seen = []
        for ws in wb.worksheets:
            for cells in ws.iter_rows():
                for cell in cells:
                    assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                    seen.append(cell.value)
        assert FORMULAS[0] in seen or "'" + FORMULAS[0] in seen
        with zipfile.ZipFile(out) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    assert "<f>" not in zf.read(name).decode("utf-8"), name
