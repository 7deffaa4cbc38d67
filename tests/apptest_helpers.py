"""Helpers for streamlit.testing.v1.AppTest against a given store."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = [
    "pages/tong-quan.py",
    "pages/ban-do-toc-do.py",
    "pages/ban-do-do-phu-mau.py",
    "pages/nha-mang.py",
    "pages/xu-huong.py",
    "pages/xa-phuong.py",
    "pages/du-lieu.py",
]


def app_for(store_root, monkeypatch, query: dict | None = None) -> AppTest:
    monkeypatch.setenv("ISPEED_STORE", str(store_root))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at


def run_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def figures(at: AppTest) -> list[dict]:
    """The plotly figures on the page, as dicts."""
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def figure_titles(at: AppTest) -> list[str]:
    return [f.get("layout", {}).get("title", {}).get("text", "") for f in figures(at)]


def metric(at: AppTest, label_start: str):
    for m in at.metric:
        if m.label.startswith(label_start):
            return m
    raise AssertionError(f"no metric starting with {label_start!r}: {[m.label for m in at.metric]}")
