"""Get-CsUser and Get-CsAdUser, plus the identity-error reporting the PIN cmdlets share.

Get-CsUser lists users enabled for Skype for Business (they have a SIP address); Get-CsAdUser lists
every directory user with generic AD attributes. Selection (identity with ``*`` on display names,
``-OU`` subtree, ``-Filter`` text, ``-LdapFilter``) is done by the store's Directory service.
"""
from __future__ import annotations

from typing import Any

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, OBJECT_NOT_FOUND
from csshell.runtime.fusion import ObjectStream
from csshell.runtime.session import local_account
from csshell.runtime import fast_paths
from csshell.runtime.values import LazyPSObject, PSObject, to_string
from csshell.store.directory import Directory, identity_text
from csshell.store.errors import AmbiguousIdentity, FilterError, IdentityNotFound, InvalidOrganizationalUnit
from csshell.store.records import AD_USER_TYPES, CS_USER_DISPLAY, CS_USER_TYPES, UserRecord
from csshell.store.user_admin import (SIP_ADDRESS_TYPES, UserAdminError, check_address_request, check_fqdn,
                                     check_line_uri, check_sip_address)

MAX_RESULT_SIZE = 2147483647
CS_USER_STREAM = "Get-CsUser"            # an ObjectStream of enabled users as Directory.Listed pairs


# --- shared with the PIN cmdlets ---------------------------------------------------------------

def directory_of(ctx: CommandContext) -> Directory:
    """The session's Directory service."""
    return ctx.session.store.directory


def acting(ctx: CommandContext) -> tuple[str, str]:
    """(actor, origin) for the audit trail; the engine sets them on the session (the OS account and
    console/command/script at this machine, the remote user and ``ssh <address>:<port>`` remotely)."""
    session = ctx.session
    return (getattr(session, "actor", None) or local_account(), getattr(session, "origin", None) or "console")


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
    The object carries its user record (``source``): the PIN cmdlets it is piped to act on that user
    without looking its identity up again (``clientpin.piped_user``). Its 38 properties are made when
    first read (LazyPSObject), which ``Get-CsUser | Get-CsClientPinInfo`` never does.
    """
    if fast_paths.ENABLED:
        return LazyPSObject(user, UserRecord.cs_user_properties, CS_USER_TYPES, display=_CS_USER_DISPLAY,
                            tostring=user.distinguished_name)
    obj = PSObject(user.cs_user_properties(), type_names=list(CS_USER_TYPES), display=_CS_USER_DISPLAY,
                   tostring=user.distinguished_name)
    obj.source = user
    return obj


_CS_USER_DISPLAY = list(CS_USER_DISPLAY)     # shared by every ADUser object: nothing changes a display set


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
        try:
            users = self._select(ctx)
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
        for user in users[:limit] if limit >= 0 else users:
            ctx.write_object(ad_user_object(user) if self.ad_view else cs_user_object(user))

    def _select(self, ctx: CommandContext) -> list[UserRecord]:
        """The users to write, in order (before -ResultSize); raises the store's lookup and filter errors."""
        identity = None if self.Identity is None else identity_text(self.Identity)
        users = directory_of(ctx).query(
            identity=identity, opath=_text_or_none(self.Filter), ldap=_text_or_none(self.LdapFilter),
            ou=_text_or_none(self.OU), enabled_only=not self.ad_view, ad_view=self.ad_view,
            resolve_variable=_variable_resolver(ctx))
        return self.narrow(users)

    def pipeline_source(self, ctx: CommandContext) -> ObjectStream | None:
        """Get-CsUser's users as a stream (fusion.py); anything that may report an error declines."""
        if self.ad_view or self.ResultSize is not None or (self.Filter is not None and self.LdapFilter is not None):
            return None
        directory = directory_of(ctx)
        if self.bound:
            try:
                listed = directory.enabled_documents(self._select(ctx))
            except Exception:            # the ordinary process selects again and reports it
                return None
        else:
            listed = directory.enabled_documents()       # every enabled user: _select's users, as pairs
        return ObjectStream(CS_USER_STREAM, listed, lambda pair: cs_user_object(directory.record_of(pair)))

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


