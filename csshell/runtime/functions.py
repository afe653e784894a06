"""Script functions, script files and script blocks as commands.

A ``function`` (or a ``.ps1`` file, or ``& { param(...) ... }``) becomes a :class:`Cmdlet` subclass
whose parameters are declared from its ``param()`` block — so the one binder, ``Get-Help`` and
completion treat it like any cmdlet. Each invocation runs in its own scope; the scope is made current
only while the function's own blocks run, so other commands in the same pipeline see theirs.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from typing import TYPE_CHECKING, Any

from csshell.language import ast as A
from csshell.runtime import errors as E
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet, range_violation
from csshell.runtime.conversions import ConversionError, canonical_type, convert_to, type_display_name
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.session import Scope
from csshell.runtime.values import PSHashtable, ScriptBlock, to_bool, to_string, type_name

from csshell.runtime.interpreter import Invocation

if TYPE_CHECKING:
    from csshell.runtime.interpreter import Interpreter

_TYPE_ALIASES = {"switch": "switch", "switchparameter": "switch", "string": "string", "int": "int",
                 "int32": "int", "bool": "bool", "boolean": "bool", "datetime": "datetime",
                 "string[]": "string[]", "int[]": "int[]", "object": "object", "object[]": "object[]",
                 "scriptblock": "scriptblock", "hashtable": "hashtable", "double": "double", "long": "long"}


_DOT_SOURCE_AUTOMATICS = ("myinvocation", "args", "psboundparameters", "pscmdlet", "input")

# A typed parameter that is not bound (or is bound to $null) holds its type's default value, as a .NET
# value-type variable does: [int] 0, [bool] False, [datetime] DateTime.MinValue; [string] is "" because
# PowerShell converts $null to an empty string. Other (reference) types, and untyped parameters, stay $null.
_TYPE_DEFAULTS: dict[str, Any] = {
    "int": 0, "long": 0, "uint": 0, "ulong": 0, "byte": 0, "double": 0.0, "single": 0.0, "decimal": 0.0,
    "bool": False, "switch": False, "string": "", "char": "\0", "datetime": _dt.datetime(1, 1, 1),
    "timespan": _dt.timedelta(0)}

# The binder's compiled-cmdlet wording of a failed conversion, and what a script parameter's
# ArgumentTypeConverterAttribute (LanguagePrimitives) says for the same failure.
_COMPILED_WORDING = re.compile(r"^Cannot convert '(?P<src>.*?)' to the type '(?P<dst>.*?)' required by parameter "
                               r"'.*?'\. (?P<rest>.*)$", re.S)
_BOOLEAN_ONLY = "Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0."


class ScriptCommand(Cmdlet):
    """Runs a script block AST as a command (functions, scripts, ``& {}``)."""

    body: A.ScriptBlockAst
    interp: "Interpreter"
    script_path: str | None = None
    scope_kind = "function"
    dot_source = False
    top_level = False
    defined_in: str | None = None      # the script file a function was defined in ($PSScriptRoot)

    def begin(self, ctx: CommandContext) -> None:
        session = self.interp.session
        self._input: list[Any] = []
        self._saw_input = False
        self._scope = session.scope if self.dot_source else Scope(session.scope, self.scope_kind)
        if self.dot_source:
            self._callers_automatics = {k: self._scope.vars.get(k) for k in _DOT_SOURCE_AUTOMATICS}
        self._run(lambda: self._bind_variables(ctx), ctx)
        self._run(lambda: _apply_common_preferences(self._scope, ctx), ctx)
        self._run_named("begin", ctx)

    def process(self, ctx: CommandContext) -> None:
        if "InputObject" in self.bound or ctx.input_object is not None or self._from_pipeline(ctx):
            self._saw_input = True
            self._input.append(ctx.input_object)
        if self.body.named_blocks:
            def step() -> None:
                self._reset_unbound_pipeline_parameters()
                self._assign_bound(pipeline_only=True)
                self._scope.assign("_", ctx.input_object)
                self._scope.assign("PSItem", ctx.input_object)
            self._run(step, ctx)
            self._run_named("process", ctx)

    def end(self, ctx: CommandContext) -> None:
        try:
            if self.body.named_blocks:
                self._run_named("end", ctx)
            else:
                self._run(lambda: self._scope.assign("input", list(self._input)), ctx)
                self._run_statements(self.body.statements, ctx)
        finally:
            self._restore_callers_automatics()

    def _restore_callers_automatics(self) -> None:
        """A dot-sourced script or block shares its caller's scope but not its ``$MyInvocation``, ``$args``...:
        PowerShell gives them back when it returns, so the caller's ``$MyInvocation.MyCommand`` stays its own."""
        saved = getattr(self, "_callers_automatics", None)
        if saved is None:
            return
        for key, entry in saved.items():
            if entry is None:
                self._scope.vars.pop(key, None)
            else:
                self._scope.vars[key] = entry
        self._callers_automatics = None

    # --- helpers ------------------------------------------------------------------------------
    def _from_pipeline(self, ctx: CommandContext) -> bool:
        return getattr(ctx, "index", 0) > 0 or getattr(ctx, "position", 1) > 1

    def _run_named(self, name: str, ctx: CommandContext) -> None:
        statements = self.body.named_blocks.get(name)
        if statements:
            self._run_statements(statements, ctx)

    def _run_statements(self, statements: list[A.Node], ctx: CommandContext) -> None:
        def run() -> None:
            try:
                self.interp.run_statements(statements, ctx.write_object)
            except E.ReturnSignal:
                pass
            except E.ExitSignal as sig:
                if self.top_level or self.scope_kind != "script":
                    raise
                self.interp.session.set_variable("global:LASTEXITCODE", sig.code)
                if sig.code != 0:       # the script failed: $? is False after it (5.1 sets ExecutionFailed)
                    self.interp.error_count += 1
        self._run(run, ctx)

    def _run(self, action: Any, ctx: CommandContext) -> None:
        """Run with this command's scope (and script path) current, then restore the caller's.

        Each run counts as one active call for PowerShell's call-depth limit.
        """
        session = self.interp.session
        self.interp.enter_call(getattr(ctx, "extent", None))
        saved = session.scope
        session.scope = self._scope
        script = self.script_path or self.defined_in
        if script:
            session.script_stack.append(script)
        self.interp.invocations.append(self._invocation(ctx))
        try:
            action()
        finally:
            self.interp.invocations.pop()
            self.interp.leave_call()
            session.scope = saved
            if script:
                session.script_stack.pop()

    def _invocation(self, ctx: CommandContext) -> Invocation | None:
        """What this run's $MyInvocation names: a function by the name it was called by, a script by its
        path (5.1's ErrorRecord view); a script block has its own, which csshell does not model."""
        extent = getattr(ctx, "extent", None)
        if self.scope_kind == "function":
            called = to_string(getattr(ctx, "command_name", None) or "")
            return Invocation(called if called not in ("", "&", ".") else self.name, self.name, extent)
        if self.scope_kind == "script" and self.script_path:
            return Invocation(self.script_path, os.path.basename(self.script_path),
                              None if self.top_level else extent)
        return None

    def _bind_variables(self, ctx: CommandContext) -> None:
        params = _parameters_of(self.body, getattr(self, "_inline_params", []))
        bound_names = {k.lower() for k in self.bound}
        self._assign_bound(pipeline_only=False)
        for param in params:         # after the bound ones, in order: `$Log = "$Path.log"` sees -Path
            if param.name.lower() not in bound_names:
                self._scope.assign(param.name, self._unbound_value(param))
        self._validate(params)
        self._scope.assign("args", list(self.bound.get("__args") or []))
        bound = PSHashtable((k, v) for k, v in self.bound.items() if k != "__args" and k in self.declared_names())
        self._scope.assign("PSBoundParameters", bound)
        self._scope.assign("PSCmdlet", CmdletHandle(ctx))
        self._scope.assign("MyInvocation", _invocation_info(self, ctx))

    def _unbound_value(self, param: A.ParameterAst) -> Any:
        """The default expression converted to the declared type, as 5.1 assigns it to the type-constrained
        variable; without one, the type's default (``_TYPE_DEFAULTS``). A default that does not convert is
        kept as it is (5.1 would fail only when the function runs; keeping it never hides a bound value)."""
        declared_type = self.declared[param.name.lower()].type
        if param.default is None:
            return _TYPE_DEFAULTS.get(canonical_type(declared_type))
        value = self.interp.eval(param.default)
        if value is None:
            return _TYPE_DEFAULTS.get(canonical_type(declared_type))
        try:
            return convert_to(value, declared_type)
        except ConversionError:
            return value

    @classmethod
    def is_simple(cls) -> bool:
        """A function or script without [CmdletBinding()] or [Parameter()]: 5.1 binds it the "V1" way
        (binder.py: an undeclared ``-x`` is an argument, an array given to [string] is joined)."""
        return "__args" in cls.declared

    @staticmethod
    def transformation_message(p: Parameter, value: Any, exc: ConversionError | None) -> str:
        """The inner message of a script parameter's ParameterBindingArgumentTransformationException.

        The binder asks for it (its presence marks script-defined parameters): 5.1 converts them with
        LanguagePrimitives, whose wording differs from a compiled cmdlet's (``Cannot bind parameter``).
        """
        if exc is None:     # $null for [bool]
            return f'Cannot convert value "" to type "{type_display_name(p.type, full=True)}". {_BOOLEAN_ONLY}'
        if isinstance(value, list) and canonical_type(p.type) == "string":      # an advanced function's [string]
            return "Cannot convert value to type System.String."
        compiled = _COMPILED_WORDING.match(exc.message) if exc.error_id == "CannotConvertArgument" else None
        if compiled is None:
            return exc.message
        src, dst, rest = compiled.group("src", "dst", "rest")
        if rest.startswith("Boolean parameters") or canonical_type(p.type) in ("bool", "switch"):
            return f'Cannot convert value "{src}" to type "{dst}". {_BOOLEAN_ONLY}'
        shown = type_name(value) if value is not None else src
        return f'Cannot convert the "{shown}" value of type "{src}" to type "{dst}".'

    @classmethod
    def declared_names(cls) -> set[str]:
        return {p.name for p in cls.declared.values()}

    def _reset_unbound_pipeline_parameters(self) -> None:
        """5.1 restores a pipeline parameter's default before each input object: an object without ``Age``
        must not see the previous object's ``$Age``."""
        for param in _parameters_of(self.body, getattr(self, "_inline_params", [])):
            declared = self.declared.get(param.name.lower()) or self.declared.get(param.name)
            if declared is not None and (declared.from_pipeline or declared.from_pipeline_by_property) \
                    and declared.name not in self.bound:
                self._scope.assign(param.name, self._unbound_value(param))

    def _assign_bound(self, pipeline_only: bool) -> None:
        for p in self.declared.values():
            if p.name.startswith("__"):
                continue
            if pipeline_only and not (p.from_pipeline or p.from_pipeline_by_property):
                continue
            if p.name in self.bound:
                value = self.bound[p.name]
                self._scope.assign(p.name, _TYPE_DEFAULTS.get(canonical_type(p.type)) if value is None else value)

    def _validate(self, params: list[A.ParameterAst]) -> None:
        for param in params:
            if param.name not in self.bound:
                continue
            value = self.bound[param.name]
            for attr in param.attributes:
                _check_validation(self.interp, attr, param.name, value)


