"""Every rule that turns statistics into what a reader sees, each in exactly one function (docs/RULES.md).

The pages, the deck, the workbook and the command line all call these: where two of them show the same thing,
they show it from the same function, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.codes import gso_form, normalize_referral_code, referral_key
from core.formats import number
from core.i18n import Msg, MsgList, Told
from core.settings import Settings
from store.placement import NOT_RECORDED, reason_words

# A commune's data for the speed verdict (RULES §6, §18): none at all, too few, or enough.
DATA_NO_DATA, DATA_INSUFFICIENT, DATA_SUFFICIENT = "no_data", "insufficient", "sufficient"


def judge(table: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Quota and speed-target verdicts; insufficient data gives no speed verdict (RULES §6), and no measurement in
    the speed scope at all is "no data", told apart from insufficient data (RULES §18)."""
    table = table.copy()
    for col in ("samples", "speed_samples", "all_samples"):
        if col in table:
            table[col] = table[col].fillna(0).astype("int64")
    table["quota"] = settings.quota
    table["quota_pct"] = 100.0 * table["samples"] / settings.quota
    table["meets_quota"] = table["samples"] >= settings.quota
    table["sufficient"] = table["speed_samples"] >= settings.min_samples
    table["no_data"] = table["speed_samples"] == 0
    table["data_status"] = np.select(
        [table["no_data"], table["sufficient"]], [DATA_NO_DATA, DATA_SUFFICIENT], default=DATA_INSUFFICIENT
    )
    table["speed_target_mbps"] = settings.speed_target_mbps
    verdict = table["mean_download_mbps"] >= settings.speed_target_mbps
    table["meets_speed_target"] = pd.Series(verdict, dtype="boolean").where(table["sufficient"], pd.NA)
    return table


def month_over_month(
    current: pd.DataFrame, previous: pd.DataFrame, key: str | None, comparable: bool = True
) -> pd.DataFrame:
    """Adds the previous month's mean and samples and the change; the change is empty where either month
    has insufficient data (a difference of two unreliable means is not shown as a trend), and everywhere when the
    boundaries changed between the months (``comparable`` False, metrics.timeline.comparable)."""
    cols = ["mean_download_mbps", "samples", "sufficient"]
    if key is None:
        prev = previous[cols].add_prefix("prev_")
        out = current.copy()
        for c in prev.columns:
            out[c] = prev[c].iloc[0] if len(prev) else np.nan
    else:
        prev = previous[[key, *cols]].rename(columns={c: f"prev_{c}" for c in cols})
        out = current.merge(prev, on=key, how="left")
    both = out["sufficient"].astype(bool) & out["prev_sufficient"].fillna(False).astype(bool) & comparable
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
    insufficient: int  # some measurements in the speed scope, fewer than min_samples
    no_data: int  # no measurement in the speed scope

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
        insufficient=int((~communes["sufficient"].astype(bool) & ~communes["no_data"].astype(bool)).sum()),
        no_data=int(communes["no_data"].astype(bool).sum()),
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
class UnassignedGroup:
    """Measurements in no commune for one reason (store.placement), with the referral codes they carry."""

    reason: str
    samples: int
    codes: tuple[tuple[str, int], ...]  # (code, samples), most first; empty when they carry none


@dataclass(frozen=True)
class SampleAccount:
    """Every mobile measurement of the month in the selection, accounted for (RULES §1, §13): the total is the
    measurements in communes plus those in none, by reason. With an area filter the selection is the communes of
    the area, and measurements in no commune are in no area: they are told apart, not added."""

    in_communes: int
    unassigned: tuple[UnassignedGroup, ...]
    area_filtered: bool
    left_out_by_cap: int = 0  # RULES §20: a device's tests beyond the cap, in or out of communes

    @property
    def unassigned_samples(self) -> int:
        return sum(g.samples for g in self.unassigned)

    @property
    def total(self) -> int:
        return self.in_communes + (0 if self.area_filtered else self.unassigned_samples) + self.left_out_by_cap


def codes_by_samples(table: pd.DataFrame) -> dict[str, int]:
    """Samples per referral code, most first, every spelling of a code counted as one (:func:`samples_by_code`) and
    shown in its full form (a GSO code with its leading zero: '0605801834', however the files wrote it)."""
    shown: dict[str, str] = {}
    for code in table["referral_code"].dropna():
        name = gso_form(normalize_referral_code(code))
        shown.setdefault(referral_key(name), name)
    counts = samples_by_code(table[table["referral_code"].notna()])
    return {shown[k]: n for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], shown[kv[0]]))}


