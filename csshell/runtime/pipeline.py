"""The streaming pipeline: one :class:`CommandProcessor` per command, objects pushed one at a time.

``run_pipeline`` binds every command's command line first (a binding error stops the whole pipeline,
as in PowerShell), runs all ``begin`` blocks, feeds the first element's output through ``process``
of each command in turn, then runs the ``end`` blocks in order. A command that raises
:class:`PipelineStopped` (``Select-Object -First``) stops its upstream; it and its downstream still end.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from csshell.language import ast as A
from csshell.runtime import errors as E
from csshell.runtime import expressions, fusion
from csshell.runtime.binder import Binding, CommandArgument, bind_command_line, prompt_missing_mandatory
from csshell.runtime.cmdlet import Cmdlet, CommandContext, find_cmdlet, range_violation
from csshell.runtime.commands import ResolvedCommand, resolve_command
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.values import PSHashtable, ScriptBlock, enumerate_value, to_string

if TYPE_CHECKING:
    from csshell.runtime.interpreter import Interpreter, Sink

CONFIRM_CHOICES = '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): '


def run_pipeline(interp: "Interpreter", stmt: A.PipelineStatement, sink: "Sink") -> None:
    elements = stmt.elements
    first_is_expression = isinstance(elements[0], A.CommandExpression)
    commands = elements[1:] if first_is_expression else elements
    redirections = list(elements[-1].redirections)
    collected: list[Any] = []
    target = _redirect_target(interp, redirections)
    out = sink if target is _NO_REDIRECT else collected.append
    if first_is_expression and not commands:
        if _is_increment(elements[0].expression):
            interp.eval(elements[0].expression)
            return   # `$i++` as a statement outputs nothing, as in PowerShell
        for item in expressions.lazy_items(interp, elements[0].expression):
            out(item)
    else:
        _drive(interp, _build(interp, commands, first_is_expression, out),
               elements[0] if first_is_expression else None)
    if target not in (_NO_REDIRECT, None):
        _write_file(interp, target, collected, any(r.append for r in redirections))


_NO_REDIRECT = object()


def _is_increment(expression: A.Node) -> bool:
    return isinstance(expression, A.UnaryExpr) and expression.op in ("++", "--")


def _redirect_target(interp: "Interpreter", redirections: list[A.Redirection]) -> Any:
    """Where ``>``/``>>`` sends success output: ``None`` for ``$null``, a path, or no redirection."""
    for redirection in redirections:
        if redirection.stream in ("1", "*") and redirection.target is not None:
            target = interp.eval(redirection.target)
            return None if target is None else to_string(target)
    return _NO_REDIRECT


def _silenced_streams(interp: "Interpreter", redirections: list[A.Redirection]) -> frozenset[str]:
    """The streams 3-6 a command sends to ``$null`` (``3>$null``, ``*>$null``); other targets are not modelled."""
    silenced: set[str] = set()
    for redirection in redirections:
        if redirection.stream in ("3", "4", "5", "6", "*") and redirection.target is not None \
                and interp.eval(redirection.target) is None:
            silenced |= {"3", "4", "5", "6"} if redirection.stream == "*" else {redirection.stream}
    return frozenset(silenced)


def _error_route(interp: "Interpreter", processor: "CommandProcessor", redirections: list[A.Redirection]) -> Any:
    """Where a command's non-terminating errors go: ``None`` = the host; a callable otherwise.

    ``2>$null`` / ``*>$null`` discard them, ``2>&1`` sends the records down the pipeline as output,
    ``2> file`` / ``2>> file`` write their NormalView text to the file. They still reach ``$Error``.
    """
    route: Any = _NO_REDIRECT
    for redirection in redirections:
        if redirection.stream not in ("2", "*"):
            continue
        if redirection.merge_to == "1" or redirection.target is None:
            route = lambda record: processor.downstream(record)  # noqa: E731
            continue
        target = interp.eval(redirection.target)
        if target is None:
            route = _discard
        else:
            route = _ErrorFile(interp, to_string(target), redirection.append)
    return route


def _discard(record: ErrorRecord) -> None:
    """``2>$null``: the error is recorded in ``$Error`` but shown nowhere."""


class _ErrorFile:
    """``2> file``: error records as text, the file truncated on first use unless ``2>>``."""

    def __init__(self, interp: "Interpreter", path: str, append: bool) -> None:
        self.path = interp.session.filesystem_path(path)
        _refuse_store_file(interp, self.path)
        self.mode = "a" if append else "w"

    def __call__(self, record: ErrorRecord) -> None:
        from csshell.runtime.errors import render_error
        try:
            with open(self.path, self.mode, encoding="utf-8") as handle:
                handle.write(render_error(record) + "\n")
        except OSError as exc:
            raise PSError(ErrorRecord(f"Could not write the error to '{self.path}': {exc.strerror}.",
                                      "FileOpenFailure", "OpenError", target=self.path,
                                      reason=type(exc).__name__)) from None
        self.mode = "a"


def _refuse_store_file(interp: "Interpreter", full: str) -> None:
    """``> store.json``: redirection must not write over the store's own files (as Out-File refuses)."""
    refusal = interp.session.store_file_refusal(full)
    if refusal is not None:
        raise PSError(refusal)


