"""Export-CsDirectory / Export-CsAuditEntry on a full disk: 5.1's IOException text with the path, not Python's errno text."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from engine_support import engine_runner

from cmdlets import directory_export

DISK_FULL = "There is not enough space on the disk."


@pytest.fixture
def run(tmp_path: Path):
    run_text, engine = engine_runner(tmp_path)
    yield run_text
    engine.close()


@pytest.mark.parametrize("code", [errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)])
@pytest.mark.parametrize("command", ["Export-CsDirectory", "Export-CsAuditEntry"])
def test_a_full_disk_is_reported_in_powershell_words(run, tmp_path, monkeypatch, command, code):
    def full(path: str, text: str) -> None:
        raise OSError(code, os.strerror(code), path)
    monkeypatch.setattr(directory_export, "write_text", full)
    target = tmp_path / "out.csv"
    _, err = run(f"{command} -Path '{target}'")
    assert err.startswith(f"{command} : {DISK_FULL} The file '{target}' was not written completely.")
    assert "No space left" not in err and "Disk quota" not in err
    assert "WriteError: (" in err and "FullyQualifiedErrorId : System.IO.IOException,Csshell.Commands." in err


def test_dev_full_is_a_full_disk(run):
    _, err = run("Export-CsDirectory /dev/full")
    assert err.startswith(f"Export-CsDirectory : {DISK_FULL} The file '/dev/full' was not written completely.")


def test_other_failures_keep_the_open_failure_text(run, tmp_path):
    _, err = run(f"Export-CsDirectory -Path '{tmp_path / 'missing' / 'out.csv'}'")
    assert "Could not find a part of the path" in err and "FileOpenFailure" in err
