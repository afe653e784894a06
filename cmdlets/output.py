"""The Write-* family and Out-Null: how scripts talk to the pipeline, the host and the other streams.

Each cmdlet only routes text to the right stream through the command context; whether a warning
or a verbose line is shown (preferences, ``-Verbose``) is the runtime's decision, not theirs.
"""
from __future__ import annotations

from typing import Any

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord
from csshell.runtime.values import enumerate_value, is_enumerable, to_string

from cmdlets.object_properties import was_bound

ERROR_CATEGORIES = (
    "NotSpecified", "OpenError", "CloseError", "DeviceError", "DeadlockDetected", "InvalidArgument",
    "InvalidData", "InvalidOperation", "InvalidResult", "InvalidType", "MetadataError", "NotImplemented",
    "NotInstalled", "ObjectNotFound", "OperationStopped", "OperationTimeout", "SyntaxError", "ParserError",
    "PermissionDenied", "ResourceBusy", "ResourceExists", "ResourceUnavailable", "ReadError", "WriteError",
    "FromStdErr", "SecurityError", "ProtocolError", "ConnectionError", "AuthenticationError",
    "LimitsExceeded", "QuotaExceeded", "NotEnabled")
CONSOLE_COLORS = ("Black", "DarkBlue", "DarkGreen", "DarkCyan", "DarkRed", "DarkMagenta", "DarkYellow",
                  "Gray", "DarkGray", "Blue", "Green", "Cyan", "Red", "Magenta", "Yellow", "White")
WRITE_ERROR_ID = "Microsoft.PowerShell.Commands.WriteErrorException"


@cmdlet("Write-Output", aliases=("echo", "write"), synopsis="Sends the specified objects to the next command "
        "in the pipeline.", examples=[('Write-Output "Locked before: 5"', "Emits one string.")])
class WriteOutput(Cmdlet):
    """``Write-Output``: emits its arguments, enumerating collections unless ``-NoEnumerate``."""

    InputObject = Parameter("psobject[]", position=0, mandatory=True, from_pipeline=True,
                            remaining_arguments=True, allow_null=True)
    NoEnumerate = Parameter("switch")

    def process(self, ctx: CommandContext) -> None:
        if not was_bound(self, "InputObject"):
            return
        value = self.InputObject
        if self.NoEnumerate:
            # the binder wraps a single argument in psobject[]; 5.1 writes that one object as is
            ctx.write_object(value[0] if isinstance(value, list) and len(value) == 1 else value)
        elif value is None:
            ctx.write_object(None)
        else:
            ctx.write_object(value, enumerate_collection=True)


@cmdlet("Out-Null", synopsis="Hides the output instead of sending it down the pipeline.",
        examples=[("Get-CsUser | Out-Null", "Runs the command and discards its output.")])
class OutNull(Cmdlet):
    """``Out-Null``: accepts every object and emits nothing."""

    InputObject = Parameter("psobject", from_pipeline=True)


@cmdlet("Write-Host", synopsis="Writes customized output to the host.",
        examples=[('Write-Host "Done" -ForegroundColor Green', "Prints a green line on the display.")])
class WriteHost(Cmdlet):
    """``Write-Host``: text straight to the display; arrays are joined with ``-Separator``."""

    Object = Parameter("object", position=0, from_pipeline=True, remaining_arguments=True)
    NoNewline = Parameter("switch")
    Separator = Parameter("object", default=" ")
    ForegroundColor = Parameter("ConsoleColor", validate_set=CONSOLE_COLORS)
    BackgroundColor = Parameter("ConsoleColor", validate_set=CONSOLE_COLORS)

    def process(self, ctx: CommandContext) -> None:
        separator = to_string(self.Separator if self.Separator is not None else " ")
        text = host_text(self.Object, separator)
        ctx.write_host(text, foreground=self.ForegroundColor, background=self.BackgroundColor,
                       newline=not self.NoNewline)


def host_text(value: Any, separator: str = " ") -> str:
    """Write-Host's rendering: ``ToString()`` of each element, nested collections flattened."""
    if value is None:
        return ""
    if is_enumerable(value):
        return separator.join(host_text(item, separator) for item in enumerate_value(value))
    return to_string(value)


class _StreamMessage(Cmdlet):
    """Write-Warning, Write-Verbose and Write-Debug: one message for a stream the command context shows or hides."""

    Message = Parameter("string", position=0, mandatory=True, from_pipeline=True, aliases=("Msg",),
                        allow_null=True)


@cmdlet("Write-Warning", synopsis="Writes a warning message.",
        examples=[('Write-Warning "PIN expires soon"', "Prints WARNING: PIN expires soon")])
