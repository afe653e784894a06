"""Test-CsDialInPin and Set-CsDialInPin (emulator extensions): what a user does with their own PIN.

Test-CsDialInPin simulates a dial-in conferencing PIN logon; Set-CsDialInPin simulates the user
setting their PIN on the Dial-in Conferencing Settings page, the one place PINHistoryCount applies
(an administrator's Set-CsClientPin may re-issue an old PIN: reference/sfb-cmdlets.md §1.2).

A real server counts failed PIN logons from the phone and locks the PIN (reference/sfb-cmdlets.md
§4.3); the emulator has no phone, so this command makes one logon attempt per target user under
the same rules (csshell/store/lockout.py, docs/lockout.md) and reports it. A wrong PIN is a result,
not an error; a PIN that is not all digits is refused like a failed [ValidatePattern] (its value
masked) before any attempt is made. Every attempt is stored and audited; the PIN itself never is.
"""
from __future__ import annotations

import re
from typing import Any

from cmdlets.clientpin import UserTargetCmdlet, reporting_pin_errors
from cmdlets.users import acting, directory_of, report_lookup_error
from csshell.runtime.cmdlet import CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_DATA
from csshell.runtime.values import PSObject, to_string
from csshell.store.lockout import LogonResult

RESULT_TYPE = "Csshell.DialInLogonResult"
PIN_PATTERN = "^[0-9]+$"
MASK = "****"       # the refused value is not echoed: a mistyped PIN is still mostly the PIN
_IDENTITY_HELP = ("The user who dials in: SIP address, user principal name, domain\\logon, display name or "
                  "distinguished name. Accepts Get-CsUser and Get-CsClientPinInfo output from the pipeline.")


class _UserPinCommand(UserTargetCmdlet):
    """What a user does with their own PIN: the user, and a PIN refused up front unless all digits."""
    Identity = Parameter("UserIdParameter", position=0, mandatory=True, from_pipeline=True,
                         from_pipeline_by_property=True, help=_IDENTITY_HELP)
    Pin: Parameter

    def begin(self, ctx: CommandContext) -> None:
        check_pin_argument(ctx, self.Pin)


@cmdlet("Test-CsDialInPin", extension=True, outputs=RESULT_TYPE,
        class_name="Csshell.Commands.TestCsDialInPinCommand",
        synopsis="(csshell extension) Simulates a dial-in conferencing PIN logon and applies the lockout rules.",
        description="Makes one PIN logon attempt for each user, as a caller entering the PIN on the phone "
                    "would, and writes one Csshell.DialInLogonResult per attempt. Failures count towards a "
                    "temporary lockout (MaximumLogonAttempts, or a default by PIN length, within 30 "
                    "minutes; one hour) and towards a system lockout that only Unlock-CsClientPin lifts. "
                    "Outcome is Success, WrongPin, TemporarilyLocked, LockedBySystem, "
                    "LockedByAdministrator, PinNotSet or PinExpired. Every attempt is audited; the PIN is "
                    "never stored or shown.",
        examples=(('Test-CsDialInPin -Identity "Ken Myer" -Pin 80146', "One logon attempt for Ken Myer."),
                  (('1..3 | ForEach-Object { Test-CsDialInPin "Ken Myer" 11111 } | Format-Table Outcome, '
                    'LocalFailures, LocalLimit, LockedUntil'), "Three wrong PINs in a row, and the counters."),
                  ('Get-CsUser -OU "OU=Finance,DC=litwareinc,DC=com" | Test-CsDialInPin -Pin 80146',
                   ("One attempt for every user of an OU; a user whose PIN reached the global limit shows "
                    "LockedBySystem, and Get-CsClientPinInfo shows IsLockedOut True until Unlock-CsClientPin."))))
class TestCsDialInPin(_UserPinCommand):
    Pin = Parameter("string", position=1, mandatory=True,
                    help="The PIN the caller enters (digits only). It is compared with the stored hash and "
                         "never stored or logged.")

    def process(self, ctx: CommandContext) -> None:
        directory = directory_of(ctx)
        actor, origin = acting(ctx)
        pin = to_string(self.Pin)
        for _, user in self.targets(ctx):
            try:
                result = directory.dial_in_logon(user, pin, actor, origin)
            except LookupError as exc:
                report_lookup_error(ctx, exc)
                continue
            ctx.write_object(logon_result_object(user.sip_address, result))


def logon_result_object(identity: Any, result: LogonResult) -> PSObject:
    """The Csshell.DialInLogonResult of one attempt: outcome, counters after it, limits, locks."""
    state, limits = result.state, result.limits
    return PSObject([("Identity", identity), ("Succeeded", result.succeeded), ("Outcome", result.outcome.value),
                     ("LocalFailures", state.local_failures), ("LocalLimit", limits.local),
                     ("GlobalFailures", state.global_failures), ("GlobalLimit", limits.total),
                     ("LockedUntil", result.locked_until), ("IsLockedOut", state.is_locked_out)],
                    type_names=[RESULT_TYPE])


def check_pin_argument(ctx: CommandContext, value: Any) -> None:
    """Refuse a PIN that is not all digits like a failed [ValidatePattern], without echoing it."""
    if not re.fullmatch(PIN_PATTERN, to_string(value)):
        ctx.error(f"Cannot validate argument on parameter 'Pin'. The argument \"{MASK}\" does not match the "
                  f"\"{PIN_PATTERN}\" pattern. Supply an argument that matches \"{PIN_PATTERN}\" and try the "
                  "command again.", "ParameterArgumentValidationError", INVALID_DATA,
                  reason="ParameterBindingValidationException", terminating=True)


@cmdlet("Set-CsDialInPin", extension=True, supports_should_process=True,
        class_name="Csshell.Commands.SetCsDialInPinCommand",
        synopsis="(csshell extension) Simulates a user setting their own PIN on the Dial-in Conferencing "
                 "Settings page.",
        description="Sets the PIN as the user would on the Dial-in Conferencing Settings page: the PIN must "
                    "satisfy the user's PIN policy and, unlike an administrator's Set-CsClientPin, must not "
                    "repeat one of the user's last PINHistoryCount PINs. Nothing is written to the pipeline; "
                    "the change is audited without the PIN.",
        examples=(('Set-CsDialInPin -Identity "Ken Myer" -Pin 80146', "Ken Myer chooses the PIN 80146."),))
class SetCsDialInPin(_UserPinCommand):
    Pin = Parameter("string", position=1, mandatory=True,
                    help="The new PIN (digits only, valid for the user's PIN policy and not in their PIN history).")

    def process(self, ctx: CommandContext) -> None:
        directory = directory_of(ctx)
        actor, origin = acting(ctx)
        pin = to_string(self.Pin)
        for target, user in self.targets(ctx):
            if ctx.should_process(target, self.name):
                reporting_pin_errors(ctx, target,
                                     lambda user=user: directory.set_pin(user, pin, actor, origin, self_service=True))
