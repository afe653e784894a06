"""File-system cmdlets admin scripts use around PIN work: CSV in and out, reading text files, paths.

The CSV text is Windows PowerShell 5.1's (``#TYPE`` line, every non-null field quoted, ``$null``
written as nothing) so that files round-trip with real Skype for Business admin scripts. Every
OS error becomes the ErrorRecord PowerShell would show; no Python traceback escapes.

Chosen behaviours (PowerShell 7 on Linux does the same): files are written with ``\\n`` line ends and
UTF-8 without BOM unless ``-Encoding`` says otherwise; files are read as UTF-8 (BOMs honoured),
falling back to Windows-1252.
"""
from __future__ import annotations

import csv
import errno
import glob
import io
import os
import re
from typing import Any, Iterable, Iterator

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.script_text import decode_text
from csshell.runtime.values import (PSHashtable, PSObject, ScriptBlock, enumerate_value, to_string,
                                    type_name)

from cmdlets.object_properties import has_wildcard, property_names, read_property, record_for, was_bound

ENCODINGS = ("Unknown", "String", "Unicode", "BigEndianUnicode", "UTF8", "UTF7", "UTF32", "ASCII",
             "Default", "OEM", "Byte", "BigEndianUTF32")
_WRITE_CODECS = {"unicode": "utf-16", "bigendianunicode": "utf-16-be", "utf8": "utf-8-sig", "utf7": "utf-7",
                 "utf32": "utf-32", "ascii": "ascii", "default": "cp1252", "oem": "cp437",
                 "bigendianutf32": "utf-32-be", "string": "utf-16", "unknown": "utf-16"}
NEWLINE = "\n"
PSCUSTOMOBJECT = "System.Management.Automation.PSCustomObject"
# explicit: cmdlet._default_class_name reads the "Cs" of "Csv" as a Skype for Business noun
_COMMANDS = "Microsoft.PowerShell.Commands."


# ---------------------------------------------------------------------------------------------
# Path resolution and OS errors as PowerShell words them
# ---------------------------------------------------------------------------------------------

def resolve_paths(ctx: CommandContext, paths: Iterable[Any], literal: bool) -> Iterator[str]:
    """Absolute paths for ``-Path`` (wildcards expanded; no match → nothing) or ``-LiteralPath``, one at a
    time (each path's errors show between the output of the paths before and after it).

    A path that cannot be used at all (a NUL in it; outside a remote session's folder) is a non-terminating
    error of its own, as 5.1's providers report it: the other paths are still read."""
    for raw in paths:
        try:
            path = ctx.resolve_path(to_string(raw))
        except PSError as exc:
            ctx.write_error(exc.record)
            continue
        if not literal and has_wildcard(os.path.basename(path) + os.path.dirname(path)):
            matches = sorted(glob.glob(path))
            yield from (matches if matches else [path])
        else:
            yield path


def resolve_one_file(command: Cmdlet, ctx: CommandContext, raw: Any, must_exist: bool) -> tuple[str, ErrorRecord | None]:
    """``-Path`` of a command that reads or writes exactly one file, resolved as 5.1's PathUtils does: a
    wildcard must match one file (several: ``ReadWriteMultipleFilesNotSupported``; none: ``PathNotFound`` for
    a reader, ``FileOpenFailure`` "did not resolve to a file" for a writer). Returns (path, error or None)."""
    path = ctx.resolve_path(to_string(raw))
    if not has_wildcard(path):
        return path, None
    matches = sorted(glob.glob(path))
    if len(matches) > 1:
        return path, record_for(command, "The path resolved to more than one file; can only process one file.",
                                "ReadWriteMultipleFilesNotSupported", "InvalidArgument",
                                reason="InvalidOperationException")
    if matches:
        return matches[0], None
    if must_exist:
        return path, path_not_found(command, path)
    return path, record_for(command, f"Cannot perform operation because the wildcard path {path} did not resolve "
                                     "to a file.", "FileOpenFailure", "OpenError", target=path,
                            reason="InvalidOperationException")


