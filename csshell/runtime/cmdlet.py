"""How a cmdlet is declared, and the context it runs in.

A cmdlet is a class whose parameters are class attributes of type :class:`Parameter`, like
PowerShell's ``[Parameter(Mandatory=$true, Position=0, ValueFromPipelineByPropertyName=$true)]``.
The binder (``binder.py``), ``Get-Help``, ``Get-Command``, tab completion and the remote role filter
all read these declarations; a cmdlet never parses its own arguments.

Example::

    @cmdlet("Lock-CsClientPin", supports_should_process=True,
            synopsis="Locks a user's dial-in conferencing PIN.")
    class LockCsClientPin(Cmdlet):
        Identity = Parameter("UserIdParameter", position=0, mandatory=True,
                             from_pipeline=True, from_pipeline_by_property=True)
        Force = Parameter("switch")

        def process(self, ctx: CommandContext) -> None:
            ...            # self.Identity is bound; ctx.write_object(...) emits output

Positions are 0-based, as in the attribute (the docs' "Position: 1" is the first positional slot).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

ALL_SETS = "__AllParameterSets"


@dataclass
class Parameter:
    """One declared parameter.

    ``type`` is a PowerShell-ish type name the binder converts to: ``string``, ``string[]``, ``int``,
    ``int[]``, ``long``, ``double``, ``bool``, ``switch``, ``scriptblock``, ``scriptblock[]``,
    ``object``, ``object[]``, ``datetime``, ``hashtable``, ``UserIdParameter`` (a string identity)...
    Unknown names are treated like ``object`` (no conversion) but shown in help as written.
    """
    type: str = "object"
    position: int | None = None
    mandatory: bool = False
    from_pipeline: bool = False
    from_pipeline_by_property: bool = False
    aliases: tuple[str, ...] = ()
    sets: tuple[str, ...] = (ALL_SETS,)
    help: str = ""
    validate_set: tuple[str, ...] = ()
    remaining_arguments: bool = False      # ValueFromRemainingArguments
    allow_null: bool = False
    validate_range: tuple[int, int] | None = None    # [ValidateRange(min, max)]
    default: Any = None
    name: str = ""                          # filled from the attribute name
    # positions that differ by parameter set (Invoke-Command's ScriptBlock: 0, but 1 after -Session)
    set_positions: dict[str, int] = field(default_factory=dict)

    def __set_name__(self, owner: type, name: str) -> None:
        if not self.name:
            self.name = name

    @property
    def is_switch(self) -> bool:
        return self.type.lower() == "switch"

    def in_set(self, set_name: str) -> bool:
        return ALL_SETS in self.sets or set_name in self.sets

    def positions(self) -> set[int]:
        """Every position this parameter takes in some parameter set."""
        found = set(self.set_positions.values())
        return found | {self.position} if self.position is not None else found

    def position_in(self, valid_sets: list[str]) -> set[int]:
        """The positions it takes in the parameter sets still possible."""
        if not self.set_positions:
            return {self.position} if self.position is not None else set()
        return {self.set_positions.get(s, self.position) for s in valid_sets if self.in_set(s)} - {None}


def range_violation(value: Any, minimum: Any, maximum: Any) -> str | None:
    """ValidateRange's wording when ``value`` is outside ``[minimum, maximum]``; ``None`` when inside."""
    from csshell.runtime.values import to_string
    if value is None:         # ValidateRangeAttribute refuses a null element before comparing
        return "The argument is null. Provide a valid value for the argument, and then try running the command again."
    if minimum <= value <= maximum:
        return None
    if value < minimum:
        return (f"The {to_string(value)} argument is less than the minimum allowed range of {minimum}. Supply an "
                f"argument that is greater than or equal to {minimum} and then try the command again.")
    return (f"The {to_string(value)} argument is greater than the maximum allowed range of {maximum}. Supply an "
            f"argument that is less than or equal to {maximum} and then try the command again.")


