"""Enabling, disabling and changing users for Skype for Business: the rules behind Enable-, Disable-
and Set-CsUser (docs/user-admin.md has the choices in full).

In this store a user is *enabled* when they have a SIP address. Enabling gives a user a SIP address
(given, or generated from the directory attributes) and optionally a Registrar pool. Disabling
removes every Skype for Business attribute, as the product's Disable-CsUser deletes them: the SIP
address, Registrar pool, line URI, Enterprise Voice, the per-user PIN policy and the whole PIN state
(the hash, lock, dates and every other ``Pin*`` field such as the logon failure counters); the
directory attributes stay, so Get-CsAdUser still lists the user. ``Set-CsUser -Enabled $False`` is
the gentler switch: it keeps everything and only sets ``CsEnabled`` to False.

The Directory service calls these functions inside ``store.change()`` (lock held, data fresh) with
the user as stored; each change is one audited :meth:`Directory.update_user`.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from csshell.store.records import UserRecord

if TYPE_CHECKING:
    from csshell.store.directory import Directory

SIP_ADDRESS_TYPES = ("SamAccountName", "FirstLastName", "FirstNameLastName", "EmailAddress",
                     "UserPrincipalName", "None")
_NEEDS_DOMAIN = {"samaccountname", "firstlastname", "firstnamelastname"}
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_FQDN = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_SIP_USER = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+"
_SIP = re.compile(rf"^sip:({_SIP_USER})@({_LABEL}(?:\.{_LABEL})*)$", re.IGNORECASE)
_LINE_URI = re.compile(r"^tel:\+?[0-9]{1,15}(?:;ext=[0-9]{1,15})?$", re.IGNORECASE)
_CLEARED_ON_DISABLE: dict[str, Any] = {
    "SipAddress": None, "RegistrarPool": None, "LineURI": None, "EnterpriseVoiceEnabled": False,
    "PinPolicy": None, "CsEnabled": None, "PinHash": None, "IsPinSet": False, "IsLockedOut": False,
    "LastPinChangeTime": None, "PinExpirationTime": None,
}


class UserAdminError(ValueError):
    """A refused user change: ``message`` for the admin, error id, ErrorCategory name and the parameter."""

    def __init__(self, message: str, error_id: str, category: str = "InvalidArgument",
                 parameter: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.error_id = error_id
        self.category = category
        self.parameter = parameter


# --- checks on parameter values (no user needed) -----------------------------------------------

def check_fqdn(text: str, parameter: str) -> str:
    """A dotted DNS name such as ``pool01.litwareinc.com`` (what the product's Fqdn type accepts)."""
    value = text.strip()
    if not _FQDN.match(value) or len(value) > 253:
        raise UserAdminError(
            f"Cannot bind parameter '{parameter}'. Cannot convert value \"{text}\" to type "
            f"\"Microsoft.Rtc.Management.Deploy.Fqdn\". Error: \"\"{text}\" is not a valid fully qualified "
            "domain name, such as atl-cs-001.litwareinc.com.\"", "CannotConvertArgumentNoMessage",
            "InvalidArgument", parameter)
    return value


def check_sip_address(text: str, parameter: str = "SipAddress") -> str:
    """``sip:user@domain``; returned with a lower-case ``sip:`` prefix, the rest as given."""
    value = text.strip()
    if not _SIP.match(value):
        hint = " It must start with \"sip:\"." if not value.lower().startswith("sip:") else ""
        raise UserAdminError(
            f"Cannot validate argument on parameter '{parameter}'. \"{text}\" is not a valid SIP address: use the "
            f"form sip:kenmyer@litwareinc.com.{hint}", "InvalidSipAddress", "InvalidArgument", parameter)
    return "sip:" + value[4:]


def is_line_uri(text: str) -> bool:
    """``tel:+14255551234`` or ``tel:+14255551234;ext=1234`` (E.164 digits, optional extension)."""
    return bool(_LINE_URI.match(text.strip()))


def check_line_uri(text: str) -> str:
    """The line URI Set-CsUser stores (``tel:`` in lower case), or the InvalidLineURI error."""
    value = text.strip()
    if not is_line_uri(value):
        raise UserAdminError(
            f"Cannot validate argument on parameter 'LineURI'. \"{text}\" is not a valid line URI: use the form "
            "tel:+14255551234 or tel:+14255551234;ext=1234.", "InvalidLineURI", "InvalidArgument", "LineURI")
    return "tel:" + value[4:]


def check_address_request(sip_address: str | None, address_type: str | None, sip_domain: str | None) -> None:
    """Enable-CsUser needs exactly one of -SipAddress and -SipAddressType, and -SipDomain where the type needs it."""
    typed = address_type is not None and address_type.lower() != "none"
    if sip_address is not None and typed:
        raise UserAdminError("The SipAddress and SipAddressType parameters cannot be used together: give the SIP "
                             "address, or let it be generated from SipAddressType.", "SipAddressConflict",
                             "InvalidArgument", "SipAddressType")
    if sip_address is None and not typed:
        raise UserAdminError("A SIP address is required to enable a user: use the SipAddress parameter, or "
                             "SipAddressType (with SipDomain for SamAccountName and FirstLastName).",
                             "SipAddressRequired", "InvalidArgument", "SipAddress")
    if typed and address_type.lower() in _NEEDS_DOMAIN and sip_domain is None:
        raise UserAdminError(f"The SipDomain parameter is required when SipAddressType is {address_type}.",
                             "SipDomainRequired", "InvalidArgument", "SipDomain")


def generate_sip_address(user: UserRecord, address_type: str, sip_domain: str | None) -> str:
    """The SIP address -SipAddressType asks for (raises when the user lacks the attribute it needs)."""
    kind = address_type.lower()
    if kind == "samaccountname":
        local = _need(user, "SamAccountName", address_type)
    elif kind in ("firstlastname", "firstnamelastname"):
        first = re.sub(r"\s+", "", _need(user, "FirstName", address_type))
        last = re.sub(r"\s+", "", _need(user, "LastName", address_type))
        local = f"{first}.{last}" if kind == "firstlastname" else first + last
    elif kind in ("emailaddress", "userprincipalname"):
        attribute = "UserPrincipalName"
        if kind == "emailaddress" and (user.get("EmailAddress") or user.get("Mail")):
            attribute = "EmailAddress" if user.get("EmailAddress") else "Mail"
        return _generated(f"sip:{_need(user, attribute, address_type)}", user, address_type)
    else:
        raise UserAdminError(f'"{address_type}" is not a SipAddressType.', "InvalidSipAddressType",
                             "InvalidArgument", "SipAddressType")
    return _generated(f"sip:{local}@{sip_domain}", user, address_type)


def _need(user: UserRecord, attribute: str, address_type: str) -> str:
    value = str(user.get(attribute) or "").strip()
    if not value:
        raise UserAdminError(f'Cannot generate a SIP address of type {address_type} for "{user.display_name}": '
                             f"the user has no {attribute}.", "SipAddressNotGenerated", "InvalidData", "SipAddressType")
    return value


def _generated(address: str, user: UserRecord, address_type: str) -> str:
    if not _SIP.match(address):
        raise UserAdminError(f'Cannot generate a SIP address of type {address_type} for "{user.display_name}": '
                             f'"{address}" is not a valid SIP address.', "SipAddressNotGenerated", "InvalidData",
                             "SipAddressType")
    return address


# --- changes (called with the store lock held) ---------------------------------------------------

def enable(directory: Directory, user: UserRecord, sip_address: str | None, registrar_pool: str | None,
           address_type: str | None, sip_domain: str | None, actor: str, origin: str) -> UserRecord:
    """Give a not-yet-enabled user a SIP address (``sip_address`` already checked, else generated from
    ``address_type``) and the Registrar pool."""
    if user.enabled:
        raise UserAdminError(f'The user "{user.display_name}" ({user.logon}) is already enabled for Skype for '
                             f"Business Server with the SIP address {user.sip_address}.", "UserAlreadyEnabled",
                             "InvalidOperation", "Identity")
    if sip_address is None:
        sip_address = generate_sip_address(user, address_type or "None", sip_domain)
    _check_sip_free(directory, sip_address, user)
    fields = {"SipAddress": sip_address, "RegistrarPool": registrar_pool, "CsEnabled": None}
    detail = f"SipAddress={sip_address}" + (f"; RegistrarPool={registrar_pool}" if registrar_pool else "")
    return directory.update_user(user, fields, "Enable-CsUser", actor, origin, detail)


def disable(directory: Directory, user: UserRecord, actor: str, origin: str) -> UserRecord:
    """Remove every Skype for Business attribute; the directory (AD) attributes stay."""
    fields = dict(_CLEARED_ON_DISABLE)
    fields.update({name: None for name in user.doc if name.startswith("Pin") and name not in fields})
    return directory.update_user(user, fields, "Disable-CsUser", actor, origin)


def update(directory: Directory, user: UserRecord, changes: dict[str, Any], actor: str,
           origin: str) -> UserRecord:
    """Set-CsUser: ``changes`` maps SipAddress/LineURI/EnterpriseVoiceEnabled/Enabled to checked values."""
    fields: dict[str, Any] = {}
    if "SipAddress" in changes and (changes["SipAddress"] or "").lower() != (user.sip_address or "").lower():
        _check_sip_free(directory, changes["SipAddress"], user)
        fields["SipAddress"] = changes["SipAddress"]
    if "LineURI" in changes:
        _check_line_uri_free(directory, changes["LineURI"], user)
        fields["LineURI"] = changes["LineURI"]
    if "EnterpriseVoiceEnabled" in changes:
        fields["EnterpriseVoiceEnabled"] = bool(changes["EnterpriseVoiceEnabled"])
    if "Enabled" in changes:
        fields["CsEnabled"] = None if changes["Enabled"] else False
    detail = "; ".join(f"{name}={_shown(changes[name])}" for name in changes)
    return directory.update_user(user, fields, "Set-CsUser", actor, origin, detail)


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _check_sip_free(directory: Directory, sip_address: str, user: UserRecord) -> None:
    owners = [u for u in directory.resolve(sip_address, enabled_only=False)
              if (u.sip_address or "").lower() == sip_address.lower() and u.doc_id != user.doc_id]
    if owners:
        raise UserAdminError(f'The SIP address "{sip_address}" is already assigned to "{owners[0].display_name}" '
                             f"({owners[0].logon}). SIP addresses must be unique.", "SipAddressInUse",
                             "ResourceExists", "SipAddress")


def _check_line_uri_free(directory: Directory, line_uri: str | None, user: UserRecord) -> None:
    """Two users may not share a line URI (tel:+1425...;ext=1 and tel:+1425... count as different)."""
    if not line_uri:
        return
    wanted = line_uri.lower()
    for other in directory.users(enabled_only=False):
        if other.doc_id != user.doc_id and str(other.get("LineURI") or "").lower() == wanted:
            raise UserAdminError(f'The line URI "{line_uri}" is already assigned to "{other.display_name}" '
                                 f"({other.logon}). Line URIs must be unique.", "LineURIInUse", "ResourceExists",
                                 "LineURI")
