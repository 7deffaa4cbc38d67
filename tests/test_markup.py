"""No text from the data is rendered as Markdown or HTML: names that look like markup show as typed, on the pages
(Streamlit Markdown) and in the figures (plotly's pseudo-HTML)."""

from __future__ import annotations

import json
import re

import pytest

from tests.apptest_helpers import app_for, figures, run_page
from tests.helpers import CARRIER, COMMUNE, build_markup_store
from ui.safe import WORD_JOINER, plain
from viz.safe import svg_text


@pytest.fixture
def hostile_store(tmp_path):
    return build_markup_store(tmp_path)


def test_plain_escapes_every_markdown_device():
    escaped = plain(CARRIER)
    assert re.search(r"(?<!\\)[*\[\]()$:<>_]", escaped) is None  # every markup character is escaped
    assert "http" + WORD_JOINER in escaped  # autolinks are broken where a backslash cannot reach
    assert escaped.replace("\\", "").replace(WORD_JOINER, "") == CARRIER


def test_svg_text_keeps_tags_as_text():
    assert svg_text("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"


def test_carrier_names_are_shown_as_typed_on_the_carriers_page(hostile_store, monkeypatch):
    at = app_for(hostile_store.root, monkeypatch)
    at.run()
    at = run_page(at, "pages/nha-mang.py")
    sentences = [m.value for m in at.markdown if "Viettel" in m.value]
    assert sentences, "the significance sentence names both carriers"
    assert plain(CARRIER) in sentences[0] and CARRIER not in sentences[0]
    specs = json.dumps(figures(at), ensure_ascii=False)
    assert "<b>tag</b>" not in specs and "&lt;b&gt;tag&lt;/b&gt;" in specs
    assert "evil.example" not in "".join(f.get("layout", {}).get("title", {}).get("text", "") for f in figures(at))


def test_commune_names_are_shown_as_typed_on_the_map_and_the_drill_down(hostile_store, monkeypatch):
    at = app_for(hostile_store.root, monkeypatch, {"commune": "00001"})
    at.run()
    at = run_page(at, "pages/ban-do-toc-do.py")
    names = figures(at)[0]["data"][0]["text"]
    assert any("&lt;b&gt;Xã&lt;/b&gt;" in n for n in names) and not any("<b>Xã</b>" in n for n in names)
    at = run_page(at, "pages/xa-phuong.py")
    assert at.header[0].value == plain(COMMUNE + " · Huyện Một")
