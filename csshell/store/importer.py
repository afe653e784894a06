"""Reading a directory file (CSV or JSON) into validated user documents — all or nothing.

Format: the columns of acceptance/directory.csv (``DisplayName, FirstName, ..., Pin,
LastPinChangeTime, PinExpirationTime``), plus the optional ``Site`` and ``PinPolicy`` that
Export-CsDirectory also writes; JSON is a list of objects with the same keys. Every row is
checked before anything is imported; each problem names the file and the line (for JSON: the line
where the object starts). A user without a SipAddress exists in the directory but is not enabled
for Skype for Business.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
from dataclasses import dataclass
from typing import Any

from csshell.jsondepth import too_deep
from csshell.store.errors import DirectoryImportError, RowProblem
from csshell.store.policy import MAX_PIN_LENGTH
from csshell.store.user_admin import is_line_uri

REQUIRED_COLUMNS = ("DisplayName", "SamAccountName", "Domain", "UserPrincipalName",
                    "SipAddress", "DistinguishedName")
REQUIRED_VALUES = ("DisplayName", "SamAccountName", "Domain", "UserPrincipalName", "DistinguishedName")
TEXT_COLUMNS = ("DisplayName", "FirstName", "LastName", "SamAccountName", "Domain", "UserPrincipalName",
                "SipAddress", "DistinguishedName", "LineURI", "Title", "Department", "City",
                "RegistrarPool", "Site", "PinPolicy")
OPTIONAL_TEXT = ("LineURI", "RegistrarPool", "Site", "PinPolicy")      # empty is stored as None
BOOL_COLUMNS = ("EnterpriseVoiceEnabled", "IsPinSet", "IsLockedOut")
DATE_COLUMNS = ("LastPinChangeTime", "PinExpirationTime")
COLUMNS = {c.lower(): c for c in TEXT_COLUMNS + BOOL_COLUMNS + DATE_COLUMNS + ("Pin",)}
MAX_PROBLEMS = 25
MAX_ROW_DEPTH = 100        # a row is a flat object; its values nest only by mistake
_SIP = re.compile(r"^(sip:)?[^@\s:]+@[^@\s]+$", re.IGNORECASE)


@dataclass
class UserSeed:
    """One validated row: the user document (without PinHash), the PIN to hash, if any, and the
    columns the row actually has (a column the file lacks keeps an existing user's stored value)."""
    line: int
    doc: dict[str, Any]
    pin: str | None
    given: frozenset[str] = frozenset(COLUMNS.values())


MAX_FILE_BYTES = 256 * 1024 * 1024      # ~1 million users; a bigger "directory" is the wrong file
_CHUNK = 1 << 20
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_directory_file(path: str) -> list[UserSeed]:
    """Parse and validate ``path``; raise :class:`DirectoryImportError` listing every bad row."""
    text = read_text(path)
    if not text.strip():
        raise DirectoryImportError([RowProblem(path, None, "the file is empty, so it holds no users; the "
                                               "directory was left as it was.")])
    rows = _json_rows(text, path) if _looks_like_json(path, text) else _csv_rows(text, path)
    return validate_rows(rows, path)


def read_text(path: str) -> str:
    """The file as UTF-8 text, read in bounded chunks: a device (``/dev/zero``) or a binary file is refused
    after its first chunk instead of filling memory. ``OSError`` is left to the caller."""
    chunks: list[bytes] = []
    total = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            if not chunks and chunk.startswith(_UTF16_BOMS):
                raise _whole_file(path, "the file is UTF-16 text; save it as UTF-8 (for example with "
                                        "Export-Csv -Encoding UTF8).")
            if b"\0" in chunk:
                raise _whole_file(path, "the file holds NUL bytes, so it is not a CSV or JSON text file.")
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise _whole_file(path, f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, so it is "
                                        "not a directory file.")
            chunks.append(chunk)
    try:
        return b"".join(chunks).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DirectoryImportError([RowProblem(path, 1, "the file is not UTF-8 text.")]) from None


def _whole_file(path: str, problem: str) -> DirectoryImportError:
    return DirectoryImportError([RowProblem(path, None, problem)])


def _looks_like_json(path: str, text: str) -> bool:
    return os.path.splitext(path)[1].lower() == ".json" or text.lstrip().startswith("[")


def _csv_rows(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise DirectoryImportError([RowProblem(path, 1, "the file is empty.")]) from None
    header = [h.strip() for h in header]
    _check_columns(header, path)
    rows, problems, start = [], [], reader.line_num + 1
    try:
        for values in reader:
            line, start = start, reader.line_num + 1
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(RowProblem(path, line, f"the row has {len(values)} values but the "
                                                       f"header has {len(header)} columns."))
                continue
            rows.append((line, dict(zip(header, values))))
    except csv.Error as exc:
        problems.append(RowProblem(path, reader.line_num, f"the CSV text is malformed ({exc})."))
    if problems:
        raise DirectoryImportError(problems)
    return rows


def _check_columns(header: list[str], path: str) -> None:
    present = {h.lower() for h in header}
    missing = [c for c in REQUIRED_COLUMNS if c.lower() not in present]
    if missing:
        raise DirectoryImportError([RowProblem(path, 1, "the required column(s) "
                                               + ", ".join(f'"{c}"' for c in missing) + " are missing.")])


def _json_rows(text: str, path: str) -> list[tuple[int, dict[str, Any]]]:
    """Decode a JSON list object by object, so each row keeps the line where it starts."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if not text.startswith("[", pos):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:     # broken JSON is reported as such, whatever its shape
            raise DirectoryImportError([RowProblem(path, exc.lineno, _malformed(exc))]) from None
        raise DirectoryImportError([RowProblem(path, _line(text, pos), "a JSON directory must be a list "
                                                                      "of objects.")])
    pos = _skip(text, pos + 1)
    rows: list[tuple[int, dict[str, Any]]] = []
    deep = too_deep(text, MAX_ROW_DEPTH, pos)
    if deep is not None:                # json's C decoder would overflow the C stack (jsondepth.py)
        raise DirectoryImportError([RowProblem(path, _line(text, deep), "the JSON text is malformed (it "
                                               f"nests more than {MAX_ROW_DEPTH} levels deep).")])
    while not text.startswith("]", pos):
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise DirectoryImportError([RowProblem(path, exc.lineno, _malformed(exc))]) from None
        if not isinstance(value, dict):
            raise DirectoryImportError([RowProblem(path, _line(text, pos), "each entry must be an object.")])
        rows.append((_line(text, pos), value))
        pos = _skip(text, end)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif not text.startswith("]", pos):
            raise DirectoryImportError([RowProblem(path, _line(text, pos), "expected ',' or ']'.")])
    if text[_skip(text, pos + 1):].strip():
        raise DirectoryImportError([RowProblem(path, _line(text, pos), "unexpected text after the list.")])
    if rows:
        _check_columns(sorted({k for _, row in rows for k in row}), path)
    return rows


def _malformed(exc: json.JSONDecodeError) -> str:
    """Python's message ends mid-phrase ('Unterminated string starting at'): the column completes it."""
    at = "" if exc.msg.endswith(" at") else " at"
    return f"the JSON text is malformed ({exc.msg}{at} column {exc.colno})."


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


# --- validation -----------------------------------------------------------------------------

def validate_rows(rows: list[tuple[int, dict[str, Any]]], path: str) -> list[UserSeed]:
    """Turn raw rows into seeds; collect one problem per bad line (duplicates name the first line)."""
    seeds: list[UserSeed] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[str, str], int] = {}
    for line, raw in rows:
        row = {str(k).strip().lower(): v for k, v in raw.items()}
        try:
            seed = _seed(line, row)
            seed.given = frozenset(COLUMNS[k] for k in row if k in COLUMNS)
        except ValueError as exc:
            problems.append(RowProblem(path, line, str(exc)))
            continue
        clashes = [(label, key, seen.setdefault((label, key), line)) for label, key in _unique_keys(seed.doc)]
        clashes = [clash for clash in clashes if clash[2] != line]
        if clashes:
            problems.append(RowProblem(path, line, _duplicate_problem(clashes)))
        seeds.append(seed)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise DirectoryImportError(problems)
    return seeds


def _duplicate_problem(clashes: list[tuple[str, str, int]]) -> str:
    """One sentence for all the keys a row shares with earlier rows, grouped by the earlier line."""
    by_line: dict[int, list[str]] = {}
    for label, key, first in clashes:
        by_line.setdefault(first, []).append(f'{label} "{key}"')
    parts = []
    for first, names in by_line.items():
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        verb = "is" if len(names) == 1 else "are"
        parts.append(f"the {listed} {verb} already used on line {first}")
    return "; ".join(parts) + "."


def _unique_keys(doc: dict[str, Any]) -> list[tuple[str, str]]:
    keys = [("UserPrincipalName", doc["UserPrincipalName"].lower()),
            ("DistinguishedName", doc["DistinguishedName"].lower()),
            ("domain\\logon name", f"{doc['Domain']}\\{doc['SamAccountName']}".lower())]
    if doc["SipAddress"]:
        keys.append(("SipAddress", doc["SipAddress"].lower()))
    return keys


def _seed(line: int, row: dict[str, Any]) -> UserSeed:
    doc: dict[str, Any] = {col: _text(row.get(col.lower()), col) for col in TEXT_COLUMNS}
    for col in REQUIRED_VALUES:
        if not doc[col]:
            raise ValueError(f'the required value "{col}" is empty.')
    doc["SipAddress"] = _sip(doc["SipAddress"])
    if "@" not in doc["UserPrincipalName"]:
        raise ValueError(f'the UserPrincipalName "{doc["UserPrincipalName"]}" is not of the form name@domain.')
    if "=" not in doc["DistinguishedName"]:
        raise ValueError(f'the DistinguishedName "{doc["DistinguishedName"]}" is not a distinguished name.')
    if doc["LineURI"]:              # what Set-CsUser -LineURI would refuse, an import refuses too
        if not is_line_uri(doc["LineURI"]):
            raise ValueError(f'the LineURI "{doc["LineURI"]}" is not of the form tel:+14255551234 or '
                             "tel:+14255551234;ext=1234.")
        doc["LineURI"] = "tel:" + doc["LineURI"][4:]
    for col in BOOL_COLUMNS:
        doc[col] = _bool(row.get(col.lower()), col)
    for col in DATE_COLUMNS:
        doc[col] = _date(row.get(col.lower()), col)
    pin = _pin(row.get("pin"))
    if "ispinset" not in row or row.get("ispinset") in (None, ""):
        doc["IsPinSet"] = pin is not None
    elif pin is not None and not doc["IsPinSet"]:
        raise ValueError("a Pin is given but IsPinSet is False.")
    for col in OPTIONAL_TEXT:
        doc[col] = doc[col] or None
    return UserSeed(line, doc, pin)


def _text(value: Any, column: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise ValueError(f'the value of "{column}" must be text.')
    return str(value).strip()


def _sip(value: str) -> str:
    if not value:
        return ""
    if not _SIP.match(value):
        raise ValueError(f'the SipAddress "{value}" is not of the form sip:name@domain.')
    return value if value.lower().startswith("sip:") else "sip:" + value


def _bool(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "false", "0", "$false"):
        return False
    if text in ("true", "1", "$true"):
        return True
    raise ValueError(f'the value "{value}" of "{column}" is not a Boolean (use True or False).')


def _date(value: Any, column: str) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        parsed = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f'the value "{text}" of "{column}" is not an ISO date and time '
                         "(such as 2026-03-14T09:30:00).") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed.replace(microsecond=0).isoformat()


def _pin(value: Any) -> str | None:
    if isinstance(value, bool):
        raise ValueError("the Pin must contain only the digits 0-9.")
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not text.isdigit() or not text.isascii():
        raise ValueError("the Pin must contain only the digits 0-9.")
    if not 4 <= len(text) <= MAX_PIN_LENGTH:
        raise ValueError(f"the Pin must be 4 to {MAX_PIN_LENGTH} digits long.")
    return text
