"""Writing the directory (and the audit trail) as files that Import-CsDirectory and spreadsheets read.

A directory export holds every user, enabled or not, in directory order, with the import columns
(:data:`DIRECTORY_COLUMNS`: the attributes of ``records.ATTRIBUTES`` and the PIN *state*) — never a
PIN and never a PIN hash. ``Import-CsDirectory`` reads it back unchanged, so export → import →
export gives the same bytes.

Text forms: CSV is RFC 4180 (quotes only where needed), ``\\n`` line ends, UTF-8 without BOM;
Booleans ``True``/``False``, an absent value is an empty field. JSON is a list of objects with the
same keys in the same order (Booleans as JSON Booleans, absent values as ``null``), two-space
indent. Times are ISO 8601 local times, as the store keeps them.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from csshell.store.audit import AuditEntry
from csshell.store.records import ATTRIBUTES, UserRecord
from csshell.store.stored_values import DamagedValue, stored_time

PIN_STATE_COLUMNS = ("IsPinSet", "IsLockedOut", "LastPinChangeTime", "PinExpirationTime")
DIRECTORY_COLUMNS = ATTRIBUTES + PIN_STATE_COLUMNS
BOOL_COLUMNS = frozenset({"EnterpriseVoiceEnabled", "IsPinSet", "IsLockedOut"})
TIME_COLUMNS = frozenset({"LastPinChangeTime", "PinExpirationTime"})
FORMATS = ("Csv", "Json")
AUDIT_COLUMNS = ("Time", "Actor", "Origin", "Action", "Target", "Detail")


def directory_rows(users: Iterable[UserRecord]) -> list[dict[str, Any]]:
    """One row per user with exactly :data:`DIRECTORY_COLUMNS` (typed: bool, text or None)."""
    return [{column: _value(user, column) for column in DIRECTORY_COLUMNS} for user in users]


def _value(user: UserRecord, column: str) -> Any:
    value = user.doc.get(column)
    if column in BOOL_COLUMNS:
        return bool(value)
    if column in TIME_COLUMNS:      # a damaged time would make an export that Import-CsDirectory refuses
        try:
            stored_time(column, value)
        except DamagedValue as damage:
            raise damage.of(f"user {user.sip_address or user.logon}") from None     # Directory adds the file
    return None if value is None else str(value)


def format_for(path: str, requested: str | None) -> str:
    """``Csv`` or ``Json``: as requested (any case), else by the file's extension (``.json``), else CSV."""
    if requested:
        return next(f for f in FORMATS if f.lower() == requested.lower())
    return "Json" if path.lower().endswith(".json") else "Csv"


def rows_text(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """The file text for ``rows`` (every row has ``columns``) in ``fmt``."""
    if fmt == "Json":
        return json.dumps([{c: row[c] for c in columns} for row in rows], indent=2, ensure_ascii=False) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_field(row[c]) for c in columns])
    return buffer.getvalue()


def _csv_field(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def directory_text(users: Iterable[UserRecord], fmt: str) -> str:
    """The whole directory export for ``users`` in ``fmt`` (``Csv`` or ``Json``)."""
    return rows_text(directory_rows(users), DIRECTORY_COLUMNS, fmt)


def audit_text(entries: Iterable[AuditEntry], fmt: str) -> str:
    """Audit entries as Export-CsAuditEntry writes them: :data:`AUDIT_COLUMNS`, ISO times."""
    rows = [{"Time": e.time.isoformat() if e.time else None, "Actor": e.actor, "Origin": e.origin,
             "Action": e.action, "Target": e.target, "Detail": e.detail} for e in entries]
    return rows_text(rows, AUDIT_COLUMNS, fmt)


def write_text(path: str, text: str) -> None:
    """Write ``text`` as UTF-8 (no BOM, ``\\n`` line ends); OSError is the caller's to report."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
