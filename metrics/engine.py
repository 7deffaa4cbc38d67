"""Statistics of docs/RULES.md, computed by DuckDB from the store's per-month rollups (store.rollups).

One query serves every level (commune, district, province, carrier, month, hour): all figures of a group are
computed from the group's own measurements (or their exact counts and sums), so a district's mean is the
sample-weighted mean of its measurements, never a mean of commune means. Only the files of the requested months
are read, so a page costs the same with two months stored or sixty.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import numpy as np
import pandas as pd
from scipy import stats as sps

from core.errors import UserError
from core.settings import Settings
from geo.boundaries import BOUNDARY_COLUMNS
from metrics.filters import Filters
from metrics.rules import campaign_figures, campaign_verdicts, judge
from store import rollups
from store.folder import FORMAT, StoreChanged
from store.placement import NOT_RECORDED
from store.schema import TIMEZONE
from store.transaction import Store

AREA_COLUMNS = BOUNDARY_COLUMNS
_ROLLUP = "read_parquet($files, hive_partitioning = true, hive_types = {'month': VARCHAR})"
# A measurement counts in a commune only if the commune is one of today's (RULES §13): a code left from earlier
# boundaries is unassigned, never counted in a commune no page shows.
_PLACED = f"""a.commune_code AS commune_code,
    CASE WHEN a.commune_code IS NULL THEN coalesce(s.unassigned_reason, '{NOT_RECORDED}') END AS unassigned_reason"""
GROUPABLE = {
    "month",
    "province_code",
    "district_code",
    "commune_code",
    "carrier",
    "network_type",
    "access_type",
    "hour",
    "dow",
}
_FROM_VALUES_ONLY = {"hour", "dow"}
# RULES §20: office hours are 07:00-17:00 local time, Monday to Friday (ISO days 1-5).
OFFICE_DAYS, OFFICE_HOURS = (1, 5), (7, 16)
_OFFICE = (
    f"(dow BETWEEN {OFFICE_DAYS[0]} AND {OFFICE_DAYS[1]} AND hour BETWEEN {OFFICE_HOURS[0]} AND {OFFICE_HOURS[1]})"
)
# Figures from the per-measurement rollup (RULES §19): exact percentiles need every value of the group.
_FROM_VALUES = """
    count(*) FILTER (WHERE access_type = 'mobile') AS samples,
    count(*) FILTER (WHERE in_speed) AS speed_samples,
    avg(download_mbps) FILTER (WHERE in_speed) AS mean_download_mbps,
    {percentiles}
    stddev_samp(download_mbps) FILTER (WHERE in_speed) AS sd_download_mbps,
    avg(upload_mbps) FILTER (WHERE in_speed) AS mean_upload_mbps,
    avg(latency_ms) FILTER (WHERE in_speed) AS mean_latency_ms,
    sum(download_mbps) FILTER (WHERE in_speed) AS sum_download_mbps,
    count(*) AS all_samples"""
# The same figures added up from the cube's counts and sums: any grouping, any number of months, no values read.
_FROM_CUBE = """
    coalesce(sum(n) FILTER (WHERE access_type = 'mobile'), 0)::BIGINT AS samples,
    coalesce(sum(n) FILTER (WHERE in_speed), 0)::BIGINT AS speed_samples,
    sum(dl_sum) FILTER (WHERE in_speed) / nullif(sum(dl_n) FILTER (WHERE in_speed), 0) AS mean_download_mbps,
    NULL::DOUBLE AS median_download_mbps, NULL::DOUBLE AS p10_download_mbps, NULL::DOUBLE AS p90_download_mbps,
    CASE WHEN sum(dl_n) FILTER (WHERE in_speed) >= 2 THEN sqrt(greatest(0,
        (sum(dl_sq) FILTER (WHERE in_speed)
         - sum(dl_sum) FILTER (WHERE in_speed) ^ 2 / sum(dl_n) FILTER (WHERE in_speed))
        / (sum(dl_n) FILTER (WHERE in_speed) - 1))) END AS sd_download_mbps,
    sum(ul_sum) FILTER (WHERE in_speed) / nullif(sum(ul_n) FILTER (WHERE in_speed), 0) AS mean_upload_mbps,
    sum(lat_sum) FILTER (WHERE in_speed) / nullif(sum(lat_n) FILTER (WHERE in_speed), 0) AS mean_latency_ms,
    sum(dl_sum) FILTER (WHERE in_speed) AS sum_download_mbps,
    coalesce(sum(n), 0)::BIGINT AS all_samples"""


class StatsEngine:
    """Aggregates over one version of one store's rollups (store.rollups); thread-safe (Streamlit reruns run in
    threads).

    Nothing is loaded at start: each figure reads the rollup files of the months it needs, so the cost of a page
    does not grow with the months stored. Sums come from the small cube; percentiles, histograms and hours from
    the one month's values."""

    def __init__(self, store: Store, boundaries: pd.DataFrame) -> None:
        if store.format < FORMAT and store.snapshot_files():
            raise UserError("err_store_needs_rebuild", store=str(store.root), found=store.format, wanted=FORMAT)
        stale = rollups.stale_months(store)
        if stale:
            raise UserError("err_rollups_stale", store=str(store.root), months=", ".join(stale))
        self.store = store
        self.version = store.version()  # every figure is read from this version, or not at all
        self.areas = boundaries[AREA_COLUMNS].reset_index(drop=True).copy()
        self._con = duckdb.connect()
        self._con.execute(f"SET GLOBAL TimeZone = '{TIMEZONE}'")
        self._con.execute("SET GLOBAL enable_object_cache = true")  # Parquet footers read once, not per query
        self._con.register("areas_frame", self.areas)
        self._con.execute("CREATE TABLE areas AS SELECT * FROM areas_frame")  # a table: every cursor sees it
        self._con.unregister("areas_frame")

    def _query(self, sql: str, params: dict) -> pd.DataFrame:
        """Run on a cursor of its own (sessions query in parallel); a commit landing meanwhile raises StoreChanged,
        so no figure mixes two versions of the store or is kept under the old one."""
        with self._con.cursor() as cursor:
            try:
                out = cursor.execute(sql, params).df()
            except duckdb.Error:
                self._check_version()  # a file replaced or removed under the query: the store changed
                raise
        self._check_version()
        return out

    def _check_version(self) -> None:
        if self.store.version() != self.version:
            raise StoreChanged(str(self.store.root))

    # ---- the core query -------------------------------------------------------------------
    def aggregate(
        self, filters: Filters, by: list[str], months: list[str] | None = None, percentiles: bool = True
    ) -> pd.DataFrame:
        """Stats per group of ``by`` for ``months`` (default: the filter's month), with the filters applied.

        Columns: samples (quota scope), speed_samples, mean/median/p10/p90 download, sd, mean upload,
        mean latency, and the sums used to check aggregation. Percentiles and hours read the months' values;
        everything else adds up the cube.
        """
        unknown = set(by) - GROUPABLE
        if unknown:
            raise ValueError(f"cannot group by {unknown}")
        kind = "values" if percentiles or _FROM_VALUES_ONLY & set(by) else "cube"
        cte, params = self._measurements(kind, filters, months)
        if cte is None:
            return empty_result(by)
        keys = ", ".join(by)
        group = f"GROUP BY {keys}" if by else ""
        figures = _FROM_VALUES.format(percentiles=_percentiles(percentiles)) if kind == "values" else _FROM_CUBE
        sql = f"{cte} SELECT {keys + ',' if keys else ''} {figures} FROM m {group}"
        if percentiles:
            sql = f"""SELECT * EXCLUDE (_q), _q[2] AS median_download_mbps, _q[1] AS p10_download_mbps,
                             _q[3] AS p90_download_mbps FROM ({sql})"""
        return _with_ci(self._query(sql, params))

    def _measurements(
        self, kind: str, filters: Filters, months: list[str] | None, speed_scope: bool = True
    ) -> tuple[str | None, dict]:
        """The CTE 'm': the rollup rows of ``kind`` for the months, filtered, with today's area codes and, for the
        values and the cube, whether each row is in the speed scope."""
        files = rollups.files(self.store.root, kind, months or [filters.month])
        if not files:
            return None, {}
        clauses, params = filters.sql_where()
        counted, cap_params = filters.sql_counted()
        if counted:
            clauses, params = [*clauses, counted], {**params, **cap_params}
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        scope, scope_params = filters.sql_speed_scope() if speed_scope else ("NULL", {})
        cte = f"""
            WITH m AS (
                SELECT s.* EXCLUDE (commune_code, unassigned_reason), {_PLACED}, a.province_code, a.district_code,
                    {scope} AS in_speed
                FROM {_ROLLUP} s
                LEFT JOIN areas a ON a.commune_code = s.commune_code
                {where}
            )"""
        return cte, {"files": files, **scope_params, **params}

    def speed_histogram(self, filters: Filters, by: str = "carrier", per_decade: int = 12) -> pd.DataFrame:
        """Counts of speed-scope downloads in log-spaced bins (per_decade bins per factor of ten), per group."""
        if by not in GROUPABLE:
            raise ValueError(f"cannot group by {by}")
        cte, params = self._measurements("values", filters, None)
        if cte is None:
            return pd.DataFrame(columns=[by, "bin", "bin_mid", "n"])
        sql = f"""{cte}
            SELECT {by}, floor(log10(greatest(download_mbps, 0.1)) * {int(per_decade)}) AS bin, count(*) AS n
            FROM m WHERE in_speed GROUP BY {by}, bin ORDER BY {by}, bin"""
        out = self._query(sql, params)
        out["bin_mid"] = 10 ** ((out["bin"] + 0.5) / per_decade)
        return out

    def campaign(self, filters: Filters) -> pd.DataFrame:
        """Who, where and when per commune (RULES §20), over the quota scope's counted measurements: samples,
        samples_with_device, devices, top_device_samples, located_samples, cells_with_samples, office_samples.
        Only communes with samples; a cell counts only if it is one of the commune's cells."""
        cte, params = self._measurements("values", filters, None, speed_scope=False)
        cells = self.store.root / rollups.CELLS
        if cte is None or not cells.exists():
            return _empty_campaign()
        sql = f"""{cte},
            q AS (SELECT * FROM m WHERE access_type = 'mobile' AND commune_code IS NOT NULL),
            per_device AS (
                SELECT commune_code, device, count(*) AS n, count(cell) AS located,
                       count(*) FILTER (WHERE {_OFFICE}) AS office
                FROM q GROUP BY commune_code, device),
            per_commune AS (
                SELECT commune_code, sum(n)::BIGINT AS samples,
                       coalesce(sum(n) FILTER (WHERE device IS NOT NULL), 0)::BIGINT AS samples_with_device,
                       count(device)::BIGINT AS devices,
                       max(n) FILTER (WHERE device IS NOT NULL)::BIGINT AS top_device_samples,
                       sum(located)::BIGINT AS located_samples, sum(office)::BIGINT AS office_samples
                FROM per_device GROUP BY commune_code),
            measured AS (
                SELECT commune_code, count(DISTINCT q.cell)::BIGINT AS cells_with_samples
                FROM q SEMI JOIN read_parquet($cells) c USING (commune_code, cell)
                GROUP BY commune_code)
            SELECT p.*, coalesce(k.cells_with_samples, 0)::BIGINT AS cells_with_samples
            FROM per_commune p LEFT JOIN measured k USING (commune_code)"""
        return self._query(sql, {**params, "cells": str(cells)})

    def cells_total(self) -> pd.DataFrame:
        """The number of H3 cells of each commune (commune_code, cells_total); empty before boundaries."""
        cells = self.store.root / rollups.CELLS
        if not cells.exists():
            return pd.DataFrame({"commune_code": pd.Series(dtype=object), "cells_total": pd.Series(dtype="int64")})
        sql = "SELECT commune_code, count(*)::BIGINT AS cells_total FROM read_parquet($cells) GROUP BY commune_code"
        return self._query(sql, {"cells": str(cells)})

    def cell_counts(self, filters: Filters) -> pd.DataFrame:
        """Every cell of the communes in the area filter with its counted quota-scope samples (0 where nobody
        measured): columns commune_code, cell, samples. Never a coordinate finer than the cell."""
        cells = self.store.root / rollups.CELLS
        if not cells.exists():
            return pd.DataFrame(
                {"commune_code": pd.Series(dtype=object), "cell": pd.Series(dtype="uint64"), "samples": []}
            )
        cte, params = self._measurements("values", filters, None, speed_scope=False)
        codes = list(filters.select_areas(self.areas)["commune_code"])
        counts = "SELECT NULL::VARCHAR AS commune_code, NULL::UBIGINT AS cell, 0 AS n WHERE false"
        if cte is not None:
            counts = """SELECT commune_code, cell, count(*) AS n FROM m
                        WHERE access_type = 'mobile' AND cell IS NOT NULL GROUP BY ALL"""
        sql = f"""{cte or "WITH _ AS (SELECT 1)"}, counted AS ({counts})
            SELECT c.commune_code, c.cell, coalesce(k.n, 0)::BIGINT AS samples
            FROM read_parquet($cells) c LEFT JOIN counted k USING (commune_code, cell)
            WHERE list_contains($codes::VARCHAR[], c.commune_code)"""
        return self._query(sql, {**params, "cells": str(cells), "codes": codes})

    def left_out_by_cap(self, filters: Filters) -> int:
        """Mobile measurements of the selection that the device cap leaves out (RULES §20): 0 without a cap."""
        if not filters.device_day_cap:
            return 0
        scope = filters if filters.has_area else filters.without_area()
        cte, params = self._measurements("cube", replace(scope, device_day_cap=0), None, speed_scope=False)
        if cte is None:
            return 0
        area = "AND commune_code IS NOT NULL" if filters.has_area else ""
        sql = f"""{cte} SELECT coalesce(sum(n), 0)::BIGINT AS n FROM m
                  WHERE access_type = 'mobile' AND day_rank > $cap {area}"""
        return int(self._query(sql, {**params, "cap": int(filters.device_day_cap)})["n"].iloc[0])

    def referral_counts(self, filters: Filters) -> pd.DataFrame:
        """Mobile measurements per referral code as stored (campaign view), carrier and area filters applied.
        Spellings of one code are added up by metrics.rules (core.codes.referral_key)."""
        cte, params = self._measurements("referrals", filters, None, speed_scope=False)
        if cte is None:
            return pd.DataFrame({"referral_code": pd.Series(dtype=object), "samples": pd.Series(dtype="int64")})
        sql = f"""{cte}
            SELECT referral_code, sum(n)::BIGINT AS samples
            FROM m WHERE access_type = 'mobile' AND referral_code IS NOT NULL GROUP BY referral_code"""
        return self._query(sql, params)

    def unassigned_by_reason(self, filters: Filters) -> pd.DataFrame:
        """Mobile measurements of the month in no commune (carrier filter applied; they are in no area), per reason
        and referral code: columns unassigned_reason, referral_code (None: no code), samples."""
        cte, params = self._measurements("referrals", filters.without_area(), None, speed_scope=False)
        if cte is None:
            return pd.DataFrame(
                {
                    "unassigned_reason": pd.Series(dtype=object),
                    "referral_code": pd.Series(dtype=object),
                    "samples": pd.Series(dtype="int64"),
                }
            )
        sql = f"""{cte}
            SELECT unassigned_reason, referral_code, sum(n)::BIGINT AS samples
            FROM m WHERE access_type = 'mobile' AND commune_code IS NULL
            GROUP BY unassigned_reason, referral_code ORDER BY samples DESC, unassigned_reason, referral_code"""
        return self._query(sql, params)

    def unassigned_in_store(self) -> pd.DataFrame:
        """Every stored measurement in no commune (all months, all access types), per month, reason and referral
        code: what the Data page lists for the officer to fix."""
        files = rollups.files(self.store.root, "referrals", self.store.months())
        if not files:
            return pd.DataFrame(columns=["month", "unassigned_reason", "referral_code", "samples"])
        sql = f"""SELECT s.month, {_PLACED}, s.referral_code, s.n
                  FROM {_ROLLUP} s LEFT JOIN areas a ON a.commune_code = s.commune_code"""
        sql = f"""SELECT month, unassigned_reason, referral_code, sum(n)::BIGINT AS samples FROM ({sql})
                  WHERE commune_code IS NULL GROUP BY ALL ORDER BY samples DESC, month, unassigned_reason, referral_code"""
        return self._query(sql, {"files": files})

    # ---- levels ---------------------------------------------------------------------------
    def commune_table(self, filters: Filters, settings: Settings) -> pd.DataFrame:
        """One row per commune in the area filter (communes without data included)."""
        stats = self.aggregate(filters, ["commune_code"])
        stats = stats[stats["commune_code"].notna()]
        areas = filters.select_areas(self.areas)
        table = areas.merge(stats, on="commune_code", how="left")
        return judge(table, settings)

    def campaign_table(self, filters: Filters, settings: Settings) -> pd.DataFrame:
        """One row per commune in the area filter: counted samples, who/where/when figures and the campaign
        verdict (RULES §20, §21)."""
        areas = filters.select_areas(self.areas)[["commune_code"]]
        counts = self.campaign(filters)
        figures = campaign_figures(areas, counts, self.cells_total())
        samples = areas.merge(counts[["commune_code", "samples"]], on="commune_code", how="left")["samples"]
        figures.insert(1, "samples", samples.fillna(0).astype("int64").to_numpy())
        return campaign_verdicts(figures, settings)

    def area_table(self, filters: Filters, settings: Settings, level: str) -> pd.DataFrame:
        """One row per district or province, from their own measurements."""
        code = f"{level}_code"
        stats = self.aggregate(filters, [code])
        stats = stats[stats[code].notna()]
        names = filters.select_areas(self.areas)[
            [code, f"{level}_name"] + (["province_code", "province_name"] if level == "district" else [])
        ]
        names = names.drop_duplicates(code)
        if level == "district" and names[code].isna().all():
            return judge(
                names.iloc[0:0].assign(**{c: pd.Series(dtype="float64") for c in stats.columns if c != code}), settings
            )
        counts = filters.select_areas(self.areas).groupby(code).size().rename("communes")
        table = names.merge(stats, on=code, how="left").merge(counts, on=code, how="left")
        return judge(table, settings)

    def overall(self, filters: Filters, settings: Settings, percentiles: bool = True) -> pd.Series:
        """The whole selection: assigned measurements in the area filter, or every measurement without one."""
        row = self.aggregate(filters, [], percentiles=percentiles)
        table = judge(row, settings)
        return table.iloc[0] if len(table) else judge(empty_result([]), settings).iloc[0]

    def carriers(self) -> list[str]:
        """Carriers by number of mobile measurements over every stored month, most first (the filter's order)."""
        files = rollups.files(self.store.root, "cube", self.store.months())
        if not files:
            return []
        sql = f"""SELECT carrier FROM {_ROLLUP} WHERE access_type = 'mobile'
                  GROUP BY carrier ORDER BY sum(n) DESC, carrier"""
        return [r[0] for r in self._query(sql, {"files": files}).itertuples(index=False)]

    def months(self) -> list[str]:
        return self.store.months()

    def stored_by_month(self) -> pd.DataFrame:
        """Rows stored and rows without a commune, per month (the Data page)."""
        files = rollups.files(self.store.root, "cube", self.store.months())
        if not files:
            return pd.DataFrame(columns=["month", "rows", "mobile", "unassigned"])
        sql = f"""SELECT s.month, sum(s.n)::BIGINT AS rows,
                         coalesce(sum(s.n) FILTER (WHERE s.access_type = 'mobile'), 0)::BIGINT AS mobile,
                         coalesce(sum(s.n) FILTER (WHERE a.commune_code IS NULL), 0)::BIGINT AS unassigned
                  FROM {_ROLLUP} s LEFT JOIN areas a ON a.commune_code = s.commune_code
                  GROUP BY s.month ORDER BY s.month"""
        return self._query(sql, {"files": files})


