"""Path cmdlets that do string work only: ``Split-Path``. (``Join-Path``/``Test-Path`` live in files.py.)"""
from __future__ import annotations

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet
from csshell.runtime.values import enumerate_value, to_string

_SEPARATORS = "/\\"


@cmdlet("Split-Path", default_set="ParentSet", synopsis="Returns the specified part of a path.",
        examples=[('Split-Path -Leaf $PSCommandPath', "The running script's file name."),
                  ('Split-Path $PSCommandPath', "The folder that holds the running script.")])
class SplitPath(Cmdlet):
    """``Split-Path``: the parent folder (default), the leaf, or whether the path is absolute.

    Works on the text only, like PowerShell's for non-existing paths; ``/`` and ``\\`` both separate.
    """

    Path = Parameter("string[]", position=0, mandatory=True, from_pipeline=True, from_pipeline_by_property=True,
                     aliases=("PSPath",))
    Parent = Parameter("switch", sets=("ParentSet",))
    Leaf = Parameter("switch", sets=("LeafSet",))
    Qualifier = Parameter("switch", sets=("QualifierSet",))
    NoQualifier = Parameter("switch", sets=("NoQualifierSet",))
    IsAbsolute = Parameter("switch", sets=("IsAbsoluteSet",))

    def process(self, ctx: CommandContext) -> None:
        for item in enumerate_value(self.Path):
            ctx.write_object(self._part(to_string(item)))

    def _part(self, path: str) -> object:
        if self.IsAbsolute:
            return path.startswith(tuple(_SEPARATORS)) or (len(path) > 1 and path[1] == ":")
        if self.Qualifier:
            return path[:2] if len(path) > 1 and path[1] == ":" else ""
        if self.NoQualifier:
            return path[2:] if len(path) > 1 and path[1] == ":" else path
        trimmed = path.rstrip(_SEPARATORS) or path
        cut = max(trimmed.rfind(sep) for sep in _SEPARATORS)
        if self.Leaf:
            return trimmed[cut + 1:]
        if cut < 0:
            return ""
        return trimmed[:cut] or trimmed[:1]
