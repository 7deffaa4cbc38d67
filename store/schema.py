"""Canonical measurement schema (docs/DATA.md) and the vocabularies that feed it."""

from __future__ import annotations

import pyarrow as pa

TIMEZONE = "Asia/Ho_Chi_Minh"
MAX_SPEED_MBPS = 10_000.0
EARLIEST_MEASUREMENT = "2021-04-01"  # RULES §3: i-Speed did not exist before April 2021

SNAPSHOT_SCHEMA = pa.schema(
    [
        ("measurement_id", pa.string()),
        ("measured_at", pa.timestamp("us", tz=TIMEZONE)),
        ("access_type", pa.string()),
        ("network_type", pa.string()),
        ("carrier", pa.string()),
        ("download_mbps", pa.float64()),
        ("upload_mbps", pa.float64()),
        ("latency_ms", pa.float64()),
        ("jitter_ms", pa.float64()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("referral_code", pa.string()),
        ("device_os", pa.string()),
        ("is_auto", pa.bool_()),
        ("commune_code", pa.string()),
        ("assigned_by", pa.string()),  # 'location' or 'referral'; null when unassigned (RULES §1)
        ("unassigned_reason", pa.string()),  # why no commune: see ingest.assignment.UNASSIGNED_REASONS
        ("device_hash", pa.string()),  # salted hash of the input's device identifier (RULES §20); never the id
    ]
)
CANONICAL_COLUMNS = [f.name for f in SNAPSHOT_SCHEMA]

NETWORK_TYPES = ["2G", "3G", "4G", "5G", "WIFI", "ETHERNET"]
MOBILE_NETWORKS = {"2G", "3G", "4G", "5G"}
FIXED_NETWORKS = {"WIFI", "ETHERNET"}