# --- Enable-, Disable- and Set-CsUser (rules in csshell/store/user_admin.py, docs/user-admin.md) ---

_IDENTITY_HELP = ("The user: SIP address, user principal name, domain\\logon, display name (wildcard * allowed) "
                  "or distinguished name. Accepts Get-CsUser and Get-CsAdUser output from the pipeline.")
_REASONS = {"CannotConvertArgumentNoMessage": "ParameterBindingException",
            "InvalidSipAddress": "ParameterBindingValidationException",
            "InvalidLineURI": "ParameterBindingValidationException", "SipAddressConflict": "ArgumentException",
            "SipAddressRequired": "ArgumentException", "SipDomainRequired": "ArgumentException",
            "SipAddressMultipleUsers": "ArgumentException", "SipAddressRemoved": "ArgumentException",
            "UserAlreadyEnabled": "InvalidOperationException"}


def user_targets(ctx: CommandContext, identity: Any, enabled_only: bool = True) -> list[tuple[str, UserRecord]]:
    """(should-process target, user) pairs for ``identity``; empty after reporting not found/ambiguous.

    The target is the identity as typed for one exact match, else the user's SIP address (the
    distinguished name for a user who has none yet).
    """
    try:
        users = directory_of(ctx).resolve_targets(identity, enabled_only)
    except LookupError as exc:
        report_lookup_error(ctx, exc)
        return []
    given = identity_text(identity)
    if isinstance(identity, str) and len(users) == 1 and "*" not in given:
        return [(given, users[0])]
    return [(u.sip_address or u.distinguished_name, u) for u in users]


def report_user_admin_error(ctx: CommandContext, exc: UserAdminError, target: Any,
                            terminating: bool = False) -> None:
    """A refused change as a PowerShell error; parameter problems are terminating (nothing changes)."""
    ctx.error(exc.message, exc.error_id, exc.category, target=target,
              target_type="UserIdParameter" if exc.parameter == "Identity" or not terminating else "String",
              reason=_REASONS.get(exc.error_id, "ManagementException"), terminating=terminating)


def _domain_controller() -> Parameter:
    return Parameter("Fqdn", help="Accepted and ignored: the emulator has one directory.")


def _pass_through() -> Parameter:
    return Parameter("switch", help="Write the changed user object (as Get-CsUser shows it).")


def _optional_text(value: Any) -> str | None:
    return None if value is None else to_string(value)


class _UserChange(Cmdlet):
    """What Enable-, Disable- and Set-CsUser share: the identity, -PassThru and the change loop."""
    enabled_only = True

    Identity = Parameter("UserIdParameter", position=0, mandatory=True, from_pipeline=True,
                         from_pipeline_by_property=True, help=_IDENTITY_HELP)
    PassThru: Any = False          # declared by each cmdlet, in the product's parameter order

    def process(self, ctx: CommandContext) -> None:
        try:
            self.check_parameters()
        except UserAdminError as exc:
            report_user_admin_error(ctx, exc, exc.parameter, terminating=True)
            return
        targets = user_targets(ctx, self.Identity, self.enabled_only)
        if len(targets) > 1 and self.assigns_sip_address():
            ctx.error(f'The SipAddress parameter cannot be used when "{identity_text(self.Identity)}" names '
                      f"{len(targets)} users: SIP addresses must be unique. Use SipAddressType instead.",
                      "SipAddressMultipleUsers", INVALID_ARGUMENT, target=identity_text(self.Identity),
                      target_type="UserIdParameter", reason="ArgumentException")
            return
        actor, origin = acting(ctx)
        for target, user in targets:
            if not self.has_changes() or not ctx.should_process(target, self.name):
                continue
            try:
                changed = self.change(directory_of(ctx), user, actor, origin)
            except UserAdminError as exc:
                report_user_admin_error(ctx, exc, target)
                continue
            except LookupError as exc:
                report_lookup_error(ctx, exc)
                continue
            if self.PassThru:
                ctx.write_object(cs_user_object(changed))

    def check_parameters(self) -> None:
        """Raise :class:`UserAdminError` for a bad parameter value or combination."""

    def assigns_sip_address(self) -> bool:
        """Whether the change gives a chosen SIP address (then it may name one user only)."""
        return False

    def has_changes(self) -> bool:
        return True

    def change(self, directory: Directory, user: UserRecord, actor: str, origin: str) -> UserRecord:
        raise NotImplementedError


