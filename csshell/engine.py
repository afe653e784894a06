"""The engine: one object every front end (script runner, REPL, remote server) drives.

It owns a :class:`Session`, an :class:`Interpreter` and the Out-Default formatter, and knows the
unit of work of each front end: an interactive line or ``-Command`` text (:meth:`run_command_text`)
and a script file (:meth:`run_file`). Every top-level statement is one store statement: its changes
are written to disk once, when it ends.
"""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Any, Callable, Iterator

import cmdlets  # noqa: F401  (hands the cmdlet catalog to the runtime; modules load on first use)
from csshell.language.parser import ParseErrors, is_incomplete, parse
from csshell.runtime import errors as E
from csshell.runtime.binder import CommandArgument, bind_command_line, prompt_missing_mandatory
from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.commands import command_names
from csshell.runtime.errors import ErrorRecord, PSError, render_error
from csshell.runtime.formatting import OutputFormatter
from csshell.runtime.host import Host
from csshell.runtime.interpreter import Interpreter
from csshell.runtime.parse_report import render_parse_errors
from csshell.runtime.session import Session

# The parser and the interpreter recurse in Python: a few dozen frames per nested parenthesis and per
# PowerShell call. PowerShell's own limit (interpreter.MAX_CALL_DEPTH) must be reached long before
# Python's; Python 3.11 keeps Python-to-Python calls off the C stack, so a high limit is safe.
PYTHON_RECURSION_LIMIT = 100_000
sys.setrecursionlimit(max(sys.getrecursionlimit(), PYTHON_RECURSION_LIMIT))


