"""The store's journal: ``<store>.journal``, an append-only file of checksummed change records.

Why: rewriting a 100,000-user store file (65 MB) for every PIN lock costs about a second; appending
the one changed document costs one small fsync'd write, whatever the directory's size.

Layout: one record per line, ``<crc32 as 8 hex digits> <JSON payload>\\n`` (JSON escapes newlines, so a
record never spans lines). The first record is the header ``{"journal": 1, "base": "<token>"}``: the
journal belongs to the base file whose ``_meta`` document carries the same ``base_id`` token; a journal
with another token is stale (left by a compaction that was interrupted) and is ignored. Every other
record maps table name -> doc id -> the document's new content, or ``null`` for a deletion; since
version 2 a record may also hold ``"$patch": {table: {doc id: {"set": {field: value}[, "unset":
[field]]}}}`` for a document of which only some fields were set (an unlock sets 6 of 27 fields: the
record of a 10,000-user bulk unlock is a third of the size). A version-1 journal is read as before; a
csshell that reads only version 1 refuses a version-2 journal as damaged instead of misapplying it.

Torn records: a record is applied only when its line is complete (ends in ``\\n``) and its checksum
matches. A damaged *last* line is what a crash in the middle of an append leaves: it is ignored, and
the next writer cuts it off before appending. A damaged line followed by good ones cannot come from
a crash (a writer never appends after a damaged line): that is corruption, reported as such. So is a
non-empty journal whose first line is not a readable header: the journal is created whole (header and
first record, fsync'd) by a rename, so no crash leaves a torn or garbled header. A zero-length journal
holds nothing and is ignored.
"""
from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from csshell.jsondepth import too_deep
from csshell.store.errors import StoreError

try:                                    # the fastest parser installed; plain json works the same
    import orjson as _orjson
except ImportError:                     # pragma: no cover - exercised where orjson is missing
    _orjson = None

SUFFIX = ".journal"
VERSION = 2                              # 2: records may carry field patches ("$patch"); 1 is still read
READABLE = (1, 2)
PATCHES = "$patch"                       # record key: table -> doc id -> {"set": {...}, "unset": [...]}

Changes = dict[str, dict[str, Any]]       # table -> doc id (text) -> document or None (deleted)


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON (orjson when installed)."""
    if _orjson is not None:
        return _orjson.dumps(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(raw: bytes) -> Any:
    """Parse UTF-8 JSON; raises ``ValueError`` (JSONDecodeError or UnicodeDecodeError) when it is not."""
    if _orjson is not None:
        return _orjson.loads(raw)          # refuses more than 1024 levels by itself
    if too_deep(raw) is not None:          # the json module's C decoder would overflow the C stack
        raise ValueError("the JSON text nests too deeply")
    return json.loads(raw.decode("utf-8"))


def journal_path(real_store_path: str) -> str:
    return real_store_path + SUFFIX


def encode(payload: Any) -> bytes:
    """One framed record: checksum, space, JSON, newline."""
    body = dumps(payload)
    return b"%08x %s\n" % (zlib.crc32(body), body)


def header(token: str) -> bytes:
    return encode({"journal": VERSION, "base": token})


@dataclass
class Tail:
    """What reading a journal from some offset found."""
    records: list[Changes] = field(default_factory=list)
    end: int = 0                        # offset just after the last good record
    torn: bool = False                  # bytes after ``end`` that are not (yet) a good record


def _decode_line(line: bytes) -> Any:
    """The payload of one complete line, or ``None`` when its checksum or JSON is bad."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:-1]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        return loads(body)
    except ValueError:
        return None


def parse(data: bytes, start: int, path: str) -> Tail:
    """Good records in ``data`` (the journal's bytes from offset ``start``) up to the first bad one.

    A bad line with good lines after it raises ``StoreCorrupt`` naming the journal file.
    """
    tail = Tail(end=start)
    pos = 0
    while pos < len(data):
        newline = data.find(b"\n", pos)
        if newline < 0:                  # an append in progress, or torn by a crash
            tail.torn = True
            break
        payload = _decode_line(data[pos:newline + 1])
        if not isinstance(payload, dict):
            if _has_good_line_after(data, newline + 1):
                raise corrupt(path, start + pos)
            tail.torn = True
            break
        tail.records.append(payload)
        pos = newline + 1
        tail.end = start + pos
    return tail


def _has_good_line_after(data: bytes, pos: int) -> bool:
    while pos < len(data):
        newline = data.find(b"\n", pos)
        if newline < 0:
            return False
        if isinstance(_decode_line(data[pos:newline + 1]), dict):
            return True
        pos = newline + 1
    return False


