"""Error records and the exceptions that carry them.

As in PowerShell, an error is a *record* (message, category, target, error id, invocation position),
not a string. A non-terminating error is a record written to the error stream; a terminating error is
the same record raised inside :class:`PSError`. :func:`render_error` prints a record in the
Windows PowerShell 5.1 NormalView layout.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csshell.language.ast import Extent

# ErrorCategory names (System.Management.Automation.ErrorCategory)
NOT_SPECIFIED = "NotSpecified"
INVALID_ARGUMENT = "InvalidArgument"
INVALID_DATA = "InvalidData"
INVALID_OPERATION = "InvalidOperation"
OBJECT_NOT_FOUND = "ObjectNotFound"
PARSER_ERROR = "ParserError"
PERMISSION_DENIED = "PermissionDenied"
OPERATION_STOPPED = "OperationStopped"
RESOURCE_UNAVAILABLE = "ResourceUnavailable"
READ_ERROR = "ReadError"
WRITE_ERROR = "WriteError"
INVALID_TYPE = "InvalidType"
RESOURCE_BUSY = "ResourceBusy"
RESOURCE_EXISTS = "ResourceExists"
SECURITY_ERROR = "SecurityError"

RUNTIME_EXCEPTION_TYPE = "System.Management.Automation.RuntimeException"


@dataclass
class ErrorRecord:
    """PowerShell's ErrorRecord.

    ``error_id`` is the FullyQualifiedErrorId's first part; ``command_class`` its optional second
    part (``NamedParameterNotFound,Microsoft.Rtc...LockOcsUserClientPinCmdlet``). ``reason`` is the
    exception's short type name shown in CategoryInfo. ``command_name`` prefixes the message line
    (``Lock-CsClientPin : ...``); ``extent`` gives ``At line:L char:C`` and the ``~`` marker.
    """
    message: str
    error_id: str
    category: str = NOT_SPECIFIED
    target: Any = None
    target_type: str | None = None
    reason: str = "RuntimeException"
    command_name: str | None = None
    command_class: str | None = None
    extent: Extent | None = None
    exception_type: str = RUNTIME_EXCEPTION_TYPE
    activity: str | None = None
    inner: Any = None
    script_stack: list[str] = field(default_factory=list)
    inner_exception_type: str | None = None    # 1/0: a RuntimeException wrapping a DivideByZeroException
    # OriginInfo.PSComputerName of a record that came from a remote session (csshell/remote/wire.py): it is
    # shown without a command prefix or position, followed by a ``+ PSComputerName`` line, as 5.1 shows them
    # ("" for a record of the remoting layer itself, e.g. a failed connection: no prefix, position or line).
    computer_name: str | None = None
    # Write-Error in a script run with -File takes the script's invocation, which has no position: 5.1 shows
    # "C:\path\job.ps1 : message" and no "At" lines (cmdlets/output.py)
    positionless: bool = False

    ps_type_name = "System.Management.Automation.ErrorRecord"   # what $_.GetType().FullName reports

    @property
    def exception_full_name(self) -> str:
        """The .NET type of ``$_.Exception``: explicit, else the one CategoryInfo's reason names."""
        if self.exception_type != RUNTIME_EXCEPTION_TYPE:
            return self.exception_type
        from csshell.runtime.exception_types import full_name_for_reason
        return full_name_for_reason(self.reason) or self.exception_type

    @property
    def fully_qualified_error_id(self) -> str:
        return f"{self.error_id},{self.command_class}" if self.command_class else self.error_id

    @property
    def category_info(self) -> str:
        target = "" if self.target is None else _target_text(self.target)
        if self.target_type is not None:
            ttype = self.target_type
        else:
            ttype = _short_type(self.target) if self.target is not None else ""
        activity = self.activity if self.activity is not None else (self.command_name or "")
        return f"{self.category}: ({target}:{ttype}) [{activity}], {self.reason}"

    # PowerShell surfaces these to scripts as $_.Exception.Message, $_.FullyQualifiedErrorId...
    def ps_property(self, name: str) -> Any:
        low = name.lower()
        if low == "exception":
            return ExceptionView(self)
        if low == "fullyqualifiederrorid":
            return self.fully_qualified_error_id
        if low == "categoryinfo":
            return CategoryInfoView(self)
        if low == "targetobject":
            return self.target
        if low == "invocationinfo":
            return InvocationInfoView(self) if self.extent is not None or self.command_name else None
        if low == "scriptstacktrace":
            return "\n".join(self.script_stack)
        return None

    def __str__(self) -> str:
        return self.message


class ExceptionView:
    """``$_.Exception``: message, .NET type (``GetType()``, ``-is``, ``catch [T]``) and inner exception.

    ``type_name`` is the exception's full .NET type; an inner view (``1/0``'s DivideByZeroException)
    carries the same message, as .NET's wrapping RuntimeException does.
    """

    def __init__(self, record: ErrorRecord, type_name: str | None = None) -> None:
        self.record = record
        self.type_name = type_name or record.exception_full_name

    @property
    def ps_type_name(self) -> str:
        return self.type_name

    @property
    def inner(self) -> "ExceptionView | None":
        inner = self.record.inner_exception_type
        if inner is None or self.type_name == inner:
            return None
        return ExceptionView(self.record, inner)

    def type_lineage(self) -> list[str]:
        """This exception's type and its inner exception's (what ``catch [T]`` is matched against)."""
        inner = self.inner
        return [self.type_name] + (inner.type_lineage() if inner is not None else [])

    def ps_property(self, name: str) -> Any:
        low = name.lower()
        if low == "message":
            return self.record.message
        if low == "innerexception":
            return self.inner
        if low == "errorrecord":
            return self.record
        return None

    def __str__(self) -> str:
        return self.record.message