# Common parameters of an advanced function become preference variables of its scope, so the
# commands it calls inherit them (PowerShell does the same when binding CommonParameters).
_COMMON_PREFERENCES = {"Verbose": "VerbosePreference", "Debug": "DebugPreference",
                       "ErrorAction": "ErrorActionPreference", "WarningAction": "WarningPreference",
                       "InformationAction": "InformationPreference", "WhatIf": "WhatIfPreference",
                       "Confirm": "ConfirmPreference"}


def _apply_common_preferences(scope: Scope, ctx: CommandContext) -> None:
    common = getattr(getattr(ctx, "binding", None), "common", None) or {}
    for name, variable in _COMMON_PREFERENCES.items():
        if name not in common:
            continue
        value = common[name]
        if name in ("Verbose", "Debug"):
            value = "Continue" if to_bool(value) else "SilentlyContinue"
        elif name == "WhatIf":
            value = to_bool(value)
        elif name == "Confirm":
            value = "Low" if to_bool(value) else "None"
        else:
            value = to_string(value)
        scope.assign(variable, value)


class CmdletHandle:
    """``$PSCmdlet`` inside an advanced function: ShouldProcess and friends."""

    def __init__(self, ctx: CommandContext) -> None:
        self._ctx = ctx

    def ps_invoke(self, name: str, args: list[Any]) -> Any:
        low = name.lower()
        if low in ("shouldprocess", "shouldcontinue"):
            from csshell.runtime.should_process import invoke_should_method
            return invoke_should_method(self._ctx, name, args)
        if low in ("writeverbose", "writewarning"):
            getattr(self._ctx, "write_" + low[5:])(to_string(args[0]) if args else "")
            return None
        if low == "throwterminatingerror" and args and isinstance(args[0], ErrorRecord):
            self._ctx.throw_error(args[0])
        if low == "writeerror" and args and isinstance(args[0], ErrorRecord):
            self._ctx.write_error(args[0])
            return None
        return NotImplemented

    def ps_property(self, name: str) -> Any:
        if name.lower() == "myinvocation":
            return None
        return None


