"""Get-Help and Get-Command: what an admin reads before typing a cmdlet.

Both read the same declarations the binder binds from (``Parameter(...)`` in ``runtime/cmdlet.py``),
so help can never disagree with what the shell accepts. Help text follows the layout of Windows
PowerShell 5.1's console view of a MAML topic (NAME, SYNOPSIS, SYNTAX, DESCRIPTION, PARAMETERS,
examples, REMARKS). Positions are shown 1-based for cmdlets, as their MAML help does ("Position? 1"),
and 0-based for session functions, as 5.1's help generated from a function's metadata does.

``about_`` topics are text files under ``docs/about/``; ``{extension_commands}`` in a topic is
replaced by the emulator-only commands registered in this session, so the list cannot go stale.
"""
from __future__ import annotations

import textwrap
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from cmdlets.object_properties import has_wildcard, record_for
from csshell.runtime import operators
from csshell.runtime.cmdlet import (
    ALIASES,
    COMMON_NAMES,
    REGISTRY,
    Cmdlet,
    CommandContext,
    Parameter,
    cmdlet,
    find_cmdlet,
)
from csshell.runtime.commands import NOT_RECOGNIZED
from csshell.runtime.conversions import help_type_name
from csshell.runtime.functions import ScriptCommand
from csshell.runtime.values import PSObject, enumerate_value, to_string

ABOUT_FOLDER = Path(__file__).resolve().parent.parent / "docs" / "about"
INDENT = "    "
HELP_NOT_FOUND = ("Get-Help could not find {0} in a help file in this session. To download updated help topics "
                  "type: \"Update-Help\". To get help online, search for the help topic in the TechNet library "
                  "at https:/go.microsoft.com/fwlink/?LinkID=107116.")
COMMON_PARAMETERS_TEXT = ("This cmdlet supports the common parameters: Verbose, Debug, ErrorAction, ErrorVariable, "
                          "WarningAction, WarningVariable, OutBuffer, PipelineVariable, and OutVariable. For more "
                          "information, see about_CommonParameters (https:/go.microsoft.com/fwlink/?LinkID=113216).")
INTRO = """
TOPIC
    csshell help system

SHORT DESCRIPTION
    Displays help about the Skype for Business Server Management Shell cmdlets
    and concepts of this emulator.

LONG DESCRIPTION

  SYNTAX
    get-help {<CmdletName> | <TopicName>}
    help {<CmdletName> | <TopicName>}
    <CmdletName> -?

  EXAMPLES
    Get-Help Lock-CsClientPin              : Displays help about Lock-CsClientPin.
    Get-Help Set-CsClientPin -Examples     : Displays its examples.
    Get-Help Get-CsUser -Parameter Identity: Displays one parameter.
    Get-Help Get-CsClientPinInfo -Full     : Displays the whole topic.
    Get-Help *Pin*                         : Lists the topics whose names match.
    Get-Help about_csshell_extensions      : The commands only this emulator has.
    Get-Help about_csshell_store           : Where the directory and PINs are kept.
    Get-Command -Noun CsClientPin          : Lists the PIN cmdlets.
"""
HELP_INFO_SHORT = "HelpInfoShort"
Param = Parameter      # Get-Help has a parameter named Parameter, which would shadow the class in its body
COMMAND_TYPE_ORDER = {"Alias": 0, "Function": 1, "Cmdlet": 2}
_CORE = {"get-help", "get-command", "foreach-object", "where-object", "out-null", "out-default", "out-host"}
_MANAGEMENT_NOUNS = {"content", "path", "item", "childitem", "location", "host"}


# ---------------------------------------------------------------------------------------------
# Syntax lines
# ---------------------------------------------------------------------------------------------

def display_order(params: Iterable[Parameter], set_name: str | None = None) -> list[Parameter]:
    """5.1's display order: positional by position (in ``set_name``), then mandatory named, then optional named."""
    params = list(params)
    positional = sorted((p for p in params if p.position is not None),
                        key=lambda p: p.set_positions.get(set_name, p.position) if set_name else p.position)
    named = [p for p in params if p.position is None]
    return positional + [p for p in named if p.mandatory] + [p for p in named if not p.mandatory]


