"""Command discovery: what a command name means (function, alias, cmdlet, script file, script block).

Order as in PowerShell: alias → function → cmdlet → script file by path. Native programs are never
run (the shell is a closed emulator; remote users must not reach the operating system). A session may
carry a ``command_filter`` (the remote role filter): commands it rejects are "not recognized", exactly
like cmdlets a remote PowerShell session does not export.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from csshell.language import ast as A
from csshell.runtime import errors as E
from csshell.runtime.cmdlet import ALIASES, REGISTRY, Cmdlet, find_cmdlet
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.values import ScriptBlock, to_string

if TYPE_CHECKING:
    from csshell.runtime.interpreter import Interpreter

NOT_RECOGNIZED = ("The term '{0}' is not recognized as the name of a cmdlet, function, script file, or operable "
                  "program. Check the spelling of the name, or if a path was included, verify that the path is "
                  "correct and try again.")


@dataclass
class ResolvedCommand:
    name: str
    cls: type[Cmdlet]


def not_recognized(name: str, extent: Any, invoked_by: str | None = None) -> PSError:
    """CommandNotFoundException; ``& name`` / ``. name`` name the operator, as 5.1 does (``& : The term ...``)."""
    return PSError(ErrorRecord(NOT_RECOGNIZED.format(name), "CommandNotFoundException", E.OBJECT_NOT_FOUND,
                               target=name, target_type="String", reason="CommandNotFoundException",
                               command_name=invoked_by or name, extent=extent, activity="",
                               exception_type="System.Management.Automation.CommandNotFoundException"))


def resolve_command(interp: "Interpreter", name_value: Any, command: A.CommandAst) -> ResolvedCommand:
    from csshell.runtime.functions import script_block_command, script_file_command
    if isinstance(name_value, ScriptBlock):
        return ResolvedCommand("<ScriptBlock>", script_block_command(interp, name_value,
                                                                    dot_source=command.invocation == "."))
    name = to_string(name_value)
    session = interp.session
    allowed = getattr(session, "command_filter", None)
    function = session.functions.get(name.lower())
    if function is not None:
        return ResolvedCommand(name, function)
    cls = find_cmdlet(name)
    if cls is not None and (allowed is None or allowed(cls.name)):
        return ResolvedCommand(cls.name, cls)
    if allowed is None and _looks_like_script(name):
        path = session.filesystem_path(name)
        if os.path.isfile(path):
            try:
                cls = script_file_command(interp, path, dot_source=command.invocation == ".")
            except PSError as err:
                _name_the_caller(err.record, name, command)
                raise
            return ResolvedCommand(name, cls)
    raise not_recognized(name, command.name.extent, command.invocation)


def _name_the_caller(record: ErrorRecord, name: str, command: A.CommandAst) -> None:
    """A refused ``#Requires`` shows as ``.\\x.ps1 : The script 'x.ps1' cannot be run ...`` at the call."""
    if record.error_id.startswith("ScriptRequires"):
        record.command_name = name
        if record.extent is None:
            record.extent = command.name.extent if command.invocation is None else command.extent


def _looks_like_script(name: str) -> bool:
    return name.lower().endswith(".ps1") or "/" in name or "\\" in name


def command_names(session: Any = None) -> list[str]:
    """Every name a user can type: cmdlets, aliases and (given a session) functions."""
    allowed = getattr(session, "command_filter", None)
    names = [cls.name for cls in REGISTRY.values() if allowed is None or allowed(cls.name)]
    names += [alias for alias, target in ALIASES.items() if allowed is None or allowed(target)]
    if session is not None:
        names += [getattr(cls, "name", key) for key, cls in session.functions.items()]
    return sorted(set(names), key=str.lower)
