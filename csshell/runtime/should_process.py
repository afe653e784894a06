"""ShouldProcess and ShouldContinue, as Windows PowerShell 5.1's command runtime does them.

One set of rules for cmdlets (``ctx.should_process(target, action)``) and for advanced functions
(``$PSCmdlet.ShouldProcess(...)``), taken from 5.1's ``MshCommandRuntime``:

* a Yes to All / No to All given earlier in this command's run answers at once;
* ``-WhatIf`` (else ``$WhatIfPreference``) prints ``What if: <description>`` and changes nothing;
* otherwise the command goes ahead unprompted when the confirm threshold is ``None`` or above the
  command's ConfirmImpact. The threshold is ``Low`` under ``-Confirm`` (or ``-Debug``), ``None`` under
  ``-Confirm:$false``, else ``$ConfirmPreference``. A Skype for Business cmdlet given ``-Force`` is not
  asked either (its help: "Suppresses any confirmation prompts"), unless ``-Confirm`` asks explicitly.
  Going ahead under ``-Verbose`` prints ``VERBOSE: <description>``;
* else the console host's choice prompt asks, Suspend opening a nested prompt.

The prompt is what 5.1's console host prints for ``PromptForChoice``: a blank line, the caption, the
message, then ``[Y] Yes  [A] Yes to All ... [?] Help (default is "Y"): ``; ``?`` lists each choice's
help, an answer matching no label or hot key asks again. See ``docs/should-process.md``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from csshell.runtime import errors as E
from csshell.runtime.errors import ErrorRecord, PSError
from csshell.runtime.values import to_bool, to_string, type_name

# ConfirmImpact, lowest first (System.Management.Automation.ConfirmImpact: None=0 ... High=3).
CONFIRM_IMPACTS = ("None", "Low", "Medium", "High")
DEFAULT_CONFIRM_IMPACT = "Medium"           # CmdletAttribute / CmdletBinding default
DEFAULT_CONFIRM_PREFERENCE = "High"         # what a bad $ConfirmPreference falls back to
CONFIRM_IMPACT_TYPE = "System.Management.Automation.ConfirmImpact"

# CommandBaseStrings (5.1)
SHOULD_PROCESS_MESSAGE = 'Performing the operation "{0}" on target "{1}".'
WHAT_IF = "What if: {0}"
WARNING_FALLBACK = "Are you sure you want to perform this action?\n{0}"
CAPTION_DEFAULT = "Confirm"
CONTINUE_QUERY_DEFAULT = "Continue with this operation?"
NON_INTERACTIVE = "Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not available."
STOPPED_BY_USER = "The running command stopped because the user selected the Stop option."
PROMPT_CANCELED = "The prompt was canceled."


@dataclass(frozen=True)
class Choice:
    """A ChoiceDescription: ``&`` marks the hot key, as in ``"Yes to &All"``."""
    label: str
    help: str

    @property
    def hotkey(self) -> str:
        _, amp, after = self.label.partition("&")
        return after[0].upper() if amp and after else ""

    @property
    def plain(self) -> str:
        return self.label.replace("&", "", 1).strip()


YES = Choice("&Yes", "Continue with only the next step of the operation.")
YES_TO_ALL = Choice("Yes to &All", "Continue with all the steps of the operation.")
NO = Choice("&No", "Skip this operation and proceed with the next operation.")
NO_TO_ALL = Choice("No to A&ll", "Skip this operation and all subsequent operations.")
SUSPEND = Choice("&Suspend", 'Pause the current pipeline and return to the command prompt. '
                             'Type "exit" to resume the pipeline.')
SHOULD_PROCESS_CHOICES = (YES, YES_TO_ALL, NO, NO_TO_ALL, SUSPEND)
SHOULD_CONTINUE_CHOICES = (YES, NO, SUSPEND)


# --- ShouldProcess ---------------------------------------------------------------------------------

def should_process_target(ctx: Any, target: Any, action: str | None = None) -> bool:
    """``ShouldProcess(target)`` / ``ShouldProcess(target, action)``; the action defaults to the command name."""
    if _always_yes(ctx):
        return True
    name = action if action is not None else getattr(ctx.cls, "name", "") or ctx.command_name
    description = SHOULD_PROCESS_MESSAGE.format(to_string(name), to_string(target))
    return should_process(ctx, description)


def _always_yes(ctx: Any) -> bool:
    """No -WhatIf, no question to ask and no -Verbose line: every ShouldProcess of this command is simply
    True. What decides it is fixed for the command (its parameters, and the preferences it cached on first
    use), so it is worked out once: a bulk unlock asks 10,000 times."""
    known = ctx.__dict__.get("_always_yes")
    if known is None:
        known = ctx.__dict__["_always_yes"] = not what_if(ctx) and auto_confirms(ctx) and not _flag(ctx, "Verbose")
    return known


def should_process(ctx: Any, description: str, warning: str | None = None, caption: str | None = None) -> bool:
    """``ShouldProcess(verboseDescription, verboseWarning, caption)``: the rules in the module docstring."""
    if getattr(ctx, "_no_to_all", False):
        return False
    if getattr(ctx, "_yes_to_all", False):
        return True
    if what_if(ctx):
        ctx.session.host.write(WHAT_IF.format(description) + "\n")
        return False
    if auto_confirms(ctx):
        if _flag(ctx, "Verbose"):
            ctx.write_verbose(description)
        return True
    choice = inquire(ctx, warning or WARNING_FALLBACK.format(description), caption, SHOULD_PROCESS_CHOICES)
    ctx._yes_to_all = choice is YES_TO_ALL
    ctx._no_to_all = choice is NO_TO_ALL
    return choice in (YES, YES_TO_ALL)


def should_continue(ctx: Any, query: str | None, caption: str | None) -> bool:
    """``ShouldContinue(query, caption)``: always asks (Yes / No), whatever -WhatIf, -Confirm or the preferences."""
    return inquire(ctx, query or CONTINUE_QUERY_DEFAULT, caption, SHOULD_CONTINUE_CHOICES) is YES


def what_if(ctx: Any) -> bool:
    """``-WhatIf`` / ``-WhatIf:$false`` given to this command, else ``$WhatIfPreference`` where it runs."""
    common = ctx.binding.common
    if "WhatIf" in common:
        return to_bool(common["WhatIf"])
    return _cached_preference(ctx, "WhatIfPreference", lambda value: to_bool(value))


def auto_confirms(ctx: Any) -> bool:
    """No question: the threshold is None, or above the command's ConfirmImpact (5.1's CanShouldProcessAutoConfirm)."""
    threshold = confirm_threshold(ctx)
    return threshold == "None" or impact_rank(threshold) > impact_rank(confirm_impact_of(ctx.cls))


def confirm_threshold(ctx: Any) -> str:
    """The ConfirmPreference this command uses (5.1's MshCommandRuntime.ConfirmPreference, plus -Force)."""
    common = ctx.binding.common
    confirm_given = "Confirm" in common
    if confirm_given and to_bool(common["Confirm"]):
        return "Low"
    if forced(ctx):
        return "None"
    if _flag(ctx, "Debug"):
        return "None" if confirm_given else "Low"
    if confirm_given:
        return "None"
    return _cached_preference(ctx, "ConfirmPreference", preference_impact)


def _cached_preference(ctx: Any, name: str, read: Any) -> Any:
    """A preference variable as this command first read it: 5.1's MshCommandRuntime caches
    ``$WhatIfPreference`` and ``$ConfirmPreference`` per command (``_isConfirmPreferenceCached``)."""
    cache = ctx.__dict__.setdefault("_preferences", {})
    if name not in cache:
        cache[name] = read(ctx.session.preference(name))
    return cache[name]


def forced(ctx: Any) -> bool:
    """``-Force`` on a Skype for Business cmdlet that declares it: "Suppresses any confirmation prompts"."""
    cls = ctx.cls
    if not getattr(cls, "class_name", "").startswith("Microsoft.Rtc.") or "force" not in cls.declared:
        return False
    return to_bool(ctx.binding.values.get("Force"))


def _flag(ctx: Any, name: str) -> bool:
    value = ctx.binding.common.get(name)
    return value is not None and to_bool(value)


# --- $PSCmdlet.ShouldProcess / ShouldContinue ----------------------------------------------------------

_METHOD_ARITIES = {"shouldprocess": ("ShouldProcess", (1, 2, 3)), "shouldcontinue": ("ShouldContinue", (2,))}


def invoke_should_method(ctx: Any, name: str, args: list[Any]) -> bool:
    """``$PSCmdlet.ShouldProcess(target[, action])``, ``(description, warning, caption)``, ``ShouldContinue(q, c)``.

    As any .NET method called from script: a wrong argument count finds no overload, and a failure inside
    (no one to answer the prompt) is ``Exception calling "ShouldProcess" with "2" argument(s): ...``.
    """
    canonical, arities = _METHOD_ARITIES[name.lower()]
    if len(args) not in arities:
        raise PSError(ErrorRecord(f'Cannot find an overload for "{canonical}" and the argument count: "{len(args)}".',
                                  "MethodCountCouldNotFindBest", E.NOT_SPECIFIED, reason="MethodException"))
    texts = ["" if arg is None else to_string(arg) for arg in args]
    try:
        if canonical == "ShouldContinue":
            return should_continue(ctx, texts[0], texts[1])
        if len(texts) == 3:
            return should_process(ctx, texts[0], texts[1], texts[2])
        return should_process_target(ctx, texts[0], texts[1] if len(texts) == 2 else None)
    except PSError as err:
        if err.record.error_id == "ActionPreferenceStop":
            raise                        # the command stops, as after 5.1's PipelineStoppedException
        raise PSError(ErrorRecord(f'Exception calling "{canonical}" with "{len(args)}" argument(s): '
                                  f'"{err.record.message}"', err.record.reason, E.NOT_SPECIFIED,
                                  reason="MethodInvocationException")) from None


# --- ConfirmImpact values ----------------------------------------------------------------------------

def impact_rank(name: str) -> int:
    return CONFIRM_IMPACTS.index(name)


def confirm_impact_of(cls: type) -> str:
    """A command's ConfirmImpact: ``@cmdlet(confirm_impact=...)`` or ``[CmdletBinding(ConfirmImpact=...)]``."""
    return _impact_name(getattr(cls, "confirm_impact", None)) or DEFAULT_CONFIRM_IMPACT


def preference_impact(value: Any) -> str:
    """``$ConfirmPreference`` as a command reads it: a name (or number) in any case; anything else is High.

    5.1 reads it with ``GetEnumPreference``, which falls back to the default rather than failing, so a bad
    value left in a script or function scope never stops a command.
    """
    return _impact_name(value) or DEFAULT_CONFIRM_PREFERENCE


def _impact_name(value: Any) -> str | None:
    """The ConfirmImpact a text names, remembered per text: asked twice per ShouldProcess (10,000 in a bulk unlock)."""
    if not isinstance(value, str):
        return None
    if value not in _IMPACT_NAMES:
        if len(_IMPACT_NAMES) > 256:        # a script may assign any text to $ConfirmPreference
            _IMPACT_NAMES.clear()
        _IMPACT_NAMES[value] = _read_impact_name(value)
    return _IMPACT_NAMES[value]


def _read_impact_name(value: str) -> str | None:
    text = value.strip()
    for name in CONFIRM_IMPACTS:
        if name.lower() == text.lower():
            return name
    if re.fullmatch(r"[0-3]", text):
        return CONFIRM_IMPACTS[int(text)]
    return None


_IMPACT_NAMES: dict[str, str | None] = {}


def convert_confirm_impact(value: Any) -> str:
    """``[System.Management.Automation.ConfirmImpact]$value``, with 5.1's error when it does not convert.

    The global ``$ConfirmPreference`` carries this conversion (5.1 declares it with an
    ArgumentTypeConverterAttribute), so ``$ConfirmPreference = 'Hihg'`` at the prompt fails;
    ``[CmdletBinding(ConfirmImpact=...)]`` converts the same way.
    """
    if value is None:
        return "None"                                   # $null converts to the enum's zero value
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value < len(CONFIRM_IMPACTS):
            return CONFIRM_IMPACTS[value]
        raise PSError(_conversion_record(
            f'Cannot convert value "{value}" to type "{CONFIRM_IMPACT_TYPE}" due to enumeration values that are '
            "not valid. Specify one of the following enumeration values and try again. The possible enumeration "
            f'values are "{",".join(CONFIRM_IMPACTS)}".'))
    name = _impact_name(value) if isinstance(value, str) else None
    if name is not None:
        return name
    if isinstance(value, str):
        raise PSError(_conversion_record(
            f'Cannot convert value "{value}" to type "{CONFIRM_IMPACT_TYPE}". Error: "Unable to match the '
            f"identifier name {value} to a valid enumerator name. Specify one of the following enumerator names "
            f'and try again:\n{", ".join(CONFIRM_IMPACTS)}"'))
    raise PSError(_conversion_record(f'Cannot convert the "{to_string(value)}" value of type "{type_name(value)}" '
                                     f'to type "{CONFIRM_IMPACT_TYPE}".'))


def _conversion_record(message: str) -> ErrorRecord:
    """5.1: ``MetadataError: (:) [], ArgumentTransformationMetadataException`` / ``RuntimeException``."""
    return ErrorRecord(message, "RuntimeException", "MetadataError",
                       reason="ArgumentTransformationMetadataException",
                       exception_type="System.Management.Automation.ArgumentTransformationMetadataException")


# --- the question ----------------------------------------------------------------------------------

def inquire(ctx: Any, message: str, caption: str | None, choices: tuple[Choice, ...]) -> Choice:
    """5.1's InquireHelper over the console host's PromptForChoice; Suspend opens a nested prompt, then asks again."""
    host = ctx.session.host
    while True:
        if not host.interactive:
            ctx.throw_error(_non_interactive_record())
        host.write(f"\n{caption or CAPTION_DEFAULT}\n{message}\n")
        choice = prompt_for_choice(ctx, choices)
        if choice is not SUSPEND:
            return choice
        if not suspend(ctx):
            ctx.throw_error(ErrorRecord(STOPPED_BY_USER, "ActionPreferenceStop", E.OPERATION_STOPPED,
                                        reason="ActionPreferenceStopException"))


def prompt_for_choice(ctx: Any, choices: tuple[Choice, ...], default: int = 0) -> Choice:
    """Ask until an answer names a choice: Enter takes the default, ``?`` lists the help, anything else asks again."""
    host = ctx.session.host
    while True:
        answer = host.read_line(choice_line(choices, default, getattr(host, "width", 120)))
        if answer is None:
            ctx.throw_error(ErrorRecord(PROMPT_CANCELED, "PromptForChoiceCanceled", E.OPERATION_STOPPED,
                                        reason="PromptingException",
                                        exception_type="System.Management.Automation.Host.PromptingException"))
        if answer == "":
            return choices[default]
        if answer.strip() == "?":
            host.write("".join(f"{c.hotkey or c.plain} - {c.help}\n" for c in choices))
            continue
        picked = pick_choice(answer.strip(), choices)
        if picked is not None:
            return picked


def pick_choice(answer: str, choices: Iterable[Choice]) -> Choice | None:
    """The full label wins over a hot key (``No`` is No, not a hot key), case-insensitive, as 5.1 decides."""
    choices = list(choices)
    low = answer.lower()
    for choice in choices:
        if choice.plain.lower() == low:
            return choice
    for choice in choices:
        if choice.hotkey and choice.hotkey.lower() == low:
            return choice
    return None


def choice_line(choices: Iterable[Choice], default: int, width: int) -> str:
    """``[Y] Yes  [A] Yes to All  ... [?] Help (default is "Y"): ``, broken before a part that would pass the edge."""
    choices = list(choices)
    parts = [f"[{c.hotkey}] {c.plain}  " for c in choices] + ["[?] Help "]
    parts.append(f'(default is "{choices[default].hotkey or choices[default].plain}"): ')
    line, used, limit = "", 0, max(width - 1, 1)
    for part in parts:
        if used + len(part) > limit:
            line += "\n" + part.rstrip()
            used = len(part)
        else:
            line += part
            used += len(part)
    return line


def _non_interactive_record() -> ErrorRecord:
    """What 5.1's console host throws when -NonInteractive (or no one at all) would have to answer."""
    return ErrorRecord(NON_INTERACTIVE, "InvalidOperation", E.INVALID_OPERATION, reason="PSInvalidOperationException")


# --- Suspend: the nested prompt ------------------------------------------------------------------------

def suspend(ctx: Any) -> bool:
    """Run a nested prompt (``PS C:\\>> ``) until ``exit``; ``False`` when the host cannot nest a prompt."""
    host = ctx.session.host
    interp = getattr(ctx, "interp", None)
    enter = getattr(host, "enter_nested_prompt", None)
    if interp is None or enter is None:
        return False
    session = ctx.session
    outer = session.get_variable("global:NestedPromptLevel")
    level = (outer if isinstance(outer, int) and not isinstance(outer, bool) else 0) + 1
    saved = (interp.error_routes, interp.try_depth)
    session.set_variable("global:NestedPromptLevel", level)
    interp.error_routes, interp.try_depth = [], 0
    try:
        return bool(enter(lambda: nested_prompt_text(session.cwd, level), lambda line: run_nested_line(interp, line)))
    finally:
        interp.error_routes, interp.try_depth = saved
        session.set_variable("global:NestedPromptLevel", outer if outer is not None else 0)


def nested_prompt_text(cwd: str, level: int) -> str:
    """5.1's built-in prompt function: ``PS <location>`` and one ``>`` more than ``$NestedPromptLevel``."""
    return f"PS {cwd}{'>' * (level + 1)} "


def run_nested_line(interp: Any, text: str) -> bool:
    """Run one line typed at the nested prompt as the top-level prompt would; ``False`` once it ran ``exit``."""
    from csshell.language.parser import ParseErrors, parse
    from csshell.runtime.formatting import OutputFormatter
    from csshell.runtime.parse_report import render_parse_errors
    host = interp.session.host
    try:
        script = parse(text)
    except ParseErrors as errors:
        host.write_error(render_parse_errors(errors) + "\n")
        return True
    formatter = OutputFormatter(width=host.width)
    try:
        interp.run_statements(script.statements, _out_default(host, formatter))
    except PSError as err:
        interp.report(err.record)
    except E.ExitSignal:
        return False
    except (E.BreakSignal, E.ContinueSignal, E.ReturnSignal, E.PipelineStopped):
        pass
    finally:
        host.write(formatter.flush())
    return True


def _out_default(host: Any, formatter: Any) -> Callable[[Any], None]:
    def out(item: Any) -> None:
        text = formatter.feed(item)
        if text:
            host.write(text)
    return out