def parameter_syntax(p: Parameter) -> str:
    """``[-Identity] <UserIdParameter>``, ``[[-Name] <String[]>]``, ``-Path <String>``, ``[-Force]``."""
    name = f"[-{p.name}]" if p.position is not None else f"-{p.name}"
    text = name if p.is_switch else f"{name} <{help_type_name(p.type)}>"
    if p.is_switch and p.position is None:
        text = f"-{p.name}"
    return text if p.mandatory else f"[{text}]"


def visible_parameters(cls: type[Cmdlet]) -> list[Parameter]:
    """Declared parameters a user may type (a simple function's hidden ``$args``/input slots excluded)."""
    return [p for p in cls.declared.values() if not p.name.startswith("__") and p.name.lower() not in COMMON_NAMES]


def is_advanced(cls: type[Cmdlet]) -> bool:
    """Cmdlets and advanced functions take the common parameters; simple functions do not."""
    return "__args" not in cls.declared


def syntax_lines(cls: type[Cmdlet]) -> list[str]:
    """One line per parameter set, as Get-Help's SYNTAX section and ``Get-Command -Syntax`` show them."""
    params = visible_parameters(cls)
    named_sets = [s for s in cls.parameter_sets() if any(s in p.sets for p in params)]
    lines = []
    for set_name in named_sets or [None]:
        members = [p for p in params if set_name is None or p.in_set(set_name)]
        parts = [cls.name] + [parameter_syntax(p) for p in display_order(members, set_name)]
        if cls.supports_should_process:
            parts += ["[-WhatIf]", "[-Confirm]"]
        if is_advanced(cls):
            parts.append("[<CommonParameters>]")
        lines.append(" ".join(parts))
    return lines


# ---------------------------------------------------------------------------------------------
# Help topics
# ---------------------------------------------------------------------------------------------

def _wrap(text: str, indent: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, max(20, width - len(indent)), break_long_words=False,
                                break_on_hyphens=False)
        lines.extend(indent + line for line in wrapped or [""])
    return lines


def _section(title: str, body: list[str]) -> list[str]:
    return ["", title] + body + [""]


def pipeline_input_text(p: Parameter) -> str:
    kinds = [k for k, on in (("ByValue", p.from_pipeline), ("ByPropertyName", p.from_pipeline_by_property)) if on]
    return f"true ({', '.join(kinds)})" if kinds else "false"


def parameter_block(cls: type[Cmdlet], p: Parameter, full: bool, width: int, indent: str = INDENT) -> list[str]:
    """One parameter of the PARAMETERS section (``-Full`` adds the Required?/Position? table)."""
    head = f"{indent}-{p.name}" if p.is_switch else f"{indent}-{p.name} <{help_type_name(p.type)}>"
    lines = [head] + _wrap(p.help, indent + INDENT, width) if p.help else [head]
    if p.validate_set:
        lines += _wrap("Possible values: " + ", ".join(p.validate_set), indent + INDENT, width)
    if not full:
        return lines + [""]
    first = 0 if _is_function(cls) else 1
    position = "named" if p.position is None else str(p.position + first)
    default = "" if p.default is None or p.is_switch else to_string(p.default)
    sets = ", ".join("(All)" if s.startswith("__") else s for s in p.sets)
    table = [("Required?", "true" if p.mandatory else "false"), ("Position?", position),
             ("Default value", default), ("Accept pipeline input?", pipeline_input_text(p)),
             ("Accept wildcard characters?", "false"), ("Parameter set name", sets),
             ("Aliases", ", ".join(p.aliases) if p.aliases else "None")]
    return lines + [""] + [f"{indent}{INDENT}{k:<29}{v}".rstrip() for k, v in table] + [""]


def _is_function(cls: type[Cmdlet]) -> bool:
    """Functions defined in the session get the help 5.1 generates from metadata (0-based positions)."""
    return issubclass(cls, ScriptCommand)


def examples_section(cls: type[Cmdlet], width: int) -> list[str]:
    lines: list[str] = []
    for number, example in enumerate(cls.examples, 1):
        lines += ["", f"{INDENT}-------------------------- EXAMPLE {number} --------------------------", "",
                  f"{INDENT}PS C:\\>{example.code}", ""] + _wrap(example.remarks, INDENT, width) + [""]
    return lines


