"""End-to-end: `streamlit run` on a free local port, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_chromium

CHROMIUM = "/usr/bin/chromium"
MAIN_H1 = '[data-testid="stMain"] h1'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


OFFICER_PASSWORD = "mat-khau-can-bo-e2e"


@contextmanager
def running_app(root: Path, log_path: Path, env: dict | None = None) -> Iterator[str]:
    """`streamlit run app.py` on a free port, as a user or a hosting platform starts it; its base URL."""
    port = free_port()
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=ROOT,
            env={**os.environ, "ISPEED_STORE": str(root), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:  # poll the health endpoint until the server answers
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                    break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start; see {log_path}") from None
                    time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="session")
def server(demo_store, tmp_path_factory) -> Iterator[str]:
    """The app on a copy of the demo store (uploads must not change the shared one), with a data officer's
    password configured the way an operator would (its hash in the environment)."""
    from core.passwords import hash_password

    root = tmp_path_factory.mktemp("e2e") / "store"
    shutil.copytree(demo_store.root, root)
    env = {"ISPEED_OFFICER_PASSWORD_HASH": hash_password(OFFICER_PASSWORD)}
    with running_app(root, tmp_path_factory.mktemp("log") / "streamlit.log", env) as url:
        yield url


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


def settle(page, until: str | None = None, timeout: float = 60_000) -> None:
    """Wait until the app is connected, its script has run to the end, and (when given) the JavaScript
    condition ``until`` holds: no fixed sleeps, and no reading of elements that may not exist yet."""
    page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=timeout)
    condition = "document.querySelector('[data-testid=\"stApp\"][data-test-script-state=\"notRunning\"]')"
    condition += " && document.querySelector('" + MAIN_H1 + "')"
    condition += " && !document.querySelector('[data-testid=\"stSkeleton\"]')"
    if until:
        condition += f" && (() => {{ try {{ return !!({until}); }} catch (e) {{ return false; }} }})()"
    page.wait_for_function(f"() => !!({condition})", timeout=timeout)


def main_title_starts(text: str) -> str:
    """A null-safe JavaScript condition: the page's main title starts with ``text``."""
    return f"(document.querySelector('{MAIN_H1}')?.innerText || '').startsWith({text!r})"


MAP_DRAWN = "document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length > 0"


def sign_in_as_officer(page, server: str) -> None:
    page.goto(f"{server}/du-lieu")
    settle(page)
    page.get_by_label("Mật khẩu").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    settle(page, "document.body.innerText.includes('Đã đăng nhập')")
