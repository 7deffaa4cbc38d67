"""The commune report of CONTRACTS section 6, as CSV and as a formatted XLSX workbook."""

from __future__ import annotations

import pandas as pd

from core.settings import Settings
from metrics.engine import StatsEngine
from metrics.filters import Filters

REPORT_COLUMNS = [
    "month",
    "province_code",
    "province_name",
    "district_code",
    "district_name",
    "commune_code",
    "commune_name",
    "samples",
    "quota",
    "quota_pct",
    "meets_quota",
    "speed_samples",
    "mean_download_mbps",
    "median_download_mbps",
    "p10_download_mbps",
    "p90_download_mbps",
    "ci95_low_mbps",
    "ci95_high_mbps",
    "mean_upload_mbps",
    "mean_latency_ms",
    "speed_target_mbps",
    "meets_speed_target",
]
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

VI_HEADERS = {
    "month": "Tháng",
    "province_code": "Mã tỉnh",
    "province_name": "Tỉnh/Thành phố",
    "district_code": "Mã huyện",
    "district_name": "Huyện/Quận",
    "commune_code": "Mã xã",
    "commune_name": "Xã/Phường",
    "samples": "Số mẫu (di động)",
    "quota": "Chỉ tiêu mẫu/tháng",
    "quota_pct": "Đạt chỉ tiêu mẫu (%)",
    "meets_quota": "Đủ chỉ tiêu mẫu",
    "speed_samples": "Số mẫu tính tốc độ",
    "mean_download_mbps": "Tốc độ tải xuống TB (Mbps)",
    "median_download_mbps": "Trung vị tải xuống (Mbps)",
    "p10_download_mbps": "P10 tải xuống (Mbps)",
    "p90_download_mbps": "P90 tải xuống (Mbps)",
    "ci95_low_mbps": "KTC 95% dưới (Mbps)",
    "ci95_high_mbps": "KTC 95% trên (Mbps)",
    "mean_upload_mbps": "Tốc độ tải lên TB (Mbps)",
    "mean_latency_ms": "Độ trễ TB (ms)",
    "speed_target_mbps": "Mục tiêu tốc độ (Mbps)",
    "meets_speed_target": "Đạt mục tiêu tốc độ",
    "communes": "Số xã/phường",
    "communes_meeting_quota": "Số xã đủ mẫu",
    "communes_sufficient": "Số xã đủ dữ liệu",
    "communes_meeting_target": "Số xã đạt tốc độ",
}


def commune_report(engine: StatsEngine, filters: Filters, settings: Settings) -> pd.DataFrame:
    """The report table: one row per commune, speed figures empty where data are insufficient."""
    table = engine.commune_table(filters, settings)
    table["month"] = filters.month
    table.loc[~table["sufficient"], SPEED_COLUMNS] = float("nan")
    table["meets_speed_target"] = table["meets_speed_target"].astype("boolean")
    return table[REPORT_COLUMNS].sort_values("commune_code").reset_index(drop=True)


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


def monthly_return(
    communes: pd.DataFrame, referral: pd.DataFrame | None, referral_counts: pd.DataFrame, quota: int
) -> pd.DataFrame:
    """The sheet in the shape provinces report each month: per commune and referral code, against the quota,
    with a total row. 'Số mẫu' counts the commune's mobile measurements (rule 5.1); 'Số mẫu gắn mã giới thiệu'
    counts measurements carrying the commune's code, wherever they were taken (the campaign's own count)."""
    table = communes[["commune_code", "commune_name", "district_name", "samples"]].copy()
    if referral is not None and len(referral):
        codes = referral.dropna(subset=["commune_code"]).drop_duplicates("commune_code")[
            ["commune_code", "referral_code"]
        ]
        table = table.merge(codes, on="commune_code", how="left")
        counts = referral_counts.set_index("referral_code")["samples"] if len(referral_counts) else pd.Series(dtype=int)
        table["by_code"] = table["referral_code"].map(counts).fillna(0).astype("int64")
    else:
        table["referral_code"], table["by_code"] = None, 0
    table = table.sort_values("commune_code").reset_index(drop=True)
    out = pd.DataFrame(
        {
            "STT": range(1, len(table) + 1),
            "Mã giới thiệu": table["referral_code"],
            "Mã xã": table["commune_code"],
            "Xã/Phường": table["commune_name"],
            "Huyện/Quận": table["district_name"],
            "Số mẫu đo di động": table["samples"].astype("int64"),
            "Chỉ tiêu": quota,
            "Tỷ lệ đạt (%)": (100.0 * table["samples"] / quota).round(1),
            "Đạt chỉ tiêu": ["Đạt" if s >= quota else "Chưa đạt" for s in table["samples"]],
            "Số mẫu gắn mã giới thiệu": table["by_code"].astype("int64"),
        }
    )
    total = {
        "STT": None,
        "Mã giới thiệu": None,
        "Mã xã": None,
        "Xã/Phường": "Tổng cộng",
        "Huyện/Quận": None,
        "Số mẫu đo di động": int(out["Số mẫu đo di động"].sum()),
        "Chỉ tiêu": quota * len(out),
        "Tỷ lệ đạt (%)": round(100.0 * out["Số mẫu đo di động"].sum() / max(quota * len(out), 1), 1),
        "Đạt chỉ tiêu": f"{int((table['samples'] >= quota).sum())}/{len(out)} xã",
        "Số mẫu gắn mã giới thiệu": int(out["Số mẫu gắn mã giới thiệu"].sum()),
    }
    return pd.concat([out, pd.DataFrame([total])], ignore_index=True)
