"""Talking to the person at the console and pacing a script: Read-Host, Write-Progress, Clear-Host,
Start-Sleep, Get-Random and Tee-Object.

Everything that touches the terminal goes through the session's host (``runtime/host.py``): the
cmdlets ask it for a line, tell it about progress, and never look at stdin or stdout themselves. A host
that cannot ask (``-NonInteractive``, a scheduled run) makes Read-Host fail with 5.1's NonInteractive
error instead of hanging the script. At an interactive prompt, ending the input instead of answering
(Ctrl-D; Ctrl-Z in 5.1's console) stops the running command as Ctrl-C does: 5.1's console host ends
such a read as a break and throws PipelineStoppedException (``ReadLineResult.endedOnBreak`` with
``calledFromPipeline``), so the script never goes on with an answer nobody gave.
"""
from __future__ import annotations

import random
import threading
import time
import weakref
from typing import Any

from cmdlets.content import TextFileWriter
from cmdlets.object_properties import record_for, was_bound
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord
from csshell.runtime.values import enumerate_value, to_number, to_string

_COMMANDS = "Microsoft.PowerShell.Commands."
NON_INTERACTIVE = "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."
CLEAR_SCREEN = "\x1b[2J\x1b[3J\x1b[H"      # erase display, erase scroll-back, cursor home
INT32_MAX = 2**31 - 1
_GENERATORS: weakref.WeakKeyDictionary[Any, random.Random] = weakref.WeakKeyDictionary()
_FALLBACK_GENERATOR = random.Random()


def range_error(command: Cmdlet, parameter: str, value: Any, low: int, high: int) -> ErrorRecord:
    """The binder's ValidateRange failure, as 5.1 words it."""
    if value < low:
        where, bound, relation = "less than the minimum", low, "greater"
    else:
        where, bound, relation = "greater than the maximum", high, "less"
    return record_for(command, f"Cannot validate argument on parameter '{parameter}'. The {value} argument is "
                               f"{where} allowed range of {bound}. Supply an argument that is {relation} than or "
                               "equal to " f"{bound} and then try the command again.",
                      "ParameterArgumentValidationError", "InvalidData", reason="ParameterBindingValidationException")


def _session(ctx: CommandContext) -> Any:
    try:
        return ctx.session
    except (NotImplementedError, AttributeError):
        return None


class InputEnded(KeyboardInterrupt):
    """The person at an interactive prompt ended the input (Ctrl-D) instead of answering Read-Host.

    A KeyboardInterrupt, because it means what Ctrl-C means there: every front end already stops
    the running command on it and reports "The pipeline has been stopped." (PipelineStoppedException).
    """


class SecureString:
    """What ``Read-Host -AsSecureString`` returns: prints as its type name, never as the text typed."""

    ps_type_name = "System.Security.SecureString"

    def __init__(self, secret: str) -> None:
        self._secret = secret

    @property
    def length(self) -> int:
        return len(self._secret)

    def ps_property(self, name: str) -> Any:
        return len(self._secret) if name.lower() == "length" else None

    def reveal(self) -> str:
        """The text, for cmdlets that accept a SecureString (a PIN typed without echo)."""
        return self._secret

    def __str__(self) -> str:
        return self.ps_type_name

    __repr__ = __str__


@cmdlet("Read-Host", class_name=_COMMANDS + "ReadHostCommand",
        synopsis="Reads a line of input from the console.",
        examples=[('$name = Read-Host "Display name of the user to unlock"', "Asks, then keeps the answer."),
                  ('$pin = Read-Host "New PIN" -AsSecureString', "Typed without echo; kept as a SecureString.")])
class ReadHost(Cmdlet):
    """``Read-Host``: the prompt is followed by ``": "``; without a person at the console it fails."""

    Prompt = Parameter("object", position=0, remaining_arguments=True, allow_null=True,
                       help="The text shown before the answer; several words are joined by spaces.")
    AsSecureString = Parameter("switch", help="Does not echo the input and returns a SecureString.")

    def process(self, ctx: CommandContext) -> None:
        prompt = " ".join(to_string(p) for p in enumerate_value(self.Prompt)) if self.Prompt is not None else ""
        host = getattr(_session(ctx), "host", None)
        answer = host.read_line(prompt + ": " if prompt else "", bool(self.AsSecureString)) if host else None
        if answer is None and getattr(host, "interactive", False):
            raise InputEnded()
        if answer is None:
            ctx.throw_error(record_for(self, NON_INTERACTIVE, "InvalidOperation", "InvalidOperation",
                                       reason="PSInvalidOperationException"))
            return
        ctx.write_object(SecureString(answer) if self.AsSecureString else answer)


@cmdlet("Write-Progress", class_name=_COMMANDS + "WriteProgressCommand",
        synopsis="Displays a progress bar within a PowerShell command window.",
        examples=[('Write-Progress -Activity "Unlocking PINs" -Status "$i of $n" -PercentComplete ($i / $n * 100)',
                   "Updates the bar while a loop runs."),
                  ('Write-Progress -Activity "Unlocking PINs" -Completed', "Removes the bar.")])
