"""Writing files so that a reader never sees half of one, and output paths that can actually be written."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from core.errors import UserError


def check_input_file(path: Path) -> Path:
    """``path`` if it is a readable file; a clear refusal for a missing path, a folder or an unreadable file."""
    path = Path(path)
    if not path.exists():
        raise UserError("err_file_missing", file=str(path))
    if path.is_dir():
        raise UserError("err_file_is_folder", file=str(path))
    if not path.is_file():
        raise UserError("err_file_not_regular", file=str(path))
    if not os.access(path, os.R_OK):
        raise UserError("err_file_unreadable", file=str(path))
    return path


def check_output_path(out: Path) -> Path:
    """``out`` if a file can be written there; a clear refusal otherwise (a folder, a path under a file, a
    read-only or virtual place such as /proc), before any work is done."""
    out = Path(out)
    if out.exists() and out.is_dir():
        raise UserError("err_out_is_folder", out=str(out))
    parent = out.parent
    for ancestor in [parent, *parent.parents]:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise UserError("err_out_under_file", out=str(out), blocker=str(ancestor))
            if not os.access(ancestor, os.W_OK | os.X_OK) or str(ancestor.resolve()).startswith(("/proc", "/sys")):
                raise UserError("err_out_not_writable", out=str(out), folder=str(ancestor))
            break
    return out


def atomic_write(out: Path, write: Callable[[str], object]) -> None:
    """Write through a temporary file in the same folder, then rename: a reader never sees half a file."""
    out = check_output_path(Path(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as exc:
        raise UserError("err_out_not_writable", out=str(out), folder=str(out.parent)) from exc
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; a report is an ordinary file
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError("err_out_write_failed", out=str(out), reason=exc.strerror or str(exc)) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
