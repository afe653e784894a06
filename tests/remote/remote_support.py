"""Helpers for the remote-session tests: a store with admin accounts, keys, a server process, clients.

Everything is loopback, in temporary folders, on ephemeral ports. The server runs as a real
``csshell serve`` process (so SIGTERM and killed clients are tested as they happen in production);
clients are the Debian OpenSSH ``ssh`` and, where a test needs to steer a terminal session
precisely, asyncssh.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from csshell.engine import Engine
from csshell.runtime.host import BufferHost
from csshell.store import open_store

ROOT = Path(__file__).resolve().parents[2]
CSSHELL = [sys.executable, "-c", "import sys; from csshell.cli import main; sys.exit(main())"]
HOSTNAME = "sfb01"
SSH_OPTIONS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
               "-o", "LogLevel=ERROR", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=10"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
PROMPT = r"\[sfb01\]: PS [^>\n]*>"


@dataclass(frozen=True)
class Account:
    """A test admin: the directory user, the login name, role, password and private key file."""
    display_name: str
    login: str
    role: str | None
    password: str
    key_file: Path

    @property
    def logon(self) -> str:
        return f"litwareinc\\{self.login}"


@dataclass
class Fixture:
    """A store prepared for remote tests, with its accounts and a stranger's key."""
    store: Path
    accounts: dict[str, Account]
    stranger_key: Path
    folder: Path = field(init=False)

    def __post_init__(self) -> None:
        self.folder = self.store.parent / "csshell_files"


def make_key(path: Path) -> Path:
    """An ed25519 key pair made by OpenSSH's ssh-keygen (``path`` and ``path.pub``)."""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", path.name, "-f", str(path)],
                   check=True, capture_output=True)
    return path


def local_run(store: Path, text: str) -> tuple[str, str]:
    """Run text at the local console (no RBAC) on ``store``; returns (stdout, stderr)."""
    host = BufferHost()
    engine = Engine(host, lambda: open_store(str(store)), cwd=str(store.parent))
    try:
        engine.run_command_text(text)
    finally:
        engine.close()
    return host.stdout, host.stderr


def prepare_store(seeded: Path, folder: Path) -> Fixture:
    """Copy the seeded store and give four directory users remote credentials (three with a role)."""
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "store.json"
    copy_store(seeded, store)
    specs = {"helpdesk": ("Jonathan Haas", "jhaas", "CsHelpDesk"),
             "admin": ("Lisa Jacobson", "lisaj", "CsAdministrator"),
             "useradmin": ("Mariana Ortega", "mortega", "CsUserAdministrator"),
             "norole": ("Tomasz Nowak", "tnowak", None)}
    accounts: dict[str, Account] = {}
    script = []
    for name, (display, login, role) in specs.items():
        key = make_key(folder / f"{name}_key")
        account = Account(display, login, role, f"{name}-Secret-1", key)
        accounts[name] = account
        public = key.with_suffix(".pub").read_text().strip()
        script.append(f'Set-CsAdminCredential -Identity "{display}" -Password "{account.password}" '
                      f'-SshPublicKey "{public}"')
        if role:
            script.append(f'Grant-CsAdminRole -Identity "{display}" -Role {role}')
    _, err = local_run(store, "\n".join(script))
    assert err == "", err
    return Fixture(store, accounts, make_key(folder / "stranger_key"))


def copy_fixture(template: Fixture, folder: Path) -> Fixture:
    """The template's store copied into ``folder`` (a server there keeps its key and files beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    store = folder / "store.json"
    copy_store(template.store, store)
    return Fixture(store, template.accounts, template.stranger_key)


def copy_store(source: Path, target: Path) -> None:
    """A store is its base file plus, once changed, its journal (``<store>.journal``): copy both."""
    shutil.copyfile(source, target)
    journal = source.with_name(source.name + ".journal")
    if journal.exists():
        shutil.copyfile(journal, target.with_name(target.name + ".journal"))


class ServerProcess:
    """``csshell serve`` on 127.0.0.1 and a free port; its log (stderr) is collected in :attr:`log`."""

    def __init__(self, store: Path, *extra: str) -> None:
        self.store = store
        env = dict(os.environ, NO_COLOR="1", PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([*CSSHELL, "serve", "--listen", "127.0.0.1:0", "--store", str(store),
                                      "--hostname", HOSTNAME, "--failure-delay", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self._log: list[str] = []
        threading.Thread(target=self._drain, daemon=True).start()
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        match = re.search(r"listening on [^\s]*:(\d+)", line)
        if not match:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.log}")
        self.port = int(match.group(1))

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._log.append(line)

    @property
    def log(self) -> str:
        return "".join(self._log)

    def wait_log(self, pattern: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.log):
                return self.log
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} not in the server log:\n{self.log}")

    def terminate(self, timeout: float = 30) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def ssh(server: ServerProcess, account: Account | None, command: str | None = None, *, key: Path | None = None,
        stdin: str | None = None, tty: bool = False, timeout: float = 60,
        login: str | None = None) -> subprocess.CompletedProcess:
    """Run the OpenSSH client against the server with a key (never a password: BatchMode)."""
    key_file = key or (account.key_file if account else None)
    args = ["ssh", *SSH_OPTIONS, "-p", str(server.port), "-i", str(key_file)]
    args += ["-tt"] if tty else ["-T"]
    args.append(f"{login or (account.login if account else 'nobody')}@127.0.0.1")
    if command is not None:
        args.append(command)
    return subprocess.run(args, input=stdin if stdin is not None else "", capture_output=True, text=True, check=False,
                          timeout=timeout)


async def connect(server: ServerProcess, account: Account, *, password: bool = False,
                  **options: object) -> asyncssh.SSHClientConnection:
    """An asyncssh client connection, signed in with the account's key (or its password)."""
    if password:
        options.setdefault("password", account.password)
        options.setdefault("client_keys", None)
    else:
        options.setdefault("client_keys", [str(account.key_file)])
    return await asyncssh.connect("127.0.0.1", server.port, username=account.login, known_hosts=None,
                                  agent_path=None, preferred_auth=("publickey", "password") if not password
                                  else ("password",), **options)


class TerminalReader:
    """Reads a terminal session's output until a pattern shows in the text without escape codes."""

    def __init__(self, stdout: asyncssh.SSHReader) -> None:
        self.stdout = stdout
        self.raw = ""

    async def until(self, pattern: str, timeout: float = 20) -> str:
        async def read() -> None:
            while not re.search(pattern, ANSI.sub("", self.raw)):
                chunk = await self.stdout.read(4096)
                if not chunk:
                    raise AssertionError(f"session ended before {pattern!r}: {ANSI.sub('', self.raw)!r}")
                self.raw += chunk
        try:
            await asyncio.wait_for(read(), timeout)
        except TimeoutError:
            raise AssertionError(f"no {pattern!r} in {ANSI.sub('', self.raw)!r}") from None
        raw, self.raw = self.raw, ""
        return raw


def plain(text: str) -> str:
    return ANSI.sub("", text)


def audit(store: Path) -> list[dict]:
    with open_store(str(store)) as opened:
        return opened.directory.audit_entries()


def is_locked(store: Path, identity: str) -> bool:
    """``IsLockedOut`` of one user, read by a local engine."""
    out, err = local_run(store, f'(Get-CsClientPinInfo -Identity "{identity}").IsLockedOut')
    assert err == "", err
    return out.strip() == "True"