def command_help(cls: type[Cmdlet], view: str, width: int) -> str:
    """The whole topic for one command; ``view`` is default, detailed, full or examples."""
    if _is_function(cls) and not cls.synopsis:
        return _function_help(cls, view, width)
    lines = ["", "NAME", INDENT + cls.name]
    lines += _section("SYNOPSIS", _wrap(cls.synopsis or cls.name, INDENT, width))
    if view == "examples":
        return "\n".join(lines + examples_section(cls, width))
    lines += ["", "SYNTAX"] + [line for s in syntax_lines(cls) for line in _wrap(s, INDENT, width) + [""]]
    lines += _section("DESCRIPTION", _wrap(_description(cls), INDENT, width))
    if view in ("detailed", "full"):
        lines += ["", "PARAMETERS"]
        for p in visible_parameters(cls):
            lines += parameter_block(cls, p, view == "full", width)
        lines += [INDENT + "<CommonParameters>"] + _wrap(COMMON_PARAMETERS_TEXT, INDENT * 2, width) + [""]
    if view == "full":
        lines += _section("INPUTS", _wrap(_inputs(cls), INDENT, width))
        lines += _section("OUTPUTS", _wrap(cls.outputs or "System.Object", INDENT, width))
    if view in ("detailed", "full"):
        lines += examples_section(cls, width)
    lines += ["", "RELATED LINKS"]
    if view == "default":
        name = cls.name
        lines += ["", "REMARKS", f'{INDENT}To see the examples, type: "get-help {name} -examples".',
                  f'{INDENT}For more information, type: "get-help {name} -detailed".',
                  f'{INDENT}For technical information, type: "get-help {name} -full".']
    return "\n".join(lines) + "\n"


def _function_help(cls: type[Cmdlet], view: str, width: int) -> str:
    """5.1's help for a function with no help comments: syntax (and parameters under -Full)."""
    lines = ["", "NAME", INDENT + cls.name, "", "SYNTAX"]
    lines += [line for s in syntax_lines(cls) for line in _wrap(s, INDENT, width)] + [""]
    if view in ("detailed", "full"):
        lines += ["", "PARAMETERS"] + [line for p in visible_parameters(cls)
                                       for line in parameter_block(cls, p, True, width)]
    lines += ["", "ALIASES", INDENT + "None", "", "", "REMARKS", INDENT + "None", ""]
    return "\n".join(lines)


def _description(cls: type[Cmdlet]) -> str:
    text = cls.description or cls.synopsis or ""
    if cls.extension:
        text += ("\n" if text else "") + "This command is an extension of csshell; the Skype for Business Server " \
                                         "Management Shell has no such cmdlet. See about_csshell_extensions."
    return text


def _inputs(cls: type[Cmdlet]) -> str:
    piped = [p for p in visible_parameters(cls) if p.from_pipeline or p.from_pipeline_by_property]
    return "\n".join(f"{help_type_name(p.type)} ({p.name})" for p in piped) or "None"


def about_topics() -> dict[str, Path]:
    """``about_`` topic name (lower case) → its file."""
    if not ABOUT_FOLDER.is_dir():
        return {}
    return {path.name.split(".")[0].lower(): path for path in sorted(ABOUT_FOLDER.glob("about_*.txt"))}


def about_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    if "{extension_commands}" in text:
        listing = "\n".join(f"{INDENT}{cls.name:<28} {cls.synopsis}".rstrip()
                            for cls in sorted(REGISTRY.values(), key=lambda c: c.name.lower()) if cls.extension)
        text = text.replace("{extension_commands}", listing or INDENT + "(none)")
    return text


