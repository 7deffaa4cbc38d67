"""Turning a raw table into canonical measurements, with a reason for every rejected row.

The rules are those of docs/DATA.md and RULES §3; each reason names the source column. Times may also be Excel date serials
(45600.5 is 4 November 2024, 12:00, local time), as a sheet whose time column lost its date format writes them; a
coordinate that is not a finite number ('NaN', 'inf') is a rejected row, like one that is not a number at all.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.codes import normalize_referral_code
from core.errors import UserError
from core.i18n import Msg, MsgList, t
from core.text import header_key
from ingest.readers import RawTable
from ingest.vocab import CARRIER_NAMES, MCC_MNC, MEASUREMENT_HEADER, MOBILE_CARRIERS, NETWORK_NAMES
from store.schema import (
    CANONICAL_COLUMNS,
    EARLIEST_MEASUREMENT,
    FIXED_NETWORKS,
    MAX_SPEED_MBPS,
    MOBILE_NETWORKS,
    TIMEZONE,
)

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_DAYFIRST_RE = r"^\d{1,2}/\d{1,2}/\d{4}"
# An Excel date serial (days since 30 December 1899, the fraction the time of day), as office files and CSVs saved
# from a sheet whose time column lost its date format hold them: five digits cover 1927-2173.
_SERIAL_RE = r"\d{5}(?:[.,]\d+)?"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Parsed times are kept within years 1000-9000: further out, Python cannot print them, and they are rejected anyway.
_TIME_FLOOR, _TIME_CAP = pd.Timestamp("1000-01-01", tz=TIMEZONE), pd.Timestamp("9000-01-01", tz=TIMEZONE)
_MCCMNC_RE = re.compile(r"^452[\s\-_/]?0?(\d{1,2})$")
_TRUE = {"1", "true", "yes", "y", "x", "co", "auto", "tu dong", "t"}


@dataclass
class Normalized:
    """Canonical rows that passed validation, and the rejected rows with their reasons."""

    accepted: pd.DataFrame  # canonical columns + 'line'
    rejected: pd.DataFrame  # original columns + 'line', 'reason_code', 'reason' (Vietnamese), 'reason_en'


def map_columns(raw: RawTable) -> dict[str, str]:
    """Canonical field -> source column; refuses a file without a required field, saying which and how to fix."""
    names = [str(c) for c in raw.frame.columns]
    found = MEASUREMENT_HEADER.fields_of(names)
    missing = MEASUREMENT_HEADER.missing(names)
    if missing:
        raise UserError(
            "err_input_missing_fields",
            file=raw.source,
            missing=MsgList([Msg(f"field_{group[0]}") for group in missing]),
            columns=", ".join(names),
        )
    return found


def normalize(raw: RawTable, now: pd.Timestamp | None = None, device_salt: bytes = b"") -> Normalized:
    """Validate and convert every row of a raw table. ``now`` is the moment of loading: later times are refused.
    A device identifier is kept only as its hash salted with ``device_salt`` (the store's), in the accepted rows and
    in the rejected rows' original values alike (RULES §20)."""
    cols = map_columns(raw)
    src = raw.frame
    n = len(src)
    out = pd.DataFrame(index=src.index)
    reasons = _Reasons(n)

    time_col = cols["measured_at"]
    out["measured_at"] = _parse_times(src[time_col])
    present = _present(src[time_col])
    reasons.add(out["measured_at"].isna() & present, "time_unreadable", time_col)
    reasons.add(~present, "time_missing", time_col)
    earliest = pd.Timestamp(EARLIEST_MEASUREMENT, tz=TIMEZONE)
    latest = (now or pd.Timestamp.now(tz=TIMEZONE)).tz_convert(TIMEZONE)
    reasons.add(out["measured_at"] < earliest, "time_too_early", time_col)
    reasons.add(out["measured_at"] > latest, "time_future", time_col)

    out["carrier"] = _normalize_carriers(src[cols["carrier"]])
    reasons.add(out["carrier"].isna(), "carrier_missing", cols["carrier"])

    for kind in ("download", "upload"):
        value, column = _speed(src, cols, kind)
        out[f"{kind}_mbps"] = value
        raw_present = _present(src[column])
        reasons.add(~raw_present, "speed_missing", column)
        reasons.add(raw_present & value.isna(), "speed_not_number", column)
        reasons.add(np.isinf(value), "speed_not_finite", column)
        reasons.add(value < 0, "speed_negative", column)
        reasons.add(np.isfinite(value) & (value > MAX_SPEED_MBPS), "speed_too_high", column)

    for name in ("latency_ms", "jitter_ms"):
        value = _numbers(src[cols[name]]) if name in cols else pd.Series(np.nan, index=src.index)
        out[name] = value.where(np.isfinite(value) & (value >= 0))

    _coordinates(src, cols, out, reasons)
    out["network_type"] = _normalize_networks(src[cols["network_type"]]) if "network_type" in cols else None
    out["access_type"] = _access_type(src, cols, out)
    out["referral_code"] = (
        _map_unique(src[cols["referral_code"]], normalize_referral_code) if "referral_code" in cols else None
    )
    out["device_os"] = _text(src[cols["device_os"]]) if "device_os" in cols else None
    out["is_auto"] = _booleans(src[cols["is_auto"]]) if "is_auto" in cols else None
    out["device_hash"] = None
    if "device_id" in cols:
        hashed = device_hashes(src[cols["device_id"]], device_salt)
        out["device_hash"] = hashed
        src = src.assign(**{cols["device_id"]: hashed})  # rejected rows keep the hash, never the identifier
    out["commune_code"] = out["assigned_by"] = out["unassigned_reason"] = None  # placed later (ingest.assignment)
    out["measurement_id"] = _ids(src, cols, out)
    out["line"] = raw.lines.to_numpy()
    out["row"] = np.arange(n)  # position in the raw table: the way back to a row's original values

    bad = reasons.mask()
    accepted = out.loc[~bad, CANONICAL_COLUMNS + ["line", "row"]].reset_index(drop=True)
    rejected = src.loc[bad].copy()
    rejected["line"] = raw.lines.to_numpy()[bad]
    if raw.sheets is not None:
        rejected["sheet"] = raw.sheets.to_numpy()[bad]
    rejected["reason_code"] = reasons.codes()[bad]
    rejected["reason"] = reasons.text("vi")[bad]
    rejected["reason_en"] = reasons.text("en")[bad]
    return Normalized(accepted=_typed(accepted), rejected=rejected.reset_index(drop=True))


class _Reasons:
    """Accumulates per-row reasons (a code and the source column); a row may have several."""

    def __init__(self, n: int) -> None:
        self._parts: list[tuple[np.ndarray, str, str]] = []
        self._n = n

    def add(self, mask: pd.Series | np.ndarray, code: str, column: str) -> None:
        arr = np.asarray(mask, dtype=bool)
        if arr.any():
            self._parts.append((arr, code, column))

    def mask(self) -> np.ndarray:
        out = np.zeros(self._n, dtype=bool)
        for arr, _, _ in self._parts:
            out |= arr
        return out

    def codes(self) -> np.ndarray:
        return self._join(lambda code, _column: code)

    def text(self, lang: str) -> np.ndarray:
        return self._join(lambda code, column: reason_text(code, column, lang))

    def _join(self, render) -> np.ndarray:
        out = np.full(self._n, "", dtype=object)
        for arr, code, column in self._parts:
            piece = render(code, column)
            out[arr] = np.where(out[arr] == "", piece, out[arr] + "; " + piece)
        return out


def reason_text(code: str, column: str, lang: str) -> str:
    """One rejection reason in words: the column and what is wrong with it."""
    return t(f"reason_{code}", lang, column=column)


def _is_typed(s: pd.Series) -> bool:
    """Numbers, booleans and times read from Parquet or XLSX, as opposed to text."""
    return bool(pd.api.types.is_numeric_dtype(s) or pd.api.types.is_datetime64_any_dtype(s))


def _present(s: pd.Series) -> pd.Series:
    if _is_typed(s):
        return pd.Series(s.notna().to_numpy(), index=s.index)
    text = s.astype("string").str.strip()
    return _bool(text.notna() & (text != ""))


def _text(s: pd.Series) -> pd.Series:
    text = s.astype("string").str.strip()
    text = text.mask(text == "")
    return text.astype(object).where(text.notna(), None)


def _numbers(s: pd.Series) -> pd.Series:
    """Numbers with a decimal point or a decimal comma ('35,2'; '1.234,5'; '1,234.5')."""
    if pd.api.types.is_numeric_dtype(s) and s.dtype != bool:
        return s.astype("float64")
    text = s.astype("string").str.strip()
    if not _bool(text.str.contains(",", regex=False)).any():
        return pd.to_numeric(text.str.replace("\u00a0", "", regex=False), errors="coerce").astype("float64")
    text = text.str.replace(r"[\s\u00a0]", "", regex=True)
    both = _bool(text.str.contains(",", regex=False) & text.str.contains(".", regex=False))
    comma_decimal = both & _bool(text.str.rfind(",") > text.str.rfind("."))
    text = text.mask(comma_decimal, text.str.replace(".", "", regex=False))  # 1.234,5 -> 1234,5
    text = text.mask(both & ~comma_decimal, text.str.replace(",", "", regex=False))  # 1,234.5 -> 1234.5
    text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _speed(src: pd.DataFrame, cols: dict[str, str], kind: str) -> tuple[pd.Series, str]:
    if f"{kind}_mbps" in cols:
        column = cols[f"{kind}_mbps"]
        return _numbers(src[column]), column
    column = cols[f"{kind}_kbps"]
    return _numbers(src[column]) / 1000.0, column


def _parse_times(s: pd.Series) -> pd.Series:
    """ISO 8601 (offsets converted, naive = local time), day-first 'dd/mm/yyyy HH:MM[:SS]', or an Excel date
    serial such as 45600.5 (naive: local time; rounded to the millisecond)."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return _bounded(s.dt.tz_convert(TIMEZONE))
    if pd.api.types.is_datetime64_dtype(s):
        return _bounded(s.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT"))
    result = pd.Series(pd.NaT, index=s.index, dtype=f"datetime64[us, {TIMEZONE}]")
    typed = (
        s.map(lambda v: hasattr(v, "year"), na_action="ignore").fillna(False).astype(bool)
        if s.dtype == object
        else None
    )
    if typed is not None and typed.any():  # datetime objects from XLSX, Parquet or object columns
        result[typed] = _typed_times(s[typed])
    text = s.astype("string").str.strip()
    if typed is not None:
        text = text.mask(typed)
    serial = _bool(text.str.fullmatch(_SERIAL_RE, na=False))
    if serial.any():
        days = pd.to_numeric(text[serial].str.replace(",", ".", regex=False), errors="coerce")
        stamps = (_EXCEL_EPOCH + pd.to_timedelta(days, unit="D")).dt.round("ms")
        result[serial] = stamps.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    dayfirst = ~serial & _bool(text.str.match(_DAYFIRST_RE, na=False))
    with_offset = ~serial & ~dayfirst & _bool(text.str.contains(_OFFSET_RE, regex=True, na=False))
    naive_iso = ~serial & ~dayfirst & ~with_offset & _bool(text.notna() & (text != ""))
    if with_offset.any():
        parsed = pd.to_datetime(text[with_offset], format="ISO8601", utc=True, errors="coerce")
        result[with_offset] = parsed.dt.tz_convert(TIMEZONE)
    if naive_iso.any():
        parsed = pd.to_datetime(text[naive_iso], format="ISO8601", errors="coerce")
        result[naive_iso] = parsed.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    if dayfirst.any():
        parsed = pd.to_datetime(text[dayfirst], format="%d/%m/%Y %H:%M:%S", errors="coerce")
        short = parsed.isna()
        if short.any():
            parsed[short] = pd.to_datetime(text[dayfirst][short], format="%d/%m/%Y %H:%M", errors="coerce")
        result[dayfirst] = parsed.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    return _bounded(result)


def _bounded(times: pd.Series) -> pd.Series:
    """Times before year 1000 or after 9000 moved to those bounds (still too early or in the future)."""
    times = times.where(times.isna() | (times >= _TIME_FLOOR), _TIME_FLOOR)
    return times.where(times.isna() | (times <= _TIME_CAP), _TIME_CAP)


def _typed_times(values: pd.Series) -> pd.Series:
    """Datetime objects: with an offset converted, without one taken as local time. Vectorised, so that the years
    1 and 9999 (which Parquet and Excel allow) survive the conversion and are rejected for what they are."""
    out = pd.Series(pd.NaT, index=values.index, dtype=f"datetime64[us, {TIMEZONE}]")
    aware = values.map(lambda v: getattr(v, "tzinfo", None) is not None).astype(bool)
    if (~aware).any():
        naive = pd.Series([pd.Timestamp(v) for v in values[~aware]], index=values.index[~aware], dtype="datetime64[us]")
        out[~aware] = naive.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    if aware.any():
        local = [pd.Timestamp(v.replace(tzinfo=None)) for v in values[aware]]
        offsets = pd.to_timedelta([v.utcoffset() for v in values[aware]]).to_numpy()
        utc = pd.Series(local, index=values.index[aware], dtype="datetime64[us]") - offsets
        out[aware] = utc.dt.tz_localize("UTC").dt.tz_convert(TIMEZONE)
    return out


def _bool(mask: pd.Series) -> pd.Series:
    """A plain numpy-backed boolean mask (string comparisons give nullable booleans)."""
    return mask.astype("boolean").fillna(False).astype(bool)


def normalize_carrier(value: object) -> str | None:
    """'452-04', '45204', 'viettel ', 'VIETTEL' -> 'Viettel'; unknown names keep their spelling."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():  # 45204.0 from a numeric column
        text = text[:-2]
    if not text:
        return None
    code = _MCCMNC_RE.match(text.replace(" ", ""))
    if code:
        return MCC_MNC.get(f"4520{int(code.group(1))}" if int(code.group(1)) < 10 else f"452{code.group(1)}", text)
    return CARRIER_NAMES.get(header_key(text), text)


def _normalize_carriers(s: pd.Series) -> pd.Series:
    uniques = pd.unique(s.astype(object))
    mapping = {u: normalize_carrier(u) for u in uniques}
    return s.astype(object).map(mapping).astype(object)


def normalize_network(value: object) -> str | None:
    """'LTE', '4g', 'NR' -> '4G', '4G', '5G'; unknown values -> None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    key = header_key(str(value))
    if not key:
        return None
    if key in NETWORK_NAMES:
        return NETWORK_NAMES[key]
    for token, canon in (("5g", "5G"), ("lte", "4G"), ("4g", "4G"), ("3g", "3G"), ("2g", "2G"), ("wifi", "WIFI")):
        if token in key.replace(" ", ""):
            return canon
    return None


def _normalize_networks(s: pd.Series) -> pd.Series:
    mapping = {u: normalize_network(u) for u in pd.unique(s.astype(object))}
    return s.astype(object).map(mapping).astype(object)


def _access_type(src: pd.DataFrame, cols: dict[str, str], out: pd.DataFrame) -> pd.Series:
    """Given, else from the network type, else mobile for a mobile carrier name and fixed otherwise."""
    network = (
        out["network_type"]
        if "network_type" in out and out["network_type"] is not None
        else pd.Series(None, index=out.index)
    )
    derived = pd.Series(
        np.where(
            network.isin(list(MOBILE_NETWORKS)), "mobile", np.where(network.isin(list(FIXED_NETWORKS)), "fixed", None)
        ),
        index=out.index,
        dtype=object,
    )
    by_carrier = out["carrier"].map(lambda c: "mobile" if c in MOBILE_CARRIERS else "fixed", na_action="ignore")
    derived = derived.where(derived.notna(), by_carrier)
    if "access_type" not in cols:
        return derived
    given = _text(src[cols["access_type"]]).map(_access_word, na_action="ignore")
    return given.where(given.notna(), derived).astype(object)


def _access_word(value: str) -> str | None:
    key = header_key(value)
    if key in ("mobile", "cellular", "di dong", "mang di dong", "bang rong di dong"):
        return "mobile"
    if key in ("fixed", "co dinh", "bang rong co dinh", "wifi", "ethernet", "broadband"):
        return "fixed"
    return None


def _coordinates(src: pd.DataFrame, cols: dict[str, str], out: pd.DataFrame, reasons: _Reasons) -> None:
    for name in ("lat", "lon"):
        if name not in cols:
            out[name] = np.nan
            continue
        value = _numbers(src[cols[name]])
        reasons.add(_present(src[cols[name]]) & ~np.isfinite(value), "coord_not_number", cols[name])  # 'NaN', 'inf'
        out[name] = value.where(np.isfinite(value))
    swapped = pd.Series(False, index=out.index)
    if "lat" in cols and "lon" in cols:
        # Latitude in Vietnam's longitudes and longitude in its latitudes: the two columns were swapped (said once,
        # rather than as a latitude out of range).
        swapped = out["lat"].between(100.0, 118.0) & out["lon"].between(6.0, 24.5)
        reasons.add(swapped, "coords_swapped", f"{cols['lat']}, {cols['lon']}")
    for name, limit in (("lat", 90.0), ("lon", 180.0)):
        if name in cols:
            reasons.add(~swapped & (out[name].abs() > limit), f"{name}_range", cols[name])
    # A point needs both coordinates; one alone is treated as no point.
    half = out["lat"].isna() | out["lon"].isna()
    out.loc[half, ["lat", "lon"]] = np.nan


def _map_unique(s: pd.Series, func) -> pd.Series:
    """Apply func once per distinct value (columns such as codes repeat a lot)."""
    values = s.astype(object).where(s.notna(), None)
    mapping = {u: func(u) for u in pd.unique(values)}
    return values.map(mapping).astype(object).where(lambda x: x.notna(), None)


def _booleans(s: pd.Series) -> pd.Series:
    def to_bool(v: object) -> bool | None:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, (bool, np.bool_)):
            return bool(v)
        key = header_key(str(v))
        return None if not key else key in _TRUE

    mapping = {u: to_bool(u) for u in pd.unique(s.astype(object))}
    return s.astype(object).map(mapping).astype(object)


def _ids(src: pd.DataFrame, cols: dict[str, str], out: pd.DataFrame) -> pd.Series:
    """Given ids where present; otherwise a stable hash of the canonical values of the row."""
    key_cols = [
        "measured_at",
        "carrier",
        "network_type",
        "download_mbps",
        "upload_mbps",
        "latency_ms",
        "lat",
        "lon",
        "referral_code",
        "device_os",
    ]
    basis = out[key_cols].copy()
    basis["measured_at"] = out["measured_at"].to_numpy(dtype="datetime64[us]").view("int64")
    for c in ("download_mbps", "upload_mbps", "latency_ms", "lat", "lon"):
        basis[c] = basis[c].round(6)
    for c in ("carrier", "network_type", "referral_code", "device_os"):
        basis[c] = basis[c].astype(object).fillna("").astype(str)
    hashed = pd.util.hash_pandas_object(basis, index=False).to_numpy()
    generated = pd.Series([f"h{h:016x}" for h in hashed], index=out.index, dtype=object)
    if "measurement_id" not in cols:
        return generated
    given = _text(src[cols["measurement_id"]])
    return given.where(given.notna(), generated).astype(object)


def device_key(value: object) -> str | None:
    """One device identifier as its files write it, compared without case and surrounding spaces, and without the
    '.0' a spreadsheet adds to a number ('351234567890123.0' is '351234567890123')."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return None
    text = str(value).strip().lower()
    text = text[:-2] if text.endswith(".0") and text[:-2].isdigit() else text
    return text or None


def device_hashes(values: pd.Series, salt: bytes) -> pd.Series:
    """The salted hash (HMAC-SHA256, 32 hex digits) of each device identifier; None where there is none."""
    if not salt:
        raise ValueError("a device identifier is hashed with the store's salt, never without one")

    def one(value: object) -> str | None:
        key = device_key(value)
        return None if key is None else hmac.new(salt, key.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    return _map_unique(values, one)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for c in ("download_mbps", "upload_mbps", "latency_ms", "jitter_ms", "lat", "lon"):
        frame[c] = frame[c].astype("float64")
    for c in (
        "measurement_id",
        "access_type",
        "network_type",
        "carrier",
        "referral_code",
        "device_os",
        "device_hash",
        "commune_code",
        "assigned_by",
        "unassigned_reason",
    ):
        frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    frame["is_auto"] = frame["is_auto"].astype(object).where(frame["is_auto"].notna(), None)
    return frame
