"""``csshell serve`` on the command line: where the subcommand may stand, and which exit code says what.

64 (EX_USAGE) for a command line that cannot work (an unknown option, an unusable ``--listen``), 1
for a server that could not start (a busy port), as docs/remote.md says.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from remote_support import CSSHELL

from csshell.cli import serve_arguments
from csshell.remote.command import check_listen_host, config_from_args


@pytest.mark.parametrize("argv, expected", [
    (["serve", "--listen", ":0"], ["--listen", ":0"]),
    (["--store", "s.json", "serve", "--listen", ":0"], ["--store", "s.json", "--listen", ":0"]),
    (["--store=s.json", "serve"], ["--store", "s.json"]),
    (["-Store", "s.json", "-NoProfile", "serve"], ["--store", "s.json"]),
    (["-NonInteractive", "serve", "--store", "t.json"], ["--store", "t.json"]),
    (["--store", "s.json", "serve", "--store", "t.json"], ["--store", "s.json", "--store", "t.json"]),
])
def test_serve_is_found_after_the_global_options(argv, expected):
    assert serve_arguments(argv) == expected


@pytest.mark.parametrize("argv", [
    [], ["-c", "serve"], ["-Command", "Get-CsUser", "serve"], ["--store", "s.json", "Get-CsUser"],
    ["-File", "x.ps1", "serve"], ["--bogus", "serve"], ["--store"],
])
def test_other_command_lines_are_not_serve(argv):
    assert serve_arguments(argv) is None


def test_a_later_store_wins(tmp_path):
    config = config_from_args(serve_arguments(["--store", str(tmp_path / "a.json"), "serve", "--store",
                                               str(tmp_path / "b.json")]) or [])
    assert config.store_path == str(tmp_path / "b.json")


@pytest.mark.parametrize("host", ["", "127.0.0.1", "0.0.0.0", "::1", "localhost"])
def test_usable_listen_hosts(host):
    check_listen_host(host)


@pytest.mark.parametrize("host", ["nonsense.invalid", "bad host", "-"])
def test_unusable_listen_hosts(host):
    with pytest.raises(ValueError, match="neither an IP address nor a known host name"):
        check_listen_host(host)


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*CSSHELL, *args], capture_output=True, text=True, timeout=60, check=False)


def test_serve_after_store_starts_the_server_not_a_command(tmp_path):
    result = _run("--store", str(tmp_path / "s.json"), "serve", "--listen", "nonsense.invalid:2222")
    assert result.returncode == 64
    assert "is not recognized" not in result.stderr
    assert "'nonsense.invalid' is neither an IP address nor a known host name" in result.stderr
    assert "usage: csshell serve" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "s.json").exists()          # refused before anything was created


def test_an_unknown_serve_option_exits_64():
    result = _run("serve", "--no-such-option")
    assert result.returncode == 64
    assert "unrecognized arguments: --no-such-option" in result.stderr


def test_a_busy_port_is_a_runtime_failure(tmp_path, seeded_store_file: Path):
    store = tmp_path / "store.json"
    shutil.copy(seeded_store_file, store)
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _run("--store", str(store), "serve", "--listen", f"127.0.0.1:{port}")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == \
        f"csshell serve: cannot start: cannot listen on 127.0.0.1:{port}: the address is already in use."
    assert "Errno" not in result.stderr
    assert "Traceback" not in result.stderr