def _about_synopsis(path: Path) -> str:
    """The SHORT DESCRIPTION paragraph of an about_ topic, on one line."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    if "SHORT DESCRIPTION" not in (line.upper() for line in lines):
        return ""
    start = [line.upper() for line in lines].index("SHORT DESCRIPTION") + 1
    paragraph: list[str] = []
    for line in lines[start:]:
        if not line:
            break
        paragraph.append(line)
    return " ".join(paragraph)


def help_info_short(name: str, category: str, module: str, synopsis: str) -> PSObject:
    return PSObject([("Name", name), ("Category", category), ("Module", module), ("Synopsis", synopsis)],
                    type_names=[HELP_INFO_SHORT])


@cmdlet("Get-Help", aliases=("help", "man"), default_set="AllUsersView",
        synopsis="Displays information about csshell commands and concepts.",
        description="Shows the help generated from each command's declaration: its synopsis, syntax, "
                    "parameters and examples, and the about_ topics of the emulator. A name with wildcards "
                    "lists the matching topics.",
        examples=[("Get-Help Lock-CsClientPin", "The help topic of Lock-CsClientPin."),
                  ("Get-Help Set-CsClientPin -Parameter Pin", "One parameter, with its Required?/Position? table."),
                  ("Get-Help about_csshell_extensions", "The commands only this emulator has.")])
class GetHelp(Cmdlet):
    """``Get-Help``: one text object per topic, so ``Get-Help x | Out-String`` works."""

    Name = Param("string", position=0, help="The command, alias or about_ topic; wildcards list topics.")
    Parameter = Param("string", sets=("Parameters",), help="Shows only the named parameter (wildcards allowed).")
    Full = Param("switch", sets=("AllUsersView",), help="Shows the whole topic.")
    Detailed = Param("switch", sets=("DetailedView",), help="Adds parameter descriptions and examples.")
    Examples = Param("switch", sets=("Examples",), help="Shows only the name, synopsis and examples.")

    def process(self, ctx: CommandContext) -> None:
        width = getattr(getattr(ctx.session, "host", None), "width", 120) or 120
        name = to_string(self.Name) if self.Name is not None else ""
        if not name:
            ctx.write_object(INTRO)
            return
        topics = about_topics()
        if name.lower() in topics:
            ctx.write_object(about_text(topics[name.lower()]))
            return
        cls = None if has_wildcard(name) else _find_command(ctx, name)
        if cls is not None:
            ctx.write_object(self._topic(ctx, cls, width))
            return
        matches = _matching_topics(ctx, name, topics)
        if len(matches) == 1 and matches[0][1] is not None:
            ctx.write_object(self._topic(ctx, matches[0][1], width))
        elif matches:
            for topic_name, match_cls, category, synopsis in matches:
                ctx.write_object(help_info_short(topic_name, category, _module_of(match_cls) if match_cls else "",
                                                 synopsis))
        else:
            ctx.write_error(record_for(self, HELP_NOT_FOUND.format(name), "HelpNotFound", "ResourceUnavailable",
                                       reason="HelpNotFoundException"))

    def _topic(self, ctx: CommandContext, cls: type[Cmdlet], width: int) -> str:
        if self.Parameter is not None:
            return self._parameter_topic(ctx, cls, width)
        view = "full" if self.Full else "detailed" if self.Detailed else "examples" if self.Examples else "default"
        return command_help(cls, view, width)

    def _parameter_topic(self, ctx: CommandContext, cls: type[Cmdlet], width: int) -> str:
        pattern = to_string(self.Parameter)
        chosen = [p for p in visible_parameters(cls) if operators.wildcard_match(pattern, p.name)]
        if not chosen:
            ctx.throw_error(record_for(self, f"No parameter matches criteria {pattern}.", "NoParmsFound",
                                       "InvalidArgument", target=pattern, reason="ArgumentException"))
        return "\n".join(["", *[line for p in chosen for line in parameter_block(cls, p, True, width, "")]])


def _find_command(ctx: CommandContext, name: str) -> type[Cmdlet] | None:
    """A function of the session, or a cmdlet/alias the session may run."""
    function = ctx.session.functions.get(name.lower()) if hasattr(ctx.session, "functions") else None
    if function is not None:
        return function
    cls = find_cmdlet(name)
    allowed = getattr(ctx.session, "command_filter", None)
    return cls if cls is not None and (allowed is None or allowed(cls.name)) else None


def _matching_topics(ctx: CommandContext, pattern: str, topics: dict[str, Path]) -> list[tuple]:
    """(name, class or None, category, synopsis) of every command and about_ topic ``pattern`` matches."""
    glob = pattern if has_wildcard(pattern) else f"*{pattern}*"
    found = [(cls.name, cls, "Cmdlet", cls.synopsis) for cls in _commands(ctx)
             if operators.wildcard_match(glob, cls.name)]
    found += [(key, None, "HelpFile", _about_synopsis(path)) for key, path in topics.items()
              if operators.wildcard_match(glob, key)]
    return sorted(found, key=lambda t: t[0].lower())


def _commands(ctx: CommandContext) -> list[type[Cmdlet]]:
    allowed = getattr(ctx.session, "command_filter", None)
    cmdlets = [cls for cls in REGISTRY.values() if allowed is None or allowed(cls.name)]
    functions = list(getattr(ctx.session, "functions", {}).values())
    return functions + cmdlets


# ---------------------------------------------------------------------------------------------
# Get-Command
# ---------------------------------------------------------------------------------------------

COMMAND_INFO_TYPES = {"Cmdlet": "System.Management.Automation.CmdletInfo",
                      "Alias": "System.Management.Automation.AliasInfo",
                      "Function": "System.Management.Automation.FunctionInfo"}
COMMAND_TYPES = ("Alias", "Function", "Filter", "Cmdlet", "ExternalScript", "Application", "Script", "Workflow",
                 "Configuration", "All")


def _module_of(cls: type[Cmdlet]) -> str:
    """The module 5.1 would name in Source: SfB cmdlets, the emulator's extensions, PowerShell's own."""
    if _is_function(cls):
        return ""
    if cls.extension:
        return "csshell"
    noun = cls.name.partition("-")[2]
    if len(noun) > 2 and noun.startswith("Cs") and noun[2].isupper():
        return "SkypeForBusiness"
    if cls.name.lower() in _CORE:
        return "Microsoft.PowerShell.Core"
    if noun.lower() in _MANAGEMENT_NOUNS:
        return "Microsoft.PowerShell.Management"
    return "Microsoft.PowerShell.Utility"


def _version_of(module: str) -> str:
    return {"": "", "SkypeForBusiness": "7.0.0.0", "csshell": _csshell_version(),
            "Microsoft.PowerShell.Core": "3.0.0.0"}.get(module, "3.1.0.0")


def _csshell_version() -> str:
    try:
        return metadata.version("csshell")
    except metadata.PackageNotFoundError:
        return "0.0.0"


def command_info(kind: str, name: str, cls: type[Cmdlet]) -> PSObject:
    """A CommandInfo-like object (what Get-Command emits); Out-Default shows the four 5.1 columns."""
    module = "" if kind == "Alias" else _module_of(cls)
    definition = cls.name if kind == "Alias" else "\n".join(syntax_lines(cls))
    props = [("CommandType", kind), ("Name", name), ("Version", _version_of(module) if module else ""),
             ("Source", module), ("Definition", definition), ("ModuleName", module),
             ("DisplayName", f"{name} -> {cls.name}" if kind == "Alias" else name)]
    if kind == "Alias":
        props.append(("ResolvedCommandName", cls.name))
    # CommandInfo first: Out-Default groups consecutive objects by their first type name, and 5.1 shows
    # aliases, functions and cmdlets in one table
    return PSObject(props, type_names=["System.Management.Automation.CommandInfo", COMMAND_INFO_TYPES[kind]],
                    display=["CommandType", "Name", "Version", "Source"], tostring=name)


def session_commands(session: Any) -> list[tuple[str, str, type[Cmdlet]]]:
    """(CommandType, Name, class) of every command the session may run, honouring its role filter."""
    allowed = getattr(session, "command_filter", None)
    out: list[tuple[str, str, type[Cmdlet]]] = []
    for alias, target in ALIASES.items():
        cls = find_cmdlet(target)
        if cls is not None and (allowed is None or allowed(cls.name)):
            out.append(("Alias", alias, cls))
    for cls in getattr(session, "functions", {}).values():
        out.append(("Function", cls.name, cls))
    out += [("Cmdlet", cls.name, cls) for cls in REGISTRY.values() if allowed is None or allowed(cls.name)]
    return sorted(out, key=lambda t: (COMMAND_TYPE_ORDER[t[0]], t[1].lower()))


@cmdlet("Get-Command", aliases=("gcm",), default_set="CmdletSet",
        synopsis="Gets all commands.",
        description="Lists the cmdlets, aliases and functions this session can run, filtered by name (wildcards "
                    "allowed), verb, noun or command type. A remote session lists only what its role allows.",
        examples=[("Get-Command -Noun CsClientPin", "The four PIN cmdlets."),
                  ("Get-Command *-CsUser", "Cmdlets whose names end in -CsUser."),
                  ("Get-Command Lock-CsClientPin -Syntax", "The syntax line of one cmdlet.")])
class GetCommand(Cmdlet):
    """``Get-Command``: CommandInfo-like objects, aliases first, then functions, then cmdlets."""

    Name = Parameter("string[]", position=0, sets=("AllCommandSet",), from_pipeline_by_property=True,
                     help="Command names; wildcards allowed. A name without wildcards that matches nothing "
                          "is an error.")
    Verb = Parameter("string[]", sets=("CmdletSet",), help="Cmdlets and functions whose verb matches.")
    Noun = Parameter("string[]", sets=("CmdletSet",), help="Cmdlets and functions whose noun matches.")
    CommandType = Parameter("CommandTypes", sets=("AllCommandSet",), aliases=("Type",),
                            help="Alias, Function, Cmdlet or All.")
    Syntax = Parameter("switch", help="Shows the syntax lines instead of the command objects.")

    def process(self, ctx: CommandContext) -> None:
        wanted = self._wanted_types(ctx)
        commands = [c for c in session_commands(ctx.session) if c[0] in wanted]
        if self.Verb is not None or self.Noun is not None:
            commands = [c for c in commands if c[0] != "Alias" and self._verb_noun_match(c[1])]
        names = [to_string(n) for n in enumerate_value(self.Name)] if self.Name is not None else ["*"]
        emitted: set[tuple[str, str]] = set()
        for pattern in names:
            matched = [c for c in commands if operators.wildcard_match(pattern, c[1])]
            if not matched and not has_wildcard(pattern):
                ctx.write_error(record_for(self, NOT_RECOGNIZED.format(pattern), "CommandNotFoundException",
                                           "ObjectNotFound", target=pattern, reason="CommandNotFoundException"))
            for kind, name, cls in matched:
                if (kind, name.lower()) not in emitted:
                    emitted.add((kind, name.lower()))
                    self._emit(ctx, kind, name, cls)

    def _emit(self, ctx: CommandContext, kind: str, name: str, cls: type[Cmdlet]) -> None:
        if not self.Syntax:
            ctx.write_object(command_info(kind, name, cls))
        elif kind == "Alias":
            ctx.write_object(f"{name} (alias) -> {cls.name}")
        else:
            ctx.write_object("\n".join(syntax_lines(cls)) + "\n")

    def _wanted_types(self, ctx: CommandContext) -> set[str]:
        if self.CommandType is None:
            return set(COMMAND_TYPE_ORDER)
        wanted: set[str] = set()
        for item in enumerate_value(self.CommandType):
            for part in to_string(item).split(","):
                match = next((t for t in COMMAND_TYPES if t.lower() == part.strip().lower()), None)
                if match is None:
                    ctx.throw_error(record_for(
                        self, f"Cannot bind parameter 'CommandType'. Cannot convert value \"{part.strip()}\" to type "
                              "\"System.Management.Automation.CommandTypes\". Error: \"Unable to match the identifier "
                              f"name {part.strip()} to a valid enumerator name. Specify one of the following "
                              "enumerator names and try again:\n" + ", ".join(COMMAND_TYPES) + "\"",
                        "CannotConvertArgumentNoMessage", "InvalidArgument", reason="ParameterBindingException"))
                wanted |= set(COMMAND_TYPE_ORDER) if match == "All" else {match}
        return wanted

    def _verb_noun_match(self, name: str) -> bool:
        verb, _, noun = name.partition("-")
        verbs = [to_string(v) for v in enumerate_value(self.Verb)] or ["*"]
        nouns = [to_string(n) for n in enumerate_value(self.Noun)] or ["*"]
        return any(operators.wildcard_match(v, verb) for v in verbs) and \
            any(operators.wildcard_match(n, noun) for n in nouns) and bool(noun)
