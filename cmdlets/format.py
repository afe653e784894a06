"""Format-Table, Format-List, Out-String, Out-Host and Out-Default.

The Format-* cmdlets collect their whole input (a table's widths depend on every row) and write one
:class:`FormattedText`; the Out-* cmdlets turn any objects, including that text, into console text
with the same :class:`OutputFormatter` the engine uses for implicit output.
"""
from __future__ import annotations

from typing import Any

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import PSError
from csshell.runtime.format_groups import group_spec
from csshell.runtime.format_properties import LIST_KEYS, TABLE_KEYS, PropertySpec, parse_property_items
from csshell.runtime.formatting import (FormattedText, OutputFormatter, render_list, render_table,
                                        session_format_settings)
from csshell.runtime.values import enumerate_value


def _settings(ctx: CommandContext) -> tuple[int, int]:
    """Console width and $FormatEnumerationLimit of the running session (defaults without one)."""
    try:
        session = ctx.session
    except (NotImplementedError, AttributeError):
        session = None
    return session_format_settings(session)


def _current_input(command: Cmdlet, ctx: CommandContext) -> Any:
    value = getattr(command, "InputObject", None)
    return value if value is not None else ctx.input_object


def _throw(command: Cmdlet, ctx: CommandContext, error: PSError) -> None:
    """Re-throw a formatting parameter error as this command's terminating error."""
    record = error.record
    record.command_name = record.command_name or command.name
    record.command_class = record.command_class or command.class_name
    ctx.throw_error(record)


def _group_by_parameter() -> Parameter:
    return Parameter("object", help="Starts a new group, under its own header, whenever this property's or "
                                    "expression's value changes (sort first to group all equal values).")


class _FormatCommand(Cmdlet):
    """Shared collection logic of Format-Table and Format-List."""

    allowed_keys: tuple[str, ...] = TABLE_KEYS

    def begin(self, ctx: CommandContext) -> None:
        self.collected: list[Any] = []
        self.group_by: PropertySpec | None = None
        try:
            if self.Property is not None:
                parse_property_items(self._property_items(), self.allowed_keys)
            if self.GroupBy is not None:
                self.group_by = group_spec(self.GroupBy)
        except PSError as error:
            _throw(self, ctx, error)

    def process(self, ctx: CommandContext) -> None:
        value = _current_input(self, ctx)
        if value is not None:
            self.collected.extend(enumerate_value(value))

    def end(self, ctx: CommandContext) -> None:
        if not self.collected:
            return
        width, limit = _settings(ctx)
        try:
            text = self.render(ctx, width, limit)
        except PSError as error:
            _throw(self, ctx, error)
            return
        if text:
            ctx.write_object(FormattedText(text, width, lambda other: self.render(ctx, other, limit)))

    def _property_items(self) -> list[Any] | None:
        return None if self.Property is None else enumerate_value(self.Property)

    def render(self, ctx: CommandContext, width: int, limit: int) -> str:
        raise NotImplementedError


@cmdlet("Format-Table", aliases=("ft",), outputs="Microsoft.PowerShell.Commands.Internal.Format",
        synopsis="Formats the output as a table.",
        description="Shows the selected properties of each object in a column. Property items may be names "
                    "(wildcards allowed), script blocks or calculated properties "
                    "(@{Name=...; Expression=...; Width=...; Alignment=...; FormatString=...}).",
        examples=(("Get-CsUser | Format-Table -Property DisplayName, SipAddress -AutoSize",
                   "Lists every user's display name and SIP address in a compact table."),))