def _write_file(interp: "Interpreter", path: str, items: list[Any], append: bool) -> None:
    """``> file``: what Out-Default would show, written to the file (Out-File semantics)."""
    from csshell.runtime.formatting import OutputFormatter
    full = interp.session.filesystem_path(path)
    _refuse_store_file(interp, full)
    formatter = OutputFormatter(width=interp.session.host.width)
    text = "".join(formatter.feed(item) for item in items) + formatter.flush()
    try:
        with open(full, "a" if append else "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        message = (f"Could not find a part of the path '{full}'." if isinstance(exc, FileNotFoundError)
                   else f"Access to the path '{full}' is denied.")
        raise PSError(ErrorRecord(message, "FileOpenFailure", "OpenError", target=full,
                                  reason=type(exc).__name__)) from None


def _build(interp: "Interpreter", commands: list[A.CommandAst], after_expression: bool,
           sink: "Sink") -> list["CommandProcessor"]:
    processors: list[CommandProcessor] = []
    for index, command in enumerate(commands):
        expects_input = after_expression or index > 0
        position = index + (2 if after_expression else 1)
        processors.append(CommandProcessor.create(interp, command, expects_input, position))
    for i, processor in enumerate(processors):
        processor.downstream = processors[i + 1].push if i + 1 < len(processors) else sink
        processor.index = i
    return processors


def run_command(interp: "Interpreter", cls: type[Cmdlet], binding: Binding, name: str, sink: "Sink") -> None:
    """Run one already-bound command with no pipeline input (``-File``: the script itself)."""
    processor = CommandProcessor(interp, cls, binding, name, None, 1)
    processor.downstream = sink
    _drive(interp, [processor], None)


def _drive(interp: "Interpreter", processors: list["CommandProcessor"], first: A.CommandExpression | None) -> None:
    """Run one pipeline: every ``begin``, the input through ``process``, then every ``end``.

    A :class:`PipelineStopped` belongs to the pipeline whose command raised it: a stop raised by
    ``Select-Object -First`` in an outer pipeline passes through any nested pipeline (``% { 1..5 }``
    inside a function's ``process``) untouched, so the nested one does not swallow it.
    """
    ended_from = 0
    try:
        for processor in processors:
            processor.begin()
        if first is not None:
            for item in expressions.lazy_items(interp, first.expression):
                processors[0].push(item)
        elif not fusion.run_fused(processors):
            processors[0].run_once()
    except E.PipelineStopped as stop:
        origin = getattr(stop, "processor", None)
        if origin is not None and origin not in processors:
            raise
        ended_from = processors.index(origin) if origin is not None else 0
    for processor in processors[ended_from:]:
        try:
            processor.end()
        except E.PipelineStopped as stop:
            origin = getattr(stop, "processor", None)
            if origin is not None and origin not in processors:
                raise
            for later in processors[processors.index(origin) + 1 if origin is not None else 0:]:
                later.stopped = True


