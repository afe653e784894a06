"""Reading script text the way Windows PowerShell 5.1 does: by its byte order mark, else UTF-8, else ANSI.

5.1 reads a ``.ps1`` without a BOM in the system's ANSI code page (Windows-1252 on en-US machines),
while files written on Linux are UTF-8; so a BOM decides, then strict UTF-8, then Windows-1252 (its
five unassigned bytes kept as the same code points, as .NET's decoder does). Decoding never fails:
every script file (``-File``, ``& ./x.ps1``, ``. ./x.ps1``), ``-Command -`` input and text file a
cmdlet reads goes through :func:`decode_text`.
"""
from __future__ import annotations

import codecs

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))   # UTF-32 LE before UTF-16 LE


def _latin1_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes Windows-1252 leaves unassigned (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to U+0081... as in .NET."""
    chunk = error.object[error.start:error.end]
    return bytes(chunk).decode("latin-1"), error.end


codecs.register_error("csshell-latin1", _latin1_fallback)


def decode_text(data: bytes) -> str:
    """Script or text file bytes as text: BOM, else UTF-8, else Windows-1252."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="csshell-latin1")


def read_script_text(path: str) -> str:
    """The text of a script file (OSError when it cannot be read)."""
    with open(path, "rb") as handle:
        return decode_text(handle.read())
