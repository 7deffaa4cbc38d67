"""A store written by the version before reasons were kept (format 2) is refused with what to do, and `rebuild`
upgrades it in place: every measurement placed again, the same figures, and the reasons recorded."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics.__main__ import main as cli
from core.errors import UserError
from core.settings import Settings
from geo.boundaries import load_boundaries
from ingest.measurements import ingest_files
from metrics.engine import StatsEngine
from metrics.filters import Filters
from tests.helpers import row, write_csv


def _as_format_2(store, manifest: bool) -> None:
    """What the earlier version wrote: no placement columns in the snapshots; store.json saying format 2, or none
    at all (stores made before it existed)."""
    for path in store.snapshot_files():
        table = pq.read_table(path)
        pq.write_table(table.drop_columns(["assigned_by", "unassigned_reason"]), path)
    if manifest:
        store.manifest_path.write_text(json.dumps({"format": 2}), encoding="utf-8")
    else:
        store.manifest_path.unlink()


@pytest.mark.parametrize("manifest", [True, False], ids=["format-2-manifest", "no-manifest"])
def test_an_old_store_is_refused_then_rebuilt(tiny_store, tmp_path, manifest):
    rows = [
        row(time="2024-10-15T10:00:00", lat=21.05, lon=105.05),
        row(time="2024-10-15T11:00:00", lat=21.05, lon=105.15),
        row(time="2024-10-15T12:00:00", lat="", lon=""),  # no coordinates, no code
        row(time="2024-10-15T13:00:00", lat=30.0, lon=100.0),  # outside every commune
    ]
    [summary] = ingest_files(tiny_store, [write_csv(tmp_path / "m.csv", rows)])
    assert summary.accepted == 4
    before = StatsEngine(tiny_store, load_boundaries(tiny_store.boundaries_path))
    expected = before.commune_table(Filters("2024-10"), Settings(min_samples=1))[["commune_code", "samples"]]
    _as_format_2(tiny_store, manifest)
    assert tiny_store.format == 2
    with pytest.raises(UserError) as refused:
        StatsEngine(tiny_store, load_boundaries(tiny_store.boundaries_path)).commune_table(
            Filters("2024-10"), Settings(min_samples=1)
        )
    assert "rebuild" in refused.value.text("vi")
    assert cli(["rebuild", "--store", str(tiny_store.root)]) == 0
    assert tiny_store.format == 3
    after = StatsEngine(tiny_store, load_boundaries(tiny_store.boundaries_path))
    got = after.commune_table(Filters("2024-10"), Settings(min_samples=1))[["commune_code", "samples"]]
    pd.testing.assert_frame_equal(got, expected)
    reasons = after.unassigned_by_reason(Filters("2024-10")).set_index("unassigned_reason")["samples"].to_dict()
    assert reasons == {"no_location": 1, "outside": 1}
