"""Which servers the client trusts: OpenSSH's ``~/.ssh/known_hosts``, read and added to as ``ssh`` does.

PowerShell's SSH remoting runs ``ssh``, so a server is trusted exactly when OpenSSH would trust it:
its host key is in the user's ``~/.ssh/known_hosts``. On first contact the user is asked, with
OpenSSH's wording, and a ``yes`` adds the key; a server whose key differs from the recorded one is
refused, whatever the user says (someone may be in the middle). A server on a port other than 22 is
recorded as ``[host]:port``, as OpenSSH records it, so both tools share the file.
"""
from __future__ import annotations

import os
from pathlib import Path

import asyncssh


def known_hosts_path() -> Path:
    """The user's OpenSSH known-hosts file (``$HOME/.ssh/known_hosts``)."""
    return Path(os.path.expanduser("~")) / ".ssh" / "known_hosts"


def load(path: Path | None = None) -> asyncssh.SSHKnownHosts:
    """The trusted keys, empty when the file does not exist (never the process owner's other files)."""
    path = path or known_hosts_path()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    return asyncssh.import_known_hosts(text)


def entry_name(host: str, port: int) -> str:
    """How OpenSSH names a server in known_hosts: ``host``, or ``[host]:port`` off port 22."""
    return host if port == 22 else f"[{host}]:{port}"


def is_recorded(host: str, addr: str, port: int, path: Path | None = None) -> bool:
    """Whether any key is recorded for the server (then a different key means it changed)."""
    trusted = asyncssh.match_known_hosts(load(path), host, addr, port if port != 22 else None)
    return bool(trusted[0] or trusted[1])


def remember(host: str, port: int, key: asyncssh.SSHKey, path: Path | None = None) -> Path:
    """Add the server's key, creating ``~/.ssh`` (mode 0700) if need be; returns the file written."""
    path = path or known_hosts_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    line = f"{entry_name(host, port)} {key.export_public_key('openssh').decode('ascii').strip()}\n"
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(line)
    return path


def first_contact_question(host: str, addr: str, port: int, key: asyncssh.SSHKey) -> tuple[str, str]:
    """OpenSSH's notice and question when it meets a server it does not know yet."""
    algorithm = key.get_algorithm().replace("ssh-", "").upper()
    name = entry_name(host, port)
    notice = (f"The authenticity of host '{name} ({entry_name(addr, port)})' can't be established.\n"
              f"{algorithm} key fingerprint is {key.get_fingerprint()}.\n")
    return notice, "Are you sure you want to continue connecting (yes/no)? "


def added_notice(host: str, port: int, key: asyncssh.SSHKey) -> str:
    algorithm = key.get_algorithm().replace("ssh-", "").upper()
    return f"Warning: Permanently added '{entry_name(host, port)}' ({algorithm}) to the list of known hosts.\n"
