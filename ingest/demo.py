"""A fictional demo province, built deterministically through the real import and ingest paths.

Everything here is synthetic and labelled as such ("dữ liệu minh họa"): geometry from a Voronoi
tessellation, measurements drawn from distributions chosen to look like i-Speed data (carriers at
different speed levels, faster urban wards, a rising trend, 5G from mid-2025, fixed-broadband
tests, communes below quota and a few with under 30 samples, rows with only a referral code, and
a handful of bad rows that ingest rejects).

It lives through the 2025 reform as a real province did: 120 communes in 8 districts until June 2025, with
their referral list; then the boundaries in force today, 40 communes and no districts (each the union of old
communes), loaded with ``--replace`` from July 2025, which places the earlier months again in today's communes by
their coordinates; then today's referral list, while some people still type their old codes.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from core.errors import UserError
from core.text import without_prefix
from store.audit import SYSTEM
from store.folder import FORMAT, Store
from store.transaction import open_store, transaction

PROVINCE_CODE = "99"
PROVINCE_NAME = "Tỉnh Minh Họa (dữ liệu minh họa)"
CENTER = (105.95, 22.15)  # lon, lat
MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)]
MONTHS = [m for m in MONTHS if "2024-09" <= m <= "2026-10"]
REFORM_MONTH = "2025-07"  # the two-level system (no districts) in force from this month
N_COMMUNES = 120
MERGED_PER_COMMUNE = 3  # about three old communes make one of today's
OLD_CODE_SHARE = 0.1  # after the reform, measurements still carrying an old referral code
SEED = 20241001
BUILDER = 4  # the demo's shape; a demo built by another version of this builder is rebuilt

_DISTRICTS = [
    "Thành phố Minh Họa",
    "Huyện Sơn Hà",
    "Huyện Lâm Thượng",
    "Huyện Bình Xuyên",
    "Huyện Tân Lạc",
    "Huyện Ngọc Khê",
    "Huyện Phù Vân",
    "Huyện Đồng Văn Mẫu",
]
_FIRST = [
    "An",
    "Bình",
    "Cẩm",
    "Đông",
    "Hòa",
    "Hưng",
    "Kim",
    "Lạc",
    "Long",
    "Minh",
    "Phú",
    "Quang",
    "Sơn",
    "Tân",
    "Thanh",
    "Thái",
    "Thượng",
    "Trung",
    "Vĩnh",
    "Xuân",
    "Yên",
    "Bảo",
    "Đại",
    "Hồng",
]
_SECOND = [
    "Sơn",
    "Hà",
    "Lộc",
    "Phong",
    "Thịnh",
    "Tiến",
    "Hải",
    "Lương",
    "Nghĩa",
    "Đức",
    "Khê",
    "Lâm",
    "Điền",
    "Hợp",
    "Mỹ",
    "Tường",
]
_CARRIERS = {
    "Viettel": (0.50, 1.10),
    "VinaPhone": (0.25, 1.00),
    "MobiFone": (0.17, 0.92),
    "Vietnamobile": (0.06, 0.55),
    "Gmobile": (0.02, 0.45),
}
_FIXED = {"VNPT": 0.45, "Viettel": 0.35, "FPT": 0.20}


def build_boundaries(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Eight districts of about fifteen communes each, as a gap-free tessellation."""
    province = _province_shape(rng)
    seeds = _seeds_inside(province, rng)
    cells = shapely.voronoi_polygons(shapely.MultiPoint(seeds), extend_to=province)
    polys = [shapely.intersection(c, province) for c in cells.geoms]
    centroids = np.array([[p.centroid.x, p.centroid.y] for p in polys])
    dist = np.hypot(centroids[:, 0] - CENTER[0], centroids[:, 1] - CENTER[1])
    order = np.argsort(dist)
    district = np.empty(len(polys), dtype=int)
    urban = order[:15]
    district[urban] = 0
    rest = order[15:]
    angle = np.arctan2(centroids[rest, 1] - CENTER[1], centroids[rest, 0] - CENTER[0])
    ranks = np.argsort(np.argsort(angle))
    district[rest] = 1 + (ranks * 7) // len(rest)
    names = _commune_names(rng, len(polys))
    rows = []
    for d in range(8):
        members = [i for i in np.argsort(dist) if district[i] == d]
        for j, i in enumerate(sorted(members, key=lambda k: (centroids[k, 1], centroids[k, 0]))):
            is_ward = d == 0 and dist[i] < 0.09
            prefix = "Phường" if is_ward else ("Thị trấn" if j == 0 and d > 0 else "Xã")
            rows.append(
                {
                    "province_code": PROVINCE_CODE,
                    "province_name": PROVINCE_NAME,
                    "district_code": f"99{d}",
                    "district_name": _DISTRICTS[d],
                    "commune_code": f"9{d}{j + 1:03d}",
                    "commune_name": f"{prefix} {names[i]}",
                    "urban": 1.0 if d == 0 else max(0.0, 1 - dist[i] / 0.45),
                    "geometry": polys[i],
                }
            )
    return gpd.GeoDataFrame(rows, crs="EPSG:4326").sort_values("commune_code").reset_index(drop=True)


