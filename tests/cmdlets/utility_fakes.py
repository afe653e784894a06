"""A stand-in pipeline for unit-testing the utility cmdlets without the engine.

Script blocks are real :class:`ScriptBlock` values whose ``ast`` is a Python callable taking ``$_``;
:meth:`UtilityContext.invoke_script_block` calls it and returns its output as a list, the way the
runtime returns a block's output.
"""
from __future__ import annotations

import os
from typing import Any, Callable

from csshell.runtime.errors import ErrorRecord, PipelineStopped, PSError
from csshell.runtime.values import ScriptBlock, enumerate_value


def block(text: str, fn: Callable[[Any], Any]) -> ScriptBlock:
    """A script block whose body is ``fn($_)``; a list result is its several outputs."""
    return ScriptBlock(text, fn)


class UtilityContext:
    """Collects every stream a cmdlet writes to."""

    def __init__(self, cwd: str = "/", should_process: bool = True) -> None:
        self.input_object: Any = None
        self.command_name = ""
        self.objects: list[Any] = []
        self.errors: list[ErrorRecord] = []
        self.host_lines: list[tuple[str, str | None, str | None, bool]] = []
        self.warnings: list[str] = []
        self.verbose: list[str] = []
        self.cwd = cwd
        self.allow = should_process
        self.processed: list[str] = []

    def write_object(self, value: Any, enumerate_collection: bool = False) -> None:
        if enumerate_collection and isinstance(value, list):
            self.objects.extend(value)
        else:
            self.objects.append(value)

    def write_error(self, record: ErrorRecord) -> None:
        self.errors.append(record)

    def throw_error(self, record: ErrorRecord) -> None:
        raise PSError(record)

    def should_process(self, target: str, action: str | None = None) -> bool:
        self.processed.append(target)
        return self.allow

    def write_host(self, text: str, foreground: str | None = None, background: str | None = None,
                   newline: bool = True) -> None:
        self.host_lines.append((text, foreground, background, newline))

    def write_warning(self, text: str) -> None:
        self.warnings.append(text)

    def calling_invocation(self) -> None:
        return None                      # as at the top level: no function or script is running

    def write_verbose(self, text: str) -> None:
        self.verbose.append(text)

    def invoke_script_block(self, block: ScriptBlock, dollar_under: Any = None, args: Any = (),
                            use_new_scope: bool = True) -> list[Any]:
        result = block.ast(dollar_under)
        return list(result) if isinstance(result, list) else ([] if result is None else [result])

    def resolve_path(self, path: str) -> str:
        return path if os.path.isabs(path) else os.path.join(self.cwd, path)


def run(command_class: type, inputs: Any = None, ctx: UtilityContext | None = None, set_name: str | None = None,
        **params: Any) -> UtilityContext:
    """Bind named parameters, then begin / process (per piped object, or once) / end, as the pipeline
    does; ``PipelineStopped`` from process ends input early like the real pipeline."""
    ctx = ctx or UtilityContext()
    command = command_class()
    for name, value in params.items():
        setattr(command, name, value)
        command.bound[name] = value
    if set_name:
        command.set_name = set_name
    command.begin(ctx)
    try:
        if inputs is None:
            command.process(ctx)
        else:
            for item in enumerate_value(inputs) if isinstance(inputs, list) else [inputs]:
                command.InputObject = item
                command.bound["InputObject"] = item
                ctx.input_object = item
                command.process(ctx)
    except PipelineStopped:
        pass
    command.end(ctx)
    return ctx