def path_not_found(command: Cmdlet, path: str) -> ErrorRecord:
    """``Cannot find path 'X' because it does not exist.`` (the provider's ItemNotFoundException)."""
    return record_for(command, f"Cannot find path '{path}' because it does not exist.", "PathNotFound",
                      "ObjectNotFound", target=path, reason="ItemNotFoundException")


def store_file_refusal(command: Cmdlet, ctx: CommandContext, path: str) -> ErrorRecord | None:
    """The session's PathIsStoreFile record (Session.store_file_refusal) for a write to one of its store files,
    attributed to ``command``; None for any other file."""
    try:
        record = ctx.session.store_file_refusal(path)
    except (AttributeError, NotImplementedError):      # a context without a session (unit-test fakes)
        return None
    if record is not None:
        record.command_name, record.command_class = command.name, command.class_name
    return record


# What .NET's IOException says (Windows' FormatMessage text) for the errors a POSIX system reports by errno:
# a PowerShell admin searches for these words, not for Python's ("Input/output error").
_DISK_FULL_TEXT = "There is not enough space on the disk."
WINDOWS_IO_TEXT = {
    errno.EIO: "The request could not be performed because of an I/O device error.",
    errno.EINVAL: "The parameter is incorrect.",
    errno.ENOSPC: _DISK_FULL_TEXT,
    getattr(errno, "EDQUOT", errno.ENOSPC): _DISK_FULL_TEXT,
    errno.EFBIG: _DISK_FULL_TEXT,
    errno.EROFS: "The media is write protected.",
}


def io_error_text(exc: OSError) -> str:
    """The IOException message 5.1 would show for ``exc`` (Python's errno text when Windows has no match)."""
    return WINDOWS_IO_TEXT.get(exc.errno or 0) or exc.strerror or str(exc)


def write_failure_record(command: Cmdlet, path: str, exc: OSError) -> ErrorRecord | None:
    """A failed write (the file was opened) in .NET's words with the path, or None for an error that is not an
    I/O failure of the device (permissions and missing folders read as opening the file does)."""
    if exc.errno not in WINDOWS_IO_TEXT:
        return None
    return record_for(command, f"{io_error_text(exc)} The file '{path}' was not written completely.",
                      "System.IO.IOException", "WriteError", target=path, reason="IOException")


def open_failure(command: Cmdlet, path: str, exc: OSError) -> ErrorRecord:
    """What .NET's FileStream says when Import-/Export-Csv cannot open a file (FileOpenFailure)."""
    if isinstance(exc, FileNotFoundError) and os.path.isdir(os.path.dirname(path) or "."):
        message, reason = f"Could not find file '{path}'.", "FileNotFoundException"
    elif isinstance(exc, (FileNotFoundError, NotADirectoryError)):
        message, reason = f"Could not find a part of the path '{path}'.", "DirectoryNotFoundException"
    elif isinstance(exc, (PermissionError, IsADirectoryError)) or exc.errno in (errno.EACCES, errno.EISDIR):
        message, reason = f"Access to the path '{path}' is denied.", "UnauthorizedAccessException"
    else:
        message, reason = f"{io_error_text(exc).rstrip('.')} : '{path}'", "IOException"
    return record_for(command, message, "FileOpenFailure", "OpenError", reason=reason)


def read_text(path: str, encoding: str | None = None) -> str:
    """File text: ``-Encoding`` if given, else BOM detection, UTF-8, then Windows-1252."""
    with open(path, "rb") as handle:
        data = handle.read()
    if encoding and encoding.lower() in _WRITE_CODECS and encoding.lower() not in ("utf8", "default"):
        return data.decode(_WRITE_CODECS[encoding.lower()], errors="replace")
    return decode_text(data)


def write_codec(encoding: str | None) -> str:
    return _WRITE_CODECS.get((encoding or "").lower(), "utf-8")


# ---------------------------------------------------------------------------------------------
# CSV text (5.1 rules)
# ---------------------------------------------------------------------------------------------

def csv_field(value: Any) -> str:
    """One exported field: nothing for $null, otherwise the ToString() text quoted, ``"`` doubled."""
    if value is None:
        return ""
    if isinstance(value, list):
        text = "System.Object[]"
    elif isinstance(value, (PSHashtable, ScriptBlock)):
        text = type_name(value) if isinstance(value, PSHashtable) else value.text
    else:
        text = to_string(value)
    return '"' + text.replace('"', '""') + '"'


