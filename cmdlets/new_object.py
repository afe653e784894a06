"""``New-Object``: property bags (``New-Object PSObject -Property @{...}``) and the .NET types scripts build."""
from __future__ import annotations

from csshell.runtime import methods
from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.errors import PSError
from csshell.runtime.values import PSHashtable, PSObject, enumerate_value, to_string

_PROPERTY_BAGS = {"psobject", "pscustomobject", "system.management.automation.psobject",
                  "system.management.automation.pscustomobject", "object", "system.object"}


@cmdlet("New-Object", default_set="Net", synopsis="Creates an instance of a .NET Framework type.",
        examples=[('New-Object PSObject -Property @{Identity = $u.SipAddress; Locked = $true}',
                   "A report row with two properties."),
                  ("New-Object System.Collections.ArrayList", "An ArrayList to .Add() rows to.")])
class NewObject(Cmdlet):
    """``New-Object [-TypeName] <String> [[-ArgumentList] <Object[]>] [-Property <IDictionary>]``."""

    TypeName = Parameter("string", position=0, mandatory=True, sets=("Net",))
    ArgumentList = Parameter("object[]", position=1, aliases=("Args",), sets=("Net",))
    Property = Parameter("hashtable")

    def process(self, ctx: CommandContext) -> None:
        name = to_string(self.TypeName).strip()
        if name.lower() in _PROPERTY_BAGS:
            value = PSObject()
        else:
            try:
                value = methods.new_object(name, list(enumerate_value(self.ArgumentList)))
            except PSError as err:
                ctx.throw_error(err.record)
                return
        for key, item in (self.Property or PSHashtable()).items():
            self._set(ctx, value, to_string(key), item)
        ctx.write_object(value)

    @staticmethod
    def _set(ctx: CommandContext, value: object, name: str, item: object) -> None:
        if isinstance(value, PSObject):
            value.set(name, item)
        elif isinstance(value, PSHashtable):
            value[name] = item
        else:
            ctx.error(f'The member "{name}" was not found for the specified .NET object.', "InvalidOperation",
                      "InvalidOperation", target=name, reason="InvalidOperationException")
