"""Export-CsDirectory (emulator extension): write the directory as a file Import-CsDirectory reads back.

Every user, enabled or not, with the import columns and the PIN *state* (IsPinSet, IsLockedOut,
LastPinChangeTime, PinExpirationTime) — never a PIN or a PIN hash. Export, import into another
store, export again: the same bytes (see csshell/store/exporter.py for the text forms). Exporting
only reads the store, so it is not audited. Like Export-Csv, an existing file is replaced unless
-NoClobber; -WhatIf writes nothing.
"""
from __future__ import annotations

import os
from typing import Any

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.values import to_string
from csshell.store.exporter import DIRECTORY_COLUMNS, FORMATS, format_for, write_text

from cmdlets.files import open_failure, resolve_one_file, store_file_refusal, write_failure_record
from cmdlets.users import directory_of

FORMAT_HELP = "Csv or Json; by default Json for a .json path, else Csv."


class FileExportCommand(Cmdlet):
    """The file parameters every export extension shares (read by :func:`export_path`)."""
    Path = Parameter("string", position=0, mandatory=True, help="The file to write (replaced if it exists).")
    Format = Parameter("string", validate_set=FORMATS, help=FORMAT_HELP)
    NoClobber = Parameter("switch", aliases=("NoOverwrite",), help="Do not replace an existing file.")


def export_path(command: Cmdlet, ctx: CommandContext) -> str | None:
    """The absolute target path of ``command.Path``, or None after a -NoClobber refusal or -WhatIf."""
    path, problem = resolve_one_file(command, ctx, command.Path, must_exist=False)
    if problem is not None:
        raise PSError(problem)
    refusal = store_file_refusal(command, ctx, path)
    if refusal is not None:
        raise PSError(refusal)
    if command.NoClobber and os.path.exists(path):
        ctx.error(f"The file '{path}' already exists.", "NoClobber", "ResourceExists", target=path,
                  target_type="String", reason="IOException")
        return None
    return path if ctx.should_process(path) else None


def write_export(command: Cmdlet, path: str, text: str) -> None:
    """Write the export, turning an OS error into the record Export-Csv would show (terminating)."""
    try:
        write_text(path, text)
    except OSError as exc:
        raise PSError(write_failure(command, path, exc)) from None


def write_failure(command: Cmdlet, path: str, exc: OSError) -> ErrorRecord:
    """A full disk (or quota), an I/O error ... in .NET's words, with the path; other failures as opening the file.

    5.1 reports a full disk with the IOException text "There is not enough space on the disk.";
    Python's errno text (``No space left on device``) is not what a PowerShell admin searches for.
    """
    return write_failure_record(command, path, exc) or open_failure(command, path, exc)


def _format(value: Any) -> str | None:
    return None if value is None else to_string(value)


@cmdlet("Export-CsDirectory", supports_should_process=True, extension=True,
        class_name="Csshell.Commands.ExportCsDirectoryCommand",
        synopsis="(csshell extension) Writes every directory user and their PIN state to a CSV or JSON file "
                 "that Import-CsDirectory reads.",
        description="Columns: " + ", ".join(DIRECTORY_COLUMNS) + ". Users not enabled for Skype for Business "
                    "are included. No PIN and no PIN hash is ever written: a PIN that is set shows as "
                    "IsPinSet True. Import-CsDirectory keeps a user's stored PIN when a row says IsPinSet "
                    "True without a Pin.",
        examples=(("Export-CsDirectory -Path .\\directory.csv", "Saves the directory as CSV."),
                  ("Export-CsDirectory .\\backup.json", "Saves it as JSON (chosen by the extension)."),
                  ("Export-CsDirectory .\\users.txt -Format Json -NoClobber",
                   "JSON whatever the extension; refuses to replace an existing file.")))
class ExportCsDirectory(FileExportCommand):

    def process(self, ctx: CommandContext) -> None:
        path = export_path(self, ctx)
        if path is None:
            return
        write_export(self, path, directory_of(ctx).export_text(format_for(path, _format(self.Format))))
