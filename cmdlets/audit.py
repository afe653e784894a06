"""Get-CsAuditEntry and Export-CsAuditEntry (emulator extensions): read the store's audit trail.

The real product keeps its administrative audit elsewhere (the Windows event log, the Lync Server
Management Shell log); the emulator's trail lives in the store (csshell/store/audit.py): one entry
per change, with who (the OS account at this machine, the remote user of a session), when, what
and from where, never a PIN. Get-CsAuditEntry returns typed objects (Time is a DateTime) for the
pipeline: ``Get-CsAuditEntry -User "Ken Myer" | Export-Csv`` works as with any cmdlet.
Export-CsAuditEntry writes the same entries straight from the store with ISO times, as CSV or
JSON, for archiving or a log collector. Reading the trail is not itself audited.
"""
from __future__ import annotations

from typing import Any

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import NOT_SPECIFIED
from csshell.runtime.values import PSObject, to_string
from csshell.store.audit import AuditEntry
from csshell.store.directory import identity_text
from csshell.store.exporter import audit_text, format_for
from csshell.store.wildcard import WildcardPatternException

from cmdlets.directory_export import FileExportCommand, export_path, write_export
from cmdlets.users import directory_of

AUDIT_TYPE = "Csshell.AuditEntry"
DEFAULT_DISPLAY = ["Time", "Actor", "Action", "Target"]     # four columns: a table, as admins read a log
MAX_LAST = 2147483647
_USER_HELP = ("Only entries about this user: SIP address, user principal name, domain\\logon, display name "
              "(wildcard * allowed) or distinguished name; also matched against the entry's target text, so "
              "users no longer in the directory are found by SIP address.")


def audit_object(entry: AuditEntry) -> PSObject:
    """One entry for the pipeline; the default view is a table of Time, Actor, Action and Target."""
    return PSObject([("Time", entry.time), ("Actor", entry.actor), ("Origin", entry.origin),
                     ("Action", entry.action), ("Target", entry.target), ("Detail", entry.detail)],
                    type_names=[AUDIT_TYPE], display=list(DEFAULT_DISPLAY))


class _AuditQuery(Cmdlet):
    """The filters both cmdlets take; ``User`` is declared by each (positions differ)."""
    Action = Parameter("string", help="Only these actions (wildcards), e.g. Lock-CsClientPin or *PinPolicy.")
    Actor = Parameter("string", help="Only changes made by this account (wildcards).")
    Origin = Parameter("string", help="Only changes from here (wildcards): console, command, script <path>, "
                                      "ssh <address>:<port>.")
    After = Parameter("datetime", help="Only entries later than this time.")
    Before = Parameter("datetime", help="Only entries earlier than this time.")
    Last = Parameter("int", validate_range=(0, MAX_LAST), help="Only the newest N matching entries.")

    def query(self, ctx: CommandContext) -> list[AuditEntry] | None:
        """The matching entries, oldest first; None after reporting an invalid wildcard."""
        user = None if self.User is None else identity_text(self.User)
        try:
            return directory_of(ctx).audit_trail.entries(
                user=user, action=_text(self.Action), actor=_text(self.Actor), origin=_text(self.Origin),
                after=self.After, before=self.Before, last=self.Last)
        except WildcardPatternException as exc:
            ctx.error(exc.message, "WildcardPatternException", NOT_SPECIFIED, target=exc.pattern,
                      target_type="String", reason="WildcardPatternException", terminating=True)
            return None


@cmdlet("Get-CsAuditEntry", extension=True, outputs=AUDIT_TYPE,
        class_name="Csshell.Commands.GetCsAuditEntryCommand",
        synopsis="(csshell extension) Returns the audit trail: who changed what, when and from where.",
        description="Entries come oldest first; every filter given must match. The objects have Time "
                    "(DateTime), Actor, Origin, Action, Target and Detail; the default view shows Time, Actor, "
                    "Action and Target (Format-List * or Select-Object * shows all). -After and -Before are "
                    "exclusive. A PIN is never in the trail.",
        examples=(('Get-CsAuditEntry -User "Ken Myer"', "Every change made to Ken Myer's PIN and policies."),
                  ("Get-CsAuditEntry -Action *PinPolicy -After (Get-Date).AddDays(-7)",
                   "PIN policy changes of the last week."),
                  ('Get-CsAuditEntry -Last 20 | Format-Table Time, Actor, Origin, Action, Target -AutoSize',
                   "The twenty newest changes with their origin."),
                  ('Get-CsUser -OU "OU=Finance,DC=litwareinc,DC=com" | Get-CsAuditEntry',
                   "Changes to the users of an OU (users bind from the pipeline)."),
                  ('Get-CsAuditEntry -Actor helpdesk* | Export-Csv helpdesk.csv -NoTypeInformation',
                   "What the help desk accounts did, saved as CSV.")))
class GetCsAuditEntry(_AuditQuery):
    User = Parameter("UserIdParameter", position=0, from_pipeline=True, from_pipeline_by_property=True,
                     aliases=("Identity",), help=_USER_HELP)

    def process(self, ctx: CommandContext) -> None:
        for entry in self.query(ctx) or ():
            ctx.write_object(audit_object(entry))


@cmdlet("Export-CsAuditEntry", supports_should_process=True, extension=True,
        class_name="Csshell.Commands.ExportCsAuditEntryCommand",
        synopsis="(csshell extension) Writes audit entries to a CSV or JSON file, with ISO 8601 times.",
        description="Takes the filters of Get-CsAuditEntry. Columns: Time, Actor, Origin, Action, Target, Detail. "
                    "Unlike Get-CsAuditEntry | Export-Csv (which writes times as en-US text), times are ISO "
                    "8601 and JSON is written directly. An existing file is replaced unless -NoClobber.",
        examples=(("Export-CsAuditEntry -Path .\\audit.csv", "The whole trail as CSV."),
                  ('Export-CsAuditEntry .\\ken.json -User "Ken Myer"', "Ken Myer's entries as JSON."),
                  ("Export-CsAuditEntry .\\week.csv -After (Get-Date).AddDays(-7) -Format Csv",
                   "The last week's changes.")))
class ExportCsAuditEntry(_AuditQuery, FileExportCommand):
    User = Parameter("UserIdParameter", aliases=("Identity",), help=_USER_HELP)

    def process(self, ctx: CommandContext) -> None:
        entries = self.query(ctx)
        if entries is None:
            return
        path = export_path(self, ctx)
        if path is not None:
            write_export(self, path, audit_text(entries, format_for(path, _text(self.Format))))


def _text(value: Any) -> str | None:
    return None if value is None else to_string(value)
