"""Reading script text the way Windows PowerShell 5.1 does: by its byte order mark, else UTF-8, else ANSI.

5.1 reads a ``.ps1`` without a BOM in the system's ANSI code page (Windows-1252 on en-US machines),
while files written on Linux are UTF-8; so a BOM decides, then strict UTF-8, then Windows-1252 (its
five unassigned bytes kept as the same code points, as .NET's decoder does). Decoding never fails:
every script file (``-File``, ``& ./x.ps1``, ``. ./x.ps1``), ``-Command -`` input and text file a
cmdlet reads goes through :func:`decode_text`. The ``#Requires`` lines of a script are read here too.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

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


# --- #Requires ------------------------------------------------------------------------------------
_REQUIRES_LINE = re.compile(r"^[ \t]*#requires\b(?P<rest>.*)$", re.IGNORECASE | re.MULTILINE)
_OPTION = re.compile(r"[-\u2013\u2014](?P<name>[A-Za-z]+)\s*(?P<value>[^-\u2013\u2014]*(?:[-\u2013\u2014](?![A-Za-z])"
                     r"[^-\u2013\u2014]*)*)")
_MODULE_NAME = re.compile(r"ModuleName\s*=\s*['\"]?(?P<name>[^'\";}]+)", re.IGNORECASE)


@dataclass
class ScriptRequirements:
    """What a script's ``#Requires`` lines ask for (PowerShell merges every such line of the script)."""

    version: tuple[int, ...] | None = None
    modules: list[str] = field(default_factory=list)


def script_requirements(text: str) -> ScriptRequirements:
    """Read ``#Requires -Version N.n -Modules A, B, @{ModuleName='C'; ...}`` lines; other options
    (``-RunAsAdministrator``, ``-PSSnapin``, ``-ShellId``) are accepted and ask for nothing here."""
    wanted = ScriptRequirements()
    for line in _REQUIRES_LINE.finditer(text):
        for option in _OPTION.finditer(line.group("rest")):
            name, value = option.group("name").lower(), option.group("value").strip()
            if name == "version":
                wanted.version = max(wanted.version or (0,), _version(value))
            elif name in ("modules", "module"):
                wanted.modules.extend(_module_names(value))
    return wanted


def _version(text: str) -> tuple[int, ...]:
    parts = [int(p) for p in re.findall(r"\d+", text)[:4]] or [0]
    return tuple(parts) if len(parts) > 1 else (parts[0], 0)


def _module_names(text: str) -> list[str]:
    """``A, 'B', @{ModuleName='C'; ModuleVersion='1.0'}`` → ``['A', 'B', 'C']``, in the order written."""
    names: list[str] = []
    for item in re.findall(r"@\{[^}]*\}|[^,]+", text):
        item = item.strip()
        spec = _MODULE_NAME.search(item) if item.startswith("@{") else None
        name = spec.group("name") if spec else item
        name = name.strip().strip("'\"").strip()
        if name:
            names.append(name)
    return names
