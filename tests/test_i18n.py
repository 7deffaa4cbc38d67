"""Every word a user reads comes from one table per language (core.i18n): both languages for every key, the same
placeholders in both, and every key the code asks for present."""

from __future__ import annotations

import re
import string

from core.i18n import TEXT, t
from core.settings import REGISTRY
from tests.conftest import ROOT
from tests.test_layers import ALLOWED

_LITERAL = re.compile(r"""\b(?:t|Msg|UserError)\(\s*["']([a-z0-9_]+)["']""")
_PREFIXED = re.compile(r"""\b(?:t|Msg)\(\s*f["']([a-z0-9_]+)\{""")
_KEYLIKE = re.compile(r"""["']((?:err|note|cli|audit|sheet|legend|deck)_[a-z0-9_]+)["']""")
# Formats whose words differ in order between the languages ('tháng 10/2025' against 'October 2025').
FORMAT_KEYS = {"month_long", "month_short"}


def _sources() -> dict[str, str]:
    files = [ROOT / "app.py"] + [p for unit in ALLOWED if (ROOT / unit).is_dir() for p in (ROOT / unit).rglob("*.py")]
    return {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8") for p in files}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_placeholders():
    for key, pair in TEXT.items():
        assert isinstance(pair, tuple) and len(pair) == 2, key
        vi, en = pair
        assert vi.strip() and en.strip(), key
        if key not in FORMAT_KEYS:
            assert _fields(vi) == _fields(en), key


def test_every_key_the_code_uses_exists():
    missing = set()
    for path, source in _sources().items():
        if path == "core/i18n.py":
            continue
        for key in _LITERAL.findall(source) + _KEYLIKE.findall(source):
            if key not in TEXT and not key.endswith("_"):
                missing.add(f"{path}: {key}")
        for prefix in _PREFIXED.findall(source):
            if not any(k.startswith(prefix) for k in TEXT):
                missing.add(f"{path}: {prefix}...")
    assert sorted(missing) == []


def test_families_of_keys_are_complete():
    from core.i18n import TEXT as words
    from ui.filters import METRICS

    expected = [f"metric_{m}" for m in METRICS]
    expected += [s.label for s in REGISTRY] + [s.help for s in REGISTRY]
    expected += [f"month_name_{m}" for m in range(1, 13)]
    expected += [f"action_{a}" for a in ("ingest", "boundaries", "referral", "demo", "delete", "rebuild")]
    assert [k for k in expected if k not in words] == []


def test_a_missing_key_fails_loudly():
    import pytest

    with pytest.raises(KeyError):
        t("no_such_key")
