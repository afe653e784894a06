"""Import-CsDirectory (emulator extension): load the directory from a CSV or JSON file.

The file replaces the directory's users (PIN policies and the audit trail are kept); users who stay
keep their PIN hash and what else a file cannot carry (csshell/store/import_plan.py). Every row is
validated first; each bad line is reported once, with the file and line number, and nothing is
imported (said once, on the last record). A file without users is refused rather than emptying the
directory. -WhatIf reads, validates and plans the import just the same (row errors, What-if line,
summary) but writes nothing. PINs in the file are stored only as salted hashes. The output is one summary object:
the directory's size afterwards and how many users were added, updated, unchanged and removed.
"""
from __future__ import annotations

import os
from collections.abc import Iterable

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import ErrorRecord, INVALID_ARGUMENT, INVALID_DATA, OBJECT_NOT_FOUND, READ_ERROR
from csshell.runtime.should_process import what_if
from csshell.runtime.values import PSObject, to_string
from csshell.store.directory import ImportSummary
from csshell.store.errors import DirectoryImportError
from csshell.store.import_plan import missing_pin_policies, preview_import, require_users
from csshell.store.importer import read_directory_file
from csshell.store.policy import name_problem

from cmdlets.files import resolve_one_file
from cmdlets.users import acting, directory_of

SUMMARY_TYPE = "Csshell.DirectoryImportResult"


@cmdlet("Import-CsDirectory", supports_should_process=True, extension=True, outputs=SUMMARY_TYPE,
        class_name="Csshell.Commands.ImportCsDirectoryCommand",
        synopsis="(csshell extension) Replaces the emulated directory with the users in a CSV or JSON file.",
        description="Columns: DisplayName, FirstName, LastName, SamAccountName, Domain, UserPrincipalName, "
                    "SipAddress, DistinguishedName, LineURI, Title, Department, City, "
                    "EnterpriseVoiceEnabled, RegistrarPool, Site, PinPolicy, IsPinSet, IsLockedOut, Pin, "
                    "LastPinChangeTime, PinExpirationTime (ISO dates); Export-CsDirectory writes them. Users "
                    "without a SipAddress are not enabled for Skype for Business. Users already in the "
                    "directory (matched by domain\\logon, then UPN, SIP address or DN) keep their PIN when "
                    "a row says IsPinSet True without a Pin, and keep the stored value of a column the file "
                    "does not have. Writes a summary: Users, EnabledUsers, PinsSet, Added, Updated, "
                    "Unchanged, Removed. With -WhatIf the file is read and checked and the same summary is written, but "
                    "nothing is imported.",
        examples=(("Import-CsDirectory -Path .\\directory.csv", "Loads the directory from a CSV file."),
                  ("Import-CsDirectory .\\backup.json", "Loads a file written by Export-CsDirectory.")))
