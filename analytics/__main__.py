"""Command line: python -m analytics {demo,boundaries,referral,ingest,report} (CONTRACTS section 6)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.errors import UserError

_MAX_LISTED = 40


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the store is unchanged", file=sys.stderr)
        return 130


def _store_arg(p: argparse.ArgumentParser) -> None:
    from store.transaction import default_store_path

    p.add_argument(
        "--store",
        type=Path,
        default=default_store_path(),
        help="store folder (default: $ISPEED_STORE, else the embedded demo store)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m analytics", description="i-Speed Atlas: load data and make reports."
    )
    sub = parser.add_subparsers(required=True, metavar="COMMAND")

    p = sub.add_parser(
        "demo",
        help="build the fictional demo store",
        description=(
            "Build the demo store: a fictional province labelled as demo data, with synthetic communes and 14 months "
            "of measurements, loaded through the same import and ingest as real data. Refuses a folder that holds data."
        ),
    )
    _store_arg(p)
    p.set_defaults(run=_demo)

    p = sub.add_parser(
        "boundaries",
        help="load commune boundaries",
        description=(
            "Load commune boundaries (GeoParquet, GeoJSON, GeoPackage or Shapefile) into the store. The CRS is read from "
            "the file and reprojected to EPSG:4326; invalid polygons are repaired; features without a commune code are "
            "reported and left out."
        ),
    )
    p.add_argument("file", type=Path)
    _store_arg(p)
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="use COLUMN of the file for FIELD (province_code, province_name, district_code, district_name, "
        "commune_code, commune_name); repeatable",
    )
    p.add_argument("--crs", help="CRS of a file that declares none, e.g. EPSG:3405 (VN-2000 / UTM 48N)")
    p.add_argument(
        "--replace",
        action="store_true",
        help="replace loaded boundaries and re-assign stored measurements to the new communes",
    )
    p.set_defaults(run=_boundaries)

    p = sub.add_parser(
        "referral",
        help="load the referral-code list",
        description=(
            "Load a referral-code list (CSV or XLSX: STT, Mã giới thiệu, Xã/Phường, Huyện/Quận, Tỉnh/Thành phố) and match "
            "each code to a commune: by the GSO code inside a 10-digit code where it exists, by names otherwise. Prints "
            "every code that matches no commune, several communes, or disagrees with its names."
        ),
    )
    p.add_argument("file", type=Path)
    _store_arg(p)
    p.set_defaults(run=_referral)

    p = sub.add_parser(
        "ingest",
        help="ingest measurement files",
        description=(
            "Validate measurement files (CSV, XLSX, Parquet) and add them to the store's monthly snapshots. Rejected rows "
            "go to rejects/ with file, line and reason; repeated measurements are counted once; all files are added "
            "together or not at all."
        ),
    )
    p.add_argument("files", type=Path, nargs="+", metavar="FILE")
    _store_arg(p)
    p.set_defaults(run=_ingest)

    p = sub.add_parser(
        "report",
        help="write the commune report",
        description=(
            "Write the commune report of one month: one row per commune with samples against the quota and 4G speed "
            "against the target (CONTRACTS section 6)."
        ),
    )
    _store_arg(p)
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--network", action="append", default=[], help="network type(s) for the speed figures (default 4G)")
    p.add_argument("--carrier", action="append", default=[], help="carrier name(s); default all")
    p.add_argument("--district", action="append", default=[], help="district code(s); default all")
    p.add_argument("--format", choices=["csv", "xlsx", "pptx"], required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--speed-target", type=float, default=40.0, help="Mbps (default 40)")
    p.add_argument("--quota", type=int, default=300, help="samples per commune and month (default 300)")
    p.add_argument("--min-samples", type=int, default=30, help="fewer speed samples = insufficient data (default 30)")
    p.set_defaults(run=_report)
    return parser


def _demo(args: argparse.Namespace) -> int:
    from ingest.demo import build_demo

    if args.store.exists() and any(args.store.iterdir()):
        raise UserError(f"{args.store} is not empty; the demo store is built in a new folder")
    store = build_demo(args.store, _progress_printer())
    print(f"demo store built in {store.root}: months {', '.join(store.months())}")
    return 0


def _boundaries(args: argparse.Namespace) -> int:
    from ingest.commands import import_boundaries
    from store.transaction import open_store

    mapping = {}
    for item in args.map:
        if "=" not in item:
            raise UserError(f"--map {item}: expected FIELD=COLUMN")
        field_name, column = item.split("=", 1)
        mapping[field_name.strip()] = column.strip()
    store = open_store(args.store, create=True)
    result = import_boundaries(store, args.file, mapping, args.crs, args.replace)
    frame = result.frame
    levels = f"{frame['province_code'].nunique()} province(s), "
    levels += f"{frame['district_code'].nunique()} district(s), " if result.has_districts else "no districts, "
    print(
        f"{args.file.name}: {len(frame)} communes loaded ({levels}source CRS {_crs_name(result.source_crs)}); "
        f"{result.repaired} geometries repaired, {len(result.dropped)} features left out"
    )
    for item in result.dropped:
        print(f"  left out: {item}")
    return 0


def _crs_name(crs: str) -> str:
    from pyproj import CRS

    try:
        c = CRS.from_user_input(crs)
        epsg = c.to_epsg()
        return f"EPSG:{epsg}" if epsg else c.name
    except Exception:
        return crs[:40]


def _referral(args: argparse.Namespace) -> int:
    from ingest.commands import import_referral
    from store.transaction import open_store

    result = import_referral(open_store(args.store), args.file)
    print(
        f"{args.file.name}: {len(result.table)} codes, {result.matched} matched to communes, "
        f"{len(result.table) - result.matched} unmatched, {len(result.problems)} problem(s)"
    )
    for problem in result.problems[:_MAX_LISTED]:
        print(f"  {problem}")
    if len(result.problems) > _MAX_LISTED:
        print(f"  ... and {len(result.problems) - _MAX_LISTED} more")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from ingest.measurements import ingest_files
    from store.transaction import open_store

    store = open_store(args.store)
    summaries = ingest_files(store, args.files, _progress_printer())
    for s in summaries:
        print(s.line())
        if s.rejects_file:
            print(f"  rejected and duplicate rows with reasons: {store.root / s.rejects_file}")
    if len(summaries) > 1:
        total = {
            k: sum(getattr(s, k) for s in summaries)
            for k in ("read", "accepted", "rejected", "duplicate", "unassigned")
        }
        print("total: " + ", ".join(f"{k} {v}" for k, v in total.items()))
    return 0


def _report(args: argparse.Namespace) -> int:
    from analytics.report import write_report

    out = write_report(
        args.store,
        args.month,
        args.format,
        args.out,
        networks=args.network or ["4G"],
        carriers=args.carrier,
        districts=args.district,
        speed_target=args.speed_target,
        quota=args.quota,
        min_samples=args.min_samples,
    )
    print(f"wrote {out}")
    return 0


def _progress_printer():
    """A tqdm bar per stage on a terminal; silent otherwise."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(stage: str, fraction: float) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=100, desc=stage, unit="%", leave=False, disable=None, file=sys.stderr)
        bar.n = int(fraction * 100)
        bar.refresh()
        if fraction >= 1.0:
            bar.close()

    return update


if __name__ == "__main__":
    sys.exit(main())
