"""One switch for the engine's fast paths, so a test can run the same text with and without them.

The fast paths (script blocks compiled to closures in ``compiled.py``; the binder's per-object memos,
its first-ByValue shortcut and its bind-as-is test; Get-CsUser objects that build their properties on
first read; the PIN cmdlets acting on a piped user object's own record) must never change what a
command does: ``tests/runtime/test_fast_paths.py`` runs each scenario both ways and compares output,
errors, ``$?`` and the store. Nothing else should turn them off.

One difference is intended (see ``cmdlets/clientpin.piped_user``): a piped user object names its own
user even where its SIP address text would be ambiguous (another user's display name is that text).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

ENABLED = True


@contextmanager
def disabled() -> Iterator[None]:
    """Run the block on the slow paths only (the reference behaviour of differential tests)."""
    global ENABLED
    saved, ENABLED = ENABLED, False
    try:
        yield
    finally:
        ENABLED = saved
