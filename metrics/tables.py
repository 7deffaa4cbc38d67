"""The tables of the monthly report (docs/DATA.md, the commune report): communes, districts, the monthly return."""

from __future__ import annotations

import pandas as pd

from core.codes import referral_key
from core.settings import Settings
from geo.boundaries import BOUNDARY_COLUMNS
from metrics.engine import StatsEngine
from metrics.filters import Filters
from metrics.rules import (
    CAMPAIGN_COLUMNS,
    SampleAccount,
    campaign_actions,
    campaign_message,
    campaign_to_act,
    sample_account,
    samples_by_code,
    with_referral_codes,
)

# The speed figures, left empty where data are insufficient (RULES §6).
SPEED_COLUMNS = [
    "mean_download_mbps",
    "median_download_mbps",
    "p10_download_mbps",
    "p90_download_mbps",
    "ci95_low_mbps",
    "ci95_high_mbps",
    "mean_upload_mbps",
    "mean_latency_ms",
]
# The commune report's columns, in the contract's order (docs/DATA.md): never reordered, only appended to.
REPORT_COLUMNS = [
    "month",
    *BOUNDARY_COLUMNS,
    "samples",
    "quota",
    "quota_pct",
    "meets_quota",
    "speed_samples",
    *SPEED_COLUMNS,
    "speed_target_mbps",
    "meets_speed_target",
    "data_status",
    *CAMPAIGN_COLUMNS,  # RULES §20, §21
]


def commune_report(
    engine: StatsEngine, filters: Filters, settings: Settings, campaign: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The report table: one row per commune, speed figures empty where data are insufficient; ``campaign`` is the
    engine's campaign table when the caller has it already."""
    table = engine.commune_table(filters, settings)
    campaign = engine.campaign_table(filters, settings) if campaign is None else campaign
    table = table.merge(campaign[["commune_code", *CAMPAIGN_COLUMNS]], on="commune_code", how="left")
    table["month"] = filters.month
    table.loc[~table["sufficient"], SPEED_COLUMNS] = float("nan")
    table["meets_speed_target"] = table["meets_speed_target"].astype("boolean")
    return table[REPORT_COLUMNS].sort_values("commune_code").reset_index(drop=True)


def campaign_listing(
    campaign: pd.DataFrame, areas: pd.DataFrame, settings: Settings, lang: str, to_act: bool = True
) -> pd.DataFrame:
    """The campaign verdicts as pages, deck and workbook list them (RULES §21): each commune's names, samples,
    devices, shares in percent, the verdict in words and what to do; with ``to_act`` only the communes that need
    something done, in rules.campaign_to_act's order (which a full listing can also be given to)."""
    names = areas[["commune_code", "commune_name", "district_name", "province_name"]]
    out = campaign.sort_values("commune_code").merge(names, on="commune_code", how="left")
    out["top_device_pct"] = 100 * out["top_device_share"]
    out["cell_pct"] = 100 * out["cells_with_samples"].astype("float64") / out["cells_total"].astype("float64")
    out["office_pct"] = 100 * out["office_hours_share"]
    rows = out.to_dict("records")  # a dict per row: far quicker than iterrows over a country's communes
    out["campaign_words"] = [campaign_message(row, settings).render(lang) for row in rows]
    out["campaign_action"] = [campaign_actions(row, settings).render(lang) for row in rows]
    return campaign_to_act(out, settings) if to_act else out.reset_index(drop=True)


def month_account(engine: StatsEngine, filters: Filters, communes: pd.DataFrame) -> SampleAccount:
    """Every mobile measurement of the selection accounted for (RULES §16, §20), from its commune table."""
    return sample_account(
        communes, engine.unassigned_by_reason(filters), filters.has_area, engine.left_out_by_cap(filters)
    )


def district_summary(engine: StatsEngine, filters: Filters, settings: Settings, communes: pd.DataFrame) -> pd.DataFrame:
    """Per district (or per province when the boundaries have no districts), from its own measurements."""
    level = "district" if communes["district_code"].notna().any() else "province"
    table = engine.area_table(filters, settings, level)
    key = f"{level}_code"
    counts = (
        communes.groupby(key)
        .agg(
            communes_meeting_quota=("meets_quota", "sum"),
            communes_sufficient=("meets_speed_target", lambda s: int(s.notna().sum())),
            communes_meeting_target=("meets_speed_target", lambda s: int(s.fillna(False).sum())),
        )
        .reset_index()
    )
    table = table.merge(counts, on=key, how="left")
    table.insert(0, "month", filters.month)
    table.loc[~table["sufficient"], SPEED_COLUMNS] = float("nan")
    keep = [
        "month",
        f"{level}_code",
        f"{level}_name",
        "communes",
        "samples",
        "quota_pct",
        "communes_meeting_quota",
        "speed_samples",
        "mean_download_mbps",
        "median_download_mbps",
        "ci95_low_mbps",
        "ci95_high_mbps",
        "mean_upload_mbps",
        "mean_latency_ms",
        "communes_sufficient",
        "communes_meeting_target",
    ]
    table["quota_pct"] = 100.0 * table["samples"] / (settings.quota * table["communes"])
    return table[keep].sort_values(f"{level}_code").reset_index(drop=True)


MONTHLY_RETURN_COLUMNS = [
    "no",
    "referral_code",
    "commune_code",
    "commune_name",
    "district_name",
    "samples",
    "quota",
    "quota_pct",
    "meets_quota",
    "samples_with_code",
]


def monthly_return(
    communes: pd.DataFrame, referral: pd.DataFrame | None, referral_counts: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """The table in the shape provinces report each month: per commune and referral code, against the quota.

    'samples' counts the commune's mobile measurements (RULES §1); 'samples_with_code' counts measurements
    carrying the commune's referral code, wherever they were taken (the campaign's own count)."""
    table = with_referral_codes(communes[["commune_code", "commune_name", "district_name", "samples"]], referral)
    counts = samples_by_code(referral_counts)
    table["samples_with_code"] = table["referral_code"].map(referral_key).map(counts).fillna(0).astype("int64")
    table = table.sort_values("commune_code").reset_index(drop=True)
    table["no"] = range(1, len(table) + 1)
    table["samples"] = table["samples"].astype("int64")
    table["quota"] = settings.quota
    table["quota_pct"] = 100.0 * table["samples"] / settings.quota
    table["meets_quota"] = table["samples"] >= settings.quota
    return table[MONTHLY_RETURN_COLUMNS]
