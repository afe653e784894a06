"""Import-CsDirectory (emulator extension): load the directory from a CSV or JSON file.

The file replaces the directory's users (PIN policies and the audit trail are kept). Every row is
validated first; each bad line is reported once, with the file and line number, and nothing is
imported (said once, on the last record). A file without users is refused rather than emptying the
directory. PINs in the file are stored only as salted hashes. No output unless -PassThru.
"""
from __future__ import annotations

import os

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_DATA, OBJECT_NOT_FOUND, READ_ERROR
from csshell.runtime.values import PSObject, to_string
from csshell.store.errors import DirectoryImportError

from cmdlets.users import acting, directory_of

SUMMARY_TYPE = "Csshell.DirectoryImportResult"


@cmdlet("Import-CsDirectory", supports_should_process=True, extension=True, outputs=SUMMARY_TYPE,
        class_name="Csshell.Commands.ImportCsDirectoryCommand",
        synopsis="(csshell extension) Replaces the emulated directory with the users in a CSV or JSON file.",
        description="Columns: DisplayName, FirstName, LastName, SamAccountName, Domain, UserPrincipalName, "
                    "SipAddress, DistinguishedName, LineURI, Title, Department, City, "
                    "EnterpriseVoiceEnabled, RegistrarPool, IsPinSet, IsLockedOut, Pin, "
                    "LastPinChangeTime, PinExpirationTime (ISO dates). Users without a SipAddress are "
                    "not enabled for Skype for Business.",
        examples=(("Import-CsDirectory -Path .\\directory.csv", "Loads the directory from a CSV file."),
                  ("Import-CsDirectory .\\directory.json -PassThru", "Loads a JSON file and shows a summary.")))
class ImportCsDirectory(Cmdlet):
    Path = Parameter("string", position=0, mandatory=True, help="The CSV or JSON directory file.")
    PassThru = Parameter("switch", help="Write a summary object (path and counts).")

    def process(self, ctx: CommandContext) -> None:
        path = _resolve(ctx, to_string(self.Path))
        if os.path.isdir(path):
            ctx.error(f"Cannot import '{path}' because it is a folder, not a file. Give the path of a CSV "
                      "or JSON directory file.", "PathIsFolder", INVALID_ARGUMENT, target=path,
                      target_type="String", reason="ArgumentException")
            return
        if not os.path.isfile(path):
            ctx.error(f"Cannot find path '{path}' because it does not exist.", "PathNotFound",
                      OBJECT_NOT_FOUND, target=path, target_type="String", reason="ItemNotFoundException")
            return
        if not ctx.should_process(path, self.name):
            return
        actor, origin = acting(ctx)
        try:
            summary = directory_of(ctx).import_file(path, actor, origin)
        except DirectoryImportError as exc:
            _report_problems(ctx, exc)
            return
        except OSError as exc:
            ctx.error(f"Cannot read '{path}': {exc.strerror}.", "DirectoryImportReadError", READ_ERROR,
                      target=path, target_type="String", reason="IOException")
            return
        if self.PassThru:
            ctx.write_object(PSObject([("Path", summary.path), ("Users", summary.users),
                                       ("EnabledUsers", summary.enabled), ("PinsSet", summary.pins)],
                                      type_names=[SUMMARY_TYPE]))


def _report_problems(ctx: CommandContext, exc: DirectoryImportError) -> None:
    """One record per bad line; only the last says that nothing was imported."""
    last = len(exc.problems) - 1
    for number, problem in enumerate(exc.problems):
        suffix = " Nothing was imported." if number == last and problem.line is not None else ""
        whole_file = problem.line is None
        ctx.error(str(problem) + suffix, "DirectoryImportNoUsers" if whole_file else "DirectoryImportInvalidRow",
                  INVALID_DATA, target=problem.path if whole_file else f"{problem.path}:{problem.line}",
                  target_type="String", reason="InvalidDataException")


def _resolve(ctx: CommandContext, path: str) -> str:
    try:
        return ctx.resolve_path(path)
    except NotImplementedError:
        return os.path.abspath(path)