class WriteWarning(_StreamMessage):
    """``Write-Warning``: a line on the warning stream (shown as ``WARNING: text``)."""

    def process(self, ctx: CommandContext) -> None:
        ctx.write_warning(self.Message or "")


@cmdlet("Write-Verbose", synopsis="Writes text to the verbose message stream.",
        examples=[('Write-Verbose "Checking users" -Verbose', "Prints VERBOSE: Checking users")])
class WriteVerbose(_StreamMessage):
    """``Write-Verbose``: shown only with ``-Verbose`` or ``$VerbosePreference = 'Continue'``."""

    def process(self, ctx: CommandContext) -> None:
        ctx.write_verbose(self.Message or "")


@cmdlet("Write-Debug", synopsis="Writes text to the debug message stream.",
        examples=[('Write-Debug "Row $i read" -Debug', "Prints DEBUG: Row 1 read")])
class WriteDebug(_StreamMessage):
    """``Write-Debug``: shown only with ``-Debug`` or ``$DebugPreference = 'Continue'``."""

    def process(self, ctx: CommandContext) -> None:
        ctx.write_debug(self.Message or "")


@cmdlet("Write-Information", synopsis="Writes to the information stream.",
        examples=[('Write-Information "Unlocked 3 users" -InformationAction Continue', "Prints the text.")])
class WriteInformation(Cmdlet):
    """``Write-Information``: shown only with ``-InformationAction Continue`` or
    ``$InformationPreference = 'Continue'``, as plain text."""

    MessageData = Parameter("object", position=0, mandatory=True, aliases=("Msg",), allow_null=True)
    Tags = Parameter("string[]", position=1)

    def process(self, ctx: CommandContext) -> None:
        ctx.write_information(to_string(self.MessageData))


@cmdlet("Write-Error", default_set="NoException", synopsis="Writes an object to the error stream.",
        examples=[('Write-Error "User not found"', "A non-terminating error; the script goes on.")])
class WriteError(Cmdlet):
    """``Write-Error``: a non-terminating error record attributed to the *caller* (script or function),
    which is why ``command_name`` stays empty and the runtime fills in the invocation."""

    Message = Parameter("string", position=0, mandatory=True, from_pipeline=True, aliases=("Msg",),
                        sets=("NoException", "WithException"), allow_null=True)
    Exception = Parameter("object", mandatory=True, sets=("WithException",))
    ErrorRecord = Parameter("object", mandatory=True, sets=("ErrorRecord",))
    Category = Parameter("ErrorCategory", validate_set=ERROR_CATEGORIES, sets=("NoException", "WithException"))
    ErrorId = Parameter("string", sets=("NoException", "WithException"))
    TargetObject = Parameter("object", sets=("NoException", "WithException"))
    RecommendedAction = Parameter("string")
    CategoryActivity = Parameter("string", aliases=("Activity",))
    CategoryReason = Parameter("string", aliases=("Reason",))
    CategoryTargetName = Parameter("string", aliases=("TargetName",))
    CategoryTargetType = Parameter("string", aliases=("TargetType",))

    def process(self, ctx: CommandContext) -> None:
        if isinstance(self.ErrorRecord, ErrorRecord):
            ctx.write_error(self.ErrorRecord)
            return
        record = self.build_record()
        caller = ctx.calling_invocation()
        if caller is not None:      # 5.1 gives the record $MyInvocation: "f : boom" at the call of f
            record.command_name, record.command_class = caller.shown, caller.name
            record.extent, record.positionless = caller.extent, caller.extent is None
        ctx.write_error(record)

    def build_record(self) -> ErrorRecord:
        """The record 5.1 builds: ``WriteErrorException`` unless the caller says otherwise."""
        message = self.Message
        if message is None and self.Exception is not None:
            message = to_string(self.Exception)
        reason = self.CategoryReason or "WriteErrorException"
        target = self.TargetObject
        if self.CategoryTargetName is not None:
            target = self.CategoryTargetName
        category = _canonical_category(self.Category)
        return ErrorRecord(message=message or "", error_id=self.ErrorId or WRITE_ERROR_ID, category=category,
                           target=target, target_type=self.CategoryTargetType, reason=reason,
                           command_name=None, activity=self.CategoryActivity or "Write-Error",
                           exception_type="Microsoft.PowerShell.Commands.WriteErrorException")


def _canonical_category(category: Any) -> str:
    """ErrorCategory names are case-insensitive on input but shown in their declared spelling."""
    if category is None:
        return "NotSpecified"
    text = to_string(category)
    for name in ERROR_CATEGORIES:
        if name.lower() == text.lower():
            return name
    return text
