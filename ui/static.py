"""Files the browser fetches once from Streamlit's static folder: display geometry (named by its content) and the
maps' empty base-map topology. Each rerun then sends values only, never geometry."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import orjson
import streamlit as st

STATIC_GEO = Path(__file__).resolve().parent.parent / "static" / "geo"


@st.cache_resource(show_spinner=False)
def topojson_url() -> str:
    """Where the browser finds the maps' (empty) base-map topology: served from static/, never a CDN."""
    from viz.maps import EMPTY_TOPOLOGY, TOPOJSON_NAME

    folder = STATIC_GEO.parent / "topo"
    path = folder / f"{TOPOJSON_NAME}.json"
    text = orjson.dumps(EMPTY_TOPOLOGY)
    if not path.exists() or path.read_bytes() != text:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        os.replace(tmp, path)
    return "app/static/topo/"


def serve_geojson(collection: dict) -> str:
    """Write the GeoJSON under static/ (served by Streamlit) once, named by its content; return its URL.

    The browser then fetches the geometry once instead of receiving it again with every rerun."""
    text = orjson.dumps(collection)
    name = hashlib.sha256(text).hexdigest()[:20] + ".json"
    path = STATIC_GEO / name
    if not path.exists():
        STATIC_GEO.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(text)
        os.replace(tmp, path)
    return f"app/static/geo/{name}"
