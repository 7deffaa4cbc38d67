"""Every command has a clear --help and works as a module from a shell."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("command", ["demo", "boundaries", "referral", "ingest", "report"])
def test_help(command):
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", command, "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0
    assert "--store" in proc.stdout and len(proc.stdout.splitlines()) > 5


def test_unknown_store_is_a_one_line_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "ingest", "x.csv", "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith(f"lỗi: Không có thư mục kho dữ liệu {tmp_path / 'none'}")


def test_demo_refuses_a_folder_with_data(tmp_path):
    (tmp_path / "something").write_text("x")
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "demo", "--store", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 2 and "đã có dữ liệu" in proc.stderr