def type_line(value: Any) -> str:
    names = value.type_names if isinstance(value, PSObject) else [type_name(value)]
    return "#TYPE " + (names[0] if names else PSCUSTOMOBJECT)


def header_line(names: list[str], delimiter: str) -> str:
    return delimiter.join(csv_field(n) for n in names)


def row_line(value: Any, names: list[str], delimiter: str) -> str:
    present = {n.lower() for n in property_names(value)}
    return delimiter.join(csv_field(read_property(value, n) if n.lower() in present else None) for n in names)


class CsvTextError(ValueError):
    """Text Python's csv reader refuses even leniently (a field over its size limit): never shown raw."""


def csv_text_error(command: Cmdlet, path: str) -> ErrorRecord:
    """Our wording (5.1's reader never refuses text) for a file Python's csv reader cannot read."""
    return record_for(command, f"The file '{path}' cannot be read as CSV text. Check that it is a CSV file and "
                               "that no field is longer than 131072 characters.", "CannotReadCsvText", "InvalidData",
                      target=path, reason="FormatException")


_LONE_CR = re.compile(r"\r(?!\n)")


def parse_csv(text: str, delimiter: str, header: list[str] | None) -> tuple[str | None, list[str], list[list[str]]]:
    """Split CSV text into (``#TYPE`` name, header, rows); blank lines are skipped.

    As 5.1's reader, a lone CR ends a line too (binary or old Mac files); raises :class:`CsvTextError`
    when the text cannot be read as CSV at all.
    """
    lines = _LONE_CR.sub("\n", text).splitlines(keepends=True)
    type_name_: str | None = None
    if lines and lines[0].startswith("#TYPE"):
        type_name_ = lines[0][5:].strip() or None
        lines = lines[1:]
    reader = csv.reader(io.StringIO("".join(lines)), delimiter=delimiter, strict=False)
    try:
        rows = [row for row in reader if row and not (len(row) == 1 and row[0] == "")]
    except csv.Error as exc:
        raise CsvTextError(str(exc)) from None
    if header is None:
        header = rows.pop(0) if rows else []
    return type_name_, header, rows


# ---------------------------------------------------------------------------------------------
# Import-Csv / Export-Csv / ConvertTo-Csv
# ---------------------------------------------------------------------------------------------

@cmdlet("Import-Csv", aliases=("ipcsv",), default_set="Delimiter", class_name=_COMMANDS + "ImportCsvCommand",
        synopsis="Creates table-like custom objects from the items in a CSV file.",
        examples=[('Import-Csv -Path .\\unlock-list.csv', "One object per row; every value is a string.")])
class ImportCsv(Cmdlet):
    """``Import-Csv``: one PSCustomObject per row, all values strings, missing trailing fields $null."""

    Path = Parameter("string[]", position=0, from_pipeline=True)
    LiteralPath = Parameter("string[]", aliases=("PSPath",), from_pipeline_by_property=True)
    Delimiter = Parameter("char", position=1, sets=("Delimiter",))
    UseCulture = Parameter("switch", mandatory=True, sets=("UseCulture",))
    Header = Parameter("string[]")
    Encoding = Parameter("string", validate_set=ENCODINGS)

    def process(self, ctx: CommandContext) -> None:
        literal = self.LiteralPath is not None
        raw = self.LiteralPath if literal else self.Path
        if raw is None:
            return
        for path in resolve_paths(ctx, enumerate_value(raw), literal):
            self._import(ctx, path)

    def _import(self, ctx: CommandContext, path: str) -> None:
        try:
            text = read_text(path, self.Encoding)
        except OSError as exc:
            ctx.write_error(open_failure(self, path, exc))
            return
        delimiter = to_string(self.Delimiter) if self.Delimiter is not None else ","
        header = [to_string(h) for h in enumerate_value(self.Header)] if self.Header is not None else None
        try:
            type_from_file, names, rows = parse_csv(text, delimiter or ",", header)
        except CsvTextError:
            ctx.write_error(csv_text_error(self, path))
            return
        names = self._check_header(ctx, names)
        type_names = ([f"CSV:{type_from_file}"] if type_from_file else []) + [PSCUSTOMOBJECT]
        for row in rows:
            values = row + [None] * (len(names) - len(row))
            ctx.write_object(PSObject(list(zip(names, values)), type_names=list(type_names)))

    def _check_header(self, ctx: CommandContext, names: list[str]) -> list[str]:
        """Empty column names become H1, H2... (counting the missing ones), with 5.1's warning once per
        command (CSVCommands BuildMshobject); a repeated name is 5.1's 'already present' error."""
        missing = iter(range(1, len(names) + 1))
        fixed = [name if name else f"H{next(missing)}" for name in names]
        if fixed != names and not getattr(self, "_warned_unnamed", False):
            ctx.write_warning('One or more headers were not specified. Default names starting with "H" have been '
                              "used in place of any missing headers.")
            self._warned_unnamed = True
        seen: set[str] = set()
        for name in fixed:
            if name.lower() in seen:
                raise PSError(record_for(self, f'The member "{name}" is already present.',
                                         "AlreadyPresentPSMemberInfoInternalCollectionAdd", "NotSpecified",
                                         reason="ExtendedTypeSystemException"))
            seen.add(name.lower())
        return fixed


