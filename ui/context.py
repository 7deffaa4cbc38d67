"""The store the app reads: which one, and its current version as the pages use it (Context).

What is read once per store version (the communes, the kept display geometry, the statistics engine over the
store's rollups) is kept with st.cache_resource; the version is the store's commit counter, so data loaded through the Data page or the
command line shows up at once without stale figures. Cached per-filter results are in ui.cache.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core import config
from geo.boundaries import load_areas
from geo.mapgeom import DisplayLayers
from ingest.derived import all_current, check_format, read_display
from metrics.engine import StatsEngine
from metrics.timeline import BoundaryMark, boundary_marks
from store.folder import Store
from store.transaction import open_store, read_consistently
from ui.bootstrap import ensure_derived_ready


@dataclass
class Context:
    """One version of one store, as the pages use it."""

    store: Store
    signature: str
    display: DisplayLayers  # simplified communes and outlines, kept in the store (ingest.derived)
    engine: StatsEngine
    months: list[str]
    carriers: list[str]
    is_demo: bool
    marks: list[BoundaryMark]  # changes of boundaries (RULES §18)

    @property
    def areas(self) -> pd.DataFrame:
        return self.engine.areas

    @property
    def has_districts(self) -> bool:
        return bool(self.areas["district_code"].notna().any())

    @property
    def provinces(self) -> pd.DataFrame:
        return self.areas[["province_code", "province_name"]].drop_duplicates().sort_values("province_code")


def store_path() -> Path:
    """--store DIR after `streamlit run app.py --`, else ISPEED_STORE, else the demo store."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--store")
    known, _ = parser.parse_known_args(sys.argv[1:])
    if known.store:
        return Path(known.store)
    return config.default_store_path()


def is_default_demo(root: Path) -> bool:
    """The embedded demo store is the one to build on first start (never a store the operator named)."""
    return config.store_from_env() is None and root.resolve() == config.DEMO_STORE.resolve()


def signature(store: Store) -> str:
    """Changes with every commit (the store's version); a store older than versions falls back to its files."""
    version = store.version()
    if version.number > 0:
        return (
            f"{store.root.resolve()}#v{version.number}"  # cached results are keyed by this: never shared by two stores
        )
    parts = []
    for p in (store.boundaries_path, store.referral_path):
        parts.append(f"{p.name}:{p.stat().st_mtime_ns if p.exists() else 0}")
    parts.extend(str(p.relative_to(store.root)) for p in store.snapshot_files())
    return f"{store.root.resolve()}#{hash(tuple(parts))}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _context(root: str, sig: str) -> Context:
    store = open_store(root)

    def read() -> Context:
        engine = StatsEngine(store, load_areas(store.boundaries_path))
        return Context(
            store=store,
            signature=sig,
            display=read_display(store),
            engine=engine,
            months=store.months(),
            carriers=engine.carriers(),
            is_demo=store.is_demo,
            marks=boundary_marks(store.boundary_versions()),
        )

    context, _ = read_consistently(store, read)
    _known.add((root, sig))
    return context


def load_context(root: Path, lang: str) -> Context | None:
    """The current version of the store, or None when it has no boundaries yet. A store without its derived data
    (written by the previous version) gets it first, while the visitor sees progress (ui.bootstrap)."""
    store = open_store(root, create=True)
    if not store.has_boundaries():
        return None
    sig = signature(store)
    if not _is_known(str(root), sig):
        check_format(store)  # an earlier format needs the officer's rebuild: said at once, never retried
        if not all_current(store):
            ensure_derived_ready(store, lang)
            sig = signature(store)
    return _context(str(root), sig)


_known: set[tuple[str, str]] = set()  # contexts built in this process: their derived data was checked then


def _is_known(root: str, sig: str) -> bool:
    return (root, sig) in _known