@cmdlet("Enable-CsUser", supports_should_process=True,
        class_name="Microsoft.Rtc.Management.AD.Cmdlets.EnableOcsUserCmdlet",
        synopsis="Enables directory users for Skype for Business Server: a SIP address and a Registrar pool.",
        description="Give the SIP address with -SipAddress (one user) or have it generated with -SipAddressType "
                    "(and -SipDomain). Users not yet enabled are found too, so Get-CsAdUser output can be piped "
                    "in. Enabling an enabled user, or a SIP address another user has, is an error that changes "
                    "nothing for that user. See docs/user-admin.md.",
        examples=(('Enable-CsUser -Identity "Temp Contractor" -RegistrarPool "pool01.litwareinc.com" '
                   '-SipAddressType SamAccountName -SipDomain litwareinc.com',
                   "Enables the user with the SIP address sip:tempcontractor@litwareinc.com."),
                  ('Enable-CsUser -Identity "Temp Contractor" -RegistrarPool "pool01.litwareinc.com" '
                   '-SipAddress "sip:temp@litwareinc.com"', "Enables the user with a chosen SIP address."),
                  ('Get-CsAdUser -Filter {Enabled -ne $True} | Enable-CsUser -RegistrarPool '
                   '"pool01.litwareinc.com" -SipAddressType SamAccountName -SipDomain litwareinc.com',
                   "Enables every directory user not yet enabled.")))
class EnableCsUser(_UserChange):
    enabled_only = False

    RegistrarPool = Parameter("Fqdn", help="The Registrar pool the user is homed on, e.g. pool01.litwareinc.com. "
                                           "Omitted: the user is enabled but unassigned (Get-CsUser -UnAssignedUser).")
    SipAddressType = Parameter("AddressType", validate_set=SIP_ADDRESS_TYPES,
                               help="Generate the SIP address from SamAccountName, FirstLastName (first.last), "
                                    "FirstNameLastName (firstlast), EmailAddress or UserPrincipalName.")
    SipDomain = Parameter("Fqdn", help="The SIP domain for SamAccountName, FirstLastName and FirstNameLastName.")
    SipAddress = Parameter("string", help="The SIP address to assign, e.g. sip:kenmyer@litwareinc.com (one user).")
    HostingProviderProxyFqdn = Parameter("Fqdn", aliases=("HostingProvider",),
                                         help="Skype for Business Online only: accepted and ignored.")
    ProxyPool = Parameter("Fqdn", help="Skype for Business Online only: accepted and ignored.")
    DomainController = _domain_controller()
    PassThru = _pass_through()

    def check_parameters(self) -> None:
        self._pool = None if self.RegistrarPool is None else check_fqdn(to_string(self.RegistrarPool),
                                                                          "RegistrarPool")
        self._domain = None if self.SipDomain is None else check_fqdn(to_string(self.SipDomain), "SipDomain")
        self._type = _optional_text(self.SipAddressType)
        self._sip = None if self.SipAddress is None else check_sip_address(to_string(self.SipAddress))
        check_address_request(self._sip, self._type, self._domain)

    def assigns_sip_address(self) -> bool:
        return self._sip is not None

    def change(self, directory: Directory, user: UserRecord, actor: str, origin: str) -> UserRecord:
        return directory.enable_user(user, self._sip, self._pool, self._type, self._domain, actor, origin)


@cmdlet("Disable-CsUser", supports_should_process=True,
        class_name="Microsoft.Rtc.Management.AD.Cmdlets.DisableOcsUserCmdlet",
        synopsis="Removes every Skype for Business attribute from users; their directory accounts stay.",
        description="Clears the SIP address, Registrar pool, line URI, Enterprise Voice, per-user PIN policy and "
                    "the whole PIN state. Get-CsUser no longer returns the user; Get-CsAdUser still does. Use "
                    "Set-CsUser -Enabled $False to keep the settings instead.",
        examples=(('Disable-CsUser -Identity "Ken Myer"', "Disables Ken Myer (Get-CsAdUser still lists him)."),
                  ('Get-CsUser -LdapFilter "Department=Finance" | Disable-CsUser',
                   "Disables every user in the Finance department.")))
