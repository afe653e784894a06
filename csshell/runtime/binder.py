"""The parameter binder: one implementation of PowerShell 5.1 binding for every declared cmdlet.

It reads only the :class:`~csshell.runtime.cmdlet.Parameter` declarations and follows the order of
``CmdletParameterBinderController``: pair ``-Name`` tokens with their values, bind named arguments,
bind positional arguments (exact type first, then with conversion, favouring the default parameter
set), then, per pipeline object, ByValue and ByPropertyName (each exact first, then converted).
Every failure is a ``ParameterBindingException``-style :class:`ErrorRecord` with PowerShell's
wording (``ParameterBinderStrings.resx``), never a Python traceback.

The evaluator builds :class:`CommandArgument` items, calls :func:`bind_command_line`, prompts or fails
for missing mandatory parameters with :func:`prompt_missing_mandatory`, then for each pipeline object
calls :meth:`Binding.bind_pipeline_object` and :meth:`Binding.apply` on the cmdlet instance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from csshell.runtime import fast_paths
from csshell.runtime.cmdlet import ALL_SETS, Cmdlet, Parameter
from csshell.runtime.conversions import (ConversionError, canonical_type, convert_to, element_type,
                                         is_ad_user, is_array_type, is_exact_type, type_display_name)
from csshell.runtime.errors import INVALID_ARGUMENT, INVALID_DATA, ErrorRecord, PSError
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock, get_property, hashtable_property, to_string

# Parameter types whose argument is text: a number literal keeps its source text (``0123``).
_TEXT_TYPES = {"string", "useridparameter", "xdsidentity", "ouidparameter", "fqdn", "guid"}
_NUMBER_LITERAL = re.compile(r"^[+-]?(0x[0-9a-f]+|(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)[ld]?(kb|mb|gb|tb|pb)?$", re.I)
_NO_VALUE = object()
_SHOULD_PROCESS = ("WhatIf", "Confirm")


@dataclass
class CommandArgument:
    """One evaluated element of a command line, as the evaluator hands it over."""
    value: Any = None               # the evaluated argument (or the colon-form value of a parameter)
    parameter: str | None = None    # set for '-Name' / '-Name:value' elements: the name as typed, no dash
    has_value: bool = False         # parameter given in colon form (-Name:value), or from a splatted hashtable
    extent: Any = None              # csshell.language.ast.Extent of the element (for error positions), may be None
    splatted: bool = False


@dataclass
class _Pair:
    """A command-line element after ``-Name value`` pairing (PowerShell's ``CommandParameterInternal``)."""
    param: Parameter | None
    typed: str | None
    value: Any
    extent: Any
    value_extent: Any
    switch_present: bool = False     # ``-Force`` with no value

    @property
    def positional(self) -> bool:
        return self.typed is None


class RecordValues(dict):
    """Values bound from one pipeline object, plus the parameter set that object resolved to."""
    parameter_set: str = ALL_SETS


InvokeBlock = Callable[[ScriptBlock, Any], list]


class Binding:
    """The result of binding one command line; reused for every pipeline object of that command."""

    def __init__(self, cmd: type[Cmdlet], invocation_name: str, extent: Any, expects_pipeline_input: bool) -> None:
        self.cmd = cmd
        self.invocation_name = invocation_name
        self.extent = extent
        self.expects_pipeline_input = expects_pipeline_input
        self.values: dict[str, Any] = {}
        self.common: dict[str, Any] = {}
        self.delayed: dict[str, tuple[ScriptBlock, Any]] = {}   # delay-bound script block arguments
        self.universe = _all_sets(cmd)
        self.valid_sets: list[str] = list(self.universe)
        self._bound: dict[str, Parameter] = {}
        self._positional: set[str] = set()      # bound from a positional argument
        self._pipeline_takers: dict[bool, list[Parameter]] = {}
        # Per pipeline object, the candidates and the resolved set depend only on which parameters that
        # object bound: remembered per such tuple of names (see _plan_changed for when they are dropped).
        self._candidates_by_names: dict[tuple[tuple[str, ...], bool], list[Parameter]] = {}
        self._settled_by_names: dict[tuple[str, ...], tuple[str | None, list[Parameter]]] = {}
        self._first_by_value: tuple[Parameter, str] | bool | None = None     # None: not worked out yet

    # --- public view --------------------------------------------------------------------------
    @property
    def parameter_set(self) -> str:
        """The resolved parameter set (or the preferred one while pipeline input may still decide)."""
        return self._preferred_set(self.valid_sets, self._bound)

    def missing_mandatory(self) -> list[Parameter]:
        """Mandatory parameters still unbound; those that pipeline input may supply are not missing."""
        chosen = self._preferred_set(self.valid_sets, self._bound)
        return self._missing_in(chosen, self._bound, skip_pipeline=self.expects_pipeline_input)

    def missing_mandatory_error(self, missing: list[Parameter] | None = None) -> PSError:
        names = "".join(f" {p.name}" for p in (missing if missing is not None else self.missing_mandatory()))
        return self._error(f"Cannot process command because of one or more missing mandatory parameters:{names}.",
                           "MissingMandatoryParameter")

    def bind_prompted(self, param: Parameter, answer: Any) -> None:
        """Bind a value the user typed at the mandatory-parameter prompt."""
        self._store(param, self._prepare(param, answer, None, coerce=True))

    # --- pipeline -----------------------------------------------------------------------------
    def bind_pipeline_object(self, obj: Any, invoke: InvokeBlock | None = None) -> RecordValues:
        """Bind one pipeline object: ByValue then ByPropertyName, exact types before conversions.

        ``invoke(block, obj)`` runs delay-bound script block arguments (``-Identity {$_.SipAddress}``).
        """
        quick = self._bind_first_by_value(obj) if fast_paths.ENABLED and not self.delayed else None
        if quick is not None:
            return quick
        record = RecordValues()
        names: tuple[str, ...] = ()         # lower-case names bound from this object, in binding order
        if self.delayed:
            self._bind_delayed(obj, invoke, record)
        by_value_done = False
        for by_value, coerce in _PIPELINE_PASSES:
            if by_value and by_value_done:
                continue
            for p in self._record_candidates(names, by_value):
                found, candidate = (True, obj) if by_value else _property_for(obj, p)
                if not found:
                    continue
                value = self._prepare(p, candidate, None, coerce=coerce, swallow=True)
                if value is _NO_VALUE:
                    continue
                record[p.name] = value
                names += (p.name.lower(),)
                if by_value:
                    by_value_done = True
                    break
        if not record:
            raise self._error(_INPUT_NOT_BOUND, "InputObjectNotBound", target=obj)
        chosen, missing = self._record_settlement(names)
        if chosen is None:
            raise self._ambiguous_set()
        if missing:
            raise self._error("The input object cannot be bound because it did not contain the information "
                              "required to bind all mandatory parameters: " + " ".join(p.name for p in missing),
                              "InputObjectMissingMandatory", target=obj)
        record.parameter_set = chosen
        return record

    def _bind_first_by_value(self, obj: Any) -> RecordValues | None:
        """The usual outcome, found directly: the first ByValue parameter takes ``obj`` as it is, and nothing is
        left to bind by property name (``Where-Object``'s InputObject, a user object to ``-Identity``).

        ``None`` when that is not the outcome; then the full procedure below binds (or fails) as always.
        """
        if self._first_by_value is None:
            self._first_by_value = self._first_by_value_plan()
        plan = self._first_by_value
        if not plan or obj is None or not _binds_unchanged(obj, plan[0]):
            return None
        record = RecordValues({plan[0].name: obj})
        record.parameter_set = plan[1]
        return record

    def _first_by_value_plan(self) -> tuple[Parameter, str] | bool:
        """(the first ByValue parameter, the set it settles on) when binding it leaves nothing else to bind
        and no mandatory parameter missing; ``False`` when the full procedure must decide every time."""
        first = self._record_candidates((), True)
        if not first or first[0].validate_set:
            return False
        names = (first[0].name.lower(),)
        if self._record_candidates(names, False):
            return False
        chosen, missing = self._record_settlement(names)
        if chosen is None or missing:
            return False
        return first[0], chosen

    def _record_candidates(self, names: tuple[str, ...], by_value: bool) -> list[Parameter]:
        """The pipeline parameters still open once this object bound ``names`` (remembered per names)."""
        key = (names, by_value)
        found = self._candidates_by_names.get(key) if fast_paths.ENABLED else None
        if found is None:
            bound, valid = self._record_state(names)
            found = self._candidates_by_names[key] = self._pipeline_candidates(valid, bound, by_value)
        return found

    def _record_settlement(self, names: tuple[str, ...]) -> tuple[str | None, list[Parameter]]:
        """(resolved set or ``None`` when ambiguous, mandatory parameters missing) once ``names`` are bound."""
        found = self._settled_by_names.get(names) if fast_paths.ENABLED else None
        if found is None:
            bound, valid = self._record_state(names)
            chosen = self._resolve(valid, bound)
            missing = self._missing_in(chosen, bound, skip_pipeline=False) if chosen is not None else []
            found = self._settled_by_names[names] = (chosen, missing)
        return found

    def _record_state(self, names: tuple[str, ...]) -> tuple[dict[str, Parameter], list[str]]:
        """The bound parameters and the valid sets after the command line plus ``names`` from an object."""
        bound = dict(self._bound)
        valid = list(self.valid_sets)
        for name in names:
            p = self.cmd.declared[name]
            bound[name] = p
            valid = _narrow(valid, p)
        return bound, valid

    def _plan_changed(self) -> None:
        """The command line's bound parameters or sets changed: what was remembered per object no longer holds."""
        self._candidates_by_names.clear()
        self._settled_by_names.clear()
        self._first_by_value = None

    def apply(self, instance: Cmdlet, record_values: dict | None = None) -> None:
        """Set the cmdlet's attributes for this record; unbound parameters get their defaults back.

        The command-line values are set once; per record only the previous record's pipeline values are
        undone and the new ones set (a pipeline of 100,000 objects must not reset 30 attributes each time).
        """
        record = record_values or {}
        if instance.__dict__.get("_applied_by") is not self:
            for p in self.cmd.declared.values():
                setattr(instance, p.name, self._resting_value(p.name))
            instance.__dict__["_applied_by"] = self
        else:
            for name in instance.__dict__.get("_record_names", ()):
                if name not in record:              # set again just below otherwise
                    setattr(instance, name, self._resting_value(name))
        for name, value in record.items():
            setattr(instance, name, value)
        instance.__dict__["_record_names"] = tuple(record)
        instance.bound = {**self.values, **record, **self.common}
        instance.set_name = getattr(record_values, "parameter_set", None) or self.parameter_set

    def _resting_value(self, name: str) -> Any:
        """A parameter's value when no pipeline record sets it: the command line's, else its default."""
        if name in self.values:
            return self.values[name]
        p = self.cmd.declared[name.lower()]
        return False if p.is_switch else p.default

    # --- command line -------------------------------------------------------------------------
    def bind(self, args: list[CommandArgument]) -> None:
        pairs = self._pair(args)
        positionals = [pair for pair in pairs if pair.positional]
        for pair in pairs:
            if not pair.positional:
                self._bind_named(pair)
        leftovers, stored = self._bind_positional(positionals)
        self._bind_remaining(leftovers, stored)
        self._settle_sets()

    def _pair(self, args: list[CommandArgument]) -> list[_Pair]:
        """Pair ``-Name`` with the next element, as ``ReparseUnboundArguments`` does."""
        pairs: list[_Pair] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg.parameter is None:
                pairs.append(_Pair(None, None, arg.value, arg.extent, arg.extent))
            else:
                param = self._match(arg.parameter, arg.extent, required=False)
                if param is None and not arg.splatted and self._simple_script():
                    # a simple function or script: `-x` it does not declare is an argument ($args), as in 5.1
                    pairs.append(_Pair(None, None, f"-{arg.parameter}" + (":" if arg.has_value else ""),
                                       arg.extent, arg.extent))
                    if arg.has_value:
                        pairs.append(_Pair(None, None, arg.value, arg.extent, arg.extent))
                elif arg.has_value or arg.splatted or param is None:
                    pairs.append(_Pair(param, arg.parameter, arg.value, arg.extent, arg.extent))
                elif param.is_switch:
                    pairs.append(_Pair(param, arg.parameter, True, arg.extent, arg.extent, switch_present=True))
                else:
                    pairs.append(self._take_next_value(param, arg, args[i + 1] if i + 1 < len(args) else None))
                    i += 1
            i += 1
        return pairs

    def _simple_script(self) -> bool:
        """A simple function or script (functions.py ``is_simple``): an undeclared ``-x`` is an argument and
        an array given to [string] is joined; advanced functions and compiled cmdlets refuse both."""
        is_simple = getattr(self.cmd, "is_simple", None)
        return is_simple is not None and is_simple()

    def _take_next_value(self, param: Parameter, arg: CommandArgument, nxt: CommandArgument | None) -> _Pair:
        if nxt is None:
            raise self._missing_argument(param, arg.extent)
        if nxt.parameter is not None:
            if nxt.has_value or self._match(nxt.parameter, nxt.extent, required=False) is not None:
                raise self._missing_argument(param, arg.extent)
            return _Pair(param, arg.parameter, "-" + nxt.parameter, arg.extent, nxt.extent)
        return _Pair(param, arg.parameter, nxt.value, arg.extent, nxt.extent)

    def _bind_named(self, pair: _Pair) -> None:
        if pair.param is None:
            raise self._error(f"A parameter cannot be found that matches parameter name '{pair.typed}'.",
                              "NamedParameterNotFound", pair.extent)
        p = pair.param
        if p.name.lower() in self._bound:
            raise self._error(f"Cannot bind parameter because parameter '{p.name}' is specified more than once. "
                              "To provide multiple values to parameters that can accept multiple values, use the "
                              "array syntax. For example, \"-parameter value1,value2,value3\".",
                              "ParameterAlreadyBound", pair.extent)
        if pair.switch_present:
            value = True
        elif self._delay_binds(p, pair.value):
            self.delayed[p.name] = (pair.value, pair.value_extent)
            self._bound[p.name.lower()] = p
            self._narrow_or_fail(p)
            return
        else:
            value = self._prepare(p, pair.value, pair.value_extent, coerce=True)
        self._store(p, value)

    def _bind_positional(self, positionals: list[_Pair]) -> tuple[list[_Pair], PSError | None]:
        """Bind unnamed arguments by position; an argument no parameter takes is left over."""
        leftovers: list[_Pair] = []
        stored: PSError | None = None
        index = 0
        for position in sorted({n for p in self.cmd.declared.values() for n in p.positions()}):
            candidates = self._positional_at(position)
            if not candidates:
                continue
            if index >= len(positionals):
                break
            arg = positionals[index]
            index += 1
            bound, error = self._bind_at_position(candidates, arg)
            stored = stored or error
            if not bound:
                leftovers.append(arg)
        return leftovers + positionals[index:], stored

    def _bind_at_position(self, candidates: list[Parameter], arg: _Pair) -> tuple[bool, PSError | None]:
        default = self.cmd.default_set
        favoured = [p for p in candidates if default != ALL_SETS and default in self.valid_sets and p.in_set(default)]
        error: PSError | None = None
        for coerce in (False, True):
            for group in (favoured, candidates):
                for p in group:
                    try:
                        value = self._prepare(p, arg.value, arg.value_extent, coerce=coerce, swallow=not coerce)
                    except PSError as exc:
                        if exc.record.category == INVALID_DATA:     # validation failures are not swallowed
                            raise
                        error = error or exc
                        continue
                    if value is not _NO_VALUE:
                        self._store(p, value)
                        self._positional.add(p.name.lower())
                        return True, None
        return False, error

    def _bind_remaining(self, leftovers: list[_Pair], stored: PSError | None) -> None:
        if not leftovers:
            return
        rest = next((p for p in self.cmd.declared.values() if p.remaining_arguments
                     and (p.name.lower() not in self._bound or p.name.lower() in self._positional)
                     and _in_any(p, self.valid_sets)), None)
        if rest is not None:
            # `Write-Host a b c`: the positional argument and the leftovers together fill the parameter
            values = [pair.value for pair in leftovers]
            if rest.name.lower() in self._bound:
                first = self.values.get(rest.name)
                values = (list(first) if isinstance(first, list) else [first]) + values
            self._store(rest, self._prepare(rest, values, None, coerce=True))
            return
        if stored is not None:
            raise stored
        first = leftovers[0]
        shown = "System.Object[]" if isinstance(first.value, list) else to_string(first.value)
        raise self._error(f"A positional parameter cannot be found that accepts argument '{shown}'.",
                          "PositionalParameterNotFound", first.value_extent)

    def _settle_sets(self) -> None:
        """Resolve the set now, or, while pipeline input may decide, keep the sets that can take it."""
        if self.expects_pipeline_input:
            taking = [s for s in self.valid_sets if any(
                (p.from_pipeline or p.from_pipeline_by_property) and p.in_set(s) and p.name.lower() not in self._bound
                for p in self.cmd.declared.values())]
            if taking:
                self.valid_sets = taking
                self._plan_changed()
            return
        chosen = self._resolve(self.valid_sets, self._bound)
        if chosen is None:
            raise self._ambiguous_set()
        self.valid_sets = [chosen]
        self._plan_changed()

    # --- one value ------------------------------------------------------------------------------
    def _prepare(self, p: Parameter, value: Any, extent: Any, *, coerce: bool, swallow: bool = False) -> Any:
        """Convert and validate one argument; ``_NO_VALUE`` when it does not fit and ``swallow`` is set."""
        if value is not None and not p.validate_set and fast_paths.ENABLED and _binds_unchanged(value, p):
            return value
        if value is None:
            converted = self._null_value(p, extent)
        elif not coerce and not is_exact_type(value, p.type):
            return _NO_VALUE
        elif isinstance(value, list) and canonical_type(p.type) == "string" and self._simple_script():
            converted = to_string(value)     # a simple script's [string] parameter joins an array ("1 2")
        else:
            try:
                converted = convert_to(_source_text(value, p, extent), p.type, parameter=p.name)
            except ConversionError as exc:
                if swallow:
                    return _NO_VALUE
                raise self._conversion_error(p, exc, extent, value) from None
        self._validate(p, converted, extent)
        return converted

    def _null_value(self, p: Parameter, extent: Any) -> Any:
        key = canonical_type(p.type)
        if key == "switch":
            return True
        if key == "bool":
            if getattr(self.cmd, "transformation_message", None) is not None:
                raise self._transformation_error(p, None, None, extent)
            raise self._null_error(p, extent)
        return None

    def _validate(self, p: Parameter, value: Any, extent: Any) -> None:
        """Mandatory parameters refuse null/empty values (no AllowNull); ValidateSet ignores case."""
        if p.mandatory and not p.allow_null:
            if value is None:
                raise self._null_error(p, extent)
            empty = ("string" if canonical_type(p.type) == "string" and value == ""
                     else "array" if is_array_type(p.type) and value == [] else None)
            if empty:
                raise self._validation(
                    extent, f"Cannot bind argument to parameter '{p.name}' because it is an empty {empty}.",
                    f"ParameterArgumentValidationErrorEmpty{empty.title()}NotAllowed")
        if p.validate_set and value is not None:
            allowed = {v.lower() for v in p.validate_set}
            for item in value if isinstance(value, list) else [value]:
                if to_string(item).lower() not in allowed:
                    raise self._validation(
                        extent, f"Cannot validate argument on parameter '{p.name}'. The argument "
                                f"\"{to_string(item)}\" does not belong to the set \"{','.join(p.validate_set)}\" "
                                "specified by the ValidateSet attribute. Supply an argument that is in the set and "
                                "then try the command again.", "ParameterArgumentValidationError")

    def _store(self, p: Parameter, value: Any) -> None:
        (self.values if p.name.lower() in self.cmd.declared else self.common)[p.name] = value
        self._bound[p.name.lower()] = p
        self._narrow_or_fail(p)

    def _narrow_or_fail(self, p: Parameter) -> None:
        self._plan_changed()
        self.valid_sets = _narrow(self.valid_sets, p)
        if not self.valid_sets:
            raise self._ambiguous_set()

    def _delay_binds(self, p: Parameter, value: Any) -> bool:
        """A script block given to a pipeline parameter of another type runs once per input object."""
        return (isinstance(value, ScriptBlock) and (p.from_pipeline or p.from_pipeline_by_property)
                and element_type(p.type) not in ("scriptblock", "object", "psobject"))

    def _bind_delayed(self, obj: Any, invoke: InvokeBlock | None, record: RecordValues) -> None:
        for name, (block, extent) in self.delayed.items():
            p = self.cmd.declared[name.lower()]
            if invoke is None:
                raise self._error(f"Cannot evaluate parameter '{p.name}' because its argument is specified as a "
                                  "script block and there is no input. A script block cannot be evaluated without "
                                  "input.", "ScriptBlockArgumentNoInput", extent)
            output = invoke(block, obj)
            if not output:
                raise self._error(f"Cannot evaluate parameter '{p.name}' because its argument input did not produce "
                                  "any output.", "ScriptBlockArgumentNoOutput", extent, target=obj)
            record[p.name] = self._prepare(p, output[0] if len(output) == 1 else list(output), extent, coerce=True)

    # --- parameter sets -------------------------------------------------------------------------
    def _positional_at(self, position: int) -> list[Parameter]:
        return [p for p in self.cmd.declared.values()
                if position in p.position_in(self.valid_sets) and not p.is_switch
                and p.name.lower() not in self._bound and _in_any(p, self.valid_sets)]

    def _pipeline_candidates(self, valid: list[str], bound: dict[str, Parameter], by_value: bool) -> list[Parameter]:
        takers = self._pipeline_takers.get(by_value)
        if takers is None:      # the parameters that take pipeline input at all: the same for every record
            takers = self._pipeline_takers[by_value] = [
                p for p in self.cmd.declared.values() if (p.from_pipeline if by_value else p.from_pipeline_by_property)]
        return [p for p in takers if p.name.lower() not in bound and _in_any(p, valid)]

    def _missing_in(self, set_name: str, bound: dict[str, Parameter], *, skip_pipeline: bool) -> list[Parameter]:
        return [p for p in self.cmd.declared.values()
                if p.mandatory and p.in_set(set_name) and p.name.lower() not in bound
                and not (skip_pipeline and (p.from_pipeline or p.from_pipeline_by_property))]

    def _resolve(self, valid: list[str], bound: dict[str, Parameter]) -> str | None:
        """One set: the only one left, else the only complete one, else the default; ``None`` if ambiguous."""
        if len(valid) == 1:
            return valid[0]
        complete = [s for s in valid if not self._missing_in(s, bound, skip_pipeline=False)]
        if len(complete) == 1:
            return complete[0]
        if self.cmd.default_set in valid:
            return self.cmd.default_set
        return None

    def _preferred_set(self, valid: list[str], bound: dict[str, Parameter]) -> str:
        chosen = self._resolve(valid, bound)
        if chosen is not None:
            return chosen
        return min(valid, key=lambda s: len(self._missing_in(s, bound, skip_pipeline=True))) if valid else ALL_SETS

    # --- names ----------------------------------------------------------------------------------
    def _match(self, typed: str, extent: Any, *, required: bool) -> Parameter | None:
        """PowerShell's ``GetMatchingParameter``: exact name or alias, else a unique prefix.

        Names are tried before aliases; when a prefix matches several parameters but only one of them
        is the cmdlet's own (not a common parameter), that one wins, so ``-I`` is ``-Identity``.
        """
        low = typed.lower()
        params = self._parameters_in_merge_order()
        hits: list[Parameter] = []
        for p in params:
            if p.name.lower() == low:
                return p
            if low and p.name.lower().startswith(low):
                hits.append(p)
        for p in params:
            for alias in p.aliases:
                if alias.lower() == low:
                    return p
                if low and alias.lower().startswith(low) and p not in hits:
                    hits.append(p)
        if len(hits) > 1:
            own = [p for p in hits if p.name.lower() in self.cmd.declared]
            if len(own) != 1:
                options = "".join(f" -{p.name}" for p in hits)
                raise self._error(f"Parameter cannot be processed because the parameter name '{typed}' is "
                                  f"ambiguous. Possible matches include:{options}.", "AmbiguousParameter", extent)
            hits = own
        if hits:
            return hits[0]
        if required:
            raise self._error(f"A parameter cannot be found that matches parameter name '{typed}'.",
                              "NamedParameterNotFound", extent)
        return None

    def _parameters_in_merge_order(self) -> list[Parameter]:
        """Declared, then common, then WhatIf/Confirm: the order PowerShell lists ambiguous matches in."""
        params = self.cmd.all_parameters()
        declared = [p for p in params if p.name.lower() in self.cmd.declared]
        common = [p for p in params if p.name.lower() not in self.cmd.declared and p.name not in _SHOULD_PROCESS]
        return declared + common + [p for p in params if p.name in _SHOULD_PROCESS and p not in declared]

    # --- errors ---------------------------------------------------------------------------------
    def _error(self, message: str, error_id: str, extent: Any = None, *, target: Any = None,
               category: str = INVALID_ARGUMENT, reason: str = "ParameterBindingException") -> PSError:
        return PSError(ErrorRecord(
            message=message, error_id=error_id, category=category, target=target, reason=reason,
            command_name=self.invocation_name, command_class=self.cmd.class_name,
            extent=extent if extent is not None else self.extent,
            exception_type=f"System.Management.Automation.{reason}"))

    def _missing_argument(self, p: Parameter, extent: Any) -> PSError:
        return self._error(f"Missing an argument for parameter '{p.name}'. Specify a parameter of type "
                           f"'{type_display_name(p.type, full=True)}' and try again.", "MissingArgument", extent)

    def _conversion_error(self, p: Parameter, exc: ConversionError, extent: Any, value: Any = None) -> PSError:
        if getattr(self.cmd, "transformation_message", None) is not None:
            return self._transformation_error(p, value, exc, extent)
        if exc.error_id == "CannotConvertArgument":
            return self._error(exc.message, "CannotConvertArgument", extent)
        return self._error(f"Cannot bind parameter '{p.name}'. {exc.message}", "CannotConvertArgumentNoMessage", extent)

    def _transformation_error(self, p: Parameter, value: Any, exc: ConversionError | None, extent: Any) -> PSError:
        """Script parameters convert through an argument transformation (5.1's ArgumentTypeConverterAttribute), so
        their failures are ParameterBindingArgumentTransformationException records, which positional binding
        does not swallow; the command class words the inner message (``transformation_message``)."""
        inner = self.cmd.transformation_message(p, value, exc)
        return self._error(f"Cannot process argument transformation on parameter '{p.name}'. {inner}",
                           "ParameterArgumentTransformationError", extent, category=INVALID_DATA,
                           reason="ParameterBindingArgumentTransformationException")

    def _validation(self, extent: Any, message: str, error_id: str) -> PSError:
        return self._error(message, error_id, extent, category=INVALID_DATA,
                           reason="ParameterBindingValidationException")

    def _null_error(self, p: Parameter, extent: Any) -> PSError:
        return self._validation(extent, f"Cannot bind argument to parameter '{p.name}' because it is null.",
                                "ParameterArgumentValidationErrorNullNotAllowed")

    def _ambiguous_set(self) -> PSError:
        return self._error("Parameter set cannot be resolved using the specified named parameters.",
                           "AmbiguousParameterSet")


# Parameter types whose (non-null) argument binds as it is: no conversion, no type test, nothing to validate.
_UNCONVERTED = ("object", "psobject")
# ByValue then ByPropertyName, first without conversion, then with: PowerShell's pipeline binding order.
_PIPELINE_PASSES = ((True, False), (False, False), (True, True), (False, True))
_INPUT_NOT_BOUND = ("The input object cannot be bound to any parameters for the command either because the command "
                    "does not take pipeline input or the input and its properties do not match any of the parameters "
                    "that take pipeline input.")


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

def bind_command_line(cmd: type[Cmdlet], args: list[CommandArgument], *, invocation_name: str,
                      extent: Any = None, expects_pipeline_input: bool) -> Binding:
    """Bind a command line (named, then positional) and narrow the parameter sets.

    Mandatory parameters are *not* checked here: call :func:`prompt_missing_mandatory` (or
    :meth:`Binding.missing_mandatory`) next, because PowerShell prompts before it fails.
    """
    binding = Binding(cmd, invocation_name, extent, expects_pipeline_input)
    binding.bind(args)
    return binding


def prompt_missing_mandatory(binding: Binding, host: Any, invocation_name: str, pipeline_position: int) -> None:
    """Ask for missing mandatory parameters as the console does, or fail when nobody can answer.

    Does nothing when nothing is missing. A non-interactive host, an empty answer or end of input
    raises ``MissingMandatoryParameter``. Array parameters are asked element by element
    (``Identity[0]:``) until an empty line, as PowerShell does.
    """
    missing = binding.missing_mandatory()
    if not missing:
        return
    if not getattr(host, "interactive", False):
        raise binding.missing_mandatory_error(missing)
    host.write(f"cmdlet {binding.cmd.name or invocation_name} at command pipeline position {pipeline_position}\n")
    host.write("Supply values for the following parameters:\n")
    for index, param in enumerate(missing):
        answer = _ask(host, param)
        if answer is None:
            raise binding.missing_mandatory_error(missing[index:])
        binding.bind_prompted(param, answer)


def _ask(host: Any, param: Parameter) -> Any:
    if not is_array_type(param.type):
        line = host.read_line(f"{param.name}: ")
        return line if line else None
    answers: list[str] = []
    while True:
        line = host.read_line(f"{param.name}[{len(answers)}]: ")
        if not line:
            return answers or None
        answers.append(line)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

def _all_sets(cmd: type[Cmdlet]) -> list[str]:
    sets: list[str] = []
    for p in cmd.declared.values():
        for s in p.sets:
            if s != ALL_SETS and s not in sets:
                sets.append(s)
    if cmd.default_set != ALL_SETS and cmd.default_set not in sets:
        sets.append(cmd.default_set)
    return sets or [ALL_SETS]


def _in_any(p: Parameter, valid: list[str]) -> bool:
    return any(p.in_set(s) for s in valid)


def _narrow(valid: list[str], p: Parameter) -> list[str]:
    return [s for s in valid if p.in_set(s)]


def _binds_unchanged(value: Any, p: Parameter) -> bool:
    """Whether conversion and validation would leave ``value`` as it is (and accept it), with or without coercion.

    The common pipeline cases, decided without running the converters: anything for ``object``/``psobject``
    (``InputObject``), text for text and identity parameters, a Get-CsUser object for ``UserIdParameter``.
    A mandatory ``string`` refusing ``""`` is left to the full path, which reports it.
    """
    key = canonical_type(p.type)
    if key in _UNCONVERTED:
        return True
    if key not in _TEXT_TYPES:
        return False
    if isinstance(value, str):
        return value != "" or key != "string" or not p.mandatory or p.allow_null
    return key == "useridparameter" and is_ad_user(value)


def _property_for(obj: Any, p: Parameter) -> tuple[bool, Any]:
    """The property of a pipeline object named like the parameter or one of its aliases."""
    for name in (p.name, *p.aliases):
        if isinstance(obj, PSObject):
            if obj.has(name):
                return True, obj.get(name)
        elif isinstance(obj, PSHashtable):
            # PowerShell binds a hashtable's .NET properties (Count, Keys...), never its keys:
            # @{Identity="x"} | Lock-CsClientPin binds nothing by name (PowerShell issue #13981).
            found, value = hashtable_property(obj, name)
            if found:
                return True, value
        elif obj is not None:
            value = get_property(obj, name)
            if value is not None:
                return True, value
    return False, None


def _source_text(value: Any, p: Parameter, extent: Any) -> Any:
    """A number literal bound to a text parameter keeps its typed text (PowerShell's WrappedNumber)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and element_type(p.type) in _TEXT_TYPES:
        text = getattr(extent, "text", None)
        if isinstance(text, str) and text.startswith("-") and ":" in text:
            text = text.split(":", 1)[1]            # -Pin:0123
        if isinstance(text, str) and _NUMBER_LITERAL.match(text):
            return text
    return value
