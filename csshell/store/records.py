"""A directory user as stored, and the property layouts the user cmdlets show.

Documents in the ``users`` table are flat (no nested objects: TinyDB hands out shallow copies):
the directory attributes under their AD-ish names (``DisplayName``, ``SipAddress``,
``DistinguishedName``...), plus the PIN state (``PinHash``, ``IsPinSet``, ``IsLockedOut``,
``LastPinChangeTime``, ``PinExpirationTime`` as ISO text). A user is *enabled for Skype for
Business* when they have a SIP address.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from csshell.store.stored_values import stored_time

# Directory attributes in the import (and Export-CsDirectory) column order (reference: acceptance/directory.csv;
# Site and PinPolicy are ours: the site whose ``site:`` PIN policy applies, the granted per-user policy).
ATTRIBUTES = ("DisplayName", "FirstName", "LastName", "SamAccountName", "Domain", "UserPrincipalName",
              "SipAddress", "DistinguishedName", "LineURI", "Title", "Department", "City",
              "EnterpriseVoiceEnabled", "RegistrarPool", "Site", "PinPolicy")
PIN_STATE = ("PinHash", "IsPinSet", "IsLockedOut", "LastPinChangeTime", "PinExpirationTime")

CS_USER_TYPES = ["Microsoft.Rtc.Management.ADConnect.Schema.ADUser",
                 "Microsoft.Rtc.Management.ADConnect.Schema.OCSUserOrAppContact"]
AD_USER_TYPES = ["Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser"]

_POLICIES_BEFORE_PIN = ("VoicePolicy", "VoiceRoutingPolicy", "ConferencingPolicy", "PresencePolicy",
                        "DialPlan", "LocationPolicy", "ClientPolicy", "ClientVersionPolicy",
                        "ArchivingPolicy", "ExchangeArchivingPolicy")
_POLICIES_AFTER_PIN = ("ExternalAccessPolicy", "MobilityPolicy", "PersistentChatPolicy",
                       "UserServicesPolicy", "HostedVoiceMail", "HostedVoicemailPolicy")
# Get-CsUser's default view (reference sfb-cmdlets.md §3); the AD extras follow but are not shown.
CS_USER_DISPLAY = ("Identity",) + _POLICIES_BEFORE_PIN + ("PinPolicy",) + _POLICIES_AFTER_PIN + (
    "HostingProvider", "RegistrarPool", "Enabled", "SipAddress", "LineURI", "EnterpriseVoiceEnabled",
    "ExUmEnabled", "HomeServer", "DisplayName", "SamAccountName", "UserPrincipalName")
CS_USER_EXTRAS = ("FirstName", "LastName", "Title", "Department", "City")
AD_USER_PROPERTIES = ("Identity", "SamAccountName", "UserPrincipalName", "FirstName", "LastName",
                      "DisplayName", "Title", "Department", "City", "Phone", "SipAddress", "Enabled",
                      "DistinguishedName")




# What a stored user document says, read the one way every caller reads it: UserRecord's properties,
# Directory.PIN_INFO_FIELDS and the listings that test documents before making records.

def document_enabled(doc: dict[str, Any]) -> bool:
    """Enabled for Skype for Business: the user has a SIP address."""
    return bool(doc.get("SipAddress"))


def document_pin_set(doc: dict[str, Any]) -> bool:
    return bool(doc.get("IsPinSet"))


def document_locked_out(doc: dict[str, Any]) -> bool:
    return bool(doc.get("IsLockedOut"))


def document_pin_changed(doc: dict[str, Any]) -> _dt.datetime | None:
    return stored_time("LastPinChangeTime", doc.get("LastPinChangeTime"))


def document_pin_expires(doc: dict[str, Any]) -> _dt.datetime | None:
    return stored_time("PinExpirationTime", doc.get("PinExpirationTime"))


class UserRecord:
    """A read-only snapshot of one user; changes go through the Directory service.

    ``doc`` is the stored document object itself, which the store never changes in place (tables.py
    copies on write). A plain slotted class, not a frozen dataclass: a listing of 100,000 users makes
    100,000 of them, and a frozen dataclass costs three times as much to make. Never assign to one.
    """
    __slots__ = ("doc_id", "doc")
    __hash__ = None                      # type: ignore[assignment]   (a dict inside: as the dataclass was)

    def __init__(self, doc_id: int, doc: dict[str, Any]) -> None:
        self.doc_id = doc_id
        self.doc = doc

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UserRecord):
            return NotImplemented
        return self.doc_id == other.doc_id and self.doc == other.doc

    def __repr__(self) -> str:
        return f"UserRecord(doc_id={self.doc_id!r}, doc={self.doc!r})"

    def get(self, name: str, default: Any = None) -> Any:
        value = self.doc.get(name)
        return default if value is None else value

    @property
    def sip_address(self) -> str | None:
        return self.doc.get("SipAddress") or None

    @property
    def enabled(self) -> bool:
        """Enabled for Skype for Business (has a SIP address)."""
        return document_enabled(self.doc)

    @property
    def display_name(self) -> str:
        return self.doc.get("DisplayName") or ""

    @property
    def distinguished_name(self) -> str:
        return self.doc.get("DistinguishedName") or ""

    @property
    def logon(self) -> str:
        """``domain\\logon`` as admins type it."""
        return f"{self.doc.get('Domain') or ''}\\{self.doc.get('SamAccountName') or ''}"

    # --- PIN state ----------------------------------------------------------------------
    @property
    def is_pin_set(self) -> bool:
        return document_pin_set(self.doc)

    @property
    def is_locked_out(self) -> bool:
        return document_locked_out(self.doc)

    @property
    def last_pin_change(self) -> _dt.datetime | None:
        return document_pin_changed(self.doc)

    @property
    def pin_expiration(self) -> _dt.datetime | None:
        return document_pin_expires(self.doc)

    # --- output layouts -----------------------------------------------------------------
    def cs_user_properties(self) -> list[tuple[str, Any]]:
        """Get-CsUser's ADUser properties, in display order, then the AD extras."""
        values: dict[str, Any] = {name: None for name in CS_USER_DISPLAY}
        values.update({
            "Identity": self.distinguished_name,
            "PinPolicy": self.doc.get("PinPolicy") or None,
            "HostingProvider": "SRV:",
            "RegistrarPool": self.doc.get("RegistrarPool") or None,
            "Enabled": self.enabled and self.doc.get("CsEnabled") is not False,   # Set-CsUser -Enabled
            "SipAddress": self.sip_address,
            "LineURI": self.doc.get("LineURI") or "",
            "EnterpriseVoiceEnabled": bool(self.doc.get("EnterpriseVoiceEnabled")),
            "ExUmEnabled": False,
            "DisplayName": self.display_name,
            "SamAccountName": self.doc.get("SamAccountName"),
            "UserPrincipalName": self.doc.get("UserPrincipalName"),
        })
        pairs = [(name, values[name]) for name in CS_USER_DISPLAY]
        return pairs + [(name, self.doc.get(name) or None) for name in CS_USER_EXTRAS]

    def ad_user_properties(self) -> list[tuple[str, Any]]:
        """Get-CsAdUser's generic AD view (all users, enabled or not)."""
        values = {name: self.doc.get(name) or None for name in AD_USER_PROPERTIES}
        values.update({"Identity": self.distinguished_name, "DisplayName": self.display_name,
                       "Phone": self.doc.get("LineURI") or None, "SipAddress": self.sip_address,
                       "Enabled": self.enabled})
        return [(name, values[name]) for name in AD_USER_PROPERTIES]