def _empty_campaign() -> pd.DataFrame:
    cols = ["samples", "samples_with_device", "devices", "top_device_samples", "located_samples", "office_samples"]
    return pd.DataFrame(
        {
            "commune_code": pd.Series(dtype=object),
            **{c: pd.Series(dtype="int64") for c in [*cols, "cells_with_samples"]},
        }
    )


def t_interval(mean: np.ndarray, sd: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """95% interval mean ± t(0.975, n−1)·s/√n; NaN where n < 2."""
    n = np.asarray(n, dtype="float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        half = sps.t.ppf(0.975, n - 1) * np.asarray(sd, dtype="float64") / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return np.asarray(mean) - half, np.asarray(mean) + half


def _with_ci(out: pd.DataFrame) -> pd.DataFrame:
    low, high = t_interval(out["mean_download_mbps"], out["sd_download_mbps"], out["speed_samples"])
    out["ci95_low_mbps"], out["ci95_high_mbps"] = low, high
    return out


def _percentiles(wanted: bool) -> str:
    """Exact percentiles sort every group: computed only where a figure shows them."""
    if not wanted:
        return (
            "NULL::DOUBLE AS median_download_mbps, NULL::DOUBLE AS p10_download_mbps, "
            "NULL::DOUBLE AS p90_download_mbps,"
        )
    # The list form sorts each group once for all three percentiles.
    return """quantile_cont(download_mbps, [0.1, 0.5, 0.9]) FILTER (WHERE in_speed) AS _q,"""


def empty_result(by: list[str]) -> pd.DataFrame:
    """A result with no groups (or, with by=[], one row of zero samples)."""
    cols = by + [
        "samples",
        "speed_samples",
        "mean_download_mbps",
        "median_download_mbps",
        "p10_download_mbps",
        "p90_download_mbps",
        "sd_download_mbps",
        "mean_upload_mbps",
        "mean_latency_ms",
        "sum_download_mbps",
        "all_samples",
        "ci95_low_mbps",
        "ci95_high_mbps",
    ]
    if by:
        return pd.DataFrame({c: pd.Series(dtype="object" if c in by else "float64") for c in cols})
    row = {c: [np.nan] for c in cols}
    row.update({"samples": [0], "speed_samples": [0], "all_samples": [0]})
    return pd.DataFrame(row)