class Engine:
    """A shell session bound to a host and (lazily) to a store file."""

    def __init__(self, host: Host, store_opener: Callable[[], Any] | None = None, *,
                 actor: str | None = None, origin: str = "console", cwd: str | None = None,
                 store_path: str | None = None) -> None:
        self.host = host
        self._open_store = store_opener
        self._in_statement = False
        self._pending_statement: Any = None
        self.session = Session(host, self._opener if store_opener else None, actor=actor, origin=origin, cwd=cwd,
                               store_path=store_path or getattr(store_opener, "store_path", None))
        self.interp = Interpreter(self.session)
        self.interp.statement_wrapper = self._store_statement
        self.session.remoting_factory = remoting_service
        self.exit_code: int | None = None

    # --- units of work ------------------------------------------------------------------------
    def run_command_text(self, text: str, output: Callable[[Any], None] | None = None) -> bool:
        """Run typed input or ``-Command`` text; returns ``$?`` after the last statement.

        ``output`` receives the output objects instead of Out-Default (the remote object channel sends them
        to its client). After Enter-PSSession, typed input runs in the remote session instead.
        """
        remote = self.entered_session()
        if remote is not None and output is None:
            return remote.run_interactive(text)
        try:
            script = parse(text)
        except ParseErrors as errors:
            self._report_text(render_parse_errors(errors))
            self.session.last_success = False
            return False
        formatter = OutputFormatter(width=self.host.width)
        self.interp.top_statements = script.statements
        try:
            self.interp.run_statements(script.statements, output or self._sink(formatter))
        except PSError as err:
            self.interp.report(err.record)
        except E.ExitSignal as sig:
            self.exit_code = sig.code
        except (E.BreakSignal, E.ContinueSignal, E.ReturnSignal):
            pass
        finally:
            self.interp.top_statements = None
            self._end_of_run(formatter)
        return self.session.last_success

    def run_file(self, path: str, args: list[str] = ()) -> int:
        """Run a script file as ``-File`` does; returns pwsh's exit code."""
        from csshell.runtime.functions import script_file_command
        from csshell.runtime.pipeline import run_command
        path = os.path.abspath(path)
        formatter = OutputFormatter(width=self.host.width)
        try:
            cls = script_file_command(self.interp, path, top_level=True)
        except PSError as err:
            errors = getattr(err, "parse_errors", None)
            self._report_text(render_parse_errors(errors) if errors else render_error(err.record))
            return 1
        self.interp.top_statements = cls.body.statements
        try:
            binding = bind_command_line(cls, script_arguments(args), invocation_name=path,
                                        expects_pipeline_input=False)
            prompt_missing_mandatory(binding, self.host, path, 1)
            run_command(self.interp, cls, binding, path, self._sink(formatter))
        except PSError as err:
            record = err.record
            if record.command_name == path and record.activity is None:
                record.activity = os.path.basename(path)   # CategoryInfo names the script, as 5.1 does
            self.interp.report(record)
            return 1
        except E.ExitSignal as sig:
            return sig.code
        except (E.BreakSignal, E.ContinueSignal):
            return 0
        finally:
            self.interp.top_statements = None
            self._end_of_run(formatter)
        return 0

    def _end_of_run(self, formatter: OutputFormatter) -> None:
        """Flush the formatter and take down a progress bar the run left (5.1 clears it when the pipeline ends)."""
        clear_progress = getattr(self.host, "clear_progress", None)
        if clear_progress is not None:
            clear_progress()
        self.host.write(formatter.flush())

    def _sink(self, formatter: OutputFormatter) -> Callable[[Any], None]:
        def out_default(item: Any) -> None:
            text = formatter.feed(item)
            if text:
                self.host.write(text)
        return out_default

    def _report_text(self, text: str) -> None:
        self.host.write_error(text + "\n")

    def _opener(self) -> Any:
        """Open the store; opened in the middle of a statement, it joins that statement at once."""
        store = self._open_store()
        if self._in_statement:
            self._pending_statement = store.statement()
            self._pending_statement.__enter__()
        return store

    @contextlib.contextmanager
    def _store_statement(self) -> Iterator[None]:
        """One store write per top-level statement; a failing write becomes an error record."""
        session = self.session
        if session.store_is_open:
            self._pending_statement = session.store.statement()
            self._pending_statement.__enter__()
        self._in_statement = True
        try:
            yield
        finally:
            self._in_statement = False
            pending, self._pending_statement = self._pending_statement, None
            if pending is not None:
                try:
                    pending.__exit__(None, None, None)
                except Exception as exc:  # StoreError: the disk write failed; nothing else was lost
                    self.interp.report(store_error_record(exc))

    # --- what front ends ask -------------------------------------------------------------------
    def is_incomplete(self, text: str) -> bool:
        try:
            return is_incomplete(text)
        except Exception:  # the prompt must never crash on odd input
            return False

    def command_names(self) -> list[str]:
        return command_names(self.session)

    def parameter_names(self, command: str) -> list[str] | None:
        cls = self.session.functions.get(command.lower()) or find_cmdlet(command)
        if cls is None:
            return None
        return [p.name for p in cls.all_parameters() if not p.name.startswith("__")]

    def complete_identity(self, prefix: str) -> list[str]:
        try:
            directory = self.session.store.directory
            finder = getattr(directory, "complete", None)
            return finder(prefix) if finder else []
        except Exception:
            return []

    def prompt_text(self) -> str:
        remote = self.entered_session()
        if remote is not None:
            return remote.prompt_text()
        return f"PS {self.session.cwd}> "

    def entered_session(self) -> Any:
        """The remote session Enter-PSSession entered (input runs there until Exit-PSSession), or None."""
        service = self.session.remoting
        return service.entered if service is not None else None

    def close(self) -> None:
        self.session.close()


def remoting_service(session: Session) -> Any:
    """The remote-session service of a shell (New-PSSession, Invoke-Command, Enter-PSSession): the cmdlets
    know no socket, so the front end supplies it; asyncssh is imported only when a session is opened."""
    from csshell.remote.client import RemotingService
    return RemotingService(session.host)


def store_error_record(exc: Exception) -> ErrorRecord:
    """A StoreError (or an OS error while writing) as the error record an admin sees."""
    return ErrorRecord(getattr(exc, "message", None) or str(exc), getattr(exc, "error_id", type(exc).__name__),
                       getattr(exc, "category", E.WRITE_ERROR), target=getattr(exc, "path", None),
                       reason=type(exc).__name__)


def script_arguments(argv: list[str]) -> list[CommandArgument]:
    """``csshell -File x.ps1 -Identity "Ken Myer" -Force`` → binder arguments (all values are strings)."""
    out: list[CommandArgument] = []
    for arg in argv:
        if len(arg) > 1 and arg[0] in "-\u2013\u2014" and (arg[1].isalpha() or arg[1] == "_"):
            name, colon, value = arg[1:].partition(":")
            out.append(CommandArgument(_script_value(value) if colon else None, name, bool(colon)))
        else:
            out.append(CommandArgument(arg, None, False))
    return out


def _script_value(text: str) -> Any:
    low = text.lower()
    if low in ("$true", "true"):
        return True
    if low in ("$false", "false"):
        return False
    return text
