"""The command line never fails with a Python error on odd input: encodings, surrogates, non-.ps1 files."""
from __future__ import annotations

import os
import subprocess

from cli_support import csshell_command


def test_file_in_windows_1252_runs(cli) -> None:
    script = cli.workdir / "ansi.ps1"
    script.write_bytes('Write-Output "café"\n'.encode("cp1252"))
    result = cli("-File", str(script))
    assert (result.code, result.out, result.err) == (0, "café\n", "")


def test_file_in_utf16_with_bom_runs(cli) -> None:
    script = cli.workdir / "wide.ps1"
    script.write_bytes('"naïve"\n'.encode("utf-16"))
    result = cli("-File", str(script))
    assert (result.code, result.out, result.err) == (0, "naïve\n", "")


def test_command_from_stdin_in_windows_1252_runs(cli) -> None:
    argv = csshell_command() + ["--store", str(cli.store), "-Command", "-"]
    proc = subprocess.run(argv, cwd=cli.workdir, env=cli.env, input='"caf\xe9"\n'.encode("cp1252"),
                          capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.decode("utf-8") == "café\n"
    assert b"Traceback" not in proc.stderr


def test_a_lone_surrogate_is_printed_not_a_crash(cli) -> None:
    result = cli("-c", '[char]0xD800; "x$([char]0xDC00)y"')
    assert result.code == 0
    assert result.out == "?\nx?y\n" and result.err == ""


def test_file_without_ps1_extension_is_refused_as_pwsh_does(cli) -> None:
    (cli.workdir / "t.txt").write_text('"ran"\n', encoding="utf-8")
    result = cli("-File", "t.txt")
    assert result.code == 64 and result.out == ""
    assert result.err == ("Processing -File 't.txt' failed because the file does not have a '.ps1' extension. "
                          "Specify a valid Windows PowerShell script file name, and then try again.\n")


def test_an_empty_store_argument_is_a_usage_error_never_the_default_store(cli) -> None:
    """``--store "$unset"`` in a scheduled task must not quietly run against the user's own store."""
    xdg = cli.env["XDG_DATA_HOME"]
    for args in (["--store", "", "-c", "Get-CsUser"], ["--store=", "-c", "1"], ["--store", " ", "serve"]):
        result = cli(*args, store=False)
        assert result.code == 64 and result.out == "", args
        assert "is empty: give the store file's path" in result.err and "Traceback" not in result.err
    assert not os.path.exists(os.path.join(xdg, "csshell"))
