"""Who may change data from the browser: only a signed-in data officer. Viewing needs no sign-in unless the
operator asks for it.

The operator configures one of two ways (nothing in the repository: secrets live in `.streamlit/secrets.toml`,
which git ignores, or in environment variables):

* **OpenID Connect** with Streamlit's own ``st.login``: an ``[auth]`` section (redirect_uri, cookie_secret,
  client_id, client_secret, server_metadata_url), and in ``[atlas]`` the list ``officers`` of e-mail addresses
  that may change data;
* **a local data-officer password**: ``[atlas] officer_password_hash`` (or ISPEED_OFFICER_PASSWORD_HASH), made
  with ``python -m analytics password``. Only the scrypt hash is kept; each failed attempt waits longer.

Without either, the browser cannot change data at all and the Data page says how to enable it. ``[atlas]
require_sign_in = true`` (or ISPEED_REQUIRE_SIGN_IN=1) asks every visitor to sign in before viewing: through the
provider, or with ``viewer_password_hash`` (or the officer's password).
"""

from __future__ import annotations

import importlib.util
import threading
import time
from dataclasses import dataclass

import streamlit as st

from core import config
from core.i18n import t
from core.passwords import verify_password
from store.audit import Actor

_FAILED_SESSION_KEY = "_auth_failed_attempts"
_OFFICER_KEY = "_officer_signed_in"
_VIEWER_KEY = "_viewer_signed_in"
_MAX_DELAY_SECONDS = 30.0
_failures_lock = threading.Lock()
_failures_by_process = [0]  # failed attempts across every session of this server: slows a guesser with many tabs


@dataclass(frozen=True)
class AuthSettings:
    """How this deployment signs people in."""

    oidc: bool
    officers: tuple[str, ...]
    officer_hash: str | None
    viewer_hash: str | None
    require_sign_in: bool

    @property
    def officer_sign_in_enabled(self) -> bool:
        return self.oidc or bool(self.officer_hash)


def settings() -> AuthSettings:
    """Read from st.secrets ([auth], [atlas]) and the environment (core.config)."""
    secrets = _secrets()
    atlas = dict(secrets.get("atlas", {}) or {})
    auth = dict(secrets.get("auth", {}) or {})
    oidc = (
        bool(auth)
        and {"redirect_uri", "cookie_secret"} <= set(auth)
        and importlib.util.find_spec("authlib") is not None
    )
    return AuthSettings(
        oidc=oidc,
        officers=tuple(str(e).strip().lower() for e in atlas.get("officers", []) if str(e).strip()),
        officer_hash=str(atlas.get("officer_password_hash") or "") or config.officer_password_hash(),
        viewer_hash=str(atlas.get("viewer_password_hash") or "") or config.viewer_password_hash(),
        require_sign_in=bool(atlas.get("require_sign_in", False)) or config.require_sign_in(),
    )


def _secrets() -> dict:
    try:
        return {k: st.secrets[k] for k in st.secrets}
    except (FileNotFoundError, KeyError):  # no secrets.toml: nothing configured
        return {}
    except Exception:  # a secrets.toml that does not parse: treated as nothing configured, never as open
        return {}


def _oidc_email() -> str | None:
    user = st.user
    if not user.get("is_logged_in", False):
        return None
    return str(user.get("email") or "").strip().lower() or None


def officer(auth: AuthSettings | None = None) -> Actor | None:
    """The signed-in data officer of this session, or None."""
    auth = auth or settings()
    if auth.oidc:
        email = _oidc_email()
        if email and email in auth.officers:
            return Actor(email, "browser")
    if auth.officer_hash and st.session_state.get(_OFFICER_KEY):
        return Actor(t("officer_local_name", "vi"), "browser")
    return None


def may_view(auth: AuthSettings | None = None) -> bool:
    auth = auth or settings()
    if not auth.require_sign_in:
        return True
    return (
        bool(_oidc_email() if auth.oidc else False)
        or bool(st.session_state.get(_VIEWER_KEY))
        or officer(auth) is not None
    )


def view_gate(lang: str) -> None:
    """Stop the page for a visitor who must sign in to view, showing the way to sign in."""
    auth = settings()
    if may_view(auth):
        return
    st.title(t("app_title", lang))
    st.info(t("sign_in_to_view", lang))
    if auth.oidc:
        st.button(t("sign_in_provider", lang), on_click=st.login, type="primary", key="view_login")
    hashes = [h for h in (auth.viewer_hash, auth.officer_hash) if h]
    if hashes:
        _password_form(lang, hashes, _VIEWER_KEY, "view_password")
    if not auth.oidc and not hashes:
        st.error(t("sign_in_misconfigured", lang))
    st.stop()


def officer_panel(lang: str) -> Actor | None:
    """The data officer's sign-in (or sign-out) on the Data page; who is signed in, or None."""
    auth = settings()
    who = officer(auth)
    if not auth.officer_sign_in_enabled:
        st.info(t("changes_disabled", lang), icon=":material/lock:")
        return None
    if who is not None:
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.success(t("signed_in_as", lang, who=who.name), icon=":material/verified_user:")
        if right.button(t("sign_out", lang), key="officer_logout"):
            st.session_state.pop(_OFFICER_KEY, None)
            if auth.oidc and _oidc_email():
                st.logout()
            st.rerun()
        return who
    st.info(t("changes_need_sign_in", lang), icon=":material/lock:")
    if auth.oidc:
        email = _oidc_email()
        if email:
            st.warning(t("not_an_officer", lang, who=email))
        else:
            st.button(t("sign_in_provider", lang), on_click=st.login, type="primary", key="officer_login")
    if auth.officer_hash:
        _password_form(lang, [auth.officer_hash], _OFFICER_KEY, "officer_password")
    return None


def _password_form(lang: str, hashes: list[str], session_key: str, key: str) -> None:
    with st.form(key, clear_on_submit=True):
        password = st.text_input(t("password", lang), type="password", key=f"{key}_field")
        submitted = st.form_submit_button(t("sign_in", lang))
    if not submitted:
        return
    if any(verify_password(password or "", h) for h in hashes):
        st.session_state[session_key] = True
        st.session_state[_FAILED_SESSION_KEY] = 0
        st.rerun()
    failures = st.session_state.get(_FAILED_SESSION_KEY, 0) + 1
    st.session_state[_FAILED_SESSION_KEY] = failures
    with _failures_lock:
        _failures_by_process[0] += 1
        overall = _failures_by_process[0]
    time.sleep(failed_attempt_delay(max(failures, overall // 5)))
    st.error(t("wrong_password", lang))


def failed_attempt_delay(failures: int) -> float:
    """Seconds to wait after the n-th failed attempt: 1, 2, 4, ... up to 30."""
    return min(_MAX_DELAY_SECONDS, 2.0 ** max(failures - 1, 0))