def sample_account(
    communes: pd.DataFrame,
    unassigned: pd.DataFrame,
    area_filtered: bool,
    left_out_by_cap: int = 0,
    codes_listed: int = 5,
) -> SampleAccount:
    """The account of a month from the commune table, the engine's unassigned measurements by reason and code, and
    the measurements a device cap leaves out."""
    groups = []
    table = unassigned.assign(unassigned_reason=unassigned["unassigned_reason"].fillna(NOT_RECORDED))
    for reason, part in table.groupby("unassigned_reason", sort=False):
        codes = tuple(codes_by_samples(part).items())
        groups.append(UnassignedGroup(str(reason), int(part["samples"].sum()), codes[:codes_listed]))
    groups.sort(key=lambda g: (-g.samples, g.reason))
    return SampleAccount(int(communes["samples"].sum()), tuple(groups), area_filtered, int(left_out_by_cap))


@dataclass(frozen=True)
class AccountRow:
    """One line of the account as pages, deck and workbook show it."""

    label: Msg
    samples: int
    codes: str  # the referral codes involved, most first ('0605801834 (12), ...'); '' when none
    kind: str  # 'communes', 'unassigned' or 'total'


def account_rows(account: SampleAccount) -> list[AccountRow]:
    """In communes, then each reason for being in none (with its codes), then the total they add up to. With an
    area filter, measurements in no commune are listed apart and left out of the total (they are in no area)."""
    rows = [AccountRow(Msg("account_in_communes"), account.in_communes, "", "communes")]
    for group in account.unassigned:
        codes = ", ".join(f"{code} ({n})" for code, n in group.codes)
        rows.append(
            AccountRow(Msg("account_unassigned", reason=reason_words(group.reason)), group.samples, codes, "unassigned")
        )
    if account.left_out_by_cap:
        rows.append(AccountRow(Msg("account_left_out_by_cap"), account.left_out_by_cap, "", "left_out"))
    total = Msg("account_total_area" if account.area_filtered else "account_total")
    rows.append(AccountRow(total, account.total, "", "total"))
    return rows