class CategoryInfoView:
    """``$_.CategoryInfo``: prints as the NormalView CategoryInfo text."""

    ps_type_name = "System.Management.Automation.ErrorCategoryInfo"

    def __init__(self, record: ErrorRecord) -> None:
        self.record = record

    def ps_property(self, name: str) -> Any:
        low = name.lower()
        return {"category": self.record.category, "reason": self.record.reason,
                "targetname": _target_text(self.record.target) if self.record.target is not None else "",
                "activity": self.record.command_name or ""}.get(low)

    def __str__(self) -> str:
        return self.record.category_info


class InvocationInfoView:
    """``$_.InvocationInfo``: where the error happened (line, column, text, script) and which command it was."""

    ps_type_name = "System.Management.Automation.InvocationInfo"

    def __init__(self, record: ErrorRecord) -> None:
        self.record = record

    def ps_property(self, name: str) -> Any:
        extent = self.record.extent
        line, column = extent.source.line_col(extent.start) if extent is not None else (0, 0)
        values = {
            "scriptlinenumber": line, "offsetinline": column,
            "line": extent.source.line_text(line) if extent is not None else "",
            "scriptname": (extent.file or "") if extent is not None else "",
            "positionmessage": "\n".join(position_lines(extent)) if extent is not None else "",
            "invocationname": self.record.command_name or "",
            "mycommand": _MyCommand(self.record.command_name or ""),
        }
        return values.get(name.lower())

    def __str__(self) -> str:
        return "System.Management.Automation.InvocationInfo"


class _MyCommand:
    """``$_.InvocationInfo.MyCommand``: the command's name (what scripts read of it)."""

    ps_type_name = "System.Management.Automation.CommandInfo"

    def __init__(self, name: str) -> None:
        self.name = name

    def ps_property(self, name: str) -> Any:
        return self.name if name.lower() == "name" else None

    def __str__(self) -> str:
        return self.name


def _target_text(target: Any) -> str:
    from csshell.runtime.values import to_string
    return to_string(target)


def _short_type(value: Any) -> str:
    from csshell.runtime.values import type_name
    return type_name(value).rsplit(".", 1)[-1]


class PSError(Exception):
    """A terminating error: stops the pipeline; ``try/catch`` can catch it."""

    def __init__(self, record: ErrorRecord) -> None:
        super().__init__(record.message)
        self.record = record


class FlowControl(Exception):
    """Base of break/continue/return/exit: not errors, never shown."""


class BreakSignal(FlowControl):
    def __init__(self, label: str | None = None) -> None:
        self.label = label


class ContinueSignal(FlowControl):
    def __init__(self, label: str | None = None) -> None:
        self.label = label


class ReturnSignal(FlowControl):
    pass


class ExitSignal(FlowControl):
    def __init__(self, code: int) -> None:
        self.code = code


class PipelineStopped(FlowControl):
    """Raised to end upstream commands early (``Select-Object -First``)."""


def render_error(record: ErrorRecord, show_position: bool = True) -> str:
    """The 5.1 NormalView text of a record (no trailing newline)."""
    if record.computer_name is not None:
        lines = [record.message, f"    + CategoryInfo          : {record.category_info}",
                 f"    + FullyQualifiedErrorId : {record.fully_qualified_error_id}"]
        if record.computer_name:
            lines.append(f"    + PSComputerName        : {record.computer_name}")
        return "\n".join(lines)
    lines: list[str] = []
    prefix = f"{record.command_name} : " if record.command_name else ""
    message = record.message
    if record.positionless:
        show_position = False
    if record.extent is not None and show_position and record.category != PARSER_ERROR:
        lines.append(prefix + message)
        lines.extend(position_lines(record.extent))
    elif record.category == PARSER_ERROR and record.extent is not None:
        lines.extend(position_lines(record.extent))
        lines.append(message)
    else:
        lines.append(prefix + message)
    lines.append(f"    + CategoryInfo          : {record.category_info}")
    lines.append(f"    + FullyQualifiedErrorId : {record.fully_qualified_error_id}")
    return "\n".join(lines)


def position_lines(extent: Extent) -> list[str]:
    """``At line:L char:C`` (or ``At FILE:L char:C``), the source line and the ``~`` marker."""
    line, col = extent.source.line_col(extent.start)
    where = f"{extent.file}:{line}" if extent.file else f"line:{line}"
    text = extent.source.line_text(line)
    end_line, end_col = extent.source.line_col(max(extent.end, extent.start))
    width = (end_col - col) if end_line == line else (len(text) - col + 1)
    width = max(width, 1)
    return [f"At {where} char:{col}", f"+ {text}", "+ " + " " * (col - 1) + "~" * width]
