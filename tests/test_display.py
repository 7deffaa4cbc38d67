"""Display geometry: level of detail by scale, shared edges kept shared, coordinates on the grid, compact GeoJSON."""

from __future__ import annotations

import json

import numpy as np
import shapely

from geo.display import detail_for, geojson, outline_geojson, simplify_coverage, view_of_bounds
from geo.mapgeom import build_map_geometry
from tests.conftest import tiny_boundaries


def test_level_of_detail_is_coarser_for_more_communes():
    assert detail_for(100).precision < detail_for(2000).precision < detail_for(10_000).precision


def test_simplification_keeps_neighbours_touching_and_rounds_to_the_grid():
    frame = tiny_boundaries()
    # Wiggly shared edges: coverage simplification must move both sides of an edge together.
    geoms = np.asarray([g.segmentize(0.001) for g in frame.geometry])
    out = simplify_coverage(geoms, detail_for(len(geoms)))
    assert shapely.is_valid(out).all()
    for a, b in zip(out[:-1], out[1:], strict=True):
        assert a.intersection(b).area < 1e-12  # no overlap
        assert a.intersection(b).length > 0.09  # still share their whole edge
    coords = shapely.get_coordinates(out)
    assert np.allclose(coords, np.round(coords, 4))


def test_geojson_carries_only_ids_and_geometry():
    frame = tiny_boundaries()
    collection = geojson(frame["commune_code"].tolist(), frame.geometry.values)
    assert set(collection["features"][0]) == {"id", "geometry"}
    assert collection["features"][0]["geometry"]["type"] == "Polygon"
    assert json.loads(json.dumps(collection))["features"][3]["id"] == "00004"


def test_outlines_draw_each_shared_edge_once():
    frame = tiny_boundaries()
    by_district = frame.dissolve(by="district_code").geometry
    lines = outline_geojson(by_district, detail_for(4))["features"][0]["geometry"]
    total = shapely.length(shapely.geometry.shape(lines))
    # Two 0.2 x 0.1 rectangles side by side: 0.2+0.2 top and bottom, three 0.1 verticals = 1.1 (not 1.2).
    assert abs(total - 1.1) < 1e-6


def test_map_geometry_fits_the_area():
    mg = build_map_geometry(tiny_boundaries(), "r")
    assert mg.codes == ("00001", "00002", "00003", "00004")
    assert abs(mg.centre["lon"] - 105.2) < 1e-6 and abs(mg.centre["lat"] - 21.05) < 1e-6
    centre, zoom = view_of_bounds(mg.bounds, 1920, 1080)
    assert zoom > mg.zoom  # a bigger canvas fits the same area at a closer zoom