def corrupt(path: str, offset: int, store: str | None = None) -> StoreError:
    """The journal is damaged in a way no crash explains; the message names it and the way back."""
    store = store or path[: -len(SUFFIX)]
    return StoreError(
        f"The store journal '{path}' is damaged at byte {offset}: a record there is unreadable or malformed "
        "but it is not a torn last record, which is all a crash can leave. It was left unchanged. Run "
        f"Restore-CsStore -Path '{store}' to cut the journal back to its last good record (the damaged file "
        "is kept), or restore the store and its journal from a backup.", "StoreCorrupt", path, "InvalidData")


def well_formed(record: Any) -> bool:
    """A change record: ``{table: {numeric doc id: object or null}}``, plus optionally
    ``{"$patch": {table: {numeric doc id: {"set": object, "unset": [names]}}}}``."""
    if not isinstance(record, dict):
        return False
    for table, docs in record.items():
        if not isinstance(docs, dict):
            return False
        check = _well_formed_patches if table == PATCHES else _well_formed_documents
        if not check(docs):
            return False
    return True


def _well_formed_documents(docs: dict[str, Any]) -> bool:
    return all(isinstance(key, str) and key.isdigit() and (doc is None or isinstance(doc, dict))
               for key, doc in docs.items())


def _well_formed_patches(tables: dict[str, Any]) -> bool:
    return all(isinstance(patches, dict) and all(
        isinstance(key, str) and key.isdigit() and isinstance(patch, dict) and isinstance(patch.get("set"), dict)
        and all(isinstance(name, str) for name in patch.get("unset", ()))
        for key, patch in patches.items()) for patches in tables.values())


def header_token(first: Any) -> str | None:
    """The base token a header record names, or ``None`` when it is not a header (of a version we read)."""
    if isinstance(first, dict) and first.get("journal") in READABLE and isinstance(first.get("base"), str):
        return first["base"]
    return None


@dataclass
class Opened:
    """A journal file as read: its inode, its base token, and the good records after the header."""
    inode: int
    token: str | None
    tail: Tail
    version: int = VERSION               # the header's version (read from the start only)


def read(path: str, offset: int | None, inode: int | None = None) -> Opened | None:
    """Read the journal at ``path``: from the start (``offset`` None) or from ``offset``.

    Returns ``None`` when there is no journal. When ``inode`` is given and the file is another one,
    nothing is parsed (``tail`` empty): the caller must reload.
    """
    try:
        with open(path, "rb") as handle:
            return _read_open(handle, path, offset, inode)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"The store journal '{path}' cannot be read: {exc.strerror}. Check its permissions "
                         f"(ls -l '{path}'; for example: chmod u+r, or chown to the user running csshell).",
                         "StoreUnreadable", path, "ReadError") from None


def _read_open(handle: BinaryIO, path: str, offset: int | None, inode: int | None) -> Opened:
    st = os.fstat(handle.fileno())
    if inode is not None and st.st_ino != inode:
        return Opened(st.st_ino, None, Tail())
    if offset is not None:
        handle.seek(offset)
        return Opened(st.st_ino, None, parse(handle.read(), offset, path))
    data = handle.read()
    if not data:                         # nothing to apply (a zero-length file is not a journal csshell wrote)
        return Opened(st.st_ino, None, Tail())
    newline = data.find(b"\n")
    first = _decode_line(data[:newline + 1]) if newline >= 0 else None
    token = header_token(first)
    if token is None:                    # a journal is created whole (header and first record, fsync'd) by a
        raise corrupt(path, 0)           # rename: no crash leaves a bad or torn header, so it is damage
    return Opened(st.st_ino, token, parse(data[newline + 1:], newline + 1, path), first["journal"])


def append(path: str, inode: int, offset: int, record: bytes) -> int:
    """Write ``record`` at ``offset`` (cutting off any torn tail first), fsync; the new end offset.

    Raises ``OSError``; on failure the file is cut back to ``offset`` when possible, so a half-written
    record never stays in front of a later one.
    """
    fd = os.open(path, os.O_WRONLY)
    try:
        st = os.fstat(fd)
        if st.st_ino != inode:
            raise OSError(0, "the journal was replaced by another program")
        if st.st_size != offset:
            os.ftruncate(fd, offset)
        try:
            written = 0
            while written < len(record):
                written += os.pwrite(fd, record[written:], offset + written)
            _datasync(fd)
        except OSError:
            try:
                os.ftruncate(fd, offset)
            except OSError:
                pass
            raise
    finally:
        os.close(fd)
    return offset + len(record)


def _datasync(fd: int) -> None:
    (getattr(os, "fdatasync", None) or os.fsync)(fd)
