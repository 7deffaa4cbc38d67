"""Referral codes (mã giới thiệu), matched to the store's communes (docs/DATA.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.errors import UserError
from core.text import header_key, name_key
from geo.boundaries import load_boundaries
from ingest.normalize import normalize_referral_code
from ingest.readers import HeaderSpec, read_raw
from store.audit import Actor, command_line_actor, file_facts
from store.transaction import Store, transaction

_ALIASES = {
    "referral_code": ["referral_code", "ma gioi thieu", "ma_gioi_thieu", "referral", "code", "ma"],
    "commune_name": ["commune_name", "xa phuong", "xa", "phuong xa", "ten xa", "xa phuong thi tran", "commune", "ward"],
    "district_name": [
        "district_name",
        "huyen quan",
        "huyen",
        "quan huyen",
        "ten huyen",
        "huyen quan thi xa thanh pho",
        "district",
    ],
    "province_name": ["province_name", "tinh thanh pho", "tinh", "ten tinh", "province"],
    "commune_code": ["commune_code", "ma xa", "ma_xa", "ma phuong xa"],
}
_ALIAS_KEYS = {header_key(a): canon for canon, names in _ALIASES.items() for a in names}
REFERRAL_HEADER = HeaderSpec(_ALIAS_KEYS, required=(("referral_code",), ("commune_name", "commune_code")))
_GSO_CODE_RE = re.compile(r"^\d{10}$")
OUTPUT_COLUMNS = [
    "referral_code",
    "commune_code",
    "commune_name",
    "district_name",
    "province_name",
    "match_method",
    "note",
]


@dataclass
class ReferralImport:
    """Matched list and the problems found, one line each."""

    table: pd.DataFrame
    problems: list[str] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return int(self.table["commune_code"].notna().sum())


def import_referral(
    store: Store, path: Path, *, actor: Actor | None = None, shown_name: str | None = None, wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> ReferralImport:
    """Match a referral-code list to the store's communes and save it, replacing any earlier list."""
    with transaction(store, "referral", actor or command_line_actor(), wait=wait, on_wait=on_wait) as tx:
        if not store.has_boundaries():
            raise UserError("err_referral_needs_boundaries", store=str(store.root))
        bounds = load_boundaries(store.boundaries_path)
        result = read_referral_list(Path(path), pd.DataFrame(bounds.drop(columns="geometry")), shown_name)
        before = pd.read_parquet(store.referral_path) if store.referral_path.exists() else None
        result.table.to_parquet(tx.path_for("referral_codes.parquet", overwrite=True), index=False)
        tx.details.update(
            {
                "file": file_facts(path, shown_name),
                "codes": len(result.table),
                "matched": result.matched,
                "replaced_codes": None if before is None else len(before),
            }
        )
    return result


def read_referral_list(path: Path, boundaries: pd.DataFrame, shown_name: str | None = None) -> ReferralImport:
    """Read a CSV/XLSX referral list and match each code to one commune of ``boundaries``."""
    raw = read_raw(path, REFERRAL_HEADER)
    cols = _map_columns(raw.frame, path)
    frame = pd.DataFrame({canon: raw.frame[src].map(_clean) for canon, src in cols.items()})
    for canon in ("commune_name", "district_name", "province_name", "commune_code"):
        if canon not in frame:
            frame[canon] = None
    frame["referral_code"] = frame["referral_code"].map(normalize_referral_code)
    frame["line"] = raw.lines.to_numpy()
    frame = frame[frame["referral_code"].notna()]
    if frame.empty:
        raise UserError("err_referral_empty", file=str(path))
    result = match_referral_codes(frame, boundaries, shown_name or path.name)
    if result.matched == 0:
        raise UserError("err_referral_matches_nothing", file=str(path), n=len(frame))
    return result


def _map_columns(frame: pd.DataFrame, path: Path) -> dict[str, str]:
    cols: dict[str, str] = {}
    for col in frame.columns:
        canon = _ALIAS_KEYS.get(header_key(col))
        if canon and canon not in cols:
            cols[canon] = col
    if "referral_code" not in cols or ("commune_name" not in cols and "commune_code" not in cols):
        raise UserError("err_referral_columns", file=str(path), columns=", ".join(map(str, frame.columns)))
    return cols


def _get(item: pd.Series, key: str) -> str | None:
    """A field of a list row, None when empty (pandas gives NaN for empty cells)."""
    value = item.get(key)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a name; spreadsheets refuse them


