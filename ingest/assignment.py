"""Where each measurement belongs (RULES §1), and why, when it belongs nowhere (RULES §13; the reasons are listed
in store.placement).

A measurement goes to the commune whose polygon contains its point. Without a point, or with a point outside every
commune, its referral code decides: the commune the referral list gives the code, or, for a code in the GSO form
that is not on the list, the commune the code names (in today's boundaries, or in an earlier set and then the
commune of today that contains it). Otherwise it is unassigned, and the reason is kept with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.codes import gso_parts, referral_key
from geo.assign import CommuneIndex
from store.placement import BY_LOCATION, BY_REFERRAL
from store.placement import reason as reason_of


@dataclass
class CodeBook:
    """What a referral code says about where a measurement was taken."""

    places: dict[str, str] = field(default_factory=dict)  # referral key -> commune of today
    failures: dict[str, str] = field(default_factory=dict)  # referral key -> 'unmatched' | 'former'
    has_list: bool = False
    # (province, commune) GSO codes of today's communes, and of earlier sets with where each of them lies today
    today: dict[tuple[str, str], str] = field(default_factory=dict)
    earlier: list[dict[tuple[str, str], str | None]] = field(default_factory=list)
    today_has_districts: bool = True

    def resolve(self, code: str) -> tuple[str | None, str | None]:
        """(commune of today, None) or (None, the code reason) for one code as stored."""
        key = referral_key(code)
        if key in self.places:
            return self.places[key], None
        if key in self.failures:
            return None, self.failures[key]
        found = self._decode(code)
        if found is not None:
            return found
        return None, ("not_in_list" if self.has_list else "no_list")

    def _decode(self, code: str) -> tuple[str | None, str | None] | None:
        """A GSO code names its province and its commune, which must exist in that province (RULES §13).

        Boundaries without districts reuse old commune codes for other communes, so a code in the form with a
        district part is only read against a set of boundaries that has districts."""
        parts = gso_parts(code)
        if parts is None:
            return None
        key = (parts[0], parts[2])
        if self.today_has_districts and key in self.today:
            return self.today[key], None
        for links in self.earlier:
            if key in links:
                today = links[key]
                return (today, None) if today is not None else (None, "former")
        return None


def build_code_book(
    referral: pd.DataFrame | None, today: pd.DataFrame, earlier: list[tuple[pd.DataFrame, dict[str, str | None]]]
) -> CodeBook:
    """The code book of a referral list (as stored), today's boundaries and the earlier sets with their lineage."""
    book = CodeBook(today_has_districts=bool(today["district_code"].notna().any()))
    current = set(today["commune_code"])
    if referral is not None and len(referral):
        book.has_list = True
        for code, commune, method in zip(
            referral["referral_code"], referral["commune_code"], referral["match_method"], strict=True
        ):
            key = referral_key(code)
            if key in book.places or key in book.failures:
                continue  # the first row of a repeated code decides, as in the list's own report
            if commune is not None and not pd.isna(commune) and commune in current:
                book.places[key] = commune
            else:
                book.failures[key] = "former" if method in ("former", "lineage") or commune else "unmatched"
    book.today = _codes(today, lambda code: code)
    for frame, links in earlier:
        if frame["district_code"].notna().any():
            book.earlier.append(_codes(frame, links.get))
    return book


def _codes(frame: pd.DataFrame, today_of) -> dict:
    return {(p, c): today_of(c) for p, c in zip(frame["province_code"], frame["commune_code"], strict=True)}


@dataclass
class Assignment:
    """The commune of each measurement, how it was found, and why not when it was not."""

    commune_code: np.ndarray
    assigned_by: np.ndarray
    unassigned_reason: np.ndarray

    def count(self, by: str) -> int:
        return int((self.assigned_by == by).sum())

    @property
    def unassigned(self) -> int:
        return int(pd.isna(self.commune_code).sum())


def assign(lat: np.ndarray, lon: np.ndarray, codes: pd.Series, index: CommuneIndex, book: CodeBook) -> Assignment:
    """RULES §1 for a batch of measurements (``codes``: their referral codes as stored, None where absent)."""
    n = len(codes)
    commune = index.locate(lat, lon)
    by = np.where(pd.notna(commune), BY_LOCATION, None).astype(object)
    reason = np.full(n, None, dtype=object)
    rest = np.flatnonzero(pd.isna(commune))
    if len(rest):
        has_point = np.isfinite(np.asarray(lat, dtype="float64")[rest]) & np.isfinite(
            np.asarray(lon, dtype="float64")[rest]
        )
        location = np.where(has_point, "outside", "no_location")
        code_values = pd.Series(codes.to_numpy(dtype=object)[rest], dtype=object)
        resolved = {c: book.resolve(c) for c in code_values.dropna().unique()}
        found = code_values.map({c: r[0] for c, r in resolved.items()}).to_numpy(dtype=object)
        why = code_values.map({c: r[1] for c, r in resolved.items()}).to_numpy(dtype=object)
        placed = pd.notna(found)
        commune[rest[placed]] = found[placed]
        by[rest[placed]] = BY_REFERRAL
        no_code = code_values.isna().to_numpy()
        reason[rest[no_code]] = location[no_code]
        failed = ~placed & ~no_code
        reason[rest[failed]] = [reason_of(loc, w) for loc, w in zip(location[failed], why[failed], strict=True)]
    return Assignment(commune, by, reason)
