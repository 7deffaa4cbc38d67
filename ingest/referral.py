"""Referral codes (mã giới thiệu), matched to the store's communes (RULES §13, docs/DATA.md).

A row of the list is matched, against today's boundaries first and then against each earlier set the store keeps:
by the commune code it gives; by its code when that is a GSO code whose province, district and commune agree with
the boundaries; by the commune's name with its prefix ("Thị trấn Chi Lăng" is not "Xã Chi Lăng"); by the name
without the prefix. A match in an earlier set is carried to the commune of today that contains the old commune.
Each problem is kept with the row, in Vietnamese and English, and the list's own words are kept so the list can be
matched again when the boundaries change.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.codes import gso_form, gso_parts, normalize_referral_code, referral_key
from core.errors import UserError
from core.i18n import Msg, MsgList
from core.text import fold, header_key, name_key
from geo.boundaries import load_boundaries
from ingest.history import BoundarySet, earlier_sets
from ingest.readers import HeaderSpec, read_raw
from ingest.reassign import Moves, reassign_store
from store.audit import Actor, command_line_actor, file_facts
from store.transaction import Store, Transaction, transaction

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
GIVEN = ["commune_code", "commune_name", "district_name", "province_name"]
OUTPUT_COLUMNS = [
    "referral_code",
    "commune_code",
    "commune_name",
    "district_name",
    "province_name",
    "match_method",  # commune_code, gso_code, name, lineage (found in earlier boundaries); unmatched, ambiguous, former
    "problem",
    "problem_en",
    "former",  # kept from an earlier list for the measurements that still carry it
    *(f"given_{c}" for c in GIVEN),
    "source_file",
    "line",
]
NOT_PLACED = ("unmatched", "ambiguous", "former")


@dataclass
class ReferralImport:
    """The matched list and the problems found (one message per row that needs a look)."""

    table: pd.DataFrame
    problems: list[Msg] = field(default_factory=list)
    kept_former: int = 0
    moves: Moves | None = None  # what loading the list changed in where stored measurements belong

    @property
    def matched(self) -> int:
        listed = self.table[~self.table["former"].astype(bool)]
        return int(listed["commune_code"].notna().sum())

    @property
    def codes(self) -> int:
        return int((~self.table["former"].astype(bool)).sum())


def import_referral(
    store: Store,
    path: Path,
    *,
    actor: Actor | None = None,
    shown_name: str | None = None,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> ReferralImport:
    """Match a referral-code list to the store's communes and save it in place of the earlier list, then place
    again every stored measurement that had no point inside a commune (its code may now say where it belongs).

    Codes of the earlier list that the new one does not have are kept, marked former, while they still place
    measurements (a list sent after the 2025 reform no longer has the old codes old measurements carry)."""
    with transaction(store, "referral", actor or command_line_actor(), wait=wait, on_wait=on_wait) as tx:
        if not store.has_boundaries():
            raise UserError("err_referral_needs_boundaries", store=str(store.root))
        bounds = load_boundaries(store.boundaries_path)
        result = read_referral_list(Path(path), bounds, earlier_sets(store), shown_name)
        before = pd.read_parquet(store.referral_path) if store.referral_path.exists() else None
        result = _keep_former_codes(result, before)
        save_referral_table(tx, result.table)
        moved = reassign_store(store, tx, bounds, referral=result.table, relocate=False)
        tx.details.update(
            {
                "file": file_facts(path, shown_name),
                "codes": result.codes,
                "matched": result.matched,
                "kept_former": result.kept_former,
                "replaced_codes": None if before is None else len(before),
                "reassigned": moved.facts(),
            }
        )
    result.moves = moved
    return result


def save_referral_table(tx: Transaction, table: pd.DataFrame) -> None:
    table.to_parquet(tx.path_for("referral_codes.parquet", overwrite=True), index=False)


def read_referral_list(
    path: Path, boundaries: pd.DataFrame, earlier: list[BoundarySet] | None = None, shown_name: str | None = None
) -> ReferralImport:
    """Read a CSV/XLSX referral list and match each code to one commune of ``boundaries``."""
    raw = read_raw(path, REFERRAL_HEADER)
    cols = _map_columns(raw.frame, path)
    frame = pd.DataFrame({canon: raw.frame[src].map(_clean) for canon, src in cols.items() if canon != "referral_code"})
    frame["referral_code"] = raw.frame[cols["referral_code"]].map(normalize_referral_code)
    for canon in GIVEN:
        if canon not in frame:
            frame[canon] = None
    frame["line"] = raw.lines.to_numpy()
    frame["source_file"] = shown_name or path.name
    frame = frame[frame["referral_code"].notna()]
    if frame.empty:
        raise UserError("err_referral_empty", file=str(path))
    result = match_referral_codes(frame, boundaries, earlier or [])
    if result.matched == 0:
        raise UserError("err_referral_matches_nothing", file=str(path), n=len(frame))
    return result


def rematch(table: pd.DataFrame, boundaries: pd.DataFrame, earlier: list[BoundarySet]) -> ReferralImport:
    """The stored list matched again from its own words (after the boundaries changed)."""
    frame = table.rename(columns={f"given_{c}": c for c in GIVEN})[
        ["referral_code", *GIVEN, "line", "source_file", "former"]
    ]
    frame = frame.rename(columns={"former": "_former"})
    result = match_referral_codes(frame, boundaries, earlier)
    result.table["former"] = frame["_former"].astype(bool).to_numpy()
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


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a name; spreadsheets refuse them


def _clean(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a commune code typed as a number
    text = _CONTROL.sub("", str(value)).strip()
    return text or None


def _get(item: dict, key: str) -> str | None:
    value = item.get(key)
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


# ---- matching -------------------------------------------------------------------------------------------------


@dataclass
class _Match:
    index: int | None  # row of the boundaries (or of the earlier set)
    method: str
    notes: list[Msg] = field(default_factory=list)
    via: str | None = None  # for a match carried from an earlier set: how it was found there


class _Names:
    """Today's (or an earlier set's) communes, indexed for matching."""

    def __init__(self, bounds: pd.DataFrame) -> None:
        self.bounds = bounds.reset_index(drop=True)
        self.has_districts = bool(self.bounds["district_code"].notna().any())
        self.by_code = {c: i for i, c in enumerate(self.bounds["commune_code"])}
        self.full: dict[str, list[int]] = {}
        self.bare: dict[str, list[int]] = {}
        for i, name in enumerate(self.bounds["commune_name"]):
            self.full.setdefault(fold(name), []).append(i)
            self.bare.setdefault(name_key(name), []).append(i)

    def label(self, i: int) -> str:
        row = self.bounds.iloc[i]
        area = row["district_name"] if pd.notna(row["district_name"]) else row["province_name"]
        return f"{row['commune_name']} ({area})" if area else str(row["commune_name"])


def match_referral_codes(
    frame: pd.DataFrame, boundaries: pd.DataFrame, earlier: list[BoundarySet] | None = None
) -> ReferralImport:
    """Match each row of ``frame`` (referral_code, the list's names, line, source_file) to one commune of today."""
    today = _Names(pd.DataFrame(boundaries.drop(columns="geometry", errors="ignore")))
    sets = [(s, _Names(pd.DataFrame(s.frame.drop(columns="geometry")))) for s in (earlier or [])]
    keys = frame["referral_code"].map(referral_key)
    repeated = keys.duplicated(keep="first")
    rows, problems = [], []
    for (_, item), is_repeat in zip(frame.iterrows(), repeated, strict=True):
        item = item.to_dict()
        where = Msg(
            "ref_where", file=item.get("source_file", ""), line=item.get("line", ""), code=item["referral_code"]
        )
        if is_repeat:
            problems.append(Msg("ref_problem", where=where, what=Msg("ref_duplicate")))
            continue
        match = _match_one(item, today)
        commune = today.bounds.iloc[match.index] if match.index is not None else None
        if match.index is None:
            for old, names in sets:
                found = _match_one(item, names)
                if found.index is not None:
                    match, commune = _carry(found, old, names, today)
                    break
        if match.notes:
            problems.append(Msg("ref_problem", where=where, what=MsgList(match.notes, sep="; ")))
        rows.append(_row(item, commune, match))
    table = pd.DataFrame(rows, columns=OUTPUT_COLUMNS).astype(object)
    table = table.where(table.notna(), None)
    table["former"] = False
    return ReferralImport(table=table.reset_index(drop=True), problems=problems)


def _match_one(item: dict, names: _Names) -> _Match:
    code = item["referral_code"]
    explicit = _get(item, "commune_code")
    if explicit and explicit.zfill(5) in names.by_code:
        i = names.by_code[explicit.zfill(5)]
        return _Match(i, "commune_code", _name_check(item, names.bounds.iloc[i]))
    by_code = _by_gso_code(code, names)
    if by_code is not None:
        notes = _name_check(item, names.bounds.iloc[by_code])
        disagrees = any(n.key == "ref_name_disagrees" and n.values["field"].key == "field_commune_name" for n in notes)
        if not (disagrees and not names.has_districts):
            return _Match(by_code, "gso_code", notes)
        # Boundaries without districts reuse old codes for other communes: the name decides.
    if not _get(item, "commune_name"):
        return _Match(None, "unmatched", [Msg("ref_no_name")])
    return _match_name(item, names)


def _by_gso_code(code: str, names: _Names) -> int | None:
    """The commune a GSO code names, when that commune exists in the code's province (RULES §13: the code decides,
    the names confirm)."""
    parts = gso_parts(code)
    if parts is None or parts[2] not in names.by_code:
        return None
    i = names.by_code[parts[2]]
    row = names.bounds.iloc[i]
    return i if row["province_code"] == parts[0] else None


def _match_name(item: dict, names: _Names) -> _Match:
    """The name with its prefix first ('Thị trấn Chi Lăng'), then without ('Chi Lăng'), within the area given."""
    given = item["commune_name"]
    exact = _narrow(item, names.full.get(fold(given), []), names)
    if len(exact) == 1:
        return _Match(exact[0], "name", _name_check(item, names.bounds.iloc[exact[0]]))
    hits = exact or _narrow(item, names.bare.get(name_key(given), []), names)
    if len(hits) == 1:
        known = names.bounds.iloc[hits[0]]["commune_name"]
        return _Match(hits[0], "name", [Msg("ref_prefix_differs", given=given, known=known)])
    if not hits:
        return _Match(None, "unmatched", [Msg("ref_no_such_name", name=given, area=_area(item))])
    listed = ", ".join(f"{names.bounds.iloc[h]['commune_code']} {names.label(h)}" for h in hits[:4])
    return _Match(None, "ambiguous", [Msg("ref_ambiguous", name=given, n=len(hits), names=listed)])


def _narrow(item: dict, hits: list[int], names: _Names) -> list[int]:
    """Keep the communes in the province and then the district the list gives (a district name the boundaries
    do not have, as after 2025, does not narrow)."""
    for field_name in ("province_name", "district_name"):
        given = _get(item, field_name)
        if given and hits:
            narrowed = [
                h
                for h in hits
                if pd.notna(names.bounds.iloc[h][field_name])
                and name_key(names.bounds.iloc[h][field_name]) == name_key(given)
            ]
            if narrowed or field_name == "province_name":
                hits = narrowed
    return hits


def _name_check(item: dict, commune: pd.Series) -> list[Msg]:
    """Nothing when the list's names agree with the commune found; otherwise what differs."""
    notes = []
    for field_name in ("commune_name", "district_name", "province_name"):
        given, known = _get(item, field_name), commune[field_name]
        if not given or known is None or pd.isna(known):
            continue
        what = Msg(f"field_{field_name}")
        if name_key(given) != name_key(known):
            notes.append(Msg("ref_name_disagrees", field=what, given=given, known=known))
        elif name_key(given, keep_accents=True) != name_key(known, keep_accents=True):
            notes.append(Msg("ref_spelling", field=what, given=given, known=known))
    return notes


def _carry(found: _Match, old: BoundarySet, names: _Names, today: _Names) -> tuple[_Match, pd.Series | None]:
    """A match in an earlier set, carried to the commune of today that contains the old commune."""
    old_row = names.bounds.iloc[found.index]
    label = names.label(found.index)
    successor = old.today.get(old_row["commune_code"])
    if successor is None or successor not in today.by_code:
        return _Match(None, "former", [*found.notes, Msg("ref_former", old=label)]), None
    i = today.by_code[successor]
    note = Msg("ref_lineage", old=label, new=today.label(i))
    return _Match(i, "lineage", [*found.notes, note], via=found.method), today.bounds.iloc[i]


def _area(item: dict) -> str | Msg:
    parts = [str(item[c]) for c in ("district_name", "province_name") if _get(item, c)]
    return ", ".join(parts) if parts else Msg("ref_no_area")


def _row(item: dict, commune: pd.Series | None, match: _Match) -> dict:
    def pick(field_name: str) -> str | None:
        if commune is not None and pd.notna(commune[field_name]):
            return commune[field_name]
        return _get(item, field_name)

    notes = MsgList(match.notes, sep="; ")
    code = item["referral_code"]
    if "gso_code" in (match.method, match.via):
        code = gso_form(code)  # the leading zero Excel dropped, restored: 605801834 -> 0605801834
    return {
        "referral_code": code,
        "commune_code": commune["commune_code"] if commune is not None else None,
        "commune_name": pick("commune_name"),
        "district_name": pick("district_name") if commune is None or pd.notna(commune["district_name"]) else None,
        "province_name": pick("province_name"),
        "match_method": match.method,
        "problem": notes.render("vi") or None,
        "problem_en": notes.render("en") or None,
        **{f"given_{c}": _get(item, c) for c in GIVEN},
        "source_file": item.get("source_file"),
        "line": item.get("line"),
    }


def _keep_former_codes(result: ReferralImport, before: pd.DataFrame | None) -> ReferralImport:
    """Codes of communes from earlier boundaries (matched through their former commune) that the new list lacks,
    kept, marked former, to place the older measurements that carry them. A code simply left out of a list of the
    same boundaries is dropped with it."""
    if before is None or "given_commune_name" not in before:
        return result
    new_keys = set(result.table["referral_code"].map(referral_key))
    carried = before["match_method"].eq("lineage") | before["former"].astype(bool)
    old = before[carried & before["commune_code"].notna() & ~before["referral_code"].map(referral_key).isin(new_keys)].copy()
    if old.empty:
        return result
    old["former"] = True
    note = Msg("ref_kept_former")
    old["problem"], old["problem_en"] = note.render("vi"), note.render("en")
    table = pd.concat([result.table, old[OUTPUT_COLUMNS]], ignore_index=True)
    return ReferralImport(table=table, problems=result.problems, kept_former=len(old))
