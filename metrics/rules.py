"""Every rule that turns statistics into what a reader sees, each in exactly one function (docs/RULES.md).

The pages, the deck, the workbook and the command line all call these: where two of them show the same thing,
they show it from the same function, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.settings import Settings


def judge(table: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Quota and speed-target verdicts; insufficient data gives no speed verdict (RULES §6)."""
    table = table.copy()
    for col in ("samples", "speed_samples", "all_samples"):
        if col in table:
            table[col] = table[col].fillna(0).astype("int64")
    table["quota"] = settings.quota
    table["quota_pct"] = 100.0 * table["samples"] / settings.quota
    table["meets_quota"] = table["samples"] >= settings.quota
    table["sufficient"] = table["speed_samples"] >= settings.min_samples
    table["speed_target_mbps"] = settings.speed_target_mbps
    verdict = table["mean_download_mbps"] >= settings.speed_target_mbps
    table["meets_speed_target"] = pd.Series(verdict, dtype="boolean").where(table["sufficient"], pd.NA)
    return table


def month_over_month(current: pd.DataFrame, previous: pd.DataFrame, key: str | None) -> pd.DataFrame:
    """Adds the previous month's mean and samples and the change; the change is empty where either month
    has insufficient data (a difference of two unreliable means is not shown as a trend)."""
    cols = ["mean_download_mbps", "samples", "sufficient"]
    if key is None:
        prev = previous[cols].add_prefix("prev_")
        out = current.copy()
        for c in prev.columns:
            out[c] = prev[c].iloc[0] if len(prev) else np.nan
    else:
        prev = previous[[key, *cols]].rename(columns={c: f"prev_{c}" for c in cols})
        out = current.merge(prev, on=key, how="left")
    both = out["sufficient"].astype(bool) & out["prev_sufficient"].fillna(False).astype(bool)
    out["change_mean_download_mbps"] = (out["mean_download_mbps"] - out["prev_mean_download_mbps"]).where(both)
    out["change_samples"] = out["samples"] - out["prev_samples"].fillna(0)
    return out


# ---- verdicts over communes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VerdictCounts:
    """How many communes of a table meet the quota and the target, and how many could be judged at all."""

    communes: int
    meet_quota: int
    judged: int  # with sufficient data (RULES §6)
    meet_target: int
    insufficient: int

    @property
    def below_target(self) -> int:
        return self.judged - self.meet_target


def verdict_counts(communes: pd.DataFrame) -> VerdictCounts:
    """Counts of the commune table's verdicts (judge's columns)."""
    judged = communes["meets_speed_target"].notna()
    return VerdictCounts(
        communes=len(communes),
        meet_quota=int(communes["meets_quota"].sum()),
        judged=int(judged.sum()),
        meet_target=int(communes["meets_speed_target"].fillna(False).sum()),
        insufficient=int((~communes["sufficient"].astype(bool)).sum()),
    )


def below_target(communes: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Communes judged (sufficient data) and below the speed target, furthest first, with their gap in Mbps."""
    table = communes[communes["meets_speed_target"].eq(False).fillna(False)].copy()
    table["gap"] = settings.speed_target_mbps - table["mean_download_mbps"]
    return table.sort_values(["gap", "commune_code"], ascending=[False, True]).reset_index(drop=True)


def below_quota(communes: pd.DataFrame, settings: Settings, referral: pd.DataFrame | None = None) -> pd.DataFrame:
    """Communes under the monthly quota, furthest first, with the samples missing and their referral code."""
    table = communes[~communes["meets_quota"].astype(bool)].copy()
    table["missing"] = settings.quota - table["samples"]
    table = with_referral_codes(table, referral)
    return table.sort_values(["missing", "commune_code"], ascending=[False, True]).reset_index(drop=True)


def with_referral_codes(table: pd.DataFrame, referral: pd.DataFrame | None) -> pd.DataFrame:
    """The table with each commune's referral code (the first in the list when a commune has several)."""
    if referral is None or not len(referral):
        return table.assign(referral_code=None)
    codes = referral.dropna(subset=["commune_code"]).drop_duplicates("commune_code")[["commune_code", "referral_code"]]
    return table.drop(columns=["referral_code"], errors="ignore").merge(codes, on="commune_code", how="left")


# ---- carriers ------------------------------------------------------------------------------------------


def carriers_with_speed(carriers: pd.DataFrame) -> pd.DataFrame:
    """The carriers a speed chart shows: those with at least one measurement in the speed scope, fastest first."""
    table = carriers[carriers["speed_samples"] > 0]
    return table.sort_values(["mean_download_mbps", "carrier"], ascending=[False, True]).reset_index(drop=True)


def carriers_with_samples(carriers: pd.DataFrame) -> pd.DataFrame:
    """The carriers a share of measurements shows: those with at least one mobile measurement, most first."""
    table = carriers[carriers["samples"] > 0]
    return table.sort_values(["samples", "carrier"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class CarrierComparison:
    """Two carriers next to each other in speed: the faster is called faster only if their 95% intervals do
    not overlap (Opensignal's reading); otherwise the difference is not significant."""

    faster: str
    slower: str
    significant: bool


def carrier_comparisons(carriers: pd.DataFrame) -> list[CarrierComparison]:
    """Neighbouring pairs among the carriers with sufficient data, fastest first."""
    judged = carriers_with_speed(carriers[carriers["sufficient"].astype(bool)])
    out = []
    for i in range(len(judged) - 1):
        a, b = judged.iloc[i], judged.iloc[i + 1]
        out.append(CarrierComparison(a["carrier"], b["carrier"], bool(a["ci95_low_mbps"] > b["ci95_high_mbps"])))
    return out


# ---- the headline of a month ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the overview and the deck, for one month and one selection."""

    mean_mbps: float | None  # None: insufficient data
    ci95: tuple[float, float] | None
    change_mbps: float | None  # against the previous month, only when both months have sufficient data
    meets_target: bool | None
    samples: int
    previous_samples: int
    counts: VerdictCounts
    unassigned: int


def headline(
    overall: pd.Series, previous: pd.Series, communes: pd.DataFrame, unassigned: int, settings: Settings
) -> Headline:
    sufficient = bool(overall["sufficient"])
    mean = float(overall["mean_download_mbps"]) if sufficient else None
    change = None
    if sufficient and bool(previous["sufficient"]):
        change = mean - float(previous["mean_download_mbps"])
    return Headline(
        mean_mbps=mean,
        ci95=(float(overall["ci95_low_mbps"]), float(overall["ci95_high_mbps"])) if sufficient else None,
        change_mbps=change,
        meets_target=None if mean is None else mean >= settings.speed_target_mbps,
        samples=int(overall["samples"]),
        previous_samples=int(previous["samples"]),
        counts=verdict_counts(communes),
        unassigned=int(unassigned),
    )


# ---- the referral campaign -----------------------------------------------------------------------------


def referral_campaign(referral: pd.DataFrame, counts: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per referral code of the list: the mobile measurements carrying it this month and its share of the quota."""
    table = referral.merge(counts, on="referral_code", how="left").fillna({"samples": 0})
    table["samples"] = table["samples"].astype("int64")
    table["quota_pct"] = 100.0 * table["samples"] / settings.quota
    return table.sort_values(["samples", "referral_code"], ascending=[False, True]).reset_index(drop=True)
