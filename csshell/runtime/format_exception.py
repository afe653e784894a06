""".NET's ``FormatException`` as the formatting modules raise it: one class, the .NET messages.

Number formatting (``dotnet_format.py``) and DateTime/TimeSpan formatting (``date_format.py``) raise
the same exception so that every caller (``-f``, ``.ToString(fmt)``, ``Get-Date -Format``) catches one
type; callers wrap it in an ErrorRecord with PowerShell's wording.
"""
from __future__ import annotations

BAD_FORMAT = "Input string was not in a correct format."
BAD_SPECIFIER = "Format specifier was invalid."
BAD_INDEX = "Index (zero based) must be greater than or equal to zero and less than the size of the argument list."


class FormatError(Exception):
    """A .NET ``FormatException``; ``str(exc)`` is the .NET message."""
