"""Scripts as admins run them: ``csshell -File x.ps1 -Identity ...``, dot-sourcing, ``#Requires``, progress.

CLI runs use a temporary store and XDG_DATA_HOME; none of these scripts touches the directory, so the
store is never created.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from csshell.engine import Engine
from csshell.runtime.host import ConsoleHost


@pytest.fixture()
def csshell(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), NO_COLOR="1", COLUMNS="120")

    def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
        proc = subprocess.run([sys.executable, "-m", "csshell", "--store", str(tmp_path / "store.json"), *args],
                              cwd=cwd or tmp_path, env=env, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        return proc.returncode, proc.stdout, proc.stderr
    return run


MAIN = """#Requires -Version 3.0 -Modules Lync, SkypeForBusiness
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0)][string]$Identity,
    [int]$Count = 2,
    [switch]$Force
)
. "$PSScriptRoot\\lib\\helpers.ps1"
Get-Greeting $Identity
"loaded=$HelperLoaded count=$Count force=$Force"
& "$PSScriptRoot/lib/child.ps1" -Who $Identity
"lastexit=$LASTEXITCODE"
"me=$($MyInvocation.MyCommand.Name) path=$($MyInvocation.MyCommand.Path -eq $PSCommandPath)"
exit 7
"""
HELPERS = """function Get-Greeting { param([string]$Name) "Hello, $Name" }
$HelperLoaded = $true
"""
CHILD = """param($Who)
"child: $Who in $(Split-Path -Leaf $PSScriptRoot) as $($MyInvocation.MyCommand.Name)"
exit 4
"""


@pytest.fixture()
def scripts(tmp_path):
    (tmp_path / "lib").mkdir()
    (tmp_path / "main.ps1").write_text(MAIN, encoding="utf-8")
    (tmp_path / "lib" / "helpers.ps1").write_text(HELPERS, encoding="utf-8")
    (tmp_path / "lib" / "child.ps1").write_text(CHILD, encoding="utf-8")
    return tmp_path


def test_script_params_dot_sourcing_child_scripts_and_exit_code(csshell, scripts):
    code, out, err = csshell("-File", str(scripts / "main.ps1"), "Ken Myer", "-Count", "3", "-Force",
                             cwd=scripts.parent)
    assert err == ""
    assert out.splitlines() == ["Hello, Ken Myer", "loaded=True count=3 force=True", "child: Ken Myer in lib as child.ps1",
                                "lastexit=4", "me=main.ps1 path=True"]
    assert code == 7


def test_a_child_script_exiting_non_zero_fails_the_statement_and_the_command_line(csshell, scripts):
    """5.1 marks a script that ends with ``exit N`` (N != 0) as failed: ``$?`` is False after it, so a
    ``-Command`` whose last statement runs it exits 1, and a scheduler sees the failure."""
    child = "& ./lib/child.ps1 -Who x"
    code, out, _ = csshell("-c", f'{child}; "q=$? le=$LASTEXITCODE"; & ./lib/helpers.ps1; "q=$?"', cwd=scripts)
    assert out.splitlines()[1:] == ["q=False le=4", "q=True"] and code == 0
    assert csshell("-c", child, cwd=scripts)[0] == 1


def test_script_named_parameter_from_the_command_line(csshell, scripts):
    code, out, _ = csshell("-File", str(scripts / "main.ps1"), "-Identity", "Ken")
    assert out.splitlines()[:2] == ["Hello, Ken", "loaded=True count=2 force=False"] and code == 7


@pytest.mark.parametrize("requires, ok", [("#Requires -Version 3.0", True), ("#requires -version 5.1", True),
                                          ("#Requires -Modules Microsoft.PowerShell.Utility", True)])
def test_requires_that_51_meets_runs_the_script(csshell, tmp_path, requires, ok):
    script = tmp_path / "ok.ps1"
    script.write_text(f"{requires}\n'ran'\n", encoding="utf-8")
    assert csshell("-File", str(script)) == (0, "ran\n", "")


def test_requires_a_newer_version_is_refused_and_runs_nothing(csshell, tmp_path):
    script = tmp_path / "new.ps1"
    script.write_text("'side effect'\n#Requires -Version 7.0\n'ran'\n", encoding="utf-8")
    code, out, err = csshell("-File", str(script))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "The script 'new.ps1' cannot be run because it contained a \"#requires\" statement for Windows PowerShell 7.0. "
        "The version of Windows PowerShell that is required by the script does not match the currently running "
        "version of Windows PowerShell 5.1.19041.1.",
        "    + CategoryInfo          : ResourceUnavailable: (new.ps1:String) [], ParentContainsErrorRecordException",
        "    + FullyQualifiedErrorId : ScriptRequiresUnmatchedPSVersion"]


def test_requires_an_unknown_module_is_refused_with_the_missing_modules_message(csshell, tmp_path):
    script = tmp_path / "mods.ps1"
    script.write_text("#Requires -Modules SkypeForBusiness, ActiveDirectory, @{ModuleName='Contoso.Tools'; "
                      "ModuleVersion='1.0'}\n'ran'\n", encoding="utf-8")
    code, out, err = csshell("-File", str(script))
    assert (code, out) == (1, "")
    assert err.splitlines()[0] == ("The script 'mods.ps1' cannot be run because the following modules that are specified "
                                   "by the \"#requires\" statements of the script are missing: ActiveDirectory, "
                                   "Contoso.Tools.")
    assert err.splitlines()[-1] == "    + FullyQualifiedErrorId : ScriptRequiresMissingModules"


def test_requires_refusal_of_a_called_script_is_a_statement_error_at_the_call(csshell, tmp_path):
    (tmp_path / "new.ps1").write_text("#Requires -Version 7\n'ran'\n", encoding="utf-8")
    code, out, err = csshell("-Command", ".\\new.ps1; 'next'")
    assert out == "next\n"
    assert err.startswith(".\\new.ps1 : The script 'new.ps1' cannot be run because")
    assert "ResourceUnavailable: (new.ps1:String) [], ScriptRequiresException" in err


class FakeTty(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


PROGRESS = ('foreach ($i in 1..2) { Write-Progress -Activity "Assigning PINs" -Status "$i of 4" '
            '-PercentComplete ($i * 25); "row $i" }')


def test_write_progress_draws_a_bar_in_place_on_a_terminal_and_clears_it_at_the_end():
    out, err = FakeTty(), FakeTty()
    host = ConsoleHost(out=out, err=err)
    host.width = 100
    Engine(host).run_command_text(PROGRESS)
    assert out.getvalue() == "row 1\nrow 2\n"
    drawn = err.getvalue()
    bar = "Assigning PINs  2 of 4 [" + "o" * 25 + " " * 25 + "] 50%"
    assert "\rAssigning PINs  1 of 4 [" + "o" * 12 + " " * 38 + "] 25%\x1b[K" in drawn
    assert "\r" + bar + "\x1b[K" in drawn
    assert "\n" not in drawn                       # overwritten in place, never scrolled
    assert drawn.endswith("\r\x1b[K")              # gone when the run ends


def test_write_progress_completed_clears_the_bar():
    err = FakeTty()
    host = ConsoleHost(out=io.StringIO(), err=err)
    Engine(host).run_command_text("Write-Progress -Activity A -Status B -PercentComplete 10; "
                                  "Write-Progress -Activity A -Completed")
    assert err.getvalue().endswith("10%\x1b[K\r\x1b[K")


def test_write_progress_draws_nothing_when_stderr_is_redirected():
    out, err = io.StringIO(), io.StringIO()
    Engine(ConsoleHost(out=out, err=err)).run_command_text(PROGRESS)
    assert (out.getvalue(), err.getvalue()) == ("row 1\nrow 2\n", "")