class CommandProcessor(CommandContext):
    """Runs one cmdlet instance inside a pipeline and is the :class:`CommandContext` it sees."""

    def __init__(self, interp: "Interpreter", cls: type[Cmdlet], binding: Binding, name: str,
                 extent: Any, position: int) -> None:
        self.interp = interp
        self.cls = cls
        self.binding = binding
        self.command_name = name
        self.extent = extent
        self.position = position
        self.instance = cls()
        self.downstream: Any = None
        self.index = 0
        self.stopped = False
        self.input_object = None
        self._yes_to_all = False
        self._no_to_all = False
        self.error_route = interp.error_routes[-1] if interp.error_routes else None
        self.redirected = False          # its own 2>/2>&1 route (fusion.py leaves such a command alone)
        # the streams sent to $null (3 warning, 4 verbose, 5 debug, 6 information/Write-Host), its own
        # redirections' and those of the command that called it
        self.silenced: frozenset[str] = interp.silenced[-1] if interp.silenced else frozenset()

    @classmethod
    def create(cls, interp: "Interpreter", command: A.CommandAst, expects_input: bool,
               position: int) -> "CommandProcessor":
        name_value = _command_name(interp, command)
        resolved = resolve_command(interp, name_value, command)
        args = list(_arguments(interp, command.elements))
        if any(arg.parameter == "?" for arg in args):      # `Lock-CsClientPin -?` is Get-Help for it
            args = [CommandArgument(resolved.name, None, False, command.extent)]
            resolved = ResolvedCommand("Get-Help", find_cmdlet("Get-Help"))
        binding = bind_command_line(resolved.cls, args, invocation_name=resolved.name, extent=command.extent,
                                    expects_pipeline_input=expects_input)
        check_ranges(binding, args, command.extent)
        prompt_missing_mandatory(binding, interp.session.host, resolved.name, position)
        processor = cls(interp, resolved.cls, binding, resolved.name, command.extent, position)
        route = _error_route(interp, processor, command.redirections)
        if route is not _NO_REDIRECT:
            processor.error_route, processor.redirected = route, True
        silenced = _silenced_streams(interp, command.redirections)
        if silenced:
            processor.silenced, processor.redirected = processor.silenced | silenced, True
        return processor

    # --- lifecycle ----------------------------------------------------------------------------
    def begin(self) -> None:
        self._start_error_variable()
        self.binding.apply(self.instance)
        self.guard(self.instance.begin)

    def _start_error_variable(self) -> None:
        """``-ErrorVariable e`` starts ``$e`` as an empty list (Count 0 when no error comes); ``+e`` appends."""
        variable = self.binding.common.get("ErrorVariable")
        if not variable:
            return
        name = to_string(variable)
        if name.startswith("+"):
            current = self.session.get_variable(name[1:])
            if current is None:
                self.session.set_variable(name[1:], [])
        else:
            self.session.set_variable(name, [])

    def run_once(self) -> None:
        self.binding.apply(self.instance)
        self.guard(self.instance.process)

    def push(self, obj: Any) -> None:
        if self.stopped:
            return
        try:
            record = self.binding.bind_pipeline_object(obj, invoke=self._invoke_delayed)
        except PSError as err:
            self.write_error(err.record)
            return
        self.binding.apply(self.instance, record)
        self.input_object = obj
        self.guard(self.instance.process)

    def end(self) -> None:
        if not self.stopped:
            self.guard(self.instance.end)

    def guard(self, step: Any) -> None:
        """Run a cmdlet step; turn unexpected Python exceptions into PowerShell error records.

        While the step runs, this command's error route (``2>$null``, ``2>&1``, ``2> file``, or the
        one it inherited from the command that called it) is where its non-terminating errors go.
        """
        routes = self.interp.error_routes
        routes.append(self.error_route)
        self.interp.silenced.append(self.silenced)
        try:
            step(self)
        except E.PipelineStopped as stop:
            if not hasattr(stop, "processor"):
                stop.processor = self  # type: ignore[attr-defined]
                self.stopped = True
            raise
        except PSError as err:
            if err.record.extent is None:   # raised by the cmdlet's own code, not by a script it ran
                self._complete(err.record)
            raise
        except (E.FlowControl, KeyboardInterrupt):
            raise
        except RecursionError:
            raise
        except Exception as exc:  # a bug or an environment failure must never show a traceback
            raise PSError(self._record_for_exception(exc)) from exc
        finally:
            routes.pop()
            self.interp.silenced.pop()

    def _record_for_exception(self, exc: Exception) -> ErrorRecord:
        error_id = getattr(exc, "error_id", None) or type(exc).__name__
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return ErrorRecord(message, error_id, getattr(exc, "category", E.NOT_SPECIFIED),
                           target=getattr(exc, "path", None), reason=type(exc).__name__,
                           command_name=self.command_name, command_class=self.cls.class_name, extent=self.extent)

    def _invoke_delayed(self, block: ScriptBlock, obj: Any) -> list:
        return self.interp.invoke_block(block, dollar_under=obj, new_scope=False)

    # --- CommandContext -----------------------------------------------------------------------
    @property
    def session(self) -> Any:
        return self.interp.session

    def write_object(self, value: Any, enumerate_collection: bool = False) -> None:
        if enumerate_collection and isinstance(value, list):
            for item in value:
                self.downstream(item)
        else:
            self.downstream(value)

    def _complete(self, record: ErrorRecord) -> ErrorRecord:
        if record.command_name is None and record.activity is None:
            record.command_name = self.command_name
        if record.command_class is None and record.error_id and "," not in record.error_id \
                and not record.error_id.startswith("Microsoft."):
            record.command_class = self.cls.class_name
        if record.extent is None:
            record.extent = self.extent
        return record

    def write_error(self, record: Any) -> None:
        record = self._complete(record)
        variable = self.binding.common.get("ErrorVariable")
        if variable:
            name = to_string(variable).lstrip("+")
            current = self.session.get_variable(name)
            items = current if isinstance(current, list) else ([] if current is None else [current])
            self.session.set_variable(name, items + [record])
        self.interp.write_error(record, self._action("ErrorAction"), self.error_route)

    def throw_error(self, record: Any) -> None:
        raise PSError(self._complete(record))

    def error(self, message: str, error_id: str, category: str, target: Any = None,
              target_type: str | None = None, reason: str = "RuntimeException",
              terminating: bool = False) -> None:
        record = ErrorRecord(message, error_id, category, target=target, target_type=target_type, reason=reason)
        if terminating:
            self.throw_error(record)
        self.write_error(record)

    def _action(self, name: str) -> str | None:
        value = self.binding.common.get(name)
        return to_string(value) if value is not None else None

    def should_process(self, target: str, action: str | None = None) -> bool:
        """``ShouldProcess(target, action)`` with 5.1's rules (``should_process.py``)."""
        from csshell.runtime.should_process import should_process_target
        return should_process_target(self, target, action)

    def write_host(self, text: str, foreground: str | None = None, background: str | None = None,
                   newline: bool = True) -> None:
        if "6" not in self.silenced:             # Write-Host writes to the information stream since 5.0
            self.session.host.write_host(text, foreground, background, newline)

    def write_verbose(self, text: str) -> None:
        if "4" in self.silenced:
            return
        verbose = self.binding.common.get("Verbose")
        if verbose is None:
            verbose = to_string(self.session.preference("VerbosePreference")).lower() == "continue"
        if verbose:
            self.session.host.write_error(f"VERBOSE: {text}\n")

    def write_warning(self, text: str) -> None:
        action = (self._action("WarningAction") or to_string(self.session.preference("WarningPreference"))).lower()
        if action not in ("silentlycontinue", "ignore") and "3" not in self.silenced:
            self.session.host.write_error(f"WARNING: {text}\n")

    def calling_invocation(self) -> Any:
        """The innermost running function or script (``interpreter.Invocation``), or ``None``."""
        return self.interp.invocations[-1] if self.interp.invocations else None

    def write_debug(self, text: str) -> None:
        """Shown with ``-Debug`` or a ``$DebugPreference`` other than SilentlyContinue (5.1 would also
        ask to continue under Inquire; a scheduled script has no one to ask, so csshell only shows it)."""
        shown = self.binding.common.get("Debug")
        if shown is None:
            shown = to_string(self.session.preference("DebugPreference")).lower() not in ("silentlycontinue", "ignore")
        if shown and "5" not in self.silenced:
            self.session.host.write_error(f"DEBUG: {text}\n")

    def write_information(self, text: str) -> None:
        """The information stream: shown as plain text only when ``-InformationAction`` or
        ``$InformationPreference`` asks (5.1's default, SilentlyContinue, shows nothing)."""
        action = self._action("InformationAction") or to_string(self.session.preference("InformationPreference"))
        if action.lower() not in ("silentlycontinue", "ignore"):
            self.write_host(text)                # silenced with 6>$null like Write-Host

    def invoke_script_block(self, block: Any, dollar_under: Any = None, args: Iterable[Any] = (),
                            use_new_scope: bool = False) -> list[Any]:
        return self.interp.invoke_block(block, dollar_under=dollar_under, args=list(args), new_scope=use_new_scope)

    def resolve_path(self, path: str) -> str:
        return self.session.filesystem_path(path)


