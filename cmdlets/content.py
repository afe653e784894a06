"""Out-File, Set-Content and Add-Content: writing what a script produced to a text file.

Out-File writes what Out-Default would show (tables and lists as on screen), Set-/Add-Content write
each value's ``ToString()`` on its own line. Chosen, as in files.py and as PowerShell 7 does on Linux:
files are written UTF-8 without BOM with ``\\n`` line ends unless ``-Encoding`` says otherwise
(``UTF8`` writes a BOM, as 5.1 does; 5.1's own default would be UTF-16 for Out-File, ANSI for
Set-Content). OS failures become the ErrorRecords 5.1 shows: Out-File's are terminating
(FileOpenFailure), the content cmdlets' are not (GetContentWriter...Error).
"""
from __future__ import annotations

import errno
import os
from typing import Any, TextIO

from cmdlets.files import (ENCODINGS, NEWLINE, io_error_text, open_failure, resolve_paths, store_file_refusal,
                           write_codec, write_failure_record)
from cmdlets.object_properties import record_for, was_bound
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.formatting import OutputFormatter, session_format_settings
from csshell.runtime.values import enumerate_value, to_string

_COMMANDS = "Microsoft.PowerShell.Commands."


class TextFileWriter:
    """Out-Default text of a stream of objects, written to a file as it arrives (Out-File, Tee-Object)."""

    def __init__(self, handle: TextIO, width: int, limit: int, no_newline: bool = False,
                 command: Cmdlet | None = None, path: str = "") -> None:
        self.handle = handle
        self.formatter = OutputFormatter(width, limit)
        self.no_newline = no_newline
        self.command = command
        self.path = path

    @classmethod
    def open(cls, command: Cmdlet, ctx: CommandContext, path: str, append: bool, encoding: str | None = None,
             width: int | None = None, no_newline: bool = False) -> TextFileWriter:
        """Open (create/truncate or append) ``path``; failure is Out-File's terminating FileOpenFailure."""
        console_width, limit = session_format_settings(_session(ctx))
        refusal = store_file_refusal(command, ctx, path)
        if refusal is not None:
            ctx.throw_error(refusal)
            raise PSError(refusal)
        try:
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            # kept open across begin/process/end: the file fills as objects arrive, closed in close()
            handle = open(path, "a" if append else "w", encoding=write_codec(encoding), newline="")  # noqa: SIM115
        except OSError as exc:
            ctx.throw_error(open_failure(command, path, exc))
            raise
        return cls(handle, width or console_width, limit, no_newline, command, path)

    def write(self, value: Any) -> None:
        self._emit(self.formatter.feed(value))

    def close(self) -> None:
        try:
            self._emit(self.formatter.flush())
        finally:
            try:
                self.handle.close()
            except OSError as exc:
                raise self._failure(exc) from None

    def _emit(self, text: str) -> None:
        if text:
            try:
                self.handle.write(text.replace(NEWLINE, "") if self.no_newline else text)
            except OSError as exc:
                raise self._failure(exc) from None

    def _failure(self, exc: OSError) -> Exception:
        """A failed write (an I/O error, a full disk) as the record 5.1 shows, not Python's errno text."""
        if self.command is None:
            return exc
        return PSError(write_failure_record(self.command, self.path, exc)
                       or open_failure(self.command, self.path, exc))


def _session(ctx: CommandContext) -> Any:
    try:
        return ctx.session
    except (NotImplementedError, AttributeError):
        return None


@cmdlet("Out-File", class_name=_COMMANDS + "OutFileCommand", default_set="ByPath",
        synopsis="Sends output to a file.",
        description="Writes what the console would show for the input objects to a file: strings one per line, "
                    "objects as their table or list. Files are UTF-8 without BOM unless -Encoding says otherwise.",
        examples=[("Get-CsUser | Get-CsClientPinInfo | Out-File .\\pin-report.txt",
                   "Saves the PIN report table as text."),
                  ('"Run finished" | Out-File -FilePath .\\unlock.log -Append', "Adds one line to a log.")])
class OutFile(Cmdlet):
    """``Out-File``: the file is opened (truncated) before the first object, closed after the last."""

    FilePath = Parameter("string", position=0, mandatory=True, aliases=("Path",), sets=("ByPath",),
                         help="The file to write.")
    LiteralPath = Parameter("string", mandatory=True, aliases=("PSPath",), sets=("ByLiteralPath",),
                            help="The file to write; no wildcard characters are interpreted.")
    Encoding = Parameter("string", position=1, validate_set=ENCODINGS, help="The file encoding (default UTF-8).")
    Append = Parameter("switch", help="Adds the output to the end of the file.")
    Force = Parameter("switch", help="Accepted for compatibility.")
    NoClobber = Parameter("switch", aliases=("NoOverwrite",), help="Refuses to overwrite an existing file.")
    Width = Parameter("int", help="Characters per line for tables and lists (default: the console width).")
    NoNewline = Parameter("switch", help="Writes no line breaks at all.")
    InputObject = Parameter("psobject", from_pipeline=True, allow_null=True, help="The objects to write.")

    def begin(self, ctx: CommandContext) -> None:
        path = ctx.resolve_path(to_string(self.LiteralPath if self.LiteralPath is not None else self.FilePath))
        if self.NoClobber and not self.Append and os.path.exists(path):
            ctx.throw_error(record_for(self, f"The file '{path}' already exists.", "NoClobber", "ResourceExists",
                                       target=path, reason="IOException"))
        if self.Width is not None and self.Width < 2:
            ctx.throw_error(record_for(self, f"Cannot validate argument on parameter 'Width'. The {self.Width} "
                                             "argument is less than the minimum allowed range of 2. Supply an "
                                             "argument that is greater than or equal to 2 and then try the "
                                             "command again.", "ParameterArgumentValidationError",
                                       "InvalidData", reason="ParameterBindingValidationException"))
        self.writer = TextFileWriter.open(self, ctx, path, bool(self.Append), self.Encoding, self.Width,
                                          bool(self.NoNewline))

    def process(self, ctx: CommandContext) -> None:
        if was_bound(self, "InputObject") and self.InputObject is not None:
            self.writer.write(self.InputObject)

    def end(self, ctx: CommandContext) -> None:
        self.writer.close()