class _CsvWriter(Cmdlet):
    """Shared by Export-Csv and ConvertTo-Csv: header from the first object, then one line per object."""

    InputObject = Parameter("psobject", mandatory=True, from_pipeline=True)
    Delimiter = Parameter("char", position=1, sets=("Delimiter",))
    UseCulture = Parameter("switch", mandatory=True, sets=("UseCulture",))
    NoTypeInformation = Parameter("switch", aliases=("NTI",))

    def _delimiter(self) -> str:
        return to_string(self.Delimiter) if self.Delimiter is not None else ","

    def csv_lines(self, obj: Any) -> list[str]:
        """The lines this object adds: type and header before the first row, then its row."""
        lines: list[str] = []
        if getattr(self, "_names", None) is None:
            self._names = property_names(obj)
            if not self.NoTypeInformation:
                lines.append(type_line(obj))
            lines.append(header_line(self._names, self._delimiter()))
        lines.append(row_line(obj, self._names, self._delimiter()))
        return lines


@cmdlet("ConvertTo-Csv", default_set="Delimiter", class_name=_COMMANDS + "ConvertToCsvCommand",
        synopsis="Converts objects into a series of CSV strings.",
        examples=[("Get-CsClientPinInfo | ConvertTo-Csv -NoTypeInformation", "CSV lines as strings.")])
class ConvertToCsv(_CsvWriter):
    """``ConvertTo-Csv``: Export-Csv's text as strings on the pipeline."""

    InputObject = Parameter("psobject", position=0, mandatory=True, from_pipeline=True)

    def process(self, ctx: CommandContext) -> None:
        if was_bound(self, "InputObject") and self.InputObject is not None:
            for line in self.csv_lines(self.InputObject):
                ctx.write_object(line)


@cmdlet("Export-Csv", aliases=("epcsv",), supports_should_process=True, default_set="Delimiter",
        class_name=_COMMANDS + "ExportCsvCommand",
        synopsis="Converts objects into a series of CSV strings and saves them in a file.",
        examples=[("Get-CsClientPinInfo | Export-Csv -Path pins.csv -NoTypeInformation",
                   "Saves PIN state for a report.")])