def check_ranges(binding: Binding, args: list[CommandArgument], extent: Any) -> None:
    """``[ValidateRange]`` of the bound command-line values (``Select-Object -First -1``), before any command runs.

    The error marks the offending argument, as PowerShell's binder does.
    """
    for p in binding.cmd.all_parameters():
        if p.validate_range is None or p.name not in binding.values:
            continue
        value = binding.values[p.name]
        for item in value if isinstance(value, list) else [value]:
            failure = range_violation(item, *p.validate_range)
            if failure:
                raise PSError(ErrorRecord(
                    f"Cannot validate argument on parameter '{p.name}'. {failure}", "ParameterArgumentValidationError",
                    E.INVALID_DATA, reason="ParameterBindingValidationException", command_name=binding.invocation_name,
                    command_class=binding.cmd.class_name, extent=_argument_extent(p, args) or extent,
                    exception_type="System.Management.Automation.ParameterBindingValidationException"))


def _argument_extent(p: Any, args: list[CommandArgument]) -> Any:
    """Where the value of ``-Name value`` / ``-Name:value`` is written (``None`` when not found)."""
    names = [p.name.lower()] + [a.lower() for a in p.aliases]
    for i, arg in enumerate(args):
        if arg.parameter and any(n.startswith(arg.parameter.lower()) for n in names):
            if arg.has_value:
                return arg.extent
            return args[i + 1].extent if i + 1 < len(args) else arg.extent
    return None


def _command_name(interp: "Interpreter", command: A.CommandAst) -> Any:
    if command.invocation is None and isinstance(command.name, A.Constant):
        return to_string(command.name.value)
    value = interp.eval(command.name)
    return value


def _arguments(interp: "Interpreter", elements: list[A.Node]) -> Iterable[CommandArgument]:
    """Evaluate a command's elements into binder arguments (splats expanded)."""
    for element in elements:
        if isinstance(element, A.CommandParameter):
            value = interp.eval(element.argument) if element.argument is not None else None
            yield CommandArgument(value, element.name, element.colon, element.extent)
        elif isinstance(element, A.SplatExpr):
            yield from _splat(interp, element)
        else:
            yield CommandArgument(interp.eval(element), None, False, element.extent)


def _splat(interp: "Interpreter", element: A.SplatExpr) -> Iterable[CommandArgument]:
    value = interp.session.get_variable(element.name)
    if isinstance(value, PSHashtable):
        for key, item in value.items():
            yield CommandArgument(item, to_string(key), True, element.extent, splatted=True)
    else:
        for item in enumerate_value(value):
            yield CommandArgument(item, None, False, element.extent, splatted=True)
