"""The first start: the embedded demo store is built once, in the background, while every visitor sees progress.

Streamlit stops a session's script when the visitor navigates or reloads, so the build runs in a thread of its
own (one per server process; other processes wait on the builder's file lock in ingest.demo.ensure_demo).
The build itself is atomic, so an interrupted one leaves nothing behind and the next start builds again.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from core.errors import UserError
from core.formats import number
from core.i18n import t
from ingest.demo import ensure_demo, is_complete_demo
from ui.safe import plain


@dataclass
class DemoBuild:
    """A build in progress: how far it is, since when, and how it ended."""

    root: Path
    started: float = field(default_factory=time.monotonic)
    fraction: float = 0.0
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        try:
            ensure_demo(self.root, self._progress)
        except BaseException as exc:  # told to every waiting visitor
            self.error = exc
        finally:
            self.done.set()

    def _progress(self, fraction: float, _stage: str) -> None:
        self.fraction = fraction

    def remaining_seconds(self) -> float | None:
        """Time left, from the time taken so far: only once enough of the build is done to say."""
        if self.fraction < 0.15:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed * (1 - self.fraction) / self.fraction


_builds: dict[str, DemoBuild] = {}
_builds_lock = threading.Lock()


def _build_for(root: Path) -> DemoBuild:
    """The one build of this process for ``root``, started if none is running (a failed one is started anew)."""
    key = str(root.resolve())
    with _builds_lock:
        build = _builds.get(key)
        if build is None or (build.done.is_set() and build.error is not None):
            build = _builds[key] = DemoBuild(root)
            threading.Thread(target=build.run, name="demo-build", daemon=True).start()
        return build


def ensure_demo_ready(root: Path, lang: str) -> None:
    """Return when the demo store at ``root`` is complete; meanwhile show its progress (or stop with its error)."""
    if is_complete_demo(root):
        return
    build = _build_for(root)
    bar = st.progress(0.0, text=t("building_demo", lang))
    while not build.done.wait(0.3):
        bar.progress(min(build.fraction, 1.0), text=_progress_text(build, lang))
    bar.empty()
    if build.error is not None:
        message = build.error.text(lang) if isinstance(build.error, UserError) else type(build.error).__name__
        st.error(t("demo_failed", lang, reason=plain(message)))
        st.stop()


def _progress_text(build: DemoBuild, lang: str) -> str:
    percent = number(100 * build.fraction, 0, lang)
    left = build.remaining_seconds()
    if left is None:
        return t("building_demo_progress", lang, percent=percent)
    return t("building_demo_eta", lang, percent=percent, seconds=number(max(1, round(left)), 0, lang))
