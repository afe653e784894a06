"""Toy cmdlets and argument builders shared by the binder tests (not collected as tests)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# Until pyproject's pytest section sets `pythonpath = ["."]`, make the package importable.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from csshell.language.ast import Extent, Source  # noqa: E402
from csshell.runtime.binder import CommandArgument  # noqa: E402
from csshell.runtime.cmdlet import Cmdlet, Parameter, cmdlet  # noqa: E402
from csshell.runtime.values import PSObject  # noqa: E402


def extent_of(text: str) -> Extent:
    return Extent(Source(text), 0, len(text))


def val(value: Any, text: str | None = None) -> CommandArgument:
    """A positional argument; ``text`` is its source text (defaults to the value's)."""
    return CommandArgument(value=value, extent=extent_of(text if text is not None else str(value)))


def par(name: str, value: Any = None, *, colon: bool = False, splatted: bool = False) -> CommandArgument:
    """``-Name`` (or ``-Name:value`` when ``colon``)."""
    text = f"-{name}" + (f":{value}" if colon else "")
    return CommandArgument(value=value, parameter=name, has_value=colon or splatted,
                           extent=extent_of(text), splatted=splatted)


@cmdlet("Test-BindPin", supports_should_process=True, class_name="Test.BindPinCmdlet")
class BindPin(Cmdlet):
    Identity = Parameter("UserIdParameter", position=0, mandatory=True, from_pipeline=True,
                         from_pipeline_by_property=True)
    Pin = Parameter("string", position=1)
    Force = Parameter("switch")


@cmdlet("Test-BindWhere", default_set="EqualSet", class_name="Test.BindWhereCommand")
class BindWhere(Cmdlet):
    FilterScript = Parameter("scriptblock", position=0, mandatory=True, sets=("ScriptBlockSet",))
    Property = Parameter("string", position=0, mandatory=True, sets=("EqualSet", "GreaterThanSet"))
    Value = Parameter("object", position=1, sets=("EqualSet", "GreaterThanSet"))
    EQ = Parameter("switch", sets=("EqualSet",))
    GT = Parameter("switch", mandatory=True, sets=("GreaterThanSet",))
    InputObject = Parameter("psobject", from_pipeline=True)


@cmdlet("Test-BindTypes", class_name="Test.BindTypesCmdlet")
class BindTypes(Cmdlet):
    Count = Parameter("int", default=7)
    When = Parameter("datetime")
    Enabled = Parameter("bool")
    Level = Parameter("string", validate_set=("Low", "Medium", "High"))
    Names = Parameter("string[]")
    Filter = Parameter("string")
    Code = Parameter("string", mandatory=True, aliases=("cd",))
    Inform = Parameter("string")


@cmdlet("Test-BindRest", class_name="Test.BindRestCmdlet")
class BindRest(Cmdlet):
    First = Parameter("string", position=0)
    Rest = Parameter("object[]", remaining_arguments=True)


@cmdlet("Test-BindSets", default_set="ByName", class_name="Test.BindSetsCmdlet")
class BindSets(Cmdlet):
    Name = Parameter("string", position=0, sets=("ByName",))
    Id = Parameter("int", sets=("ById",), mandatory=True)
    Path = Parameter("string", sets=("ByPath",), mandatory=True)
    Tag = Parameter("string")


@cmdlet("Test-BindNoSets", class_name="Test.BindNoSetsCmdlet")
class BindNoSets(Cmdlet):
    Identity = Parameter("string", position=0, mandatory=True)
    Pin = Parameter("string", position=1, mandatory=True)
    Names = Parameter("string[]", mandatory=False)


def pin_info(identity: str) -> PSObject:
    """What Get-CsClientPinInfo emits: PinInfoDetails objects carrying an Identity property."""
    return PSObject([("Identity", identity), ("IsPinSet", True), ("IsLockedOut", True)],
                    type_names=["Microsoft.Rtc.Management.UserPinService.PinInfoDetails"])


def ad_user(name: str) -> PSObject:
    return PSObject([("Identity", f"CN={name},OU=Redmond,DC=litwareinc,DC=com"), ("DisplayName", name)],
                    type_names=["Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser",
                                "Microsoft.Rtc.Management.ADConnect.Schema.ADUser"])
