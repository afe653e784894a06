"""Stage fusion: adjacent pipeline commands that agree run as one loop over the data, not object by object.

``Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin`` over 100,000
users pushes 300,000 objects through binding, ``process`` and ``WriteObject`` before the first unlock;
the per-object plumbing costs more than the work. Yet the first three commands only describe *which
users* reach the fourth. So a command may describe its output lazily as an :class:`ObjectStream` (the
items it would write, the object it would make of each, and how each property of that object is read
from an item), and the next command may turn that stream into its own, without any object being made:

- the first command offers a stream (:meth:`Cmdlet.pipeline_source`), e.g. Get-CsUser's user records;
- each next command may transform it (:meth:`Cmdlet.fuse_upstream`), e.g. Get-CsClientPinInfo maps
  users to PIN information, Where-Object keeps the items its compiled filter accepts;
- the first command that declines receives the stream's objects as ordinary pipeline input.

Why this changes nothing a user can see: streams are generators, so every item passes all fused
stages before the next item is read, in the order and at the moment the ordinary pipeline would
handle it (a downstream command that changes the store sees and causes the same interleaving). A
stage hands any item it cannot handle exactly like the ordinary path (a record that vanished, a
filter that fails) to its own command processor as an ordinary object (:meth:`FusedStage.ordinary`),
which reports what it always reports; work that may fail (a store change) runs under
:meth:`FusedStage.guarded`, so a failure is reported as that command's, as it would be. Only commands without common parameters (``-ErrorAction``,
``-OutVariable``, ``-WhatIf``...), redirections or delay-bound arguments fuse, so no per-command
setting is skipped. ``tests/runtime/test_fast_paths.py`` runs pipelines with fusion on and off
and compares output, errors, ``$?`` and the store.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from csshell.runtime import fast_paths

if TYPE_CHECKING:
    from csshell.runtime.pipeline import CommandProcessor

Getter = Callable[[Any], Any]


@dataclass
class ObjectStream:
    """What a command would write, described without making the objects.

    ``items`` is consumed once, lazily; ``make(item)`` is the pipeline object for an item;
    ``properties`` maps a lower-case property name to a function computing, from an item, exactly
    what that property of ``make(item)`` would hold. ``kind`` tells the next command what the items
    are (the command that made the stream defines it).
    """
    kind: str
    items: Iterable[Any]
    make: Callable[[Any], Any]
    properties: Mapping[str, Getter] = field(default_factory=dict)

    def derive(self, items: Iterable[Any]) -> ObjectStream:
        """The same kind of objects, fewer of them (a filter's output)."""
        return ObjectStream(self.kind, items, self.make, self.properties)


class FusedStage:
    """What a fused command may ask of the pipeline, besides its :class:`CommandContext`."""

    def __init__(self, processor: CommandProcessor) -> None:
        self._processor = processor

    def ordinary(self, obj: Any) -> None:
        """Hand ``obj`` to this command the ordinary way (bound, processed, its output sent on)."""
        self._processor.push(obj)

    def guarded(self, step: Callable[[], None]) -> None:
        """Run ``step`` as the command's own ``process`` runs: a failure is reported as this command's."""
        _as_command(self._processor, step)


def _as_command(processor: CommandProcessor, step: Callable[[], Any]) -> Any:
    """``step()``'s result, run under the command's guard: a failure (a damaged store met while opening
    it) is reported as that command's, as its ordinary ``process`` would report it."""
    result: list[Any] = [None]

    def run(_ctx: Any) -> None:
        result[0] = step()
    processor.guard(run)
    return result[0]


def fusable(processor: CommandProcessor) -> bool:
    """A command with no per-command setting that the fused loop would bypass."""
    binding = processor.binding
    return not binding.common and not binding.delayed and not processor.redirected


def run_fused(processors: list[CommandProcessor]) -> bool:
    """Run the pipeline with its leading commands fused, when at least two agree; ``False``: run it as usual.

    Called after every ``begin``; the caller still runs every ``end``.
    """
    if not fast_paths.ENABLED or len(processors) < 2 or not (fusable(processors[0]) and fusable(processors[1])):
        return False
    first = processors[0]
    first.binding.apply(first.instance)
    stream = _as_command(first, lambda: first.instance.pipeline_source(first))
    if stream is None:
        return False
    fused = 1
    while fused < len(processors) and fusable(processors[fused]):
        stage = processors[fused]
        stage.binding.apply(stage.instance)
        transformed = _as_command(stage, lambda: stage.instance.fuse_upstream(stage, stream, FusedStage(stage)))
        if transformed is None:
            break
        stream, fused = transformed, fused + 1
    if fused == 1:
        return False                     # nothing to gain: the source runs its ordinary process
    consumer = processors[fused].push if fused < len(processors) else processors[-1].downstream
    make = stream.make

    def feed(_: Any) -> None:
        for item in stream.items:
            consumer(make(item))
    first.guard(feed)
    return True