def reform_boundaries(old: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.Series]:
    """Today's communes (no districts), each the union of about three neighbouring old communes of one district,
    and the old commune → today's commune table. Like the real reform, a new commune keeps the code of one of its
    old communes (so codes are reused for other areas) and its name; the provincial city's become wards."""
    groups: list[list[int]] = []
    for _, members in old.groupby("district_code", sort=True):
        left = list(members.index)
        while left:
            seed = min(left, key=lambda i: (old.geometry[i].centroid.y, old.geometry[i].centroid.x))
            group = [seed]
            left.remove(seed)
            while len(group) < MERGED_PER_COMMUNE and left:
                union = shapely.union_all([old.geometry[i] for i in group])
                touching = [i for i in left if old.geometry[i].intersection(union).length > 0] or left
                near = min(touching, key=lambda i: union.centroid.distance(old.geometry[i].centroid))
                group.append(near)
                left.remove(near)
            groups.append(group)
    rows, today = [], {}
    for group in groups:
        union = shapely.union_all([old.geometry[i] for i in group])
        keeper = min(group, key=lambda i: union.centroid.distance(old.geometry[i].centroid))
        name = without_prefix(old.at[keeper, "commune_name"])
        urban = old.loc[group, "urban"].mean()
        prefix = "Phường" if old.at[keeper, "district_code"] == f"{PROVINCE_CODE}0" else "Xã"
        code = old.at[keeper, "commune_code"]
        rows.append(
            {
                "province_code": PROVINCE_CODE,
                "province_name": PROVINCE_NAME,
                "district_code": None,
                "district_name": None,
                "commune_code": code,
                "commune_name": f"{prefix} {name}",
                "urban": urban,
                "geometry": union,
            }
        )
        for i in group:
            today[old.at[i, "commune_code"]] = code
    new = gpd.GeoDataFrame(rows, crs="EPSG:4326").sort_values("commune_code").reset_index(drop=True)
    return new, pd.Series(today, name="today_code")


def _province_shape(rng: np.random.Generator) -> shapely.Polygon:
    angles = np.linspace(0, 2 * np.pi, 40, endpoint=False)
    radius = 0.42 * (1 + 0.18 * np.sin(3 * angles + 1) + 0.08 * rng.standard_normal(len(angles)))
    ring = np.column_stack([CENTER[0] + 1.25 * radius * np.cos(angles), CENTER[1] + radius * np.sin(angles)])
    return shapely.Polygon(ring).buffer(0.02).buffer(-0.02).simplify(0.002)