def _invocation_info(command: ScriptCommand, ctx: CommandContext) -> Any:
    from csshell.runtime.values import PSObject
    path = command.script_path
    my_command = PSObject([("Name", os.path.basename(path) if path else command.name),
                           ("Path", path), ("Definition", path or command.name)])
    return PSObject([("MyCommand", my_command), ("InvocationName", getattr(ctx, "command_name", command.name)),
                     ("ScriptName", path), ("PSScriptRoot", os.path.dirname(path) if path else "")])


def _check_validation(interp: "Interpreter", attr: A.AttributeAst, name: str, value: Any) -> None:
    kind = attr.name.lower()
    args = [interp.eval(a) for a in attr.positional]
    failure = None
    if kind == "validaterange" and len(args) == 2:
        failure = range_violation(value, args[0], args[1])
    elif kind == "validatescript" and args and isinstance(args[0], ScriptBlock):
        try:
            ok = to_bool(interp.invoke_block(args[0], dollar_under=value, new_scope=False))
        except PSError as err:
            failure = err.record.message
        else:
            if not ok:
                failure = (f'The "{args[0].text}" validation script for the argument with value '
                           f'"{to_string(value)}" did not return a result of True. Determine why the validation '
                           "script failed, and then try the command again.")
    elif kind == "validatepattern" and args:
        import re
        if not re.search(to_string(args[0]), to_string(value), re.I):
            pattern = to_string(args[0])
            failure = (f'The argument "{to_string(value)}" does not match the "{pattern}" pattern. Supply an '
                       f'argument that matches "{pattern}" and try the command again.')
    elif kind in ("validatenotnullorempty", "validatenotnull") and (value is None or value == "" or value == []):
        failure = ("The argument is null or empty. Provide an argument that is not null or empty, and then try "
                   "the command again.")
    if failure:
        raise PSError(ErrorRecord(f"Cannot validate argument on parameter '{name}'. {failure}",
                                  "ParameterArgumentValidationError", "InvalidData",
                                  reason="ParameterBindingValidationException"))


