"""Boundary import: formats, CRS (VN-2000 included), column mapping, repair, refusals, real files."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon

from analytics.__main__ import main as cli
from core.errors import UserError
from geo.boundaries import read_boundaries
from store.transaction import open_store
from tests.conftest import tiny_boundaries, tree_digest


@pytest.mark.parametrize(
    ("suffix", "driver"), [(".geojson", "GeoJSON"), (".gpkg", "GPKG"), (".shp", "ESRI Shapefile"), (".parquet", None)]
)
def test_every_format_reads_the_same(tmp_path, suffix, driver):
    path = tmp_path / f"b{suffix}"
    frame = tiny_boundaries()
    if driver:
        frame.to_file(path, driver=driver)
    else:
        frame.to_parquet(path)
    result = read_boundaries(path)
    assert result.frame["commune_code"].tolist() == ["00001", "00002", "00003", "00004"]
    assert result.frame["commune_name"].tolist()[1] == "Phường Huyền Tụng"
    assert result.has_districts
    assert result.frame.crs.to_epsg() == 4326
    assert set(result.frame.geom_type) == {"MultiPolygon"}


def test_vn2000_is_reprojected_to_wgs84(tmp_path):
    frame = tiny_boundaries()
    projected = frame.to_crs("EPSG:3405")  # VN-2000 / UTM zone 48N
    assert projected.total_bounds[0] > 100_000  # metres
    projected.to_file(tmp_path / "vn2000.gpkg", driver="GPKG")
    result = read_boundaries(tmp_path / "vn2000.gpkg")
    assert "VN-2000" in result.source_crs or "3405" in result.source_crs
    # Back within ~1 m (1e-5 degrees) of the original corners, datum shift included.
    for got, want in zip(result.frame.geometry, frame.geometry, strict=True):
        assert shapely.hausdorff_distance(got, want) < 1e-5


def test_file_without_crs_in_metres_is_refused(tmp_path, capsys):
    projected = tiny_boundaries().to_crs("EPSG:3405")
    projected = projected.set_crs(None, allow_override=True)
    projected.to_file(tmp_path / "nocrs.shp")
    (tmp_path / "nocrs.prj").unlink(missing_ok=True)
    store = open_store(tmp_path / "s", create=True)
    before = tree_digest(store.root)
    assert cli(["--lang", "en", "boundaries", str(tmp_path / "nocrs.shp"), "--store", str(store.root)]) == 2
    errors = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("error:")]
    assert len(errors) == 1 and "declares no CRS" in errors[0] and "--crs" in errors[0]
    assert tree_digest(store.root) == before
    # Declaring the CRS makes it work.
    assert cli(["boundaries", str(tmp_path / "nocrs.shp"), "--store", str(store.root), "--crs", "EPSG:3405"]) == 0


def test_file_without_crs_in_degrees_is_taken_as_wgs84(tmp_path):
    tiny_boundaries().set_crs(None, allow_override=True).to_file(tmp_path / "deg.geojson", driver="GeoJSON")
    assert len(read_boundaries(tmp_path / "deg.geojson").frame) == 4


def test_column_mapping_and_aliases(tmp_path):
    frame = tiny_boundaries().rename(
        columns={
            "province_code": "MA_TINH",
            "province_name": "TEN_TINH",
            "district_code": "MA_HUYEN",
            "district_name": "TEN_HUYEN",
            "commune_code": "ID_XA",
            "commune_name": "NAME_3",
        }
    )
    frame["ID_XA"] = frame["ID_XA"].astype(int)  # leading zeros lost, as in many shapefiles
    frame.to_file(tmp_path / "odd.gpkg", driver="GPKG")
    with pytest.raises(UserError, match=r"thiếu trường bắt buộc commune_code, commune_name.*ID_XA"):
        read_boundaries(tmp_path / "odd.gpkg")
    result = read_boundaries(tmp_path / "odd.gpkg", {"commune_code": "ID_XA", "commune_name": "NAME_3"})
    assert result.frame["commune_code"].tolist() == ["00001", "00002", "00003", "00004"]
    assert result.frame["province_code"].iloc[0] == "01"


def test_missing_required_columns_lists_the_columns_found(tmp_path, capsys):
    gpd.GeoDataFrame({"name": ["x"], "geometry": [tiny_boundaries().geometry.iloc[0]]}, crs=4326).to_file(
        tmp_path / "x.geojson", driver="GeoJSON"
    )
    store = open_store(tmp_path / "s", create=True)
    assert cli(["boundaries", str(tmp_path / "x.geojson"), "--store", str(store.root)]) == 2
    err = capsys.readouterr().err
    assert "tệp có các cột: name" in err


def test_invalid_polygon_is_repaired(tmp_path):
    frame = tiny_boundaries()
    bowtie = Polygon([(105.0, 21.0), (105.1, 21.1), (105.1, 21.0), (105.0, 21.1), (105.0, 21.0)])
    assert not bowtie.is_valid
    frame.loc[0, "geometry"] = bowtie
    frame.to_parquet(tmp_path / "b.parquet")
    result = read_boundaries(tmp_path / "b.parquet")
    assert result.repaired == 1
    assert result.frame.geometry.is_valid.all()
    assert result.frame.geometry.iloc[0].area == pytest.approx(0.005, rel=1e-6)


def test_features_without_commune_code_are_reported_and_left_out(tmp_path):
    frame = tiny_boundaries()
    frame.loc[3, "commune_code"] = None
    frame.to_parquet(tmp_path / "b.parquet")
    result = read_boundaries(tmp_path / "b.parquet")
    assert len(result.frame) == 3
    assert [d.render("en") for d in result.dropped] == ["no commune code: Thị trấn Nà Phặc, Huyện Hai, Tỉnh Thử Nghiệm"]
    assert [d.render("vi") for d in result.dropped] == ["không có mã xã: Thị trấn Nà Phặc, Huyện Hai, Tỉnh Thử Nghiệm"]


def test_repeated_commune_code_refused(tmp_path):
    frame = tiny_boundaries()
    frame.loc[1, "commune_code"] = "00001"
    frame.to_parquet(tmp_path / "b.parquet")
    with pytest.raises(UserError, match="các mã bị lặp: 00001"):
        read_boundaries(tmp_path / "b.parquet")


def test_replacing_boundaries_needs_replace_and_reassigns_measurements(tiny_store, tmp_path):
    from ingest.boundaries import import_boundaries
    from ingest.measurements import ingest_files
    from tests.helpers import row, stored, write_csv

    ingest_files(tiny_store, [write_csv(tmp_path / "m.csv", [row(lat=21.05, lon=105.05)])])
    other = tiny_boundaries()
    other["commune_code"] = ["10001", "10002", "10003", "10004"]
    other.to_parquet(tmp_path / "new.parquet")
    with pytest.raises(UserError, match="--replace"):
        import_boundaries(tiny_store, tmp_path / "new.parquet")
    import_boundaries(tiny_store, tmp_path / "new.parquet", replace=True)
    assert stored(tiny_store)["commune_code"].tolist() == ["10001"]


# ---- the real files in ../shared/geo ---------------------------------------------------------


def test_real_2024_boundaries_import(shared_geo, tmp_path, capsys):
    store = open_store(tmp_path / "s", create=True)
    assert cli(["boundaries", str(shared_geo / "vn_communes_2024.parquet"), "--store", str(store.root)]) == 0
    out = capsys.readouterr().out
    # 699 districts in the file; Lý Sơn has no commune, so 698 remain once its non-commune area is left out.
    assert "đã nạp 10.462 xã/phường (63 tỉnh, 698 huyện" in out
    assert out.count("bỏ qua: không có mã xã") == 6
    frame = gpd.read_parquet(store.boundaries_path)
    assert frame["commune_code"].is_unique and frame.geometry.is_valid.all()
    assert frame.loc[frame["commune_code"] == "01846", "commune_name"].item() == "Phường Huyền Tụng"


def test_real_2025_boundaries_import_without_districts(shared_geo, tmp_path, capsys):
    store = open_store(tmp_path / "s", create=True)
    assert cli(["boundaries", str(shared_geo / "vn_communes_2025.parquet"), "--store", str(store.root)]) == 0
    out = capsys.readouterr().out
    assert "đã nạp 3.321 xã/phường (34 tỉnh, không có cấp huyện" in out
    frame = gpd.read_parquet(store.boundaries_path)
    assert frame["district_code"].isna().all()