def _seeds_inside(province: shapely.Polygon, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = province.bounds
    seeds: list[np.ndarray] = []
    # A denser core around the provincial city, then the countryside.
    core = np.column_stack([CENTER[0] + 0.05 * rng.standard_normal(400), CENTER[1] + 0.04 * rng.standard_normal(400)])
    core = core[shapely.contains_xy(province, core[:, 0], core[:, 1])][:14]
    seeds.extend(core)
    while len(seeds) < N_COMMUNES:
        p = np.array([rng.uniform(minx, maxx), rng.uniform(miny, maxy)])
        if shapely.contains_xy(province, p[0], p[1]) and min(np.hypot(*(np.array(seeds) - p).T)) > 0.045:
            seeds.append(p)
    return np.array(seeds)


def _commune_names(rng: np.random.Generator, n: int) -> list[str]:
    combos = [f"{a} {b}" for a in _FIRST for b in _SECOND if a != b]
    return list(rng.choice(combos, size=n, replace=False))


def referral_codes(bounds: gpd.GeoDataFrame) -> pd.Series:
    """One code per commune: in the GSO form (province, district, commune) before the reform, province and commune
    after it."""
    district = bounds["district_code"].fillna("")
    return PROVINCE_CODE + district + bounds["commune_code"]


def referral_list(bounds: gpd.GeoDataFrame) -> pd.DataFrame:
    """The list in the shape provinces send out (STT, Mã giới thiệu, Xã/Phường, Huyện/Quận, Tỉnh/Thành phố); the
    list sent after the reform has no district column."""
    table = pd.DataFrame(
        {
            "STT": range(1, len(bounds) + 1),
            "Mã giới thiệu": referral_codes(bounds),
            "Xã/Phường": bounds["commune_name"],
            "Huyện/Quận": bounds["district_name"],
            "Tỉnh/Thành phố": PROVINCE_NAME,
        }
    )
    return table.drop(columns=["Huyện/Quận"]) if bounds["district_code"].isna().all() else table


def measurements(
    bounds: gpd.GeoDataFrame,
    today: pd.Series,
    rng: np.random.Generator,
    months: int | None = None,
    until: str | None = None,
) -> dict[str, pd.DataFrame]:
    """Raw measurement tables by month, in canonical English column names; people are where the old communes were,
    and from the reform on most of them use today's referral codes (``today``: old commune → today's)."""
    volume_before, volume_after = _commune_volumes(bounds, today, rng)
    level = 18 + 42 * bounds["urban"].to_numpy() + rng.normal(0, 5, len(bounds))
    old_codes = referral_codes(bounds).to_numpy()
    new_codes = (PROVINCE_CODE + bounds["commune_code"].map(today)).to_numpy()
    out = {}
    for k, month in enumerate(MONTHS):
        after = month >= REFORM_MONTH
        volume = volume_after if after else volume_before
        counts = np.maximum(3, (volume * (0.75 + 0.03 * k) * rng.uniform(0.85, 1.15, len(bounds))).astype(int))
        codes = np.where(rng.random(len(bounds)) < OLD_CODE_SHARE, old_codes, new_codes) if after else old_codes
        frame = _month(bounds, month, k, counts, level, codes, rng)
        frame = _with_devices(frame, bounds, today, month, k, counts, codes)
        frame.insert(0, "measurement_id", [f"demo-{month}-{i:06d}" for i in range(len(frame))])
        out[month] = frame
    keep = [m for m in MONTHS if until is None or m < until]
    return {m: out[m] for m in (keep[-months:] if months else keep)}


OFFICE_CAMPAIGNS = 3  # today's communes whose quota comes from two phones at the office from the reform on


def office_communes(today: pd.Series) -> list[str]:
    """Today's communes of the demo where, from the reform on, two civil servants reach the quota at the office."""
    codes = sorted(set(today))
    return [codes[i] for i in (5, 17, 29)][:OFFICE_CAMPAIGNS]


def _with_devices(
    frame: pd.DataFrame,
    bounds: gpd.GeoDataFrame,
    today: pd.Series,
    month: str,
    k: int,
    counts: np.ndarray,
    codes: np.ndarray,
) -> pd.DataFrame:
    """A device identifier for every row (people of a commune test a few times a month each), and, from the reform
    on, a few communes' campaigns done from the commune office by two phones in office hours: what RULES §21 flags.
    Drawn from a generator of their own, so the rest of the demo is the same with or without them."""
    rng = np.random.default_rng([SEED, k, 7])
    idx = np.repeat(np.arange(len(bounds)), counts)
    pool = np.maximum(2, (counts / 3.5).astype(int))[idx]
    who = (rng.random(len(idx)) ** 1.6 * pool).astype(int)  # some people test more than others
    frame = frame.assign(device_id=[f"dev-{i:03d}-{w:04d}" for i, w in zip(idx, who, strict=True)])
    if month < REFORM_MONTH:
        return frame
    extra = []
    for code in office_communes(today):
        first = int(np.flatnonzero(bounds["commune_code"].map(today).to_numpy() == code)[0])
        office = bounds.geometry.values[first].representative_point()
        rows = np.flatnonzero(idx == first)
        n = 600
        pick = frame.iloc[rng.choice(rows, n)].copy()
        days = pd.bdate_range(f"{month}-01", periods=31, freq="B")
        days = days[days.strftime("%Y-%m") == month]
        stamps = pd.to_datetime(rng.choice(days.to_numpy(), n)) + pd.to_timedelta(
            rng.integers(8 * 3600, 16 * 3600 + 1800, n), unit="s"
        )
        pick["measured_at"] = stamps.to_numpy()
        pick["lon"] = (office.x + rng.normal(0, 0.0008, n)).round(6)  # within about 100 m of the office
        pick["lat"] = (office.y + rng.normal(0, 0.0008, n)).round(6)
        pick["referral_code"] = np.where(rng.random(n) < 0.5, codes[first], None)
        pick["device_id"] = np.where(rng.random(n) < 0.7, f"office-{code}-1", f"office-{code}-2")
        extra.append(pick)
    return pd.concat([frame, *extra], ignore_index=True)


def _commune_volumes(bounds: gpd.GeoDataFrame, today: pd.Series, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Monthly volume per old commune before and after the reform. After it, today's communes are three times the
    size and the campaign starts again with new codes: fewer per old commune, so that today's communes are still
    spread around the quota; and the communes of today that hold the remotest areas have under 30 samples."""
    urban = bounds["urban"].to_numpy()
    before = np.exp(rng.normal(np.log(150), 0.45, len(bounds))) * (1 + 1.2 * urban)
    remote = np.argsort(urban)[:5]
    before[remote] = rng.uniform(8, 20, len(remote))  # a few communes with under 30 samples
    after = before * rng.uniform(0.25, 0.7, len(bounds))
    thin = bounds["commune_code"].map(today).isin(set(bounds["commune_code"].iloc[remote].map(today)))
    after[thin.to_numpy()] = rng.uniform(2, 6, int(thin.sum()))
    return before, after


def _month(
    bounds: gpd.GeoDataFrame,
    month: str,
    k: int,
    counts: np.ndarray,
    level: np.ndarray,
    commune_codes: np.ndarray,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One month of every commune at once; per-row attributes come from the commune index."""
    idx = np.repeat(np.arange(len(bounds)), counts)
    n = len(idx)
    urban = bounds["urban"].to_numpy()[idx]
    fixed = rng.random(n) < 0.08
    net = rng.choice(["4G", "3G", "2G"], size=n, p=[0.90, 0.09, 0.01])
    share_5g = max(0.0, (k - 9) * 0.02) * (0.4 + urban)  # 5G from mid-2025, first in town
    net = np.where(rng.random(n) < share_5g, "5G", net)
    names = list(_CARRIERS)
    carrier = rng.choice(names, size=n, p=[_CARRIERS[c][0] for c in names])
    factor = pd.Series(carrier).map({c: v[1] for c, v in _CARRIERS.items()}).to_numpy()
    tech = np.select([net == "5G", net == "3G", net == "2G"], [4.0, 0.18, 0.01], 1.0)
    dl = level[idx] * factor * (1 + 0.02 * k) * tech * rng.lognormal(0, 0.55, n)
    carrier = np.where(fixed, rng.choice(list(_FIXED), size=n, p=list(_FIXED.values())), carrier)
    net = np.where(fixed, rng.choice(["WIFI", "ETHERNET"], size=n, p=[0.8, 0.2]), net)
    dl = np.where(fixed, rng.lognormal(np.log(140), 0.4, n), dl)
    ul = dl * rng.uniform(0.25, 0.6, n)
    lat_ms = np.where(fixed, rng.lognormal(np.log(12), 0.4, n), rng.lognormal(np.log(38 - 10 * urban), 0.4, n))
    lon, lat = np.empty(n), np.empty(n)
    starts = np.concatenate(([0], np.cumsum(counts)))
    for i, geom in enumerate(bounds.geometry.values):
        lon[starts[i] : starts[i + 1]], lat[starts[i] : starts[i + 1]] = _points_in(geom, counts[i], rng)
    codes = commune_codes[idx]
    no_point = rng.random(n) < 0.04  # the app could not read a location: only the referral code tells where
    lon[no_point], lat[no_point] = np.nan, np.nan
    referral = np.where((rng.random(n) < 0.35) | no_point, codes, None)
    lost = rng.random(n) < 0.003  # neither a location nor a code: counted as unassigned, never mapped
    lon[lost], lat[lost], referral[lost] = np.nan, np.nan, None
    return pd.DataFrame(
        {
            "measured_at": _times(month, n, rng),
            "network_type": net,
            "carrier": carrier,
            "download_mbps": dl.round(2),
            "upload_mbps": ul.round(2),
            "latency_ms": lat_ms.round(1),
            "jitter_ms": (lat_ms * rng.uniform(0.05, 0.3, n)).round(1),
            "lat": lat.round(6),
            "lon": lon.round(6),
            "referral_code": referral,
            "device_os": rng.choice(["Android", "iOS"], size=n, p=[0.7, 0.3]),
            "is_auto": rng.random(n) < 0.1,
        }
    )


def _points_in(geom, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    minx, miny, maxx, maxy = geom.bounds
    xs, ys = np.empty(0), np.empty(0)
    while len(xs) < n:
        cx, cy = rng.uniform(minx, maxx, 3 * n), rng.uniform(miny, maxy, 3 * n)
        inside = shapely.contains_xy(geom, cx, cy)
        xs, ys = np.concatenate([xs, cx[inside]]), np.concatenate([ys, cy[inside]])
    return xs[:n], ys[:n]


def _times(month: str, n: int, rng: np.random.Generator) -> np.ndarray:
    start = pd.Timestamp(f"{month}-01")
    days = start.days_in_month
    hour_weights = np.array([1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 7, 6, 6, 6, 6, 6, 7, 8, 9, 10, 10, 8, 5, 2], dtype=float)
    hours = rng.choice(24, size=n, p=hour_weights / hour_weights.sum())
    offsets = (rng.integers(0, days, n) * 86400 + hours * 3600 + rng.integers(0, 3600, n)).astype("int64")
    return (start + pd.to_timedelta(offsets, unit="s")).to_numpy()


def _bad_rows(month: str, good: pd.DataFrame) -> pd.DataFrame:
    """Rows ingest must reject, one per rule, plus a repeated measurement id."""
    base = good.iloc[:7].copy().astype(object)
    base["measurement_id"] = [f"demo-{month}-bad{i}" for i in range(7)]
    base.iloc[0, base.columns.get_loc("measured_at")] = None
    base.iloc[1, base.columns.get_loc("download_mbps")] = -5.0
    base.iloc[2, base.columns.get_loc("carrier")] = None
    base.iloc[3, base.columns.get_loc("lat")] = 123.0
    base.iloc[4, base.columns.get_loc("upload_mbps")] = 25000.0
    base.iloc[5, base.columns.get_loc("download_mbps")] = None
    base.iloc[6, base.columns.get_loc("measurement_id")] = good.iloc[10]["measurement_id"]  # duplicate
    return base


def _raw_files(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    """Write months in the shapes real exports come in (Parquet, Vietnamese CSV, kbps with MCC-MNC codes)."""
    paths = []
    for i, (month, table) in enumerate(tables.items()):
        table = pd.concat([table, _bad_rows(month, table)], ignore_index=True)
        if i == 2:
            path = folder / f"ispeed_{month}.csv"
            _vietnamese_csv(table).to_csv(path, sep=";", index=False, encoding="utf-8-sig", decimal=",")
        elif i == 5:
            path = folder / f"ispeed_{month}_kbps.csv"
            _kbps_csv(table).to_csv(path, index=False, encoding="utf-8")
        else:
            path = folder / f"ispeed_{month}.parquet"
            table.assign(
                measured_at=pd.to_datetime(table["measured_at"])
                .dt.tz_localize("Asia/Ho_Chi_Minh")
                .dt.tz_convert("UTC")
                .astype(str)
            ).to_parquet(path, index=False)
        paths.append(path)
    return paths


def _vietnamese_csv(table: pd.DataFrame) -> pd.DataFrame:
    t = table.copy()
    t["measured_at"] = pd.to_datetime(t["measured_at"]).dt.strftime("%d/%m/%Y %H:%M:%S")
    return t.drop(columns=["measurement_id"]).rename(
        columns={
            "measured_at": "Thời gian đo",
            "network_type": "Loại mạng",
            "carrier": "Nhà mạng",
            "download_mbps": "Tốc độ tải xuống (Mbps)",
            "upload_mbps": "Tốc độ tải lên (Mbps)",
            "latency_ms": "Độ trễ (ms)",
            "jitter_ms": "Jitter (ms)",
            "lat": "Vĩ độ",
            "lon": "Kinh độ",
            "referral_code": "Mã giới thiệu",
            "device_os": "Hệ điều hành",
            "is_auto": "Tự động",
            "device_id": "Mã thiết bị",
        }
    )


def _kbps_csv(table: pd.DataFrame) -> pd.DataFrame:
    t = table.copy()
    codes = {
        "Viettel": "452-04",
        "VinaPhone": "452-02",
        "MobiFone": "452-01",
        "Vietnamobile": "452-05",
        "Gmobile": "452-07",
    }
    t["carrier"] = t["carrier"].map(lambda c: codes.get(c, c))
    t["download_kbps"] = (t.pop("download_mbps").astype(float) * 1000).round(0)
    t["upload_kbps"] = (t.pop("upload_mbps").astype(float) * 1000).round(0)
    t["network_type"] = t["network_type"].replace({"4G": "LTE", "5G": "NR"})
    return t


def build_demo(
    root: Path,
    progress: Callable[[float, str], None] | None = None,
    months: int | None = None,
    through_reform: bool = True,
) -> Store:
    """Build the demo store at ``root`` atomically: in a hidden sibling folder, renamed into place only when
    complete, so an interrupted build leaves nothing behind. ``root`` must not exist or be empty.

    ``progress(fraction, stage)`` is told how far the build is (stages: boundaries, referral, files).
    ``months`` keeps only the last few months (a quicker demo for tests; the reform is loaded whatever they are).
    ``through_reform`` False stops before the reform: the province as it was, with its districts, until June 2025."""
    from ingest.measurements import ingest_files

    root = Path(root)
    if root.exists() and any(root.iterdir()):
        raise UserError("err_demo_not_empty", store=str(root))
    report = progress or (lambda _fraction, _stage: None)
    building = root.with_name(f".{root.name}.building-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    try:
        store = open_store(building, create=True)
        rng = np.random.default_rng(SEED)
        report(0.0, "boundaries")
        old = build_boundaries(rng)
        new, today = reform_boundaries(old)
        tables = measurements(old, today, rng, months, until=None if through_reform else REFORM_MONTH)
        before = {m: t for m, t in tables.items() if m < REFORM_MONTH}
        after = {m: t for m, t in tables.items() if m >= REFORM_MONTH}
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            share = len(before) / max(len(tables), 1)

            def files(start: float, width: float) -> Callable[[str, float], None]:
                def per_file(stage: str, fraction: float) -> None:
                    if stage == "files":
                        report(start + width * fraction, "files")

                return per_file

            _load_system(store, old, folder / "before", actor=SYSTEM)
            report(0.05, "files")
            if before:
                ingest_files(store, _raw_files(before, folder / "before"), files(0.05, 0.9 * share), actor=SYSTEM)
            report(0.05 + 0.9 * share, "boundaries")
            if through_reform:
                _load_system(store, new, folder / "after", replace=True, actor=SYSTEM)
            if after:
                ingest_files(store, _raw_files(after, folder / "after"), files(0.07 + 0.9 * share, 0.9 * (1 - share)),
                             actor=SYSTEM)
        _mark_demo(store, sorted(tables))
        if root.exists():
            root.rmdir()
        os.rename(building, root)  # atomic: the demo appears whole or not at all
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    report(1.0, "done")
    return Store(root)


def _load_system(store: Store, bounds: gpd.GeoDataFrame, folder: Path, replace: bool = False, actor=SYSTEM) -> None:
    """One system of boundaries and its referral list, as the data officer loads them."""
    from ingest.boundaries import import_boundaries
    from ingest.referral import import_referral

    folder.mkdir(parents=True, exist_ok=True)
    bounds.drop(columns=["urban"]).to_file(folder / "demo_communes.gpkg", driver="GPKG")
    import_boundaries(store, folder / "demo_communes.gpkg", replace=replace, actor=actor)
    referral_list(bounds).to_csv(folder / "ma_gioi_thieu.csv", index=False, encoding="utf-8-sig")
    import_referral(store, folder / "ma_gioi_thieu.csv", actor=actor)


def _mark_demo(store: Store, months: list[str]) -> None:
    """store.json says this is the demo, and that it was built to the end (the app checks both)."""
    with transaction(store, "demo", SYSTEM) as tx, open(tx.path_for("store.json", overwrite=True), "w") as fh:
        manifest = {"format": FORMAT, "kind": "demo", "complete": True, "seed": SEED, "builder": BUILDER}
        json.dump({**manifest, "months": months}, fh)


def is_complete_demo(root: Path) -> bool:
    """A demo store built to the end by this version of the builder."""
    store = Store(Path(root))
    manifest = store.manifest()
    return (
        manifest.get("kind") == "demo"
        and manifest.get("complete") is True
        and manifest.get("builder") == BUILDER
        and manifest.get("format") == FORMAT
        and store.has_boundaries()
    )


def ensure_demo(root: Path, progress: Callable[[float, str], None] | None = None, months: int | None = None) -> Store:
    """The demo store at ``root``, built if it is missing or incomplete. One builder at a time, across threads
    and processes (a lock file beside the store): the others wait for it and then find the store complete."""
    root = Path(root)
    if is_complete_demo(root):
        return Store(root)
    root.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(root.with_name(f".{root.name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another builder's work ends before this returns
        if is_complete_demo(root):
            return Store(root)
        for stale in root.parent.glob(f".{root.name}.building-*"):  # a killed builder's half-built folder
            shutil.rmtree(stale, ignore_errors=True)
        if root.exists():  # incomplete or from an older builder: set aside, then removed
            aside = root.with_name(f".{root.name}.stale-{uuid.uuid4().hex[:6]}")
            os.rename(root, aside)
            shutil.rmtree(aside, ignore_errors=True)
        return build_demo(root, progress, months)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
