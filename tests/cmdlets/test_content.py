"""Out-File, Set-Content and Add-Content: file text, encodings, pipeline input and OS errors."""
from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import engine_runner



@pytest.fixture
def run(tmp_path: Path):
    run_text, engine = engine_runner(tmp_path, width=80)
    yield run_text
    engine.close()


def test_out_file_writes_what_the_console_shows(run, tmp_path: Path):
    out, err = run("[pscustomobject]@{User='Ken Myer'; Locked=$true} | Out-File report.txt")
    assert out == "" and err == ""
    shown, _ = run("[pscustomobject]@{User='Ken Myer'; Locked=$true}")
    assert (tmp_path / "report.txt").read_bytes() == shown.encode("utf-8")


def test_out_file_strings_one_per_line_utf8_without_bom_and_append(run, tmp_path: Path):
    run("'Kén', 'b' | Out-File log.txt; 'c' | Out-File log.txt -Append")
    assert (tmp_path / "log.txt").read_bytes() == "Kén\nb\nc\n".encode()


def test_out_file_encodings(run, tmp_path: Path):
    run("'x' | Out-File u8.txt -Encoding UTF8; 'x' | Out-File u16.txt -Encoding Unicode; "
        "'y' | Out-File u16.txt -Encoding Unicode -Append")
    assert (tmp_path / "u8.txt").read_bytes() == b"\xef\xbb\xbfx\n"
    assert (tmp_path / "u16.txt").read_bytes() == "\ufeffx\ny\n".encode("utf-16-le")
    _, err = run("'x' | Out-File bad.txt -Encoding Klingon")
    assert "Klingon" in err and not (tmp_path / "bad.txt").exists()


def test_out_file_no_newline_and_width(run, tmp_path: Path):
    run("'a', 'b' | Out-File n.txt -NoNewline")
    assert (tmp_path / "n.txt").read_text() == "ab"
    run("[pscustomobject]@{Text='x' * 60} | Out-File w.txt -Width 30")
    assert max(len(line) for line in (tmp_path / "w.txt").read_text().splitlines()) <= 30


def test_out_file_empty_input_still_creates_the_file(run, tmp_path: Path):
    (tmp_path / "old.txt").write_text("old")
    run("@() | Out-File old.txt")
    assert (tmp_path / "old.txt").read_text() == ""


def test_out_file_no_clobber_refuses_existing_file(run, tmp_path: Path):
    (tmp_path / "keep.txt").write_text("keep")
    _, err = run("'new' | Out-File keep.txt -NoClobber")
    assert "already exists" in err and "NoClobber,Microsoft.PowerShell.Commands.OutFileCommand" in err
    assert (tmp_path / "keep.txt").read_text() == "keep"


def test_out_file_missing_folder_is_a_terminating_file_open_failure(run, tmp_path: Path):
    out, err = run("'x' | Out-File nope/x.txt; 'after'")
    assert f"Out-File : Could not find a part of the path '{tmp_path}/nope/x.txt'." in err
    assert "OpenError: (:) [Out-File], DirectoryNotFoundException" in err
    assert "FileOpenFailure,Microsoft.PowerShell.Commands.OutFileCommand" in err
    assert out.strip() == "after"


def test_out_file_to_a_directory_is_access_denied(run, tmp_path: Path):
    (tmp_path / "dir").mkdir()
    _, err = run("'x' | Out-File dir")
    assert f"Access to the path '{tmp_path}/dir' is denied." in err and "Traceback" not in err


def test_content_permission_denied_is_reported_as_powershell_words_it(run, monkeypatch):
    """A refused open (read-only folder) — simulated, since tests may run as root."""
    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)
    monkeypatch.setattr("cmdlets.content.open", refuse, raising=False)
    _, err = run("Set-Content locked.txt 'x'")
    assert "PermissionDenied" in err and "GetContentWriterUnauthorizedAccessError" in err
    _, err = run("'x' | Out-File locked.txt")
    assert "Access to the path" in err and "UnauthorizedAccessException" in err


def test_set_content_replaces_and_writes_pipeline_values_one_per_line(run, tmp_path: Path):
    (tmp_path / "sip.txt").write_text("old\n")
    run("'sip:ken@litwareinc.com', 'sip:pilar@litwareinc.com' | Set-Content sip.txt")
    assert (tmp_path / "sip.txt").read_text() == "sip:ken@litwareinc.com\nsip:pilar@litwareinc.com\n"
    run("Set-Content -Path sip.txt -Value 1, 2.5, $true")
    assert (tmp_path / "sip.txt").read_text() == "1\n2.5\nTrue\n"


def test_add_content_appends_and_creates(run, tmp_path: Path):
    run("Add-Content new.log 'first'; Add-Content new.log -Value 'second'; 'third' | Add-Content new.log")
    assert (tmp_path / "new.log").read_text() == "first\nsecond\nthird\n"


def test_set_content_no_newline_and_pass_thru(run, tmp_path: Path):
    out, _ = run("Set-Content p.txt -Value 'a', 'b' -NoNewline -PassThru")
    assert (tmp_path / "p.txt").read_text() == "ab" and out.split() == ["a", "b"]


def test_set_content_what_if_writes_nothing(run, tmp_path: Path):
    out, _ = run("Set-Content w.txt 'x' -WhatIf")
    assert 'What if: Performing the operation "Set Content" on target "Path: ' in out
    assert not (tmp_path / "w.txt").exists()


def test_set_content_missing_folder_is_non_terminating(run, tmp_path: Path):
    out, err = run("Set-Content nope/a.txt 'x'; 'after'")
    assert f"Set-Content : Could not find a part of the path '{tmp_path}/nope/a.txt'." in err
    assert "GetContentWriterDirectoryNotFoundError,Microsoft.PowerShell.Commands.SetContentCommand" in err
    assert out.strip() == "after"


def test_add_content_to_directory_is_access_denied(run, tmp_path: Path):
    _, err = run(f"Add-Content '{tmp_path}' 'x'")
    assert "Add-Content : Access to the path" in err and "GetContentWriterUnauthorizedAccessError" in err


def test_content_round_trips_with_get_content(run):
    out, _ = run("Set-Content r.txt 'Ken Myer', 'Pilar Ackerman'; (Get-Content r.txt).Count; Get-Content r.txt -Tail 1")
    assert out.splitlines() == ["2", "Pilar Ackerman"]
