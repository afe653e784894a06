"""Property-based: random and mutated scripts never let a Python exception escape the engine.

Every failure must surface as PowerShell-style error text on the error stream, and the store must stay
readable (nothing already stored is lost). Loops are left out of the vocabulary so no input runs forever.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csshell.engine import Engine
from csshell.runtime.host import BufferHost
from csshell.store import open_store

ROOT = Path(__file__).resolve().parents[2]
WORDS = ["Get-CsUser", "Get-CsClientPinInfo", "Lock-CsClientPin", "Unlock-CsClientPin", "Set-CsClientPin",
         "Where-Object", "ForEach-Object", "Select-Object", "Sort-Object", "Measure-Object", "Format-Table",
         "Format-List", "Write-Output", "Get-Date", "Join-Path", "-Identity", "-Pin", "-Filter", "-First",
         "-Property", "-ErrorAction", "Stop", "-WhatIf", "-Confirm:$false", "-eq", "-like", "-match", "-and",
         "-not", "-f", "+", "-", "*", "/", "%", "=", "+=", "..", ",", ";", "|", "(", ")", "{", "}", "[", "]",
         "@(", "@{", "$(", "$_", "$x", "$null", "$true", "$args[0]", ".Count", ".Identity", ".ToUpper()",
         "'Ken Myer'", '"Chris Cannon"', '"sip:$x"', "12345", "0", "3", "1.5", "0x10", "if", "else", "try",
         "catch", "finally", "throw", "foreach", "in", "function", "f", "param", "return", "exit", "[int]",
         "[datetime]", "[pscustomobject]", "#c", "`n", "\n", "Nobody", "*", "'", '"']

tokens = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join)
VALID = ['Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Select-Object -First 2',
         '$x = "Ken Myer"; Lock-CsClientPin -Identity $x; (Get-CsClientPinInfo $x).IsLockedOut',
         'try { Set-CsClientPin "David Longmuir" -Pin 1234 -ErrorAction Stop } catch { $_.Exception.Message }',
         '"{0} -> {1}" -f "a", (Get-CsUser "Ken Myer").SipAddress']


@st.composite
def mutated(draw) -> str:
    text = draw(st.sampled_from(VALID))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()) and at < len(text):
            text = text[:at] + text[at + 1:]
        else:
            text = text[:at] + draw(st.sampled_from(["(", ")", "{", "}", '"', "'", "|", "$", "-", "@", "`"])) + text[at:]
    return text


_TEMPLATE: list[bytes] = []


def _store(folder: str) -> str:
    """A store seeded from the example directory (imported once: PIN hashing is slow on purpose)."""
    path = Path(folder) / "store.json"
    if not _TEMPLATE:
        store = open_store(str(path))
        with store.statement():
            store.directory.import_file(str(ROOT / "examples" / "directory.csv"))
        store.close()
        _TEMPLATE.append(path.read_bytes())
    path.write_bytes(_TEMPLATE[0])
    return str(path)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(tokens | mutated(), min_size=1, max_size=3))
def test_no_python_exception_escapes_and_the_store_stays_readable(scripts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _store(folder)
        users_before = len(open_store(path).directory.users(enabled_only=False))
        host = BufferHost()
        engine = Engine(host, lambda: open_store(path), cwd=folder)
        try:
            for text in scripts:
                engine.run_command_text(text)   # must return, whatever the input
        finally:
            engine.close()
        assert "Traceback" not in host.stderr and "Traceback" not in host.stdout
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        assert data                                            # the store still parses
        assert len(open_store(path).directory.users(enabled_only=False)) == users_before   # none lost
