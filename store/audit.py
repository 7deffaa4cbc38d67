"""Who changed the store, when, with which file, and what it added or replaced.

One JSON file per change in ``STORE/audit/``, written in the same transaction as the change itself (so a change
and its record are committed together or not at all) and never rewritten: an append-only log.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import socket
from dataclasses import dataclass
from pathlib import Path

from store.folder import Store


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a signed-in person in the browser, a user at the command line, or the app itself."""

    name: str
    via: str  # "browser" | "cli" | "system"

    def label(self) -> str:
        return f"{self.name} ({self.via})"


def command_line_actor() -> Actor:
    """The operating-system user running a command, with the machine's name."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "?"
    return Actor(f"{user}@{socket.gethostname()}", "cli")


SYSTEM = Actor("i-Speed Atlas", "system")


def file_facts(path: Path, shown_name: str | None = None) -> dict:
    """Name, size and SHA-256 of a file given to a change (the name the user knows it by)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return {"name": shown_name or Path(path).name, "bytes": Path(path).stat().st_size, "sha256": digest.hexdigest()}


def read_audit(store: Store) -> list[dict]:
    """Every recorded change, newest first."""
    if not store.audit_dir.exists():
        return []
    records = []
    for p in store.audit_dir.glob("*.json"):
        try:
            records.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(records, key=lambda r: r.get("tx", ""), reverse=True)
