"""The interpreter: runs statements, assigns variables, invokes script blocks, routes errors.

Output model: every statement writes its output objects to a *sink* (a callable). At the top level the
sink is Out-Default (the engine's formatter); inside ``$( )``, ``@( )``, assignments and script blocks
invoked by cmdlets, the sink collects into a list.

Error model (as in PowerShell): a non-terminating error is written and the command goes on; a
*statement-terminating* error (binding failure, cmdlet ThrowTerminatingError, runtime exception) ends
the statement, is reported, and the script continues; a *script-terminating* error (``throw``,
``-ErrorAction Stop``) unwinds to the nearest ``try`` or ends the script.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from csshell.language import ast as A
from csshell.runtime import errors as E
from csshell.runtime import expressions, fast_paths
from csshell.runtime.compiled import compile_block
from csshell.runtime.errors import ErrorRecord, PSError, render_error
from csshell.runtime.session import Session
from csshell.runtime.statements import handle_with_trap
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock, enumerate_value, to_string

Sink = Callable[[Any], None]
_MISSING = object()

# How many function, script and script-block calls may be active at once. Windows PowerShell 5.1 has no
# fixed number (it stops when its thread's stack runs low: several hundred to a few thousand calls);
# we make the limit explicit so it never depends on Python's own recursion limit.
MAX_CALL_DEPTH = 1000


def script_terminating(err: PSError) -> PSError:
    err.script_terminating = True  # type: ignore[attr-defined]
    return err


def call_depth_overflow(extent: Any = None) -> ErrorRecord:
    """5.1's record: ``InvalidOperation: (0:Int32) [], ParentContainsErrorRecordException`` / CallDepthOverflow."""
    return ErrorRecord("The script failed due to call depth overflow.", "CallDepthOverflow", E.INVALID_OPERATION,
                       target=0, reason="ParentContainsErrorRecordException", extent=extent,
                       exception_type="System.Management.Automation.ScriptCallDepthException")


@dataclass(frozen=True)
class Invocation:
    """A running function or script as its errors name it: ``shown`` prefixes the message (the name it was
    called by, or a script's path), ``name`` ends the FullyQualifiedErrorId, ``extent`` is the call site
    (``None`` for a script run with -File: no position)."""
    shown: str
    name: str
    extent: Any


