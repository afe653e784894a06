"""Get-CsUser ``-LdapFilter``: RFC 4515-style filters over the directory's generic attributes.

Supported: ``attr=value`` (the outer parentheses may be left out), ``&(..)(..)``, ``|(..)(..)``,
``!(..)``, ``*`` wildcards, ``attr=*`` (presence) and ``\\XX`` hex escapes. Matching is
case-insensitive. LDAP attribute names map to the directory's attributes (``l`` = City,
``sn`` = LastName...); as in LDAP, an attribute the directory does not have matches nothing.
``>=``, ``<=`` and ``~=`` are refused with an error (no ordering rules are modelled).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from csshell.store.errors import FilterError
from csshell.store.wildcard import wildcard_regex

Predicate = Callable[[Mapping[str, Any]], bool]

# LDAP attribute (lower case) -> directory attribute (records.ATTRIBUTES) or a derived value
ATTRIBUTE_MAP = {
    "l": "City", "city": "City", "title": "Title", "department": "Department",
    "samaccountname": "SamAccountName", "displayname": "DisplayName", "name": "DisplayName",
    "cn": "DisplayName", "givenname": "FirstName", "sn": "LastName",
    "mail": "UserPrincipalName", "userprincipalname": "UserPrincipalName",
    "distinguishedname": "DistinguishedName", "msrtcsip-primaryuseraddress": "SipAddress",
    "msrtcsip-line": "LineURI", "telephonenumber": "LineURI",
    "msrtcsip-primaryhomeserver": "RegistrarPool",
}
_CONSTANTS = {"objectclass": ("top", "person", "organizationalPerson", "user"), "objectcategory": ("person",)}


def attribute_values(doc: Mapping[str, Any], attribute: str) -> tuple[str, ...]:
    """The values of an LDAP attribute for one directory document (empty = absent)."""
    low = attribute.lower()
    if low in _CONSTANTS:
        return _CONSTANTS[low]
    if low == "msrtcsip-userenabled":
        return ("TRUE" if doc.get("SipAddress") else "FALSE",)
    field = ATTRIBUTE_MAP.get(low) or next((k for k in doc if k.lower() == low), None)
    value = doc.get(field) if field else None
    if value is None or value == "":
        return ()
    return (("TRUE" if value else "FALSE"),) if isinstance(value, bool) else (str(value),)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> FilterError:
        return FilterError(message, self.text, min(self.pos, len(self.text)))

    def parse(self) -> Predicate:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.fail("the filter is empty")
        predicate = self.filter() if self.text[self.pos] == "(" else self.component()
        self.skip_space()
        if self.pos != len(self.text):
            raise self.fail(f"unexpected '{self.text[self.pos]}'")
        return predicate

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def filter(self) -> Predicate:
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] != "(":
            raise self.fail("expected '('")
        self.pos += 1
        predicate = self.component()
        if self.pos >= len(self.text) or self.text[self.pos] != ")":
            raise self.fail("missing ')'")
        self.pos += 1
        return predicate

    def component(self) -> Predicate:
        self.skip_space()
        head = self.text[self.pos] if self.pos < len(self.text) else ""
        if head in ("&", "|"):
            self.pos += 1
            parts = self.filter_list()
            return (lambda d: all(p(d) for p in parts)) if head == "&" else (lambda d: any(p(d) for p in parts))
        if head == "!":
            self.pos += 1
            inner = self.filter()
            return lambda d: not inner(d)
        return self.item()

    def filter_list(self) -> list[Predicate]:
        parts = []
        self.skip_space()
        while self.pos < len(self.text) and self.text[self.pos] == "(":
            parts.append(self.filter())
            self.skip_space()
        if not parts:
            raise self.fail("expected at least one '(...)' after '&' or '|'")
        return parts

    def item(self) -> Predicate:
        match = re.compile(r"\s*([A-Za-z][\w-]*)\s*(~=|>=|<=|=)").match(self.text, self.pos)
        if not match:
            raise self.fail("expected 'attribute=value'")
        attribute, op = match.group(1), match.group(2)
        if op != "=":
            raise self.fail(f"the '{op}' operator is not supported (use '=')")
        self.pos = match.end()
        end = self.text.find(")", self.pos)
        end = len(self.text) if end < 0 else end
        raw = self.text[self.pos:end]
        self.pos = end
        return _item(attribute, self.unescape(raw.strip()))

    def unescape(self, raw: str) -> str:
        def hex_escape(m: re.Match[str]) -> str:
            char = chr(int(m.group(1), 16))
            return "`*" if char == "*" else char
        if re.search(r"\\(?![0-9A-Fa-f]{2})", raw):
            raise self.fail("a '\\' must be followed by two hexadecimal digits")
        return re.sub(r"\\([0-9A-Fa-f]{2})", hex_escape, raw)


def _item(attribute: str, value: str) -> Predicate:
    if value == "*":
        return lambda d: bool(attribute_values(d, attribute))
    if "*" in value.replace("`*", ""):
        regex = wildcard_regex(value.replace("?", "`?").replace("[", "`["))
        return lambda d: any(regex.fullmatch(v) for v in attribute_values(d, attribute))
    literal = value.replace("`*", "*").lower()
    return lambda d: any(v.lower() == literal for v in attribute_values(d, attribute))


def compile_ldap_filter(text: str) -> Predicate:
    """Parse ``text`` into a predicate over directory documents (see ``records.ATTRIBUTES``)."""
    return _Parser(text).parse()
