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


@pytest.fixture(scope="session")
def server(demo_store, tmp_path_factory) -> Iterator[str]:
    """The app on a copy of the demo store (uploads must not change the shared one)."""
    root = tmp_path_factory.mktemp("e2e") / "store"
    shutil.copytree(demo_store.root, root)
    port = free_port()
    log = open(tmp_path_factory.mktemp("log") / "streamlit.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ui.serve",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env={**os.environ, "ISPEED_STORE": str(root)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("streamlit exited; see its log") from None
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="vi-VN")
    pg = context.new_page()
    yield pg
    context.close()


def settle(page, timeout: float = 60_000) -> None:
    """Wait until the script has finished running and the page shows a title."""
    page.wait_for_selector(MAIN_H1, timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=timeout,
    )
    page.wait_for_timeout(600)