class ExportCsv(_CsvWriter):
    """``Export-Csv``: the file is created (or emptied) at the start, one line appended per object."""

    Path = Parameter("string", position=0)
    LiteralPath = Parameter("string", aliases=("PSPath",))
    Force = Parameter("switch")
    NoClobber = Parameter("switch", aliases=("NoOverwrite",))
    Encoding = Parameter("string", validate_set=ENCODINGS)
    Append = Parameter("switch")

    def begin(self, ctx: CommandContext) -> None:
        raw = self.LiteralPath if self.LiteralPath is not None else self.Path
        if raw is None or (self.Path is not None and self.LiteralPath is not None):
            raise PSError(record_for(self, "You must specify either the -Path or -LiteralPath parameters, "
                                     "but not both.", "CannotSpecifyPathAndLiteralPath", "InvalidData",
                                     reason="InvalidOperationException"))
        self._path = ctx.resolve_path(to_string(raw))
        refusal = store_file_refusal(self, ctx, self._path)
        if refusal is not None:
            raise PSError(refusal)
        self._codec = write_codec(self.Encoding)
        self._names = None
        self._active = ctx.should_process(self._path)
        if not self._active:
            return
        if self.Append and os.path.isfile(self._path) and os.path.getsize(self._path) > 0:
            self._names = self._existing_header()
            return
        if self.NoClobber and os.path.exists(self._path):
            raise PSError(record_for(self, f"The file '{self._path}' already exists.", "NoClobber",
                                     "ResourceExists", target=self._path, reason="IOException"))
        self._write([], mode="w")

    def _existing_header(self) -> list[str]:
        try:
            text = read_text(self._path, self.Encoding)
        except OSError as exc:
            raise PSError(open_failure(self, self._path, exc)) from None
        try:
            return parse_csv(text, self._delimiter(), None)[1]
        except CsvTextError:
            raise PSError(csv_text_error(self, self._path)) from None

    def process(self, ctx: CommandContext) -> None:
        if not self._active or not was_bound(self, "InputObject") or self.InputObject is None:
            return
        obj = self.InputObject
        if self.Append and self._names is not None and not self.Force:
            present = {n.lower() for n in property_names(obj)}
            missing = [n for n in self._names if n.lower() not in present]
            if missing:
                raise PSError(record_for(
                    self, f"Cannot append CSV content to the following file: {self._path}. The appended object "
                    f"does not have a property that corresponds to the following column: {missing[0]}. To "
                    "continue with mismatched properties, add the -Force parameter, and then retry the command.",
                    "CannotAppendCsvWithMismatchedPropertyNames", "InvalidData", target=missing[0],
                    reason="InvalidOperationException"))
        self._write(self.csv_lines(obj), mode="a")

    def _write(self, lines: list[str], mode: str) -> None:
        codec = self._codec
        if mode == "a" and codec in ("utf-8-sig", "utf-16", "utf-32") and os.path.exists(self._path) \
                and os.path.getsize(self._path) > 0:
            codec = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}[codec]
        try:
            with open(self._path, mode, encoding=codec, errors="replace", newline="") as handle:
                try:
                    handle.write("".join(line + NEWLINE for line in lines))
                    handle.flush()
                except OSError as exc:          # opened, then the write failed: a write error, not an open one
                    raise PSError(write_failure_record(self, self._path, exc)
                                  or open_failure(self, self._path, exc)) from None
        except OSError as exc:
            raise PSError(open_failure(self, self._path, exc)) from None


# ---------------------------------------------------------------------------------------------
# Get-Content, Join-Path, Test-Path
# ---------------------------------------------------------------------------------------------

@cmdlet("Get-Content", aliases=("gc", "cat", "type"), default_set="Path",
        synopsis="Gets the content of the item at the specified location.",
        examples=[("Get-Content .\\users.txt | ForEach-Object { Unlock-CsClientPin $_ }",
                   "One identity per line.")])
class GetContent(Cmdlet):
    """``Get-Content``: a file's lines (no line ends), or the whole text with ``-Raw``."""

    Path = Parameter("string[]", position=0, mandatory=True, from_pipeline_by_property=True, sets=("Path",))
    LiteralPath = Parameter("string[]", mandatory=True, aliases=("PSPath",), from_pipeline_by_property=True,
                            sets=("LiteralPath",))
    TotalCount = Parameter("long", aliases=("First", "Head"), default=-1)
    Tail = Parameter("int", aliases=("Last",))
    Raw = Parameter("switch")
    Encoding = Parameter("string", validate_set=ENCODINGS)
    ReadCount = Parameter("long", default=1)

    def process(self, ctx: CommandContext) -> None:
        literal = self.LiteralPath is not None
        raw = self.LiteralPath if literal else self.Path
        for path in resolve_paths(ctx, enumerate_value(raw), literal):
            self._read(ctx, path)

    def _read(self, ctx: CommandContext, path: str) -> None:
        if not os.path.exists(path):
            ctx.write_error(path_not_found(self, path))
            return
        try:
            if os.path.isdir(path):
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            text = read_text(path, self.Encoding)
        except OSError:
            ctx.write_error(record_for(self, f"Access to the path '{path}' is denied.",
                                       "GetContentReaderUnauthorizedAccessError", "PermissionDenied",
                                       target=path, reason="UnauthorizedAccessException"))
            return
        if self.Raw:
            if text:
                ctx.write_object(text)
            return
        lines = text.splitlines()
        if self.TotalCount is not None and self.TotalCount >= 0:
            lines = lines[:self.TotalCount]
        if self.Tail is not None and self.Tail >= 0:
            lines = lines[-self.Tail:] if self.Tail else []
        for line in lines:
            ctx.write_object(line)