class DisableCsUser(_UserChange):
    DomainController = _domain_controller()
    PassThru = _pass_through()

    def change(self, directory: Directory, user: UserRecord, actor: str, origin: str) -> UserRecord:
        return directory.disable_user(user, actor, origin)


@cmdlet("Set-CsUser", supports_should_process=True,
        class_name="Microsoft.Rtc.Management.AD.Cmdlets.SetOcsUserCmdlet",
        synopsis="Changes Skype for Business properties of enabled users (line URI, Enterprise Voice, SIP address).",
        description="LineURI takes tel:+14255551297 or tel:+14255551297;ext=51297 ($null removes it); line URIs "
                    "and SIP addresses must be unique. -Enabled $False stops the user signing in but keeps all "
                    "their settings.",
        examples=(('Set-CsUser -Identity "Pilar Ackerman" -EnterpriseVoiceEnabled $True',
                   "Enables Enterprise Voice for Pilar Ackerman."),
                  ('Set-CsUser -Identity "Ken Myer" -LineURI "tel:+14255550100;ext=100"',
                   "Assigns a phone number with an extension."),
                  ('Get-CsUser -LdapFilter "Department=Finance" | Set-CsUser -EnterpriseVoiceEnabled $True',
                   "Enables Enterprise Voice for the Finance department.")))
class SetCsUser(_UserChange):
    DomainController = _domain_controller()
    PassThru = _pass_through()
    LineURI = Parameter("string", allow_null=True, help="The phone number, e.g. tel:+14255551297 or "
                                                        "tel:+14255551297;ext=51297; $null removes it.")
    EnterpriseVoiceEnabled = Parameter("bool", help="Whether the user is enabled for Enterprise Voice.")
    SipAddress = Parameter("string", help="A new, unique SIP address, e.g. sip:kenmyer@litwareinc.com.")
    Enabled = Parameter("bool", aliases=("CsEnabled",),
                        help="$False stops the user signing in but keeps all their settings; $True restores.")

    def check_parameters(self) -> None:
        self._changes: dict[str, Any] = {}
        bound = {str(k).lower() for k in self.bound}
        if "sipaddress" in bound:
            if self.SipAddress is None or to_string(self.SipAddress).strip() == "":
                raise UserAdminError("The SipAddress parameter cannot remove a SIP address: use Disable-CsUser.",
                                     "SipAddressRemoved", "InvalidArgument", "SipAddress")
            self._changes["SipAddress"] = check_sip_address(to_string(self.SipAddress))
        if "lineuri" in bound:
            text = _optional_text(self.LineURI)
            self._changes["LineURI"] = check_line_uri(text) if text and text.strip() else None
        if "enterprisevoiceenabled" in bound:
            self._changes["EnterpriseVoiceEnabled"] = bool(self.EnterpriseVoiceEnabled)
        if "enabled" in bound:
            self._changes["Enabled"] = bool(self.Enabled)

    def assigns_sip_address(self) -> bool:
        return "SipAddress" in self._changes

    def has_changes(self) -> bool:
        return bool(self._changes)

    def change(self, directory: Directory, user: UserRecord, actor: str, origin: str) -> UserRecord:
        return directory.set_user(user, self._changes, actor, origin)


# --- helpers -------------------------------------------------------------------------------------

def _text_or_none(value: Any) -> str | None:
    """Script blocks arrive as their text (the binder converts); a stray ScriptBlock too."""
    return None if value is None else to_string(value)


def _variable_resolver(ctx: CommandContext):
    """Filter variables such as ``$name`` read the caller's variables when the session offers them."""
    getter = getattr(ctx.session, "get_variable", None)
    return getter if callable(getter) else None


__all__ = ["GetCsUser", "GetCsAdUser", "EnableCsUser", "DisableCsUser", "SetCsUser", "user_targets",
           "report_user_admin_error", "directory_of", "acting", "report_lookup_error",
           "cs_user_object", "ad_user_object"]