def unassigned_summary(table: pd.DataFrame, codes_listed: int = 8) -> pd.DataFrame:
    """Measurements in no commune by reason (engine.unassigned_in_store): how many, in which months, and the
    referral codes they carry, most first: what the officer fixes in the list or the files."""
    rows = []
    table = table.assign(unassigned_reason=table["unassigned_reason"].fillna(NOT_RECORDED))
    for reason, part in table.groupby("unassigned_reason", sort=False):
        codes = codes_by_samples(part)
        rows.append(
            {
                "unassigned_reason": reason,
                "samples": int(part["samples"].sum()),
                "months": sorted(part["month"].unique()),
                "codes": ", ".join(f"{c} ({n})" for c, n in list(codes.items())[:codes_listed])
                + (f", … (+{len(codes) - codes_listed})" if len(codes) > codes_listed else ""),
            }
        )
    out = pd.DataFrame(rows, columns=["unassigned_reason", "samples", "months", "codes"])
    return out.sort_values(["samples", "unassigned_reason"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class Headline:
    """The figures at the top of the overview and the deck, for one month and one selection."""

    mean_mbps: float | None  # None: insufficient data
    ci95: tuple[float, float] | None
    change_mbps: float | None  # against the previous month: both months sufficient and comparable (RULES §18)
    boundaries_changed: bool  # the previous month is under other boundaries: no change is shown
    meets_target: bool | None
    samples: int
    previous_samples: int
    counts: VerdictCounts
    account: SampleAccount

    @property
    def unassigned(self) -> int:
        return self.account.unassigned_samples


def headline(
    overall: pd.Series,
    previous: pd.Series,
    communes: pd.DataFrame,
    account: SampleAccount,
    settings: Settings,
    comparable: bool = True,
) -> Headline:
    """The headline of a month; ``comparable`` is False when boundaries changed between the two months."""
    sufficient = bool(overall["sufficient"])
    mean = float(overall["mean_download_mbps"]) if sufficient else None
    change = None
    if sufficient and comparable and bool(previous["sufficient"]):
        change = mean - float(previous["mean_download_mbps"])
    return Headline(
        mean_mbps=mean,
        ci95=(float(overall["ci95_low_mbps"]), float(overall["ci95_high_mbps"])) if sufficient else None,
        change_mbps=change,
        boundaries_changed=not comparable,
        meets_target=None if mean is None else mean >= settings.speed_target_mbps,
        samples=int(overall["samples"]),
        previous_samples=int(previous["samples"]),
        counts=verdict_counts(communes),
        account=account,
    )


# ---- the referral campaign -----------------------------------------------------------------------------


def referral_campaign(referral: pd.DataFrame, counts: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per referral code of the list: the mobile measurements carrying it this month, however it was written in
    the measurement files (RULES §13), and its share of the quota. Codes kept from an earlier list are shown only
    when measurements still carry them."""
    table = referral.assign(
        samples=referral["referral_code"].map(referral_key).map(samples_by_code(counts)).fillna(0).astype("int64")
    )
    if "former" in table:
        table = table[~table["former"].astype(bool) | (table["samples"] > 0)]
    table["quota_pct"] = 100.0 * table["samples"] / settings.quota
    return table.sort_values(["samples", "referral_code"], ascending=[False, True]).reset_index(drop=True)


def samples_by_code(counts: pd.DataFrame) -> dict[str, int]:
    """Measurements per referral key: '605801834', '0605801834' and '0605 801 834' are one code."""
    if not len(counts):
        return {}
    keys = counts["referral_code"].map(normalize_referral_code).map(referral_key)
    return {k: int(v) for k, v in counts.groupby(keys)["samples"].sum().items()}


# ---- who, where and when: the campaign-quality verdict (RULES §20, §21) ---------------------------------------

FLAG_FEW_DEVICES, FLAG_NARROW_AREA, FLAG_OFFICE_HOURS = "few_devices", "narrow_area", "office_hours"
FLAGS = (FLAG_FEW_DEVICES, FLAG_NARROW_AREA, FLAG_OFFICE_HOURS)
VERDICT_NO_SAMPLES, VERDICT_TOO_FEW, VERDICT_SPREAD = "no_samples", "too_few", "spread"
# The coverage map's classes by campaign (RULES §21), in legend order.
CAMPAIGN_CLASSES = ("quota_spread", "quota_concentrated", "under_concentrated", "under_spread", "not_judged")
CAMPAIGN_COLUMNS = [
    "devices",
    "top_device_share",
    "cells_with_samples",
    "cells_total",
    "office_hours_share",
    "samples_per_device",
    "campaign_verdict",
]


def campaign_figures(communes: pd.DataFrame, campaign: pd.DataFrame, cells_total: pd.DataFrame) -> pd.DataFrame:
    """The communes' who/where/when figures (RULES §20) from the engine's counts, one row per commune of
    ``communes``; empty (NaN) where the input cannot tell: devices where no sample carries a device identifier,
    cells where no sample was placed by its location, every share where there is nothing to divide."""
    table = communes[["commune_code"]].merge(campaign, on="commune_code", how="left")
    table = table.merge(cells_total, on="commune_code", how="left")
    samples = table["samples"].fillna(0)
    with_device = table["samples_with_device"].fillna(0)
    located = table["located_samples"].fillna(0)
    out = pd.DataFrame({"commune_code": table["commune_code"]})
    out["devices"] = table["devices"].fillna(0).where((with_device > 0) | (samples == 0)).astype("Int64")
    out["top_device_share"] = (table["top_device_samples"] / with_device).where(with_device > 0)
    out["cells_with_samples"] = table["cells_with_samples"].fillna(0).where((located > 0) | (samples == 0))
    out["cells_with_samples"] = out["cells_with_samples"].astype("Int64")
    out["cells_total"] = table["cells_total"].astype("Int64")
    out["office_hours_share"] = (table["office_samples"] / samples).where(samples > 0)
    out["samples_per_device"] = (with_device / table["devices"]).where(with_device > 0)
    return out


def campaign_flags(table: pd.DataFrame, settings: Settings) -> dict[str, pd.Series]:
    """Each flag of RULES §21 as a mask over the communes; a figure the input cannot tell (empty) raises no flag."""
    devices, top = table["devices"].astype("float64"), table["top_device_share"].astype("float64")
    measured, total = table["cells_with_samples"].astype("float64"), table["cells_total"].astype("float64")
    office = table["office_hours_share"].astype("float64")
    few = (devices < settings.min_devices) | (top > settings.max_top_device_pct / 100)
    return {
        FLAG_FEW_DEVICES: few & devices.notna() & top.notna(),
        FLAG_NARROW_AREA: (total > 0) & (measured / total < settings.min_cell_pct / 100),
        FLAG_OFFICE_HOURS: office > settings.max_office_pct / 100,
    }


def campaign_verdicts(table: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Each commune's campaign verdict beside its quota (RULES §21): 'no_samples', 'too_few' (under min_samples
    counted samples: nothing to judge), 'spread' (no flag), or its flags joined by '+'; and its map class."""
    table = table.copy()
    samples = table["samples"].fillna(0)
    judged = (samples >= settings.min_samples).to_numpy()
    masks = {
        flag: mask.fillna(False).to_numpy(dtype=bool) & judged for flag, mask in campaign_flags(table, settings).items()
    }
    flags = [tuple(f for f in FLAGS if masks[f][i]) for i in range(len(table))]
    table["campaign_flags"] = flags
    table["campaign_verdict"] = np.select(
        [samples == 0, ~judged],
        [VERDICT_NO_SAMPLES, VERDICT_TOO_FEW],
        default=np.asarray([("+".join(f) if f else VERDICT_SPREAD) for f in flags], dtype=object),
    )
    meets = (samples >= settings.quota).to_numpy()
    concentrated = np.asarray([bool(f) for f in flags], dtype=bool)
    table["campaign_class"] = np.select(
        [~judged, meets & ~concentrated, meets, concentrated],
        ["not_judged", "quota_spread", "quota_concentrated", "under_concentrated"],
        default="under_spread",
    )
    return table


def campaign_class_counts(table: pd.DataFrame, settings: Settings) -> dict[str, int]:
    """Communes meeting the quota widely measured, meeting it but concentrated, and under the quota."""
    classes = table["campaign_class"]
    return {
        "spread": int((classes == "quota_spread").sum()),
        "concentrated": int((classes == "quota_concentrated").sum()),
        "under": int((table["samples"] < settings.quota).sum()),
    }


def campaign_to_act(table: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Communes whose campaign needs something done, flagged ones first (those meeting the quota before the rest,
    most samples first: their figure is the one most likely to be trusted wrongly), then those under the quota."""
    act = table[table["campaign_flags"].map(bool) | (table["samples"].fillna(0) < settings.quota)].copy()
    act["_order"] = np.select(
        [act["campaign_flags"].map(bool) & (act["samples"] >= settings.quota), act["campaign_flags"].map(bool)],
        [0, 1],
        default=2,
    )
    act = act.sort_values(["_order", "samples", "commune_code"], ascending=[True, False, True])
    return act.drop(columns="_order").reset_index(drop=True)


def campaign_message(row: Mapping, settings: Settings) -> MsgList:
    """The verdict in words: 'Đủ 312 mẫu nhưng 85% mẫu từ một thiết bị (2 thiết bị); mẫu chỉ ở 3% diện tích xã'."""
    samples = int(0 if pd.isna(row["samples"]) else row["samples"])
    if samples == 0:
        return MsgList([Msg("campaign_no_samples")])
    if samples < settings.min_samples:
        return MsgList([Msg("campaign_too_few", samples=_count(samples), min=_count(settings.min_samples))])
    flags = row["campaign_flags"]
    met = samples >= settings.quota
    values = {"samples": _count(samples), "missing": _count(max(settings.quota - samples, 0))}
    if flags:
        found = MsgList([Msg(f"campaign_{flag}", **_flag_values(row)) for flag in flags], sep="; ")
        return MsgList([Msg("campaign_met_but" if met else "campaign_under_and", flags=found, **values)])
    parts = [Msg("campaign_met_spread" if met else "campaign_under_spread", **values)]
    if pd.isna(row["devices"]):
        parts.append(Msg("campaign_devices_unknown"))
    if pd.isna(row["cells_with_samples"]):
        parts.append(Msg("campaign_cells_unknown"))
    return MsgList(parts, sep="; ")


def campaign_actions(row: Mapping, settings: Settings) -> MsgList:
    """What to do: one action per flag, and the samples still missing under the quota."""
    actions = [Msg(f"action_{flag}") for flag in row["campaign_flags"]]
    samples = int(0 if pd.isna(row["samples"]) else row["samples"])
    if samples < settings.quota:
        actions.append(Msg("action_more_samples", missing=_count(settings.quota - samples)))
    return MsgList(actions, sep="; ")


def _count(n: int) -> Told:
    """A count in each language's digits grouping (1.234 / 1,234)."""
    return Told(number(n, 0, "vi"), number(n, 0, "en"))


def _flag_values(row: Mapping) -> dict:
    def pct(x: object) -> str:
        return "–" if pd.isna(x) else f"{round(100 * float(x))}"

    total = row["cells_total"]
    return {
        "top": pct(row["top_device_share"]),
        "devices": "–" if pd.isna(row["devices"]) else int(row["devices"]),
        "cells": pct(row["cells_with_samples"] / total if pd.notna(total) and total else np.nan),
        "office": pct(row["office_hours_share"]),
    }
