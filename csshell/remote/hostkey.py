"""The server's SSH host key: generated on first start, kept beside the store, readable by its owner only.

Clients remember a server by this key (``known_hosts``), so it must survive restarts; a key file
others can read is refused, as OpenSSH's sshd refuses one, because anyone who reads it can pose as
this server.
"""
from __future__ import annotations

import os
import stat

import asyncssh

KEY_ALGORITHM = "ssh-ed25519"


class HostKeyError(Exception):
    """The host key cannot be used; the message says which file and what to do."""


def load_or_create(path: str) -> asyncssh.SSHKey:
    """The key at ``path``, created (mode 0600) when the file does not exist yet."""
    if not os.path.exists(path):
        return _create(path)
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        raise HostKeyError(f"The host key '{path}' can be read by other users (mode {mode:04o}). "
                           f"Run 'chmod 600 {path}' and start the server again.")
    try:
        return asyncssh.read_private_key(path)
    except (OSError, asyncssh.KeyImportError) as exc:
        raise HostKeyError(f"The host key '{path}' cannot be read: {exc}. Remove it to have a new one "
                           "generated (clients will then warn that the server's key changed).") from None


def _create(path: str) -> asyncssh.SSHKey:
    """Write a new key through a 0600 file created exclusively, so it is never readable by others."""
    key = asyncssh.generate_private_key(KEY_ALGORITHM, comment="csshell host key")
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise HostKeyError(f"The host key '{path}' cannot be created: {exc.strerror}.") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(key.export_private_key())
        handle.flush()
        os.fsync(handle.fileno())
    return key


def fingerprint(key: asyncssh.SSHKey) -> str:
    """What ``ssh`` shows when it first meets the server (``SHA256:...``)."""
    return key.get_fingerprint()
