"""Test-CsStore, Restore-CsStore and Backup-CsStore (emulator extensions): check, recover and copy a store.

None of them opens the session's store through the Directory: they must work precisely when the store
cannot be opened (a damaged file makes every directory cmdlet fail with ``StoreCorrupt``). The
store's path is given with -Path; the error that reports a damaged store names it. See
docs/recovery.md and ``csshell/store/recovery.py``.
"""
from __future__ import annotations

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.values import PSObject, to_string
from csshell.store import recovery
from csshell.store.errors import StoreError

HEALTH_TYPE = "Csshell.StoreHealth"
RESTORE_TYPE = "Csshell.StoreRestoreResult"


def _report(ctx: CommandContext, exc: StoreError) -> None:
    ctx.error(exc.message, exc.error_id, exc.category, target=exc.path, target_type="String",
              reason="StoreException")


@cmdlet("Test-CsStore", extension=True, outputs=HEALTH_TYPE, class_name="Csshell.Commands.TestCsStoreCommand",
        synopsis="(csshell extension) Checks whether a store file and its backup (<store>.bak) can be used.",
        description="Reads the store file and its backup and reports, for each, whether it parses and has a "
                    "schema this csshell understands, with its user and audit-entry counts. Changes nothing. "
                    "IsHealthy False with a Problem means the store is refused; Restore-CsStore puts the "
                    "backup back.",
        examples=(("Test-CsStore -Path ~/.local/share/csshell/store.json", "Checks the default store."),))
class TestCsStore(Cmdlet):
    Path = Parameter("string", position=0, mandatory=True, help="The store file (as given to --store).")

    def process(self, ctx: CommandContext) -> None:
        path = ctx.resolve_path(to_string(self.Path))
        store, backup = recovery.health(path)
        ctx.write_object(PSObject([
            ("Path", path), ("IsHealthy", store.good), ("Problem", _problem(store)),
            ("Users", store.users), ("AuditEntries", store.audit_entries), ("LastWriteTime", store.modified),
            ("BackupPath", backup.path), ("BackupIsHealthy", backup.good), ("BackupProblem", _problem(backup)),
            ("BackupUsers", backup.users), ("BackupLastWriteTime", backup.modified),
        ], type_names=[HEALTH_TYPE]))


def _problem(health: recovery.FileHealth) -> str | None:
    if not health.exists:
        return "The file does not exist."
    return health.problem.message if health.problem else None


@cmdlet("Restore-CsStore", supports_should_process=True, extension=True,
        outputs=RESTORE_TYPE, class_name="Csshell.Commands.RestoreCsStoreCommand",
        synopsis="(csshell extension) Brings a damaged store back to its last good state.",
        description="A store is a base file and its journal (<store>.journal). When the journal is damaged in "
                    "the middle, it is cut back to its last good record (the records from the damage on are "
                    "lost). When the base file is damaged or missing, the backup csshell keeps at every "
                    "compaction (<store>.bak and <store>.bak.journal, the state before the last compaction) is "
                    "put in place. Every replaced file is kept as <file>.damaged-<time>. The work is done under "
                    "the store's lock. A store that is not damaged is left alone unless -Force is given. "
                    "-BackupPath restores another store file instead (e.g. one written by Backup-CsStore).",
        examples=(("Restore-CsStore -Path ~/.local/share/csshell/store.json",
                   "Brings the default store back to its last good state."),
                  ("Restore-CsStore -Path ./store.json -BackupPath /backups/store-20260314.json -Force",
                   "Replaces the store with a backup written by Backup-CsStore, even if it is not damaged.")))
class RestoreCsStore(Cmdlet):
    Path = Parameter("string", position=0, mandatory=True, help="The store file (as given to --store).")
    BackupPath = Parameter("string", position=1, help="The store file to restore (default: <store>.bak).")
    Force = Parameter("switch", help="Replace the store even when it is not damaged.")

    def process(self, ctx: CommandContext) -> None:
        path = ctx.resolve_path(to_string(self.Path))
        explicit = ctx.resolve_path(to_string(self.BackupPath)) if self.BackupPath else None
        shown = explicit or recovery.backup_path(path)
        if not ctx.should_process(path, f"Restore the store (from '{shown}' if its base file is damaged)"):
            return
        try:
            done = recovery.restore(path, explicit, force=bool(self.Force))
        except StoreError as exc:
            _report(ctx, exc)
            return
        if done.replaced_users is not None and done.users < done.replaced_users:
            ctx.write_warning(f"The restored store has {done.users} users; the one it replaced had "
                              f"{done.replaced_users}. "
                              f"The replaced files are kept: {', '.join(done.damaged_copies) or 'none'}.")
        ctx.write_object(PSObject([
            ("Path", done.path), ("Action", done.action), ("RestoredFrom", done.source),
            ("DamagedCopies", list(done.damaged_copies)), ("Users", done.users),
            ("AuditEntries", done.audit_entries), ("Detail", done.detail),
        ], type_names=[RESTORE_TYPE]))


@cmdlet("Backup-CsStore", supports_should_process=True, extension=True, outputs=HEALTH_TYPE,
        class_name="Csshell.Commands.BackupCsStoreCommand",
        synopsis="(csshell extension) Writes a consistent copy of a store (base file and journal merged) to a file.",
        description="Takes the store's lock, reads the store as csshell sees it and writes it, atomically, as one "
                    "store file that Restore-CsStore -BackupPath puts back. Run it from a scheduled job for "
                    "backups that are fresher than <store>.bak (which is only replaced when the store compacts). "
                    "The destination is replaced if it exists.",
        examples=(("Backup-CsStore -Path ./store.json -Destination /backups/store-$(Get-Date -Format yyyyMMdd).json",
                   "A dated backup of the store."),))
class BackupCsStore(Cmdlet):
    Path = Parameter("string", position=0, mandatory=True, help="The store file (as given to --store).")
    Destination = Parameter("string", position=1, mandatory=True, help="The backup file to write.")

    def process(self, ctx: CommandContext) -> None:
        path = ctx.resolve_path(to_string(self.Path))
        destination = ctx.resolve_path(to_string(self.Destination))
        if not ctx.should_process(destination, f"Back up the store '{path}'"):
            return
        try:
            written = recovery.backup(path, destination)
        except StoreError as exc:
            _report(ctx, exc)
            return
        ctx.write_object(PSObject([
            ("Path", written.path), ("IsHealthy", written.good), ("Users", written.users),
            ("AuditEntries", written.audit_entries), ("LastWriteTime", written.modified),
        ], type_names=[HEALTH_TYPE]))
