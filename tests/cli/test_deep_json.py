"""Deeply nested JSON is an error record, not a crash: the json module's C decoder recurses on the C stack
and the engine raises Python's recursion limit (engine.py), so csshell bounds the nesting first (jsondepth.py)."""
from __future__ import annotations

import subprocess
import sys

DEPTH = 100_000


def test_import_of_a_deeply_nested_json_file_is_an_invalid_file(cli) -> None:
    path = cli.workdir / "deep.json"
    path.write_text('[{"DisplayName":' + "[" * DEPTH + "1" + "]" * DEPTH + "}]", encoding="utf-8")
    result = cli("-c", f"Import-CsDirectory '{path}'")
    assert result.code == 1
    assert result.err.startswith(f'Import-CsDirectory : Cannot import "{path}", line 1: the JSON text is '
                                 "malformed (it nests more than 100 levels deep). Nothing was imported.")
    assert "DirectoryImportInvalidRow,Csshell.Commands.ImportCsDirectoryCommand" in result.err


def test_convertfrom_json_of_deeply_nested_text_says_recursion_limit_exceeded(cli) -> None:
    result = cli("-c", '$s = ("[" * 200000) + ("]" * 200000); $s | ConvertFrom-Json; "after"')
    assert result.code == 0 and result.out == "after\n"
    assert result.err.startswith("ConvertFrom-Json : RecursionLimit exceeded.")
    assert "FullyQualifiedErrorId : System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand" \
        in result.err


def test_convertfrom_json_still_reads_1020_levels_and_brackets_inside_strings(cli) -> None:
    result = cli("-c", '$s = ("[" * 1020) + ("]" * 1020); ($s | ConvertFrom-Json).Count; '
                       '$t = "[""" + ("[" * 5000) + """]"; ($t | ConvertFrom-Json)[0].Length')
    assert (result.code, result.out, result.err) == (0, "1\n5000\n", "")


def test_journal_loads_without_orjson_refuses_deep_text() -> None:
    code = ("import sys; sys.setrecursionlimit(100000)\n"
            "from csshell.store import journal\n"
            "journal._orjson = None\n"
            f"try:\n    journal.loads(b'[' * {DEPTH} + b']' * {DEPTH})\n"
            "except ValueError as exc:\n    print('refused', exc)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("refused")
