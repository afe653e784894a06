"""The dial-in conferencing PIN cmdlets: Get-CsClientPinInfo, Lock-, Unlock- and Set-CsClientPin.

Syntax, positions and pipeline binding follow reference/sfb-cmdlets.md §1. Each cmdlet takes one
identity per pipeline object; a ``*`` wildcard identity acts on every matching user, a plain
identity must name exactly one user (a shared display name is an error that changes nothing).
A PIN is visible only in Set-CsClientPin's output object; the store keeps a slow salted hash.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from csshell.runtime import fast_paths
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_OPERATION
from csshell.runtime.fusion import FusedStage, ObjectStream
from csshell.runtime.values import LazyPSObject, PropertyLayout, PSObject, to_string
from csshell.store.directory import PIN_INFO_FIELDS, Directory, Listed, identity_text
from csshell.store.errors import PinLocked, PinPolicyViolation, StoreError
from csshell.store.records import UserRecord
from csshell.store.wildcard import has_wildcard

from cmdlets.users import CS_USER_STREAM, acting, directory_of, report_lookup_error

PIN_INFO_TYPE = "Microsoft.Rtc.Management.UserPinService.PinInfoDetails"
PIN_RESET_TYPE = "Microsoft.Rtc.Management.UserPinService.PinResetDetails"
_IDENTITY_HELP = ("The user: SIP address, user principal name, domain\\logon, display name or "
                  "distinguished name. Accepts Get-CsUser and Get-CsClientPinInfo output from the pipeline.")


def _identity_parameter() -> Parameter:
    return Parameter("UserIdParameter", position=0, mandatory=True, from_pipeline=True,
                     from_pipeline_by_property=True, help=_IDENTITY_HELP)


class UserTargetCmdlet(Cmdlet):
    """Resolves ``-Identity`` to its target users, reporting not-found/ambiguous identities."""

    def targets(self, ctx: CommandContext) -> list[tuple[str, UserRecord]]:
        """(should-process target text, user) pairs; empty after reporting an error."""
        directory = directory_of(ctx)
        piped = piped_user(directory, ctx.input_object, self.Identity)
        if piped is not None:
            return [(piped.sip_address, piped)]
        try:
            users = directory.resolve_targets(self.Identity)
        except LookupError as exc:
            report_lookup_error(ctx, exc)
            return []
        given = identity_text(self.Identity)
        if isinstance(self.Identity, str) and len(users) == 1 and "*" not in given:
            return [(given, users[0])]
        return [(u.sip_address or given, u) for u in users]


def piped_user(directory: Directory, piped: Any, identity: Any) -> UserRecord | None:
    """The user a piped Get-CsUser / Get-CsClientPinInfo object was made from, when ``identity`` came from that
    object unchanged (the object itself, or its SIP address bound by property name) and the store still holds
    that user under the same document: then there is nothing to look up. ``None``: resolve ``identity`` as text.

    Resolving the SIP address as text finds the same user, except where another user's display name or UPN is
    that very SIP address text: then the text is ambiguous, while the object, as in the real product, still
    names its own user.
    """
    record = getattr(piped, "source", None)
    if not fast_paths.ENABLED or not isinstance(record, UserRecord) or not record.sip_address:
        return None
    if identity is piped:
        unchanged = (isinstance(piped, LazyPSObject) and not piped.built) or identity_text(piped) == record.sip_address
    else:
        unchanged = isinstance(identity, str) and identity == record.sip_address and not has_wildcard(identity)
    return directory.current_user(record) if unchanged else None


PIN_INFO_LAYOUT = PropertyLayout(tuple(PIN_INFO_FIELDS))
PIN_INFO_STREAM = "Get-CsClientPinInfo"      # an ObjectStream of Directory.Listed pairs whose objects are PinInfo
_PIN_INFO_PROPERTIES = {name.lower(): (lambda pair, read=read: read(pair[1])) for name, read in PIN_INFO_FIELDS.items()}


def pin_info_object(info: Any, source: UserRecord | None = None) -> PSObject:
    """PinInfoDetails; ``source`` is the user it describes, carried for the cmdlet it is piped to."""
    return PSObject.of_layout(PIN_INFO_LAYOUT, (info.identity, info.is_pin_set, info.is_locked_out,
                                                info.last_pin_change_time, info.pin_expiration_time),
                              [PIN_INFO_TYPE], source=source)


@cmdlet("Get-CsClientPinInfo", supports_should_process=True, outputs=PIN_INFO_TYPE,
        class_name="Microsoft.Rtc.Management.UserPinService.GetOcsUserClientPinInfoCmdlet",
        synopsis="Returns whether a user's dial-in conferencing PIN is set, locked and when it expires.",
        examples=(('Get-CsClientPinInfo -Identity "litwareinc\\kenmyer"', "PIN information for one user."),
                  ("Get-CsUser | Get-CsClientPinInfo", "PIN information for every enabled user.")))
class GetCsClientPinInfo(UserTargetCmdlet):
    Identity = _identity_parameter()

    def process(self, ctx: CommandContext) -> None:
        directory = directory_of(ctx)
        for _, user in self.targets(ctx):
            ctx.write_object(pin_info_object(directory.pin_info(user), user))

    def fuse_upstream(self, ctx: CommandContext, upstream: ObjectStream, stage: FusedStage) -> ObjectStream | None:
        """``Get-CsUser | Get-CsClientPinInfo`` as a stream of the users as stored now (see fusion.py).

        What :meth:`process` does for a piped user object it has not read: its record's current
        snapshot (``piped_user``); a user whose document changed identity goes the ordinary way.
        """
        if upstream.kind != CS_USER_STREAM or self.bound:
            return None
        directory = directory_of(ctx)

        def current_users() -> Iterator[Listed]:
            for pair, current in directory.current_documents(upstream.items):   # all enabled: all have a SIP address
                if current is None:
                    stage.ordinary(upstream.make(pair))
                else:
                    yield current

        def make(pair: Listed) -> PSObject:
            user = directory.record_of(pair)
            try:
                return pin_info_object(directory.pin_info(user), user)
            except StoreError:              # a damaged value: report it as this command's, as process() would
                stage.guarded(lambda: directory.pin_info(user))
                raise
        return ObjectStream(PIN_INFO_STREAM, current_users(), make, _PIN_INFO_PROPERTIES)


class _LockState(UserTargetCmdlet):
    Identity = _identity_parameter()
    Force = Parameter("switch", help="Suppresses confirmation prompts (-WhatIf still applies).")
    lock = True

    def process(self, ctx: CommandContext) -> None:
        directory = directory_of(ctx)
        actor, origin = acting(ctx)
        for target, user in self.targets(ctx):
            if not ctx.should_process(target, self.name):
                continue
            self._change(ctx, directory, user, actor, origin)

    def _change(self, ctx: CommandContext, directory: Directory, user: UserRecord, actor: str, origin: str) -> None:
        try:
            change = directory.lock_pin if self.lock else directory.unlock_pin
            change(user, actor, origin)
        except LookupError as exc:
            report_lookup_error(ctx, exc)

    def fuse_upstream(self, ctx: CommandContext, upstream: ObjectStream, stage: FusedStage) -> ObjectStream | None:
        """``... | Get-CsClientPinInfo | Where-Object {...} | Unlock-CsClientPin`` acting on each piped user's
        record as :meth:`process` does for its object (``piped_user``), without making the object (fusion.py)."""
        if upstream.kind != PIN_INFO_STREAM or set(self.bound) - {"Force"}:
            return None
        directory = directory_of(ctx)
        actor, origin = acting(ctx)

        def act(user: UserRecord) -> None:
            if ctx.should_process(user.sip_address, self.name):
                self._change(ctx, directory, user, actor, origin)

        def changes() -> Iterator[Any]:
            for pair, current in directory.current_documents(upstream.items):
                if current is None:
                    stage.ordinary(upstream.make(pair))
                else:
                    stage.guarded(lambda: act(directory.record_of(current)))
            yield from ()                # these commands write no objects
        return ObjectStream(self.name, changes(), upstream.make)


@cmdlet("Lock-CsClientPin", supports_should_process=True,
        class_name="Microsoft.Rtc.Management.UserPinService.LockOcsUserClientPinCmdlet",
        synopsis="Locks a user's dial-in conferencing PIN until an administrator unlocks it.",
        examples=(('Lock-CsClientPin -Identity "Ken Myer"', "Locks Ken Myer's PIN."),
                  ("Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsPinSet -eq $True} | Lock-CsClientPin",
                   "Locks every PIN that is set.")))
class LockCsClientPin(_LockState):
    lock = True


@cmdlet("Unlock-CsClientPin", supports_should_process=True,
        class_name="Microsoft.Rtc.Management.UserPinService.UnlockOcsUserClientPinCmdlet",
        synopsis="Unlocks a user's dial-in conferencing PIN.",
        examples=(('Unlock-CsClientPin -Identity "litwareinc\\kenmyer"', "Unlocks Ken Myer's PIN."),
                  ("Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut -eq $True} | Unlock-CsClientPin",
                   "Unlocks every locked PIN.")))
class UnlockCsClientPin(_LockState):
    lock = False


@cmdlet("Set-CsClientPin", supports_should_process=True, outputs=PIN_RESET_TYPE,
        class_name="Microsoft.Rtc.Management.UserPinService.SetOcsUserClientPinCmdlet",
        synopsis="Sets a user's dial-in conferencing PIN, or generates one when -Pin is omitted.",
        examples=(('Set-CsClientPin -Identity "litwareinc\\kenmyer"', "Generates a PIN and shows it once."),
                  ('Set-CsClientPin -Identity "litwareinc\\kenmyer" -Pin 18723834', "Sets a chosen PIN.")))
class SetCsClientPin(UserTargetCmdlet):
    Identity = _identity_parameter()
    Pin = Parameter("string", position=1, help="The new PIN (digits only, valid for the user's PIN "
                                                "policy). Omit it to generate one.")
    Force = Parameter("switch", help="Suppresses confirmation prompts (-WhatIf still applies).")

    def process(self, ctx: CommandContext) -> None:
        directory = directory_of(ctx)
        actor, origin = acting(ctx)
        for target, user in self.targets(ctx):
            if not ctx.should_process(target, self.name):
                continue
            if self.Pin is None:
                pin = reporting_pin_errors(ctx, target, lambda: directory.generate_pin(user, actor, origin))
            else:
                pin = to_string(self.Pin)
                if reporting_pin_errors(ctx, target, lambda: directory.set_pin(user, pin, actor, origin)) is None:
                    continue
            if pin is None:
                continue
            ctx.write_object(PSObject([("Identity", user.sip_address), ("Pin", pin), ("PinReset", True)],
                                      type_names=[PIN_RESET_TYPE]))


def reporting_pin_errors(ctx: CommandContext, target: str, change: Callable[[], Any]) -> Any:
    """Run a PIN change; a policy violation, a locked PIN or a vanished user becomes an error record (None)."""
    try:
        return change()
    except PinPolicyViolation as exc:
        ctx.error(exc.message, "InvalidPin", INVALID_ARGUMENT, target=target, target_type="UserIdParameter",
                  reason="ArgumentException")
    except PinLocked as exc:
        ctx.error(str(exc), "PinLocked", INVALID_OPERATION, target=target, target_type="UserIdParameter",
                  reason="InvalidOperationException")
    except LookupError as exc:
        report_lookup_error(ctx, exc)
    return None
