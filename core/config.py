"""The one place that reads environment variables. Everything else asks here.

| variable | meaning |
|---|---|
| ISPEED_STORE | the store folder the app and the commands open (default: the embedded demo store) |
| ISPEED_LANG | language of the command line, `vi` (default) or `en` |
| ISPEED_CHROMIUM | the Chromium that renders exported images (default `/usr/bin/chromium`) |
| ISPEED_OFFICER_PASSWORD_HASH | the data officer's password hash, when not in `.streamlit/secrets.toml` |
| ISPEED_VIEWER_PASSWORD_HASH | a password for viewing, when the operator requires sign-in to view |
| ISPEED_REQUIRE_SIGN_IN | `1` asks every visitor to sign in before viewing |
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO_STORE = REPO / "data" / "demo-store"
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def _get(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def store_from_env() -> Path | None:
    """ISPEED_STORE, when set."""
    value = _get("ISPEED_STORE")
    return Path(value) if value else None


def default_store_path() -> Path:
    """ISPEED_STORE if set, else the embedded demo store inside the repo."""
    return store_from_env() or DEMO_STORE


def cli_language() -> str:
    """ISPEED_LANG for the command line: Vietnamese unless it says English."""
    return "en" if (_get("ISPEED_LANG") or "").lower().startswith("en") else "vi"


def chromium_path() -> Path:
    return Path(_get("ISPEED_CHROMIUM") or DEFAULT_CHROMIUM)


def officer_password_hash() -> str | None:
    return _get("ISPEED_OFFICER_PASSWORD_HASH")


def viewer_password_hash() -> str | None:
    return _get("ISPEED_VIEWER_PASSWORD_HASH")


def require_sign_in() -> bool:
    return (_get("ISPEED_REQUIRE_SIGN_IN") or "").lower() in ("1", "true", "yes", "on")
