"""One writer at a time: an advisory lock (flock) on ``STORE/.write.lock``.

The lock belongs to an open file and disappears with the process that holds it, so a killed writer never leaves
the store locked. The holder writes who it is into the lock file, so that the next writer can say whom it waits
for. The same thread may nest writes (an import inside the demo build); other threads and processes wait or are
refused.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from core.errors import UserError
from core.formats import date_time
from core.i18n import TEXT, Msg, default_language
from store.folder import Store

_held: dict[tuple[str, int], int] = {}  # (store, thread) -> nesting depth
_held_lock = threading.Lock()
_IDENTIFY_SECONDS = 1.0  # how long a refusal waits for a holder that has not yet written who it is


def _key(store: Store) -> tuple[str, int]:
    return (str(store.root.resolve()), threading.get_ident())


def holds_writer(store: Store) -> bool:
    """True when this thread holds the store's writer lock."""
    return still_holds(writer_key(store))


def writer_key(store: Store) -> tuple[str, int]:
    """This thread's claim on the store's writer lock, to ask later with still_holds (from any thread)."""
    return _key(store)


def still_holds(key: tuple[str, int]) -> bool:
    with _held_lock:
        return key in _held


def current_writer(store: Store) -> dict | None:
    """Who is writing now (action, actor, since), or None when nobody is.

    Read from the lock file without taking the lock (taking it, even briefly, could turn a starting writer away).
    The holder empties the file when it finishes; a holder killed on this machine is recognised by its pid."""
    try:
        text = store.write_lock_path.read_text(encoding="utf-8")
    except OSError:
        return None
    try:
        holder = json.loads(text) if text.strip() else None
    except ValueError:
        return None
    if not holder:
        return None
    if holder.get("host") == socket.gethostname() and not _alive(int(holder.get("pid", 0))):
        return None
    return holder


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def writer_lock(
    store: Store,
    action: str,
    actor: str,
    wait: float = 0.0,
    on_wait: Callable[[dict], None] | None = None,
) -> Iterator[None]:
    """Hold the store's writer lock for the block; wait up to ``wait`` seconds for another writer to finish,
    then refuse with a message that says who is writing."""
    key = _key(store)
    with _held_lock:
        if key in _held:
            _held[key] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _held_lock:
                _held[key] -= 1
        return
    fd = _acquire(store, action, actor, wait, on_wait)
    with _held_lock:
        _held[key] = 1
    try:
        yield
    finally:
        with _held_lock:
            del _held[key]
        os.ftruncate(fd, 0)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def try_writer_lock(store: Store) -> int | None:
    """The lock's file descriptor when nobody writes (release with release_lock), else None. For repairs."""
    try:
        fd = os.open(store.write_lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None  # a read-only store: nothing this process could repair anyway
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def release_lock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _acquire(store: Store, action: str, actor: str, wait: float, on_wait: Callable[[dict], None] | None) -> int:
    try:
        fd = os.open(store.write_lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UserError("err_store_not_writable", store=str(store.root), reason=exc.strerror or str(exc)) from exc
    started = time.monotonic()
    deadline = started + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = current_writer(store) or {}
            now = time.monotonic()
            if now >= deadline and not holder and now < deadline + _IDENTIFY_SECONDS:
                # The holder has just taken the lock and not yet written who it is (or is just leaving): a refusal
                # names the writer, so look again shortly.
                time.sleep(0.05)
                continue
            if now >= deadline:
                os.close(fd)
                raise UserError(
                    "err_store_busy",
                    store=str(store.root),
                    action=Msg(f"action_{holder['action']}") if f"action_{holder.get('action')}" in TEXT else "?",
                    actor=holder.get("actor", "?"),
                    since=date_time(holder.get("since", ""), default_language()),
                ) from None
            if on_wait and not told and (holder or now >= started + _IDENTIFY_SECONDS):
                on_wait(holder)
                told = True
            time.sleep(0.05 if not holder else 0.2)
    me = {
        "action": action,
        "actor": actor,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(me, ensure_ascii=False).encode("utf-8"), 0)
    return fd