@cmdlet("Join-Path", synopsis="Combines a path and a child path into a single path.",
        examples=[('Join-Path $PSScriptRoot "unlock-list.csv"', "The CSV next to the running script.")])
class JoinPath(Cmdlet):
    """``Join-Path``: string work only; the separator is ``/`` and a ``\\`` written by the user stays."""

    Path = Parameter("string[]", position=0, mandatory=True, from_pipeline=True, from_pipeline_by_property=True,
                     aliases=("PSPath",))
    ChildPath = Parameter("string", position=1, mandatory=True, from_pipeline_by_property=True, allow_null=True)
    Resolve = Parameter("switch")

    def process(self, ctx: CommandContext) -> None:
        for parent in enumerate_value(self.Path):
            joined = join_path(to_string(parent), to_string(self.ChildPath))
            if self.Resolve:
                resolved = ctx.resolve_path(joined)
                if not os.path.exists(resolved):
                    ctx.write_error(path_not_found(self, resolved))
                    continue
                joined = resolved
            ctx.write_object(joined)


def join_path(parent: str, child: str) -> str:
    """``parent`` + one separator + ``child``, keeping whichever separator the user already wrote."""
    if not child:
        return parent
    if not parent:
        return child
    seps = "/\\"
    if parent[-1] in seps:
        return parent + child.lstrip(seps)
    if child[0] in seps:
        return parent + child[0] + child.lstrip(seps)
    return parent + "/" + child


@cmdlet("Test-Path", default_set="Path", synopsis="Determines whether all elements of a path exist.",
        examples=[('if (Test-Path .\\pins.csv) { Import-Csv .\\pins.csv }', "Reads the file only if it is there.")])
class TestPath(Cmdlet):
    """``Test-Path``: True/False per path; ``-PathType Leaf`` wants a file, ``Container`` a folder."""

    __test__ = False    # the class name starts with "Test"; keep pytest from collecting it

    Path = Parameter("string[]", position=0, mandatory=True, from_pipeline=True, from_pipeline_by_property=True,
                     sets=("Path",))
    LiteralPath = Parameter("string[]", mandatory=True, aliases=("PSPath",), from_pipeline_by_property=True,
                            sets=("LiteralPath",))
    PathType = Parameter("TestPathType", validate_set=("Any", "Container", "Leaf"), aliases=("Type",),
                         default="Any")
    IsValid = Parameter("switch")

    def process(self, ctx: CommandContext) -> None:
        literal = self.LiteralPath is not None
        for raw in enumerate_value(self.LiteralPath if literal else self.Path):
            text = to_string(raw)
            if self.IsValid:
                ctx.write_object("\0" not in text and text != "")
                continue
            try:
                path = ctx.resolve_path(text) if text else ""
            except PSError as exc:          # a NUL in it; outside a remote session's folder
                ctx.write_error(exc.record)
                continue
            candidates = [path] if literal or not has_wildcard(text) else glob.glob(path)
            ctx.write_object(any(self._matches(p) for p in candidates))

    def _matches(self, path: str) -> bool:
        kind = to_string(self.PathType or "Any").lower()
        if kind == "leaf":
            return os.path.isfile(path)
        if kind == "container":
            return os.path.isdir(path)
        return os.path.exists(path)