def _parameters_of(body: A.ScriptBlockAst, inline: list[A.ParameterAst]) -> list[A.ParameterAst]:
    return body.param_block.parameters if body.param_block is not None else inline


def _declare_parameter(interp: "Interpreter", param: A.ParameterAst, index: int, positional: bool) -> Parameter:
    decl = Parameter("object", name=param.name)
    explicit_position = None
    for attr in param.attributes:
        low = attr.name.lower()
        if attr.is_type:
            decl.type = _TYPE_ALIASES.get(low.removeprefix("system."), low)
        elif low == "parameter":
            for key, expr in attr.named:
                value = True if expr is None else interp.eval(expr)
                key_low = key.lower()
                if key_low == "mandatory":
                    decl.mandatory = to_bool(value)
                elif key_low == "position":
                    explicit_position = int(value)
                elif key_low == "valuefrompipeline":
                    decl.from_pipeline = to_bool(value)
                elif key_low == "valuefrompipelinebypropertyname":
                    decl.from_pipeline_by_property = to_bool(value)
                elif key_low == "valuefromremainingarguments":
                    decl.remaining_arguments = to_bool(value)
                elif key_low == "helpmessage":
                    decl.help = to_string(value)
                elif key_low == "parametersetname":
                    decl.sets = (to_string(value),)
        elif low == "alias":
            decl.aliases = tuple(to_string(interp.eval(a)) for a in attr.positional)
        elif low == "validateset":
            decl.validate_set = tuple(to_string(interp.eval(a)) for a in attr.positional)
        elif low in ("allownull", "allowemptystring", "allowemptycollection"):
            decl.allow_null = True
    decl.position = explicit_position if explicit_position is not None else (index if positional else None)
    if decl.is_switch:
        decl.position = None
    return decl


