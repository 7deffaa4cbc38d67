"""Shared fixtures: a tiny hand-made province, stores built from it, and the real boundary files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import box

from ingest.boundaries import import_boundaries
from store.transaction import Store, open_store

ROOT = Path(__file__).resolve().parent.parent
SHARED_GEO = ROOT.parent / "shared" / "geo"


def tiny_boundaries() -> gpd.GeoDataFrame:
    """Two districts of two square communes each, side by side along longitude 105.0-105.4, lat 21.0-21.1.

    Commune 00001 spans lon 105.0-105.1, 00002 105.1-105.2 (district 001); 00003 and 00004 follow (district 002).
    """
    rows = []
    for i in range(4):
        rows.append(
            {
                "province_code": "01",
                "province_name": "Tỉnh Thử Nghiệm",
                "district_code": "001" if i < 2 else "002",
                "district_name": "Huyện Một" if i < 2 else "Huyện Hai",
                "commune_code": f"0000{i + 1}",
                "commune_name": ["Xã An Bình", "Phường Huyền Tụng", "Xã Đức Xuân", "Thị trấn Nà Phặc"][i],
                "geometry": box(105.0 + 0.1 * i, 21.0, 105.1 + 0.1 * i, 21.1),
            }
        )
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


def centre(code: str) -> tuple[float, float]:
    """(lat, lon) inside the tiny commune with this code."""
    i = int(code) - 1
    return 21.05, 105.05 + 0.1 * i


@pytest.fixture
def tiny_store(tmp_path: Path) -> Store:
    path = tmp_path / "tiny.gpkg"
    tiny_boundaries().to_file(path, driver="GPKG")
    store = open_store(tmp_path / "store", create=True)
    import_boundaries(store, path)
    return store


def tree_digest(root: Path) -> dict[str, str]:
    """Every file below root with its content hash: 'unchanged' means this is equal before and after."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def shared_geo() -> Path:
    """The real boundary files beside the repo. Skipped in a user's own clone; required in CI."""
    return require_shared_geo()


def require_shared_geo() -> Path:
    """The real boundary files, or a skip with its reason (a failure in CI, where they must be present)."""
    if not (SHARED_GEO / "vn_communes_2024.parquet").exists():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_GEO} is missing in CI, where it must be present")
        pytest.skip(f"real boundary files not found at {SHARED_GEO} (they sit in ../shared beside the repo)")
    return SHARED_GEO


@pytest.fixture(scope="session")
def district_store(tmp_path_factory) -> Store:
    """The demo province as it was before the 2025 reform (8 districts, 120 communes), its last four months."""
    from ingest.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("districts") / "store", months=4, through_reform=False)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Store:
    """The demo store, built once for the whole test session through the real import and ingest."""
    from ingest.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo") / "store")


def require_chromium() -> None:
    """Chromium renders images and drives the browser tests: skipped in a user's clone without it, required in CI."""
    from exports.images import CHROMIUM

    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} missing in CI: make test installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (make test installs it)")
