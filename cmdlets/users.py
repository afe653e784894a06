"""Get-CsUser and Get-CsAdUser, plus the identity-error reporting the PIN cmdlets share.

Get-CsUser lists users enabled for Skype for Business (they have a SIP address); Get-CsAdUser lists
every directory user with generic AD attributes. Selection (identity with ``*`` on display names,
``-OU`` subtree, ``-Filter`` text, ``-LdapFilter``) is done by the store's Directory service.
"""
from __future__ import annotations

from typing import Any

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, OBJECT_NOT_FOUND
from csshell.runtime.values import PSObject, to_string
from csshell.store.directory import Directory, identity_text
from csshell.store.errors import AmbiguousIdentity, FilterError, IdentityNotFound, InvalidOrganizationalUnit
from csshell.store.records import AD_USER_TYPES, CS_USER_DISPLAY, CS_USER_TYPES, UserRecord

MAX_RESULT_SIZE = 2147483647


# --- shared with the PIN cmdlets ---------------------------------------------------------------

def directory_of(ctx: CommandContext) -> Directory:
    """The session's Directory service."""
    return ctx.session.store.directory


def acting(ctx: CommandContext) -> tuple[str, str]:
    """(actor, origin) for the audit trail; the engine sets them on the session."""
    session = ctx.session
    return (getattr(session, "actor", None) or "local", getattr(session, "origin", None) or "console")


def report_lookup_error(ctx: CommandContext, exc: LookupError) -> None:
    """Not found / ambiguous identity as a non-terminating error; the pipeline goes on."""
    if isinstance(exc, AmbiguousIdentity):
        ctx.error(str(exc), "AmbiguousIdentity", INVALID_ARGUMENT, target=exc.identity,
                  target_type="UserIdParameter", reason="ManagementException")
    elif isinstance(exc, IdentityNotFound):
        ctx.error(str(exc), "Identity", OBJECT_NOT_FOUND, target=exc.identity,
                  target_type="UserIdParameter", reason="ManagementException")
    else:
        raise exc


def cs_user_object(user: UserRecord) -> PSObject:
    """Get-CsUser's output object (ADUser); AD extras are properties but not in the default view.

    An ADUser's ``ToString()`` is its Identity (the distinguished name), so ``"Name: $u"`` shows the DN.
    """
    return PSObject(user.cs_user_properties(), type_names=list(CS_USER_TYPES), display=list(CS_USER_DISPLAY),
                    tostring=user.distinguished_name)


def ad_user_object(user: UserRecord) -> PSObject:
    return PSObject(user.ad_user_properties(), type_names=list(AD_USER_TYPES), tostring=user.distinguished_name)


# --- Get-CsUser ----------------------------------------------------------------------------------