def make_command(interp: "Interpreter", name: str, body: A.ScriptBlockAst, *, inline: list[A.ParameterAst] = (),
                 script_path: str | None = None, kind: str = "function", dot_source: bool = False) -> type[Cmdlet]:
    """Build the Cmdlet class for a function, a script file or a script block."""
    params = _parameters_of(body, list(inline))
    attributes = body.param_block.attributes if body.param_block is not None else []
    advanced = any(a.name.lower() == "cmdletbinding" for a in attributes) or any(
        a.name.lower() == "parameter" for p in params for a in p.attributes)
    supports_should_process = any(a.name.lower() == "cmdletbinding" and any(
        k.lower() == "supportsshouldprocess" and (e is None or to_bool(interp.eval(e))) for k, e in a.named)
        for a in attributes)
    confirm_impact = _confirm_impact(interp, attributes)
    any_explicit = any(k.lower() == "position" for p in params for a in p.attributes
                       if a.name.lower() == "parameter" for k, _ in a.named)
    attrs: dict[str, Any] = {"body": body, "interp": interp, "script_path": script_path, "scope_kind": kind,
                             "dot_source": dot_source, "_inline_params": list(inline)}
    position = 0
    for param in params:
        decl = _declare_parameter(interp, param, position, positional=not any_explicit)
        if decl.position is not None and not any_explicit:
            position += 1
        attrs[param.name] = decl
    if not advanced:
        # A simple function takes any arguments ($args) and any pipeline input ($_ / $input).
        attrs["__args"] = Parameter("object[]", remaining_arguments=True, name="__args")
        attrs["__input"] = Parameter("object", from_pipeline=True, allow_null=True, name="__input")
    cls = type(f"Script_{abs(hash(name))}", (ScriptCommand,), attrs)
    return cmdlet(name, supports_should_process=supports_should_process, register=False,
                  class_name=name, synopsis="", confirm_impact=confirm_impact)(cls)


def _confirm_impact(interp: "Interpreter", attributes: list[A.AttributeAst]) -> str:
    """``[CmdletBinding(ConfirmImpact='High')]``, converted to the enum as 5.1 does (Medium when not given)."""
    from csshell.runtime.should_process import DEFAULT_CONFIRM_IMPACT, convert_confirm_impact
    for attr in attributes:
        if attr.name.lower() == "cmdletbinding":
            for key, expr in attr.named:
                if key.lower() == "confirmimpact":
                    return convert_confirm_impact(True if expr is None else interp.eval(expr))
    return DEFAULT_CONFIRM_IMPACT