class WriteProgress(Cmdlet):
    """``Write-Progress``: hands the record to the host, which decides whether and how to draw it."""

    Activity = Parameter("string", position=0, mandatory=True, help="What the bar is about.")
    Status = Parameter("string", position=1, default="Processing", help="The current state (default Processing).")
    Id = Parameter("int", position=2, default=0, help="Distinguishes several bars.")
    PercentComplete = Parameter("int", default=-1, help="0 to 100; -1 means unknown.")
    SecondsRemaining = Parameter("int", default=-1, help="Accepted; shown by hosts that draw it.")
    CurrentOperation = Parameter("string", help="Accepted; shown by hosts that draw it.")
    ParentId = Parameter("int", default=-1, help="Accepted for compatibility.")
    Completed = Parameter("switch", help="The activity is finished: the bar disappears.")
    SourceId = Parameter("int", help="Accepted for compatibility.")

    def process(self, ctx: CommandContext) -> None:
        percent = self.PercentComplete if self.PercentComplete is not None else -1
        if not -1 <= percent <= 100:
            ctx.throw_error(range_error(self, "PercentComplete", percent, -1, 100))
        session = _session(ctx)
        preference = session.preference("ProgressPreference") if hasattr(session, "preference") else None
        if to_string(preference).lower() in ("silentlycontinue", "ignore"):
            return
        host = getattr(session, "host", None)
        if host is not None:
            host.progress(to_string(self.Activity), to_string(self.Status or "Processing"), percent,
                          bool(self.Completed))


@cmdlet("Clear-Host", aliases=("cls", "clear"), class_name=_COMMANDS + "ClearHostCommand",
        synopsis="Clears the display in the host program.",
        examples=[("Clear-Host", "Clears the console (also: cls, clear).")])
class ClearHost(Cmdlet):
    """``Clear-Host``: the ANSI clear sequence, only on a host that draws on a terminal."""

    def process(self, ctx: CommandContext) -> None:
        host = getattr(_session(ctx), "host", None)
        if host is not None and getattr(host, "color", False):
            host.write(CLEAR_SCREEN)


@cmdlet("Start-Sleep", aliases=("sleep",), class_name=_COMMANDS + "StartSleepCommand", default_set="Seconds",
        synopsis="Suspends the activity in a script or session for the specified period of time.",
        examples=[("Start-Sleep -Seconds 5", "Waits five seconds (for example between retries)."),
                  ("Start-Sleep -Milliseconds 250", "Waits a quarter of a second.")])
class StartSleep(Cmdlet):
    """``Start-Sleep``: blocks the pipeline; Ctrl-C interrupts it at once, like any other command."""

    Seconds = Parameter("int", position=0, mandatory=True, from_pipeline=True, from_pipeline_by_property=True,
                        sets=("Seconds",), help="How many seconds to wait.")
    Milliseconds = Parameter("int", mandatory=True, aliases=("ms",), from_pipeline_by_property=True,
                             sets=("Milliseconds",), help="How many milliseconds to wait.")

    def process(self, ctx: CommandContext) -> None:
        if self.Milliseconds is not None:
            self._sleep(ctx, "Milliseconds", self.Milliseconds, 1000)
        elif self.Seconds is not None:
            self._sleep(ctx, "Seconds", self.Seconds, 1)

    def _sleep(self, ctx: CommandContext, name: str, amount: int, per_second: int) -> None:
        if amount < 0 or amount > INT32_MAX // (1000 // per_second):
            ctx.throw_error(range_error(self, name, amount, 0, INT32_MAX // (1000 // per_second)))
        wait_interruptibly(amount / per_second)


SLEEP_SLICE = 0.05      # seconds: how late a stop may come to a sleeping statement


def wait_interruptibly(seconds: float) -> None:
    """Sleep ``seconds`` so that a stop ends the wait at once. At the console (the main thread) SIGINT cuts
    ``time.sleep`` short by itself. A remote session's statement runs in a worker thread, where Ctrl-C (or
    the client going away) arrives as a KeyboardInterrupt that Python delivers only between steps
    (csshell/remote/stopping.py): there one long ``time.sleep`` would hold it back until the whole wait is
    over, so the wait is cut into short slices."""
    if threading.current_thread() is threading.main_thread():
        time.sleep(seconds)
        return
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, SLEEP_SLICE))


def generator_for(ctx: CommandContext) -> random.Random:
    """The session's random generator (``-SetSeed`` reseeds it for the rest of the session, as in 5.1)."""
    session = _session(ctx)
    if session is None:
        return _FALLBACK_GENERATOR
    try:
        return _GENERATORS.setdefault(session, random.Random())
    except TypeError:
        return _FALLBACK_GENERATOR


@cmdlet("Get-Random", class_name=_COMMANDS + "GetRandomCommand", default_set="RandomNumberParameterSet",
        synopsis="Gets a random number, or selects objects randomly from a collection.",
        examples=[("[int](Get-Random -Minimum 111111 -Maximum 999999)", "A six-digit number for a new PIN."),
                  ("Get-CsUser | Get-Random -Count 3", "Three users picked at random.")])
