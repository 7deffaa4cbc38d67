"""Benchmark: ten browser sessions changing filters on the demo's speed map at the same time (issue #7.8).

One Chromium (Debian's), ten contexts, each changing the month and the metric in turn; every change is timed in
the browser from the click to the redrawn map title. Printed: p50/p95 latency for one session alone and for ten
at once, the server's CPU time per rerun (from /proc, all its threads), and its memory (RSS) every 10 reruns.
The same sessions are then run against a plain Streamlit page driven the same way (bench/plain_app.py: the two
selectboxes and one small chart, no data): Streamlit's own floor on this machine, printed beside ours as a ratio.
The targets (p95 under 2 s with ten sessions, the browsers included, on this 2-core machine; server CPU per rerun
a tenth of the 0.48 s measured before; memory stable) live here, never in timed tests.

python -m bench.concurrency [--sessions 10] [--changes 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
METRICS = [("mean", "Tốc độ tải xuống trung bình"), ("median", "Tốc độ tải xuống trung vị")]
TITLE_JS = "document.querySelector('.js-plotly-plot .gtitle')?.textContent || ''"
IDLE_JS = '!!document.querySelector(\'[data-testid="stApp"][data-test-script-state="notRunning"]\')'
CLK = os.sysconf("SC_CLK_TCK")


def server_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK  # utime + stime, every thread


def browsers_cpu() -> float:
    """CPU seconds used so far by every Chromium process (the browsers are on the same two cores)."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"chromium" not in (proc / "cmdline").read_bytes():
                continue
            total += server_cpu(int(proc.name))
        except OSError:
            continue
    return total


def server_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(
    store: Path, port: int, log: Path, script: str = "app.py", env: dict[str, str] | None = None
) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT,
        env={**os.environ, "ISPEED_STORE": str(store), **(env or {})},
        stdout=open(log, "w"),  # noqa: SIM115 - the server's log lives as long as the server
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"the server did not start; see {log}")


async def settle(page, condition: str = "true", timeout: float = 120_000) -> None:
    # Polled every 100 ms (not every animation frame): the measuring must not load the browsers it measures.
    await page.wait_for_function(f"() => {IDLE_JS} && ({condition})", timeout=timeout, polling=100)


async def choose(page, box, label: str) -> float:
    """Open a selectbox and click one of its options; the moment of the click that took (a click that lands while
    the page redraws is tried again)."""
    for _ in range(5):
        try:
            await box.get_by_role("combobox").click(timeout=10_000)
            option = page.get_by_role("option", name=label, exact=True)
            await option.wait_for(timeout=10_000)
            start = time.perf_counter()
            await option.click(timeout=10_000)
            return start
        except Exception:
            await page.keyboard.press("Escape")
    raise RuntimeError(f"could not choose {label}")


async def open_page(browser, url: str):
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    page = await context.new_page()
    await page.goto(url)
    await settle(page, f"({TITLE_JS}).length > 0")
    return page


async def change_filters(page, months: list[str], changes: int, offset: int, latencies: list[float]) -> None:
    """Alternately choose another month and another metric; time each change until the map title shows it."""
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
    metric = 0
    for i in range(changes):
        if i % 2 == 0:
            month = months[(offset + i) % len(months)]
            expect = f"{month[5:]}/{month[:4]}"
            box, label = sidebar.filter(has_text="Tháng").first, f"tháng {expect}"
        else:
            metric = 1 - metric
            expect = METRICS[metric][1]
            box, label = sidebar.filter(has_text="Chỉ số").first, expect
        for _attempt in range(3):
            start = await choose(page, box, label)
            try:
                await settle(page, f"({TITLE_JS}).includes({expect!r})", timeout=60_000)
                break
            except Exception:
                LOST.append((label, await page.evaluate(TITLE_JS)))
        latencies.append(time.perf_counter() - start)


BROWSER_CPU: list[float] = []  # CPU seconds of the browsers during each run of changes
LOST: list[tuple[str, str]] = []  # choices that did not take (printed: a lost click is a product bug)