COMMON_PARAMETERS: list[Parameter] = [
    Parameter("switch", name="Verbose", aliases=("vb",)),
    Parameter("switch", name="Debug", aliases=("db",)),
    Parameter("ActionPreference", name="ErrorAction", aliases=("ea",)),
    Parameter("ActionPreference", name="WarningAction", aliases=("wa",)),
    Parameter("ActionPreference", name="InformationAction", aliases=("infa",)),
    Parameter("string", name="ErrorVariable", aliases=("ev",)),
    Parameter("string", name="WarningVariable", aliases=("wv",)),
    Parameter("string", name="InformationVariable", aliases=("iv",)),
    Parameter("string", name="OutVariable", aliases=("ov",)),
    Parameter("int", name="OutBuffer", aliases=("ob",)),
    Parameter("string", name="PipelineVariable", aliases=("pv",)),
]
SHOULD_PROCESS_PARAMETERS: list[Parameter] = [
    Parameter("switch", name="WhatIf", aliases=("wi",)),
    Parameter("switch", name="Confirm", aliases=("cf",)),
]
COMMON_NAMES = {p.name.lower() for p in COMMON_PARAMETERS + SHOULD_PROCESS_PARAMETERS}


@dataclass
class Example:
    code: str
    remarks: str


class Cmdlet:
    """Base class of every cmdlet. Subclasses declare :class:`Parameter` attributes.

    Lifecycle, as in PowerShell: :meth:`begin` once, :meth:`process` once per pipeline input
    (or once when nothing is piped in), :meth:`end` once. Bound parameter values are set as
    instance attributes; ``self.bound`` holds the names actually bound for the current record
    (``$PSBoundParameters``); unbound parameters read as their ``default``.
    """

    # filled by @cmdlet
    name: ClassVar[str] = ""
    aliases: ClassVar[tuple[str, ...]] = ()
    supports_should_process: ClassVar[bool] = False
    confirm_impact: ClassVar[str] = "Medium"     # None/Low/Medium/High: prompts when >= $ConfirmPreference
    synopsis: ClassVar[str] = ""
    description: ClassVar[str] = ""
    examples: ClassVar[tuple[Example, ...]] = ()
    outputs: ClassVar[str] = ""
    default_set: ClassVar[str] = ALL_SETS
    class_name: ClassVar[str] = ""          # the ".NET" class shown in FullyQualifiedErrorId
    extension: ClassVar[bool] = False       # an emulator-only command (documented as such)
    declared: ClassVar[dict[str, Parameter]] = {}

    def __init__(self) -> None:
        self.bound: dict[str, Any] = {}
        self.set_name: str = self.default_set
        for p in self.declared.values():
            setattr(self, p.name, p.default if not p.is_switch else False)

    # lifecycle ---------------------------------------------------------------------------
    def begin(self, ctx: "CommandContext") -> None:
        """Runs once before the first input."""

    def process(self, ctx: "CommandContext") -> None:
        """Runs once per pipeline input object (``ctx.input_object``)."""

    def end(self, ctx: "CommandContext") -> None:
        """Runs once after the last input."""

    # stage fusion (fusion.py): optional; declining (None) is always correct --------------
    def pipeline_source(self, ctx: "CommandContext") -> Any:
        """As the first command with nothing piped in: an ``ObjectStream`` of exactly what :meth:`process`
        would write, or ``None``. Must report nothing and change nothing (on doubt, decline)."""
        return None

    def fuse_upstream(self, ctx: "CommandContext", upstream: Any, stage: Any) -> Any:
        """The ``ObjectStream`` this command would write for ``upstream``'s objects, or ``None`` to take them
        one by one. An item it cannot handle exactly as :meth:`process` would goes to ``stage.ordinary``."""
        return None

    # metadata ----------------------------------------------------------------------------
    @classmethod
    def all_parameters(cls) -> list[Parameter]:
        """Declared parameters followed by the common ones (and WhatIf/Confirm if supported)."""
        extra = SHOULD_PROCESS_PARAMETERS if cls.supports_should_process else []
        declared = list(cls.declared.values())
        names = {p.name.lower() for p in declared}
        return declared + [p for p in extra + COMMON_PARAMETERS if p.name.lower() not in names]

    @classmethod
    def parameter_sets(cls) -> list[str]:
        sets: list[str] = []
        for p in cls.declared.values():
            for s in p.sets:
                if s != ALL_SETS and s not in sets:
                    sets.append(s)
        return sets or [cls.default_set if cls.default_set != ALL_SETS else "Default"]


