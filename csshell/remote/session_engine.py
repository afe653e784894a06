"""One engine per remote session: its own Store object, the SSH account as actor, confined.

Store objects are single-threaded, so each session uses its own on the shared store file (borrowed
warm from the server's pool, store_pool.py); the file lock serialises writers across sessions and
processes, and the server's sessions queue for it in arrival order (fair_lock.py). The audit trail records the account
(``actor``) and ``ssh <address>:<port>`` (``origin``) of every change.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from csshell.engine import Engine
from csshell.remote import sandbox
from csshell.remote.config import ServerConfig
from csshell.remote.fair_lock import queue_in_front
from csshell.remote.store_pool import StorePool
from csshell.runtime.host import Host


@dataclass(frozen=True)
class Identity:
    """Who a session belongs to: the signed-in account, its roles and the client's address."""
    account: str
    roles: tuple[str, ...]
    address: str
    port: int

    @property
    def origin(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"ssh {host}:{self.port}"


class RemoteEngine(Engine):
    """An engine whose prompt names the server, as a remote PowerShell prompt does."""

    hostname = ""

    def prompt_text(self) -> str:
        return f"[{self.hostname}]: PS {self.session.cwd}> "


def build_engine(host: Host, config: ServerConfig, who: Identity, stores: StorePool | None = None,
                 engine_class: type[RemoteEngine] = RemoteEngine) -> RemoteEngine:
    """A confined engine for ``who``; its Store (borrowed from ``stores`` when given) comes on first use.

    ``engine_class`` is a RemoteEngine subclass (the object channel's engine sends results as data)."""
    from csshell.store import open_store

    def opener() -> Any:
        if stores is not None:
            return stores.borrow()
        return queue_in_front(open_store(config.store_path))

    engine = engine_class(host, opener, actor=who.account, origin=who.origin, cwd=config.files_folder,
                          store_path=config.store_path)
    engine.hostname = config.hostname
    sandbox.confine(engine.session, role_cmdlets=role_cmdlets(who.roles), folder=config.files_folder,
                    account=who.account, hostname=config.hostname)
    return engine


def role_cmdlets(roles: tuple[str, ...]) -> set[str]:
    """The cmdlets the roles grant remotely (csshell/store/roles.py), plus the folder-confined file cmdlets."""
    from cmdlets import shipped_catalogue
    from csshell.store import roles as rbac
    allowed = rbac.allowed_cmdlets(roles, shipped_catalogue())
    if allowed:       # a role holder also gets the file cmdlets: the path guard keeps them in the folder
        allowed |= set(rbac.FILE_CMDLETS)
    return allowed