class FormatTable(_FormatCommand):
    Property = Parameter("object[]", position=0, help="Properties to show, in order.")
    AutoSize = Parameter("switch", help="Sizes every column to its widest value.")
    HideTableHeaders = Parameter("switch", help="Omits the column headers.")
    Wrap = Parameter("switch", help="Wraps long values onto further lines instead of cutting them.")
    GroupBy = _group_by_parameter()
    InputObject = Parameter("psobject", from_pipeline=True, help="The objects to format.")

    allowed_keys = TABLE_KEYS

    def render(self, ctx: CommandContext, width: int, limit: int) -> str:
        return render_table(self.collected, self._property_items(), autosize=bool(self.AutoSize), width=width,
                            hide_headers=bool(self.HideTableHeaders), ctx=ctx, wrap=bool(self.Wrap), limit=limit,
                            group_by=self.group_by)


@cmdlet("Format-List", aliases=("fl",), outputs="Microsoft.PowerShell.Commands.Internal.Format",
        synopsis="Formats the output as a list of properties, each on its own line.",
        description="Shows each object as 'Name : value' lines. Use * to show every property.",
        examples=(('Get-CsClientPinInfo -Identity "Ken Myer" | Format-List *',
                   "Shows every PIN property of Ken Myer."),))
class FormatList(_FormatCommand):
    Property = Parameter("object[]", position=0, help="Properties to show; * shows all of them.")
    GroupBy = _group_by_parameter()
    InputObject = Parameter("psobject", from_pipeline=True, help="The objects to format.")

    allowed_keys = LIST_KEYS

    def render(self, ctx: CommandContext, width: int, limit: int) -> str:
        return render_list(self.collected, self._property_items(), ctx=ctx, width=width, limit=limit,
                           group_by=self.group_by)


@cmdlet("Out-String", outputs="System.String",
        synopsis="Sends objects to the host as a series of strings.",
        description="Renders its input exactly as the console would show it and returns the text as one "
                    "string, or one string per line with -Stream.",
        examples=(("$report = Get-CsUser | Format-Table DisplayName, SipAddress -AutoSize | Out-String",
                   "Keeps a table as text, for a log file or an e-mail body."),))
class OutString(Cmdlet):
    Stream = Parameter("switch", help="Writes one string per line.")
    Width = Parameter("int", help="Line width used for tables and lists.")
    InputObject = Parameter("psobject", from_pipeline=True, help="The objects to render.")

    def begin(self, ctx: CommandContext) -> None:
        width, limit = _settings(ctx)
        if self.Width is not None and self.Width > 0:
            width = self.Width
        self.formatter = OutputFormatter(width, limit, ctx)
        self.parts: list[str] = []

    def process(self, ctx: CommandContext) -> None:
        value = _current_input(self, ctx)
        if value is not None:
            self._emit(ctx, self.formatter.feed(value))

    def end(self, ctx: CommandContext) -> None:
        self._emit(ctx, self.formatter.flush())
        if not self.Stream:
            ctx.write_object("".join(self.parts))

    def _emit(self, ctx: CommandContext, text: str) -> None:
        """-Stream writes complete lines as soon as they exist; otherwise text is kept for the end."""
        if not text:
            return
        if not self.Stream:
            self.parts.append(text)
            return
        for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
            ctx.write_object(line)


@cmdlet("Out-Host", aliases=("oh",), synopsis="Sends output to the console.",
        description="Formats its input as Out-Default does and writes it to the host, not to the pipeline.")
class OutHost(Cmdlet):
    InputObject = Parameter("psobject", from_pipeline=True, help="The objects to display.")

    def begin(self, ctx: CommandContext) -> None:
        width, limit = _settings(ctx)
        self.formatter = OutputFormatter(width, limit, ctx)

    def process(self, ctx: CommandContext) -> None:
        value = _current_input(self, ctx)
        if value is not None:
            self._show(ctx, self.formatter.feed(value))

    def end(self, ctx: CommandContext) -> None:
        self._show(ctx, self.formatter.flush())

    @staticmethod
    def _show(ctx: CommandContext, text: str) -> None:
        if text:
            ctx.write_host(text, newline=False)


@cmdlet("Out-Default", synopsis="Sends output to the default formatter and the default output cmdlet.",
        description="What PowerShell adds to the end of every pipeline; same as Out-Host here.")
class OutDefault(OutHost):
    pass