class Interpreter:
    """Executes ASTs against one :class:`Session`."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.try_depth = 0
        self.error_count = 0
        self.top_statements: list[A.Node] | None = None   # the statements of the outermost script
        self.statement_wrapper: Callable[[], Any] | None = None  # e.g. the store's one-write-per-statement
        self.error_routes: list[Callable[[ErrorRecord], None] | None] = []  # 2>$null, 2>&1 of running commands
        self.silenced: list[frozenset[str]] = []        # streams 3-6 sent to $null by running commands
        self.call_depth = 0                                # active function/script/script-block calls
        # the trap lists now running: (traps, call_depth, try_depth) of each (statements.run_trapped)
        self.trap_frames: list[tuple[list[A.TrapStatement], int, int]] = []
        # the errors whose catch blocks are running, with the call depth of each: a bare `throw` directly
        # in a catch block re-throws its error (statements._throw)
        self.caught: list[tuple[PSError, int]] = []
        # the running functions and scripts, innermost last: what $MyInvocation names (Write-Error reports
        # its errors as the caller's); None for a script block, which 5.1 shows as before
        self.invocations: list[Invocation | None] = []

    # --- calls ----------------------------------------------------------------------------------
    def enter_call(self, extent: Any = None) -> None:
        """Count one more active call; past :data:`MAX_CALL_DEPTH` it is PowerShell's call depth overflow."""
        if self.call_depth >= MAX_CALL_DEPTH:
            raise script_terminating(PSError(call_depth_overflow(extent)))
        self.call_depth += 1

    def leave_call(self) -> None:
        self.call_depth -= 1


    # --- statements ---------------------------------------------------------------------------
    def run_statements(self, statements: list[A.Node], sink: Sink) -> None:
        wrap = self.statement_wrapper if statements is self.top_statements else None
        if type(statements) is A.TrapList:
            from csshell.runtime.statements import run_trapped
            run_trapped(self, statements, sink, wrap)
            return
        for stmt in statements:
            if wrap is None:
                self.run_statement(stmt, sink)
            else:
                with wrap():
                    self.run_statement(stmt, sink)

    def run_statement(self, stmt: A.Node, sink: Sink) -> None:
        """Run one statement; a statement-terminating error is reported here and the next one runs."""
        before = self.error_count
        try:
            from csshell.runtime.statements import execute
            execute(self, stmt, sink)
        except PSError as err:
            if self.trap_frames and handle_with_trap(self, err, sink):
                pass
            elif getattr(err, "script_terminating", False) or self.try_depth > 0:
                raise
            else:
                self._statement_failed(err)
        except RecursionError:       # a last resort: MAX_CALL_DEPTH normally stops deep recursion first
            raise script_terminating(PSError(call_depth_overflow(stmt.extent))) from None
        except E.FlowControl:
            raise
        except Exception as exc:  # a defect below must show as an error record, never as a traceback
            record = ErrorRecord(getattr(exc, "message", None) or str(exc) or type(exc).__name__,
                                 getattr(exc, "error_id", None) or type(exc).__name__,
                                 getattr(exc, "category", None) or E.NOT_SPECIFIED, extent=stmt.extent,
                                 reason=type(exc).__name__)
            if self.trap_frames and handle_with_trap(self, PSError(record), sink):
                pass
            elif self.try_depth > 0:
                raise PSError(record) from exc
            else:
                self.report(record)
        self.session.last_success = self.error_count == before

    def collect_statements(self, statements: list[A.Node]) -> list[Any]:
        out: list[Any] = []
        self.run_statements(statements, out.append)
        return out

    def value_of_statement(self, stmt: A.Node) -> Any:
        """The value a statement produces where a value is needed (``$x = ...``, ``( ... )``, hash values).

        An expression pipeline gives its value as is (``$a = 1, 2`` keeps the array); commands give their
        collected output (none → ``$null``, one → the object, more → an array).
        """
        if isinstance(stmt, A.PipelineStatement) and len(stmt.elements) == 1 and \
                isinstance(stmt.elements[0], A.CommandExpression) and not stmt.elements[0].redirections:
            return expressions.evaluate(self, stmt.elements[0].expression)
        if isinstance(stmt, A.AssignmentStatement):
            from csshell.runtime.statements import execute
            execute(self, stmt, lambda _: None)
            return self.eval(stmt.target)
        out: list[Any] = []
        from csshell.runtime.statements import execute
        execute(self, stmt, out.append)
        return expressions.unwrap(out)

    def eval(self, node: A.Node) -> Any:
        return expressions.evaluate(self, node)

    # --- assignment ---------------------------------------------------------------------------
    def assign_to(self, target: A.Node, value: Any) -> None:
        if isinstance(target, A.VariableExpr):
            self.session.set_variable(target.name, value)
        elif isinstance(target, A.ConvertExpr):
            from csshell.runtime import methods
            self.assign_to(target.operand, methods.resolve_type(target.type_name).convert(value))
        elif isinstance(target, A.MemberExpr):
            obj = self.eval(target.obj)
            name = to_string(self.eval(target.member)) if not isinstance(target.member, A.Constant) \
                else to_string(target.member.value)
            self._set_member(obj, name, value, target)
        elif isinstance(target, A.IndexExpr):
            obj = self.eval(target.obj)
            index = self.eval(target.index)
            self._set_index(obj, index, value, target)
        elif isinstance(target, A.ArrayLiteral):
            values = enumerate_value(value) if isinstance(value, list) else [value]
            items = target.items
            for i, item in enumerate(items):
                if i == len(items) - 1:
                    rest = values[i:]
                    self.assign_to(item, expressions.unwrap(rest) if len(rest) != 1 else rest[0])
                else:
                    self.assign_to(item, values[i] if i < len(values) else None)

    def _set_member(self, obj: Any, name: str, value: Any, node: A.Node) -> None:
        """``$o.Name = v``: only an existing property may be set (a hashtable takes any key), as in PowerShell."""
        if isinstance(obj, PSHashtable):
            obj[name] = value
        elif isinstance(obj, PSObject) and obj.has(name):
            obj.set(name, value)
        else:
            raise PSError(ErrorRecord(f"The property '{name}' cannot be found on this object. Verify that the "
                                      "property exists and can be set.", "PropertyAssignmentException",
                                      E.INVALID_OPERATION, extent=node.extent))

    def _set_index(self, obj: Any, index: Any, value: Any, node: A.Node) -> None:
        if isinstance(obj, PSHashtable):
            obj[index] = value
        elif isinstance(obj, list):
            i = int(index)
            if not -len(obj) <= i < len(obj):
                raise PSError(ErrorRecord("Index was outside the bounds of the array.", "IndexOutOfRange",
                                          E.INVALID_OPERATION, extent=node.extent))
            obj[i] = value
        else:
            raise PSError(ErrorRecord(f"Unable to index into an object of type {type(obj).__name__}.",
                                      "CannotIndex", E.INVALID_OPERATION, extent=node.extent))

    # --- script blocks ------------------------------------------------------------------------
    def invoke_block(self, block: ScriptBlock, *, dollar_under: Any = _MISSING, args: Any = (),
                     new_scope: bool = True, sink: Sink | None = None) -> list[Any]:
        """Run a script block (``& {}``, ``.Invoke()``, ``Where-Object {}``); returns its output."""
        if dollar_under is not _MISSING and fast_paths.ENABLED and self.call_depth < MAX_CALL_DEPTH:
            out = self._run_compiled(block, dollar_under)
            if out is not None:
                if sink is None:
                    return out
                for item in out:
                    sink(item)
                return []
        self.enter_call(getattr(block.ast, "extent", None))
        try:
            return self._invoke_block(block, dollar_under, args, new_scope, sink)
        finally:
            self.leave_call()

    def _run_compiled(self, block: ScriptBlock, dollar_under: Any) -> list[Any] | None:
        """The output of a block compiled to a closure (``compiled.py``), or ``None``: interpret it.

        A failing compiled block is run again by the interpreter, which reports the error as always
        (compiled blocks have no side effects). Success leaves ``$?`` true, as the block's statement would.
        """
        run = compile_block(block.ast)
        if run is None:
            return None
        try:
            out = run(self.session, dollar_under)
        except Exception:  # noqa: BLE001  (any failure: the interpreter runs the block and reports it)
            return None
        self.session.last_success = True
        return out

    def _invoke_block(self, block: ScriptBlock, dollar_under: Any, args: Any, new_scope: bool,
                      sink: Sink | None) -> list[Any]:
        out: list[Any] = []
        target = sink or out.append
        session = self.session
        scope = session.push_scope("local") if new_scope else session.scope
        saved = [(n, scope.vars.get(n)) for n in ("_", "psitem", "args")]
        try:
            if dollar_under is not _MISSING:
                scope.assign("_", dollar_under)
                scope.assign("PSItem", dollar_under)
            scope.assign("args", list(args))
            ast: A.ScriptBlockAst = block.ast
            if ast.param_block is not None and new_scope:
                self._bind_simple_params(ast.param_block, list(args))
            try:
                if ast.named_blocks:
                    for name in ("begin", "process", "end"):
                        self.run_statements(ast.named_blocks.get(name, []), target)
                else:
                    self.run_statements(ast.statements, target)
            except E.ReturnSignal:
                pass
        finally:
            if new_scope:
                session.pop_scope(scope)
            else:
                for name, entry in saved:
                    if entry is None:
                        scope.vars.pop(name, None)
                    else:
                        scope.vars[name] = entry
        return out

    def _bind_simple_params(self, param_block: A.ParamBlock, args: list[Any]) -> None:
        for i, param in enumerate(param_block.parameters):
            value = args[i] if i < len(args) else (self.eval(param.default) if param.default else None)
            self.session.set_variable(param.name, value)

    def special_method(self, target: Any, name: str, args: list[Any]) -> Any:
        """Methods on runtime objects that are not .NET values (``$PSCmdlet.ShouldProcess``)."""
        handler = getattr(target, "ps_invoke", None)
        if handler is not None:
            return handler(name, args)
        return NotImplemented

    # --- errors -------------------------------------------------------------------------------
    def statement_failed(self, err: PSError) -> None:
        """Write an error that ended a statement (after a trap handled it), as the next statement runs."""
        self._statement_failed(err)

    def _statement_failed(self, err: PSError) -> None:
        """A statement-terminating error under ``$ErrorActionPreference`` (which, unlike ``-ErrorAction``,
        governs these too): ``Stop`` ends the script, ``SilentlyContinue`` keeps it only in ``$Error``."""
        action = to_string(self.session.preference("ErrorActionPreference")).lower()
        if action == "stop":
            raise script_terminating(err)
        if action in ("silentlycontinue", "ignore"):
            self.error_count += 1
            self.session.last_success = False
            self.session.record_error(err.record)
            return
        self.report(err.record)

    def report(self, record: ErrorRecord) -> None:
        """Show an error that ended a statement, and remember it in ``$Error``."""
        self.error_count += 1
        self.session.last_success = False
        self.session.record_error(record)
        self.session.host.write_error(render_error(record) + "\n")

    def write_error(self, record: ErrorRecord, action: str | None, route: Any = _MISSING) -> None:
        """A non-terminating error under ``-ErrorAction`` / ``$ErrorActionPreference``.

        ``route`` is the writing command's error redirection (``2>$null``...); ``None`` shows it.
        """
        action = (action or to_string(self.session.preference("ErrorActionPreference")) or "Continue").lower()
        if action == "ignore":
            return
        if action == "stop":
            raise script_terminating(PSError(record))
        self.error_count += 1
        self.session.last_success = False
        self.session.record_error(record)
        if action == "silentlycontinue":
            return
        if route is _MISSING:
            route = self.error_routes[-1] if self.error_routes else None
        if route is not None:
            route(record)
        else:
            self.session.host.write_error(render_error(record) + "\n")