def _clean(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    text = _CONTROL.sub("", str(value)).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text or None


def match_referral_codes(frame: pd.DataFrame, boundaries: pd.DataFrame, source: str = "list") -> ReferralImport:
    """Code first where it is a 10-digit GSO code of an existing commune, names otherwise."""
    bounds = boundaries[
        ["province_code", "province_name", "district_code", "district_name", "commune_code", "commune_name"]
    ].reset_index(drop=True)
    by_code = {c: i for i, c in enumerate(bounds["commune_code"])}
    by_name = _name_index(bounds)
    rows, problems = [], []
    dup = frame["referral_code"].duplicated(keep=False)
    for (_, item), is_dup in zip(frame.iterrows(), dup, strict=True):
        where = f"{source} line {item['line']}, code {item['referral_code']}"
        if is_dup:
            problems.append(f"{where}: the code appears more than once in the list")
        idx, method, note = _match_one(item, bounds, by_code, by_name)
        if idx is None:
            problems.append(f"{where}: {note}")
            rows.append(_row(item, None, None, method, note))
            continue
        if note:
            problems.append(f"{where}: {note}")
        rows.append(_row(item, bounds.iloc[idx], bounds.iloc[idx]["commune_code"], method, note))
    table = pd.DataFrame(rows, columns=OUTPUT_COLUMNS).astype(object)
    table = table.where(table.notna(), None)
    table = table.drop_duplicates("referral_code", keep="first").reset_index(drop=True)
    return ReferralImport(table=table, problems=problems)


def _match_one(item: pd.Series, bounds: pd.DataFrame, by_code: dict, by_name: dict):
    code = item["referral_code"]
    explicit = _get(item, "commune_code")
    candidate = None
    if explicit and str(explicit).zfill(5) in by_code:
        candidate, method = by_code[str(explicit).zfill(5)], "commune_code"
    elif _GSO_CODE_RE.match(code) and code[-5:] in by_code:
        candidate, method = by_code[code[-5:]], "gso_code"
    if candidate is not None:
        return candidate, method, _name_check(item, bounds.iloc[candidate])
    if not _get(item, "commune_name"):
        return None, "unmatched", "no commune with that code and no commune name to match"
    hits = _find_by_name(item, by_name, bounds)
    if len(hits) == 1:
        return hits[0], "name", ""
    if not hits:
        return None, "unmatched", f"no commune named '{item['commune_name']}' ({_area(item)})"
    names = ", ".join(f"{bounds.iloc[h]['commune_code']} {bounds.iloc[h]['commune_name']}" for h in hits[:4])
    return None, "ambiguous", f"'{item['commune_name']}' matches {len(hits)} communes: {names}"


def _name_check(item: pd.Series, commune: pd.Series) -> str:
    """Empty when the list's names agree with the boundaries; otherwise what differs."""
    notes = []
    for field_name in ("commune_name", "district_name", "province_name"):
        given, known = _get(item, field_name), commune[field_name]
        if not given or known is None or pd.isna(known):
            continue
        if name_key(given) != name_key(known):
            notes.append(f"{field_name} '{given}' disagrees with the code's commune ({known}); the code decides")
        elif name_key(given, keep_accents=True) != name_key(known, keep_accents=True):
            notes.append(f"{field_name} spelled '{given}', boundaries have '{known}' (diacritics differ)")
    return "; ".join(notes)


def _name_index(bounds: pd.DataFrame) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, name in enumerate(bounds["commune_name"]):
        index.setdefault(name_key(name), []).append(i)
    return index


def _find_by_name(item: pd.Series, by_name: dict[str, list[int]], bounds: pd.DataFrame) -> list[int]:
    """Communes of that name, narrowed by the province and then the district the list gives."""
    hits = by_name.get(name_key(item["commune_name"]), [])
    for field_name in ("province_name", "district_name"):
        given = _get(item, field_name)
        if given and hits:
            narrowed = [
                h
                for h in hits
                if pd.notna(bounds.iloc[h][field_name]) and name_key(bounds.iloc[h][field_name]) == name_key(given)
            ]
            # A district name that the boundaries do not have (post-2025 files) does not narrow.
            if narrowed or field_name == "province_name":
                hits = narrowed
    return hits


def _area(item: pd.Series) -> str:
    return ", ".join(str(item[c]) for c in ("district_name", "province_name") if _get(item, c)) or "no area given"


def _row(item: pd.Series, commune: pd.Series | None, code: str | None, method: str, note: str) -> dict:
    def pick(field_name: str) -> str | None:
        if commune is not None and pd.notna(commune[field_name]):
            return commune[field_name]
        return _get(item, field_name)

    return {
        "referral_code": item["referral_code"],
        "commune_code": code,
        "commune_name": pick("commune_name"),
        "district_name": pick("district_name"),
        "province_name": pick("province_name"),
        "match_method": method,
        "note": note or None,
    }
