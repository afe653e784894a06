"""Key bindings of the prompt: Enter runs complete input and continues incomplete input.

PowerShell's console reads a statement that is not finished yet (an open ``{``, ``(``, ``@(``,
quote or here-string, a trailing ``|`` or backtick) over several lines, showing ``>> `` before each
further line, and runs it once it is complete. The prompt runs in multi-line mode so that the
buffer can hold those lines; Enter asks the engine whether the text is complete and either
accepts it or inserts a newline. Everything else keeps prompt_toolkit's defaults: Ctrl-C abandons
the line (KeyboardInterrupt), Ctrl-D on an empty line ends the session (EOFError), Up/Down walk the
history, Ctrl-R searches it, Tab completes, Ctrl-X Ctrl-E opens the line in ``$EDITOR``.
"""
from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.enums import DEFAULT_BUFFER
from prompt_toolkit.filters import has_focus
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

CONTINUATION_PROMPT = ">> "


def build_key_bindings(is_incomplete: Callable[[str], bool]) -> KeyBindings:
    """Bindings for the main prompt; ``is_incomplete`` is the engine's completeness test."""
    bindings = KeyBindings()

    @bindings.add("enter", filter=has_focus(DEFAULT_BUFFER))
    def _enter(event: KeyPressEvent) -> None:
        """Run the input, or start a continuation line when the statement is not finished."""
        buffer = event.current_buffer
        buffer.complete_state = None          # a Tab-selected completion is simply kept
        text = buffer.text
        if text.strip() and _incomplete(is_incomplete, text):
            buffer.insert_text("\n")
            return
        buffer.validate_and_handle()

    return bindings


def _incomplete(is_incomplete: Callable[[str], bool], text: str) -> bool:
    """The engine's answer; an engine failure counts as complete, so the error is shown on run."""
    try:
        return bool(is_incomplete(text))
    except Exception:  # noqa: BLE001
        return False


def continuation_prompt(width: int, line_number: int, wrap_count: int) -> str:
    """``>> `` before every continuation line; nothing before the soft-wrapped rest of a long line."""
    return "" if wrap_count else CONTINUATION_PROMPT
