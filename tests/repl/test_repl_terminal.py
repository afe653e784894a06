"""Smoke tests of the installed ``csshell`` on a pseudo-terminal, as an admin would use it.

The child runs on a pty (so ``isatty()`` is true and prompt_toolkit drives a real terminal), with
the store and ``XDG_DATA_HOME`` in a temporary folder. The test plays the terminal: it answers
prompt_toolkit's cursor-position requests. Every read has a deadline and the child is killed in
the end if it is still alive, so a broken prompt fails the test instead of hanging it.
"""
from __future__ import annotations

import os
import re
import subprocess

import pytest
from pty_shell import CSSHELL, PtyShell
from real_engine import EXAMPLE_DIRECTORY

COLOUR_SGR = re.compile(rb"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7]|38;5;\d+|38;2;[\d;]+)m")
RED = b"\x1b[91m"
# prompt_toolkit turns bracketed paste on each time it starts reading a line: the prompt is ready
PROMPT_READY = b"\x1b[?2004h"


@pytest.fixture
def shell_env(tmp_path):
    """Environment of a user with a seeded store; nothing outside ``tmp_path`` is touched."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CSSHELL_STORE", "COLUMNS", "LINES")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path / "home"), TERM="xterm")
    store = tmp_path / "store.json"
    seeded = subprocess.run([str(CSSHELL), "--store", str(store), "-c", f"Import-CsDirectory -Path '{EXAMPLE_DIRECTORY}'"],
                            env=env, capture_output=True, text=True, timeout=60, check=False)
    assert seeded.returncode == 0, seeded.stderr
    return store, env


@pytest.fixture
def start_shell(shell_env):
    shells: list[PtyShell] = []

    def start(**extra_env: str) -> PtyShell:
        store, env = shell_env
        shell = PtyShell(store, {**env, **extra_env})
        shells.append(shell)
        assert shell.read_until(PROMPT_READY), shell.buffer
        return shell

    yield start
    for shell in shells:
        shell.close()


def test_a_command_shows_its_list_and_exit_leaves_with_zero(start_shell, tmp_path):
    shell = start_shell()
    shell.type(b'Get-CsClientPinInfo -Identity "Ken Myer"\r')
    assert shell.read_until(b"PinExpirationTime :"), shell.buffer
    assert b"Identity          : sip:kenmyer@litwareinc.com\r\n" in shell.buffer
    assert shell.read_until(PROMPT_READY)
    shell.type(b"exit\r")
    assert shell.exit_code() == 0
    history = (tmp_path / "data" / "csshell" / "history").read_text()
    assert 'Get-CsClientPinInfo -Identity "Ken Myer"' in history


def test_exit_with_a_code_on_a_terminal(start_shell):
    shell = start_shell()
    shell.type(b"exit 5\r")
    assert shell.exit_code() == 5


def test_errors_are_red_on_a_terminal(start_shell):
    shell = start_shell()
    shell.type(b"Get-CsClientPinInfo -Identity Nobody\r")
    assert shell.read_until(b"FullyQualifiedErrorId"), shell.buffer
    assert RED + b"Get-CsClientPinInfo : Management object not found" in shell.buffer
    assert shell.read_until(PROMPT_READY)
    shell.type(b"\x04")
    assert shell.exit_code() == 0


def test_no_color_turns_every_colour_off(start_shell):
    shell = start_shell(NO_COLOR="1")
    shell.type(b'Get-CsClientPinInfo -Identity "Ken Myer"; Get-CsClientPinInfo -Identity Nobody\r')
    assert shell.read_until(b"FullyQualifiedErrorId"), shell.buffer
    assert b"IsLockedOut" in shell.buffer
    assert shell.read_until(PROMPT_READY)
    assert COLOUR_SGR.search(shell.buffer) is None, COLOUR_SGR.search(shell.buffer)
    shell.type(b"exit\r")
    assert shell.exit_code() == 0


def test_input_is_coloured_on_a_terminal_without_no_color(start_shell):
    shell = start_shell()
    shell.type(b"Get-CsUser -Identity 'Ken Myer'\r")
    assert shell.read_until(b"SipAddress"), shell.buffer
    assert COLOUR_SGR.search(shell.buffer) is not None
    assert shell.read_until(PROMPT_READY)
    shell.type(b"exit\r")
    assert shell.exit_code() == 0


def test_mandatory_parameter_is_asked_on_the_terminal(start_shell):
    shell = start_shell()
    shell.type(b"Lock-CsClientPin\r")
    assert shell.read_until(b"Identity:"), shell.buffer
    assert (b"cmdlet Lock-CsClientPin at command pipeline position 1\r\n"
            b"Supply values for the following parameters:\r\n") in shell.buffer
    shell.type(b"Ken Myer\r")
    assert shell.read_until(PROMPT_READY)
    shell.type(b"(Get-CsClientPinInfo 'Ken Myer').IsLockedOut\r")
    assert shell.read_until(b"True\r\n"), shell.buffer
    assert shell.read_until(PROMPT_READY)
    shell.type(b"exit\r")
    assert shell.exit_code() == 0


def test_ctrl_c_stops_a_running_command_and_the_session_goes_on(start_shell):
    shell = start_shell()
    shell.type(b"$i = 0; while ($true) { $i++; if ($i -eq 1) { Write-Host looping } }\r")
    assert shell.read_until(b"looping\r\n"), shell.buffer     # the endless loop is running
    shell.type(b"\x03")
    assert shell.read_until(PROMPT_READY), shell.buffer
    shell.type(b'"ran:$($i -gt 0)"\r')
    assert shell.read_until(b"ran:True"), shell.buffer
    assert shell.read_until(PROMPT_READY)
    shell.type(b"exit\r")
    assert shell.exit_code() == 0
