"""Display geometry: level of detail by scale, shared edges kept shared, coordinates on the grid, compact GeoJSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely

from geo.display import detail_for, geojson, simplify_coverage
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


def test_outlines_are_the_dissolved_districts_on_the_display_grid():
    mg = build_map_geometry(tiny_boundaries(), "r")
    assert [f["id"] for f in mg.outline["features"]] == ["001", "002"]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in mg.outline["features"]]
    # Two 0.2 x 0.1 rectangles side by side, one per district, touching without overlap.
    assert [round(s.area, 9) for s in shapes] == [0.02, 0.02]
    assert shapes[0].intersection(shapes[1]).area == 0


def test_map_geometry_covers_the_area():
    mg = build_map_geometry(tiny_boundaries(), "r")
    assert mg.codes == ("00001", "00002", "00003", "00004")
    assert mg.bounds == (105.0, 21.0, 105.4, 21.1)


def test_outlines_fill_the_gaps_between_communes_but_keep_enclaves():
    from geo.display import without_slivers

    square = shapely.box(0, 0, 1, 1)
    sliver = shapely.box(0.5, 0.5, 0.5001, 0.6)  # a gap between two neighbours in a boundary file
    enclave = shapely.box(0.2, 0.2, 0.4, 0.4)  # a town inside its district: a real hole
    out = without_slivers(np.asarray([square.difference(sliver), square.difference(enclave)], dtype=object))
    assert len(out[0].interiors) == 0 and out[0].area == pytest.approx(1)
    assert len(out[1].interiors) == 1 and out[1].area == pytest.approx(0.96)
