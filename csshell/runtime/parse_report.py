"""Parse errors as PowerShell shows them: one position block per error, one CategoryInfo at the end."""
from __future__ import annotations

from csshell.language.parse_errors import ParseErrors
from csshell.runtime.errors import PARSER_ERROR, ErrorRecord, position_lines


def parse_error_record(errors: ParseErrors, invoked: bool = False) -> ErrorRecord:
    """The record for the first error. ``invoked``: the script was called from a prompt or another
    script (reason ``ParseException``) rather than run by ``-File``/``-Command`` (verify-ps51 §2)."""
    first = errors.errors[0]
    return ErrorRecord(first.message, first.error_id, PARSER_ERROR, extent=first.extent,
                       reason="ParseException" if invoked else "ParentContainsErrorRecordException",
                       activity="", exception_type="System.Management.Automation.ParseException")


def render_parse_errors(errors: ParseErrors, invoked: bool = False) -> str:
    record = parse_error_record(errors, invoked)
    lines: list[str] = []
    for error in errors.errors:
        lines.extend(position_lines(error.extent))
        lines.append(error.message)
        lines.append("")
    if lines and lines[-1] == "":
        lines.pop()
    lines.append(f"    + CategoryInfo          : {record.category_info}")
    lines.append(f"    + FullyQualifiedErrorId : {record.fully_qualified_error_id}")
    return "\n".join(lines)