async def run_sessions(url: str, sessions: int, changes: int, months: list[str], pid: int) -> tuple[list[float], float]:
    """Open the sessions first, then change filters in all of them at once; the latencies and the server's CPU
    time spent during the changes only (page loads excluded)."""
    from playwright.async_api import async_playwright

    latencies: list[float] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        pages = await asyncio.gather(*(open_page(browser, url) for _ in range(sessions)))
        cpu0, browser0 = server_cpu(pid), browsers_cpu()
        await asyncio.gather(*(change_filters(pg, months, changes, 3 * k, latencies) for k, pg in enumerate(pages)))
        cpu = server_cpu(pid) - cpu0
        BROWSER_CPU.append(browsers_cpu() - browser0)
        await browser.close()
    return latencies, cpu


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


PLAIN = "bench/plain_app.py"


def plain_baseline(work: Path, port: int, args: argparse.Namespace, months: list[str]) -> tuple[list[float], float]:
    """The same sessions against the plain page: its latencies and its browsers' CPU per change."""
    proc = start_server(work, port, work / "plain.log", script=PLAIN, env={"BENCH_MONTHS": ",".join(months)})
    try:
        latencies, _cpu = asyncio.run(
            run_sessions(f"http://127.0.0.1:{port}", args.sessions, args.changes, months, proc.pid)
        )
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return latencies, BROWSER_CPU[-1] / len(latencies)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--changes", type=int, default=10)
    args = parser.parse_args()
    from ingest.demo import build_demo

    work = Path(tempfile.mkdtemp(prefix="bench-concurrency-"))
    try:
        store = build_demo(work / "store")
        # The latest six: the month list shows about that many at once (it draws only the options in view).
        months = store.months()[-6:]
        port = 8700 + os.getpid() % 200
        proc = start_server(store.root, port, work / "server.log")
        url = f"http://127.0.0.1:{port}/ban-do-toc-do"
        try:
            alone, cpu_alone = asyncio.run(run_sessions(url, 1, args.changes, months, proc.pid))
            rss = [server_rss_mb(proc.pid)]
            many: list[float] = []
            cpu_total = 0.0
            rounds = max(1, 100 // (args.sessions * args.changes))  # at least 100 reruns for the memory curve
            for _ in range(rounds):
                latencies, cpu_round = asyncio.run(run_sessions(url, args.sessions, args.changes, months, proc.pid))
                many += latencies
                cpu_total += cpu_round
                rss.append(server_rss_mb(proc.pid))
            cpu = cpu_total / len(many)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        print(
            f"one session alone  : {len(alone)} changes, p50 {percentile(alone, 0.5):.2f} s, p95 {percentile(alone, 0.95):.2f} s"
        )
        print(
            f"{args.sessions} sessions at once: {len(many)} changes, p50 {percentile(many, 0.5):.2f} s, "
            f"p95 {percentile(many, 0.95):.2f} s, max {max(many):.2f} s (target p95 < 2 s)"
        )
        print(
            f"server CPU per rerun: one session {cpu_alone / len(alone):.3f} s, {args.sessions} sessions {cpu:.3f} s (before this work: ~0.48 s; target ~0.05 s)"
        )
        print(
            f"browser CPU per change: one session {BROWSER_CPU[0] / len(alone):.3f} s, {args.sessions} sessions {sum(BROWSER_CPU[1:]) / len(many):.3f} s"
        )
        print(f"choices that did not take and were made again: {len(LOST)} {LOST[:3]}")
        print(f"server memory (MB) over {len(many)} reruns: {' → '.join(f'{m:.0f}' for m in rss)}")
        print(
            f"ratio p95 ten sessions / one session: {percentile(many, 0.95) / max(statistics.median(alone), 1e-9):.1f}x"
        )
        plain, plain_cpu = plain_baseline(work, port + 1, args, months)
        print(
            f"plain Streamlit page ({PLAIN}), {args.sessions} sessions at once: p50 {percentile(plain, 0.5):.2f} s, "
            f"p95 {percentile(plain, 0.95):.2f} s; browser CPU per change {plain_cpu:.3f} s"
        )
        print(
            f"ratio ours / plain page: p95 {percentile(many, 0.95) / percentile(plain, 0.95):.1f}x, "
            f"browser CPU per change {sum(BROWSER_CPU[1:-1]) / len(many) / plain_cpu:.1f}x"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