class CommandContext:
    """What a running cmdlet may use. Implemented by the runtime's pipeline (``pipeline.py``).

    Cmdlets know no terminal and no socket: everything they emit goes through this object.
    """

    input_object: Any = None       # the current pipeline object ($_), or None
    command_name: str = ""         # as invoked (alias resolved to the cmdlet name)

    def write_object(self, value: Any, enumerate_collection: bool = False) -> None:
        """Send one object down the pipeline (``WriteObject``)."""
        raise NotImplementedError

    def write_error(self, record: Any) -> None:
        """A non-terminating error (``WriteError``); honours ``-ErrorAction``."""
        raise NotImplementedError

    def throw_error(self, record: Any) -> None:
        """A terminating error (``ThrowTerminatingError``). Never returns."""
        raise NotImplementedError

    def error(self, message: str, error_id: str, category: str, target: Any = None,
              target_type: str | None = None, reason: str = "RuntimeException",
              terminating: bool = False) -> None:
        """Shortcut: build an ErrorRecord for this command and write or throw it."""
        raise NotImplementedError

    def should_process(self, target: str, action: str | None = None) -> bool:
        """``ShouldProcess``: prints the What-if line under ``-WhatIf``; asks under ``-Confirm``."""
        raise NotImplementedError

    def write_host(self, text: str, foreground: str | None = None, background: str | None = None,
                   newline: bool = True) -> None:
        raise NotImplementedError

    def write_verbose(self, text: str) -> None:
        raise NotImplementedError

    def write_warning(self, text: str) -> None:
        raise NotImplementedError

    def write_debug(self, text: str) -> None:
        raise NotImplementedError

    def calling_invocation(self) -> Any:
        """The running function or script whose $MyInvocation Write-Error reports (None at top level)."""
        return None

    def write_information(self, text: str) -> None:
        raise NotImplementedError

    def invoke_script_block(self, block: Any, dollar_under: Any = None, args: Iterable[Any] = (),
                            use_new_scope: bool = False) -> list[Any]:
        """Run a script block with ``$_`` set; returns its output as a list.

        Like PowerShell's Where-Object/ForEach-Object, the block runs in the caller's scope by default
        (``$count++`` inside ``%{}`` changes the caller's ``$count``).
        """
        raise NotImplementedError

    @property
    def session(self) -> Any:
        """The engine session: ``.store`` (the directory), ``.variables``, ``.cwd``, ``.host``."""
        raise NotImplementedError

    def resolve_path(self, path: str) -> str:
        """A path relative to the session's current location, as an absolute file-system path."""
        raise NotImplementedError


# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------

from csshell.runtime.registry import ALIASES, REGISTRY, find_cmdlet  # noqa: E402,F401  (lazily filled, see there)


def cmdlet(name: str, *, aliases: Iterable[str] = (), supports_should_process: bool = False,
           synopsis: str = "", description: str = "", examples: Iterable[tuple[str, str]] = (),
           outputs: str = "", default_set: str = ALL_SETS, class_name: str = "",
           extension: bool = False, register: bool = True, confirm_impact: str = "Medium"):
    """Class decorator: declare a cmdlet and (unless ``register=False``, as for script functions) register it."""

    def wrap(cls: type[Cmdlet]) -> type[Cmdlet]:
        declared: dict[str, Parameter] = {}
        for klass in reversed(cls.__mro__):
            for attr, value in vars(klass).items():
                if isinstance(value, Parameter):
                    declared[value.name.lower()] = value
        cls.declared = declared
        cls.name = name
        cls.aliases = tuple(aliases)
        cls.supports_should_process = supports_should_process
        cls.confirm_impact = confirm_impact
        cls.synopsis = synopsis
        cls.description = description
        cls.examples = tuple(Example(c, r) for c, r in examples)
        cls.outputs = outputs
        cls.default_set = default_set
        cls.class_name = class_name or _default_class_name(name)
        cls.extension = extension
        if register:
            REGISTRY[name.lower()] = cls
            for alias in cls.aliases:
                ALIASES[alias.lower()] = name
        return cls

    return wrap


def _default_class_name(name: str) -> str:
    verb, _, noun = name.partition("-")
    if len(noun) > 2 and noun.startswith("Cs") and noun[2].isupper():
        return f"Microsoft.Rtc.Management.Cmdlets.{verb}{noun}Cmdlet"
    return f"Microsoft.PowerShell.Commands.{verb}{noun}Command"