class ImportCsDirectory(Cmdlet):
    Path = Parameter("string", position=0, mandatory=True, help="The CSV or JSON directory file.")
    PassThru = Parameter("switch", help="Accepted for older scripts: the summary object is always written.")

    def process(self, ctx: CommandContext) -> None:
        path, problem = _resolve(self, ctx)
        if problem is not None:
            ctx.write_error(problem)
            return
        if os.path.isdir(path):
            ctx.error(f"Cannot import '{path}' because it is a folder, not a file. Give the path of a CSV "
                      "or JSON directory file.", "PathIsFolder", INVALID_ARGUMENT, target=path,
                      target_type="String", reason="ArgumentException")
            return
        if not os.path.exists(path):        # a device (/dev/null) exists: reading it says what it holds
            ctx.error(f"Cannot find path '{path}' because it does not exist.", "PathNotFound",
                      OBJECT_NOT_FOUND, target=path, target_type="String", reason="ItemNotFoundException")
            return
        directory = directory_of(ctx)
        try:
            seeds = read_directory_file(path)          # validated first: -WhatIf and -Confirm see the same errors
            require_users(seeds, path)
            if not ctx.should_process(path, self.name):
                if what_if(ctx):
                    self._preview(ctx, seeds, path)
                return
            actor, origin = acting(ctx)
            summary = directory.import_users(seeds, path, actor, origin)
        except DirectoryImportError as exc:
            _report_problems(ctx, exc)
            return
        except OSError as exc:
            ctx.error(f"Cannot read '{path}': {exc.strerror}.", "DirectoryImportReadError", READ_ERROR,
                      target=path, target_type="String", reason="IOException")
            return
        _warn_missing_policies(ctx, (user.get("PinPolicy") for user in directory.users(enabled_only=False)))
        ctx.write_object(summary_object(summary))

    @staticmethod
    def _preview(ctx: CommandContext, seeds: list, path: str) -> None:
        """-WhatIf (after its What-if line): the warnings and the summary the import would give; nothing is written."""
        stored = [dict(user.doc) for user in directory_of(ctx).users(enabled_only=False)]
        plan = preview_import(seeds, stored, path)
        _warn_missing_policies(ctx, (doc.get("PinPolicy") for doc in plan.docs))
        ctx.write_object(summary_object(ImportSummary(
            path, len(plan.docs), sum(1 for d in plan.docs if d.get("SipAddress")),
            sum(1 for d in plan.docs if d.get("IsPinSet")), plan.added, plan.updated, plan.unchanged, plan.removed)))


def _warn_missing_policies(ctx: CommandContext, assigned: Iterable[str | None]) -> None:
    """One WARNING per per-user PIN policy the imported users name but the store lacks (an export loaded into
    a fresh store): the users are kept as they are, since Grant-CsPinPolicy can fix them later and
    New-CsPinPolicy can create the policy, and meanwhile they get their site's or the global policy."""
    directory = directory_of(ctx)
    existing = (policy.identity for policy in directory.pin_policies())
    for name, count in missing_pin_policies(assigned, existing).items():
        users = "1 user is" if count == 1 else f"{count} users are"
        remedy = ("they are granted an existing one (Grant-CsPinPolicy)" if name_problem(name) else
                  f'it is created (New-CsPinPolicy -Identity "{name}") or they are granted another one '
                  "(Grant-CsPinPolicy)")
        ctx.write_warning(f'{users} assigned the per-user PIN policy "{name}", which does not exist: they get '
                          f"their site's or the global PIN policy until {remedy}.")


def summary_object(summary: ImportSummary) -> PSObject:
    """What Import-CsDirectory writes (eight properties: PowerShell shows it as a list)."""
    return PSObject([("Path", summary.path), ("Users", summary.users), ("EnabledUsers", summary.enabled),
                     ("PinsSet", summary.pins), ("Added", summary.added), ("Updated", summary.updated),
                     ("Unchanged", summary.unchanged), ("Removed", summary.removed)],
                    type_names=[SUMMARY_TYPE])


def _report_problems(ctx: CommandContext, exc: DirectoryImportError) -> None:
    """One record per bad line; only the last says that nothing was imported."""
    last = len(exc.problems) - 1
    for number, problem in enumerate(exc.problems):
        suffix = " Nothing was imported." if number == last and problem.line is not None else ""
        whole_file = problem.line is None
        ctx.error(str(problem) + suffix, "DirectoryImportNoUsers" if whole_file else "DirectoryImportInvalidRow",
                  INVALID_DATA, target=problem.path if whole_file else f"{problem.path}:{problem.line}",
                  target_type="String", reason="InvalidDataException")


def _resolve(command: Cmdlet, ctx: CommandContext) -> tuple[str, ErrorRecord | None]:
    """The file to read: a wildcard must match exactly one file, as 5.1's -Path resolves it."""
    try:
        return resolve_one_file(command, ctx, command.Path, must_exist=True)
    except NotImplementedError:
        return os.path.abspath(to_string(command.Path)), None