def define_function(interp: "Interpreter", stmt: A.FunctionDefinition) -> None:
    cls = make_command(interp, stmt.name, stmt.body, inline=stmt.parameters)
    cls.defined_in = stmt.extent.file if stmt.extent is not None else None
    interp.session.functions[stmt.name.lower()] = cls


def script_block_command(interp: "Interpreter", block: ScriptBlock, dot_source: bool = False) -> type[Cmdlet]:
    return make_command(interp, "<ScriptBlock>", block.ast, kind="local", dot_source=dot_source)


def script_file_command(interp: "Interpreter", path: str, dot_source: bool = False,
                        top_level: bool = False) -> type[Cmdlet]:
    """Parse a ``.ps1`` file into a command; a parse error is a terminating error of the caller."""
    from csshell.language.parser import ParseErrors, parse
    from csshell.runtime.parse_report import parse_error_record
    from csshell.runtime.script_text import read_script_text
    try:
        text = read_script_text(path)
    except OSError as exc:
        raise PSError(ErrorRecord(f"Cannot read the script file '{path}': {exc.strerror}.", "ScriptFileUnreadable",
                                  E.READ_ERROR, target=path)) from None
    try:
        body = parse(text, path)
    except ParseErrors as errors:
        err = PSError(parse_error_record(errors, invoked=not top_level))
        err.parse_errors = errors        # type: ignore[attr-defined]  (-File shows every error)
        raise err from None
    check_requirements(path, text, invoked=not top_level)
    cls = make_command(interp, os.path.basename(path), body, script_path=path, kind="script",
                       dot_source=dot_source)
    cls.top_level = top_level
    return cls


# What ``#Requires`` may ask for in this shell: the version it emulates and the modules whose cmdlets it has.
PS_VERSION = (5, 1)
PS_VERSION_TEXT = "5.1.19041.1"
AVAILABLE_MODULES = frozenset({"lync", "skypeforbusiness", "microsoft.powershell.utility",
                               "microsoft.powershell.management", "microsoft.powershell.core"})


def check_requirements(path: str, text: str, invoked: bool) -> None:
    """Refuse a script whose ``#Requires`` this shell cannot meet, with 5.1's record; nothing of it runs."""
    from csshell.runtime.script_text import script_requirements
    wanted = script_requirements(text)
    name = os.path.basename(path)
    if wanted.version is not None and wanted.version > PS_VERSION:
        version = ".".join(str(p) for p in wanted.version)
        raise PSError(_requires_record(
            f'The script \'{name}\' cannot be run because it contained a "#requires" statement for Windows '
            f"PowerShell {version}. The version of Windows PowerShell that is required by the script does not "
            f"match the currently running version of Windows PowerShell {PS_VERSION_TEXT}.",
            "ScriptRequiresUnmatchedPSVersion", name, invoked))
    missing = [m for m in wanted.modules if m.lower() not in AVAILABLE_MODULES]
    if missing:
        raise PSError(_requires_record(
            f"The script '{name}' cannot be run because the following modules that are specified by the "
            f'"#requires" statements of the script are missing: {", ".join(missing)}.',
            "ScriptRequiresMissingModules", name, invoked))


def _requires_record(message: str, error_id: str, name: str, invoked: bool) -> ErrorRecord:
    """As for parse errors, ``-File`` shows the wrapper's reason; a script called from a script shows the real one."""
    return ErrorRecord(message, error_id, E.RESOURCE_UNAVAILABLE, target=name, target_type="String",
                       reason="ScriptRequiresException" if invoked else "ParentContainsErrorRecordException",
                       activity="", exception_type="System.Management.Automation.ScriptRequiresException")
