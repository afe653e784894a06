"""The command registry, filled as cmdlet modules are imported, and the lazy catalog that imports them.

A one-liner must not pay for importing every cmdlet module (help, JSON, CSV, dates, the store...) to run
one command, so the cmdlet layer declares a *catalog*: which module holds which command and alias names.
:func:`find_cmdlet` imports a module the first time one of its names is looked up; enumerating the
registry (Get-Command, Get-Help, tab completion, the remote role filter's listings) first imports every
module, so a listing is always complete. The runtime stays ignorant of which cmdlets exist: it only
calls the loaders the catalog gave it (``cmdlets/__init__.py`` declares them).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csshell.runtime.cmdlet import Cmdlet

_LOADERS: dict[str, Callable[[], None]] = {}      # lowercased command or alias name -> import its module
_LOAD_ALL: list[Callable[[], None]] = []          # import every cmdlet module
_loading_all = False                              # set while this thread imports them all
_LOCK = threading.RLock()


def declare_catalog(loaders: Mapping[str, Callable[[], None]], load_all: Callable[[], None]) -> None:
    """The cmdlet layer says where its commands live (lowercased names) and how to import them all."""
    _LOADERS.update(loaders)
    _LOAD_ALL.append(load_all)


def load_all_cmdlets() -> None:
    """Import every cmdlet module (once): what a complete listing of commands needs."""
    global _loading_all
    if not _LOAD_ALL:
        return
    with _LOCK:                       # another thread waits for a complete registry
        if _loading_all:              # a module enumerating the registry while we import it
            return
        _loading_all = True
        try:
            while _LOAD_ALL:
                _LOAD_ALL[0]()
                _LOAD_ALL.pop(0)
            _LOADERS.clear()
        finally:
            _loading_all = False


class _Registry(dict):
    """A dict whose lookups stay lazy but whose enumeration imports every cmdlet module first."""

    def __iter__(self) -> Iterator[str]:
        load_all_cmdlets()
        return super().__iter__()

    def __len__(self) -> int:
        load_all_cmdlets()
        return super().__len__()

    def keys(self):
        load_all_cmdlets()
        return super().keys()

    def values(self):
        load_all_cmdlets()
        return super().values()

    def items(self):
        load_all_cmdlets()
        return super().items()


REGISTRY: dict[str, type[Cmdlet]] = _Registry()   # lowercased cmdlet name -> class
ALIASES: dict[str, str] = _Registry()             # lowercased alias -> cmdlet name


def find_cmdlet(name: str) -> type[Cmdlet] | None:
    """Look a command name or alias up (case-insensitive), importing its module on first use.

    A name the catalog does not know imports every module before answering "none": the catalog only
    makes look-ups fast, it never decides what exists (a module missing from it is slow, not broken).
    """
    low = name.lower()
    found = _lookup(low)
    if found is None:
        loader = _LOADERS.pop(low, None)
        if loader is not None:
            loader()
            found = _lookup(low)
        if found is None and _LOAD_ALL and not _looks_like_path(low):
            load_all_cmdlets()
            found = _lookup(low)
    return found


def _lookup(low: str) -> type[Cmdlet] | None:
    cls = dict.get(REGISTRY, low)
    if cls is not None:
        return cls
    target = dict.get(ALIASES, low)
    return dict.get(REGISTRY, target.lower()) if target else None


def _looks_like_path(low: str) -> bool:
    """Script paths (``.\\x.ps1``, ``/tmp/y``) are never cmdlet names: no need to import everything for them."""
    return low.endswith(".ps1") or "/" in low or "\\" in low
