"""Long work on the first start, done once in the background while every visitor sees progress: building the
embedded demo store, and deriving the summaries of a store written by the previous version.

Streamlit stops a session's script when the visitor navigates or reloads, so the work runs in a thread of its
own (one per server process and store; other processes wait on the store's writer lock). Both are atomic, so an
interrupted run leaves nothing behind and the next start does it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from core.errors import UserError
from core.formats import number
from core.i18n import t
from ingest.demo import ensure_demo, is_complete_demo
from ingest.derived import ensure_derived
from store.folder import Store
from ui.safe import plain


@dataclass
class Build:
    """Work in progress: how far it is, since when, and how it ended."""

    work: Callable[[Callable[[float], None]], object]
    started: float = field(default_factory=time.monotonic)
    fraction: float = 0.0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        try:
            self.work(self._progress)
        except BaseException as exc:  # told to every waiting visitor
            self.error = exc
        finally:
            self.done.set()

    def _progress(self, fraction: float) -> None:
        self.fraction = fraction

    def remaining_seconds(self) -> float | None:
        """Time left, from the time taken so far: only once enough of the build is done to say."""
        if self.fraction < 0.15:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed * (1 - self.fraction) / self.fraction


_builds: dict[tuple[str, str], Build] = {}
_builds_lock = threading.Lock()


def _build_for(kind: str, root: Path, work: Callable[[Callable[[float], None]], object]) -> Build:
    """The one build of this process of ``kind`` for ``root``, started if none is running (a failed or finished one
    is started anew: a finished one is only asked for again when its result is out of date)."""
    key = (kind, str(root.resolve()))
    with _builds_lock:
        build = _builds.get(key)
        if build is None or build.done.is_set():
            build = _builds[key] = Build(work)
            threading.Thread(target=build.run, name=f"{kind}-build", daemon=True).start()
        return build


def ensure_demo_ready(root: Path, lang: str) -> None:
    """Return when the demo store at ``root`` is complete; meanwhile show its progress (or stop with its error)."""
    if is_complete_demo(root):
        return
    build = _build_for("demo", root, lambda progress: ensure_demo(root, lambda f, _stage: progress(f)))
    _wait(build, "building_demo", "building_demo_progress", "building_demo_eta", "demo_failed", lang)


def ensure_derived_ready(store: Store, lang: str) -> None:
    """Return when the store's derived data is up to date; meanwhile show progress (or stop with its error)."""
    build = _build_for("derive", store.root, lambda progress: ensure_derived(store, progress))
    _wait(build, "deriving", "deriving_progress", "deriving_eta", "derive_failed", lang)


def _wait(build: Build, first: str, progress: str, eta: str, failed: str, lang: str) -> None:
    bar = st.progress(0.0, text=t(first, lang))
    while not build.done.wait(0.3):
        bar.progress(min(build.fraction, 1.0), text=_progress_text(build, progress, eta, lang))
    bar.empty()
    if build.error is not None:
        message = build.error.text(lang) if isinstance(build.error, UserError) else type(build.error).__name__
        st.error(t(failed, lang, reason=plain(message)))
        st.stop()


def _progress_text(build: Build, progress: str, eta: str, lang: str) -> str:
    percent = number(100 * build.fraction, 0, lang)
    left = build.remaining_seconds()
    if left is None:
        return t(progress, lang, percent=percent)
    return t(eta, lang, percent=percent, seconds=number(max(1, round(left)), 0, lang))