class _UserQuery(Cmdlet):
    """What Get-CsUser and Get-CsAdUser have in common."""
    ad_view = False

    Identity = Parameter("UserIdParameter", position=0, from_pipeline=True, from_pipeline_by_property=True,
                         help="SIP address, user principal name, domain\\logon, display name (wildcard * "
                              "allowed) or distinguished name.")
    Filter = Parameter("string", sets=("Filter",),
                       help='A filter on user properties, e.g. {DisplayName -eq "Ken Myer"}.')
    LdapFilter = Parameter("string", sets=("LdapFilter",),
                           help='An LDAP filter on directory attributes, e.g. "Title=Manager".')
    OU = Parameter("OUIdParameter", help="Distinguished name of an OU; child OUs are included.")
    ResultSize = Parameter("Unlimited[UInt32]", help="Maximum number of users returned (0..2147483647 "
                                                      "or Unlimited).")
    DomainController = Parameter("Fqdn", help="Accepted and ignored: the emulator has one directory.")
    Credential = Parameter("PSCredential", help="Accepted and ignored.")

    def process(self, ctx: CommandContext) -> None:
        if self.Filter is not None and self.LdapFilter is not None:
            ctx.error("Parameter set cannot be resolved using the specified named parameters.",
                      "AmbiguousParameterSet", INVALID_ARGUMENT, reason="ParameterBindingException",
                      terminating=True)
            return
        limit = self._result_size(ctx)
        if limit is None:
            return
        identity = None if self.Identity is None else identity_text(self.Identity)
        try:
            users = directory_of(ctx).query(
                identity=identity, opath=_text_or_none(self.Filter), ldap=_text_or_none(self.LdapFilter),
                ou=_text_or_none(self.OU), enabled_only=not self.ad_view, ad_view=self.ad_view,
                resolve_variable=_variable_resolver(ctx))
        except IdentityNotFound as exc:
            report_lookup_error(ctx, exc)
            return
        except FilterError as exc:
            ctx.error(str(exc), "InvalidFilter", INVALID_ARGUMENT, target=exc.text, target_type="String",
                      reason="ParameterBindingException", terminating=True)
            return
        except InvalidOrganizationalUnit as exc:
            ctx.error(exc.message, exc.error_id, INVALID_ARGUMENT, reason="ParameterBindingException",
                      terminating=True)
            return
        users = self.narrow(users)
        for user in users[:limit] if limit >= 0 else users:
            ctx.write_object(ad_user_object(user) if self.ad_view else cs_user_object(user))

    def narrow(self, users: list[UserRecord]) -> list[UserRecord]:
        return users

    def _result_size(self, ctx: CommandContext) -> int | None:
        """-1 for unlimited; None after reporting an invalid value."""
        value = self.ResultSize
        if value is None or (isinstance(value, str) and value.strip().lower() == "unlimited"):
            return -1
        try:
            number = int(to_string(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            number = None
        if number is None or not 0 <= number <= MAX_RESULT_SIZE:
            ctx.error(f"Cannot bind parameter 'ResultSize'. Cannot convert value \"{to_string(value)}\" "
                      "to type \"Microsoft.Rtc.Management.ADConnect.Unlimited`1[System.UInt32]\". The "
                      f"value must be Unlimited or a number from 0 to {MAX_RESULT_SIZE}.",
                      "CannotConvertArgumentNoMessage", INVALID_ARGUMENT, target=value,
                      reason="ParameterBindingException", terminating=True)
            return None
        return number


@cmdlet("Get-CsUser", default_set="Filter", outputs=CS_USER_TYPES[0],
        class_name="Microsoft.Rtc.Management.AD.Cmdlets.GetOcsUserCmdlet",
        synopsis="Returns information about users enabled for Skype for Business Server.",
        examples=(("Get-CsUser", "Returns every user enabled for Skype for Business Server."),
                  ('Get-CsUser -Identity "Pilar*"', "Returns the users whose display name starts with Pilar."),
                  ('Get-CsUser -Filter {DisplayName -eq "Ken Myer"}', "Uses a filter on user properties."),
                  ('Get-CsUser -LdapFilter "Title=Manager"', "Uses an LDAP filter on directory attributes."),
                  ('Get-CsUser -OU "OU=Finance,DC=litwareinc,DC=com"',
                   "Returns the users of an OU and its child OUs.")))
class GetCsUser(_UserQuery):
    UnAssignedUser = Parameter("switch", help="Only users not assigned to a Registrar pool.")
    OnLyncServer = Parameter("switch", help="Only users homed on Lync Server 2010/2013 (same as -OnModernServer).")
    OnModernServer = Parameter("switch", help="Only users homed on Skype for Business Server.")
    OnOfficeCommunicationServer = Parameter("switch", help="Only users homed on OCS 2007 (the emulator has none).")

    def narrow(self, users: list[UserRecord]) -> list[UserRecord]:
        if self.OnOfficeCommunicationServer:
            return []
        if self.OnLyncServer or self.OnModernServer:
            users = [u for u in users if u.get("RegistrarPool")]
        if self.UnAssignedUser:
            users = [u for u in users if not u.get("RegistrarPool")]
        return users


@cmdlet("Get-CsAdUser", default_set="Filter", outputs=AD_USER_TYPES[0],
        class_name="Microsoft.Rtc.Management.AD.Cmdlets.GetAdUserCmdlet",
        synopsis="Returns information about all directory users, enabled for Skype for Business or not.",
        examples=(("Get-CsAdUser -Filter {Enabled -eq $False}", "Users not enabled for Skype for Business."),))
class GetCsAdUser(_UserQuery):
    ad_view = True


# --- helpers -------------------------------------------------------------------------------------

def _text_or_none(value: Any) -> str | None:
    """Script blocks arrive as their text (the binder converts); a stray ScriptBlock too."""
    return None if value is None else to_string(value)


def _variable_resolver(ctx: CommandContext):
    """Filter variables such as ``$name`` read the caller's variables when the session offers them."""
    getter = getattr(ctx.session, "get_variable", None)
    return getter if callable(getter) else None


__all__ = ["GetCsUser", "GetCsAdUser", "directory_of", "acting", "report_lookup_error",
           "cs_user_object", "ad_user_object"]