class _ContentWriter(Cmdlet):
    """Set-Content and Add-Content: ``ToString()`` of each value on its own line."""

    append = False
    action = "Set Content"

    def begin(self, ctx: CommandContext) -> None:
        self.opened: set[str] = set()

    def process(self, ctx: CommandContext) -> None:
        literal = self.LiteralPath is not None
        lines = [to_string(v) for v in enumerate_value(self.Value)]
        text = "".join(lines) if self.NoNewline else "".join(line + NEWLINE for line in lines)
        for path in resolve_paths(ctx, enumerate_value(self.LiteralPath if literal else self.Path), literal):
            self._write(ctx, path, text)
        if self.PassThru:
            ctx.write_object(self.Value, enumerate_collection=True)

    def _write(self, ctx: CommandContext, path: str, text: str) -> None:
        mode = "a" if self.append or path in self.opened else "w"
        refusal = store_file_refusal(self, ctx, path)
        if refusal is not None:
            ctx.write_error(refusal)
            return
        if path not in self.opened and not ctx.should_process(f"Path: {path}", self.action):
            return
        try:
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            with open(path, mode, encoding=write_codec(self.Encoding), newline="") as handle:
                handle.write(text)
        except OSError as exc:
            ctx.write_error(self.writer_error(path, exc))
            return
        self.opened.add(path)

    def writer_error(self, path: str, exc: OSError) -> ErrorRecord:
        """What the FileSystem provider's content writer reports, as 5.1 words it."""
        if isinstance(exc, (FileNotFoundError, NotADirectoryError)):
            return record_for(self, f"Could not find a part of the path '{path}'.",
                              "GetContentWriterDirectoryNotFoundError", "ObjectNotFound", target=path,
                              reason="DirectoryNotFoundException")
        if isinstance(exc, (PermissionError, IsADirectoryError)):
            return record_for(self, f"Access to the path '{path}' is denied.",
                              "GetContentWriterUnauthorizedAccessError", "PermissionDenied", target=path,
                              reason="UnauthorizedAccessException")
        return record_for(self, f"{io_error_text(exc).rstrip('.')} : '{path}'", "GetContentWriterIOError", "WriteError",
                          target=path, reason="IOException")


def _content_parameters() -> dict[str, Parameter]:
    """The parameters Set-Content and Add-Content share (fresh objects for each class)."""
    return {
        "Path": Parameter("string[]", position=0, mandatory=True, from_pipeline_by_property=True, sets=("Path",),
                          help="The file(s) to write; wildcards allowed."),
        "LiteralPath": Parameter("string[]", mandatory=True, aliases=("PSPath",), from_pipeline_by_property=True,
                                 sets=("LiteralPath",), help="The file(s) to write, taken literally."),
        "Value": Parameter("object[]", position=1, mandatory=True, from_pipeline=True, from_pipeline_by_property=True,
                           allow_null=True, help="The content: one line per value."),
        "Encoding": Parameter("string", validate_set=ENCODINGS, help="The file encoding (default UTF-8)."),
        "NoNewline": Parameter("switch", help="Writes the values joined, with no line breaks."),
        "PassThru": Parameter("switch", help="Also sends the values down the pipeline."),
        "Force": Parameter("switch", help="Accepted for compatibility."),
    }


def _with_content_parameters(cls: type[Cmdlet]) -> type[Cmdlet]:
    for name, parameter in _content_parameters().items():
        parameter.name = name
        setattr(cls, name, parameter)
    return cls


@cmdlet("Set-Content", supports_should_process=True, class_name=_COMMANDS + "SetContentCommand", default_set="Path",
        synopsis="Writes new content or replaces existing content in a file.",
        examples=[('Get-CsUser | ForEach-Object { $_.SipAddress } | Set-Content .\\sip.txt',
                   "One SIP address per line; the file is replaced."),
                  ('Set-Content -Path .\\note.txt -Value "Locked", "Unlocked"', "Two lines.")])
@_with_content_parameters
class SetContent(_ContentWriter):
    """``Set-Content``: the first value written in a pipeline replaces the file, the rest follow it."""


@cmdlet("Add-Content", aliases=("ac",), supports_should_process=True, class_name=_COMMANDS + "AddContentCommand",
        default_set="Path", synopsis="Adds content to the specified file.",
        examples=[('Add-Content -Path .\\unlock.log -Value "$(Get-Date) unlocked Ken Myer"',
                   "Appends one line to a log file (created if missing).")])
@_with_content_parameters
class AddContent(_ContentWriter):
    """``Add-Content``: appends; the file is created if it does not exist."""

    append = True
    action = "Add Content"