class GetRandom(Cmdlet):
    """``Get-Random``: ``-Maximum`` is exclusive; a list input yields distinct items."""

    Maximum = Parameter("object", position=0, sets=("RandomNumberParameterSet",), help="Exclusive upper bound.")
    Minimum = Parameter("object", sets=("RandomNumberParameterSet",), help="Inclusive lower bound (default 0).")
    InputObject = Parameter("object[]", position=0, mandatory=True, from_pipeline=True,
                            sets=("RandomListItemParameterSet",), help="The collection to pick from.")
    Count = Parameter("int", default=1, sets=("RandomListItemParameterSet",), help="How many items to pick.")
    SetSeed = Parameter("int", help="Seeds the session's generator, for repeatable results.")

    def begin(self, ctx: CommandContext) -> None:
        self.generator = generator_for(ctx)
        if self.SetSeed is not None:
            self.generator.seed(self.SetSeed)
        self.items: list[Any] = []

    def process(self, ctx: CommandContext) -> None:
        if was_bound(self, "InputObject"):
            self.items.extend(enumerate_value(self.InputObject))

    def end(self, ctx: CommandContext) -> None:
        if self.set_name == "RandomListItemParameterSet" or self.items:
            count = max(0, self.Count if self.Count is not None else 1)
            for item in self.generator.sample(self.items, min(count, len(self.items))):
                ctx.write_object(item)
            return
        ctx.write_object(self._number(ctx))

    def _number(self, ctx: CommandContext) -> int | float:
        low = self._bound_value(ctx, "Minimum", self.Minimum, 0)
        high = self._bound_value(ctx, "Maximum", self.Maximum, INT32_MAX)
        if low >= high:
            shown_low = to_string(self.Minimum if self.Minimum is not None else 0)
            shown_high = to_string(self.Maximum if self.Maximum is not None else INT32_MAX)
            ctx.throw_error(record_for(self, f"The Minimum value ({shown_low}) cannot be greater than or equal to "
                                             f"the Maximum value ({shown_high}).",
                                       "MinGreaterThanOrEqualMax", "InvalidArgument", reason="ArgumentException"))
        if isinstance(low, float) or isinstance(high, float):
            value = low + self.generator.random() * (high - low)
            return value if value < high else low
        return self.generator.randrange(low, high)

    def _bound_value(self, ctx: CommandContext, name: str, value: Any, default: int) -> int | float:
        if value is None:
            return default
        number = to_number(value)
        if number is None or isinstance(value, bool):
            ctx.throw_error(record_for(self, f"Cannot convert value \"{to_string(value)}\" to type \"System.Int32\". "
                                             "Error: \"Input string was not in a correct format.\"",
                                       "InvalidCastFromStringToInteger", "InvalidArgument", target=value,
                                       reason="PSInvalidCastException"))
        return number


@cmdlet("Tee-Object", aliases=("tee",), class_name=_COMMANDS + "TeeObjectCommand", default_set="File",
        synopsis="Saves command output in a file or variable and also sends it down the pipeline.",
        examples=[("Get-CsUser | Get-CsClientPinInfo | Tee-Object -FilePath .\\pins.txt | Where-Object IsLockedOut",
                   "Keeps the whole report in a file and goes on with the locked users."),
                  ("Get-CsUser | Tee-Object -Variable users | Measure-Object", "Counts the users and keeps them.")])
class TeeObject(Cmdlet):
    """``Tee-Object``: every object goes on down the pipeline; a copy goes to a file or a variable."""

    InputObject = Parameter("psobject", from_pipeline=True, allow_null=True, help="The objects to save.")
    FilePath = Parameter("string", position=0, mandatory=True, aliases=("Path",), sets=("File",),
                         help="The file to write (as Out-File would).")
    LiteralPath = Parameter("string", mandatory=True, aliases=("PSPath",), sets=("LiteralFile",),
                            help="The file to write, taken literally.")
    Append = Parameter("switch", sets=("File",), help="Adds to the end of the file.")
    Variable = Parameter("string", mandatory=True, sets=("Variable",), help="The variable to set (no $).")

    def begin(self, ctx: CommandContext) -> None:
        self.saved: list[Any] = []
        self.writer: TextFileWriter | None = None
        target = self.LiteralPath if self.LiteralPath is not None else self.FilePath
        if target is not None:
            self.writer = TextFileWriter.open(self, ctx, ctx.resolve_path(to_string(target)), bool(self.Append))

    def process(self, ctx: CommandContext) -> None:
        if not was_bound(self, "InputObject"):
            return
        value = self.InputObject
        if self.writer is not None:
            self.writer.write(value)
        else:
            self.saved.append(value)
        ctx.write_object(value)

    def end(self, ctx: CommandContext) -> None:
        if self.writer is not None:
            self.writer.close()
        elif self.Variable is not None:
            saved = self.saved[0] if len(self.saved) == 1 else (self.saved or None)
            ctx.session.set_variable(to_string(self.Variable), saved)
