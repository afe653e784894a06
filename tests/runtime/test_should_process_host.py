"""The pieces of the confirm prompt (choice line, answer matching, ConfirmImpact conversion) and the REPL's
nested prompt behind [S] Suspend, driven through a real prompt_toolkit prompt."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from test_interpreter_support import UNLOCKED, store_file  # noqa: F401

from csshell.engine import Engine
from csshell.repl.host import ReplHost
from csshell.runtime.errors import PSError
from csshell.runtime.host import BufferHost, Host
from csshell.runtime.should_process import (
    NO,
    NO_TO_ALL,
    SHOULD_CONTINUE_CHOICES,
    SHOULD_PROCESS_CHOICES,
    SUSPEND,
    YES,
    YES_TO_ALL,
    choice_line,
    convert_confirm_impact,
    nested_prompt_text,
    pick_choice,
    preference_impact,
)
from csshell.store import open_store

FULL_LINE = '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): '


def test_choice_line_fits_a_wide_console_on_one_line() -> None:
    assert choice_line(SHOULD_PROCESS_CHOICES, 0, 120) == FULL_LINE
    assert choice_line(SHOULD_CONTINUE_CHOICES, 0, 120) == '[Y] Yes  [N] No  [S] Suspend  [?] Help (default is "Y"): '


def test_choice_line_breaks_before_a_part_that_would_pass_the_console_edge() -> None:
    # 5.1's WriteChoiceHelper trims the part that starts a new line, so "[S] Suspend" meets "[?] Help".
    assert choice_line(SHOULD_PROCESS_CHOICES, 0, 50) == ('[Y] Yes  [A] Yes to All  [N] No  [L] No to All  \n'
                                                          '[S] Suspend[?] Help (default is "Y"): ')
    assert choice_line(SHOULD_PROCESS_CHOICES, 0, 30) == ('[Y] Yes  [A] Yes to All  \n[N] No[L] No to All  \n'
                                                          '[S] Suspend[?] Help \n(default is "Y"):')


@pytest.mark.parametrize("answer, choice", [
    ("y", YES), ("YES", YES), ("a", YES_TO_ALL), ("Yes To All", YES_TO_ALL), ("N", NO), ("no", NO),
    ("l", NO_TO_ALL), ("No to all", NO_TO_ALL), ("s", SUSPEND), ("suspend", SUSPEND),
    ("ye", None), ("x", None), ("?", None), ("yes to", None),
])
def test_answers_match_a_full_label_or_a_hot_key(answer: str, choice) -> None:
    assert pick_choice(answer, SHOULD_PROCESS_CHOICES) is choice


def test_hot_keys_and_plain_labels_come_from_the_ampersand() -> None:
    assert [(c.hotkey, c.plain) for c in SHOULD_PROCESS_CHOICES] == [
        ("Y", "Yes"), ("A", "Yes to All"), ("N", "No"), ("L", "No to All"), ("S", "Suspend")]


@pytest.mark.parametrize("value, name", [("low", "Low"), ("HIGH", "High"), ("2", "Medium"), (1, "Low"),
                                         (None, "None"), (" none ", "None")])
def test_confirm_impact_conversion(value, name: str) -> None:
    assert convert_confirm_impact(value) == name


@pytest.mark.parametrize("value", ["Hihg", 4, -1, True, 2.5, ["Low"]])
def test_confirm_impact_conversion_failures_are_ps_errors(value) -> None:
    with pytest.raises(PSError) as caught:
        convert_confirm_impact(value)
    assert "System.Management.Automation.ConfirmImpact" in caught.value.record.message
    assert caught.value.record.category == "MetadataError"


@pytest.mark.parametrize("value, name", [("Low", "Low"), ("medium", "Medium"), ("0", "None"), ("bogus", "High"),
                                         (None, "High"), (5, "High"), ("", "High")])
def test_a_command_reads_a_bad_preference_as_high(value, name: str) -> None:
    assert preference_impact(value) == name


def test_nested_prompt_text_is_51s_default_prompt() -> None:
    assert nested_prompt_text("C:\\", 1) == "PS C:\\>> "
    assert nested_prompt_text("/home/admin", 2) == "PS /home/admin>>> "


def test_hosts_without_a_nested_prompt_say_so() -> None:
    assert Host().enter_nested_prompt(lambda: "PS>> ", lambda line: True) is False
    assert BufferHost(interactive=True, answers=["exit"]).enter_nested_prompt(lambda: "", lambda line: True) is False


# --- the REPL's nested prompt ----------------------------------------------------------------------------

def test_repl_nested_prompt_runs_lines_until_exit() -> None:
    seen: list[str] = []
    prompts: list[str] = []

    def prompt() -> str:
        prompts.append("PS /x>> ")
        return prompts[-1]

    def run_line(line: str) -> bool:
        seen.append(line)
        return line != "exit"

    with create_pipe_input() as pipe:
        host = ReplHost(out=io.StringIO(), err=io.StringIO(), prompt_input=pipe, prompt_output=DummyOutput())
        pipe.send_text("first\r\rexit\rnever\r")
        assert host.enter_nested_prompt(prompt, run_line) is True
    assert seen == ["first", "exit"] and len(prompts) == 3


def test_repl_nested_prompt_ends_on_ctrl_d() -> None:
    with create_pipe_input() as pipe:
        host = ReplHost(out=io.StringIO(), err=io.StringIO(), prompt_input=pipe, prompt_output=DummyOutput())
        pipe.send_text("\x04")
        assert host.enter_nested_prompt(lambda: "PS>> ", lambda line: True) is True


def test_suspend_at_the_repl_runs_commands_then_asks_again(store_file: Path, tmp_path: Path) -> None:
    with create_pipe_input() as pipe:
        out, err = io.StringIO(), io.StringIO()
        host = ReplHost(out=out, err=err, prompt_input=pipe, prompt_output=DummyOutput())
        engine = Engine(host, lambda: open_store(str(store_file), lock_timeout=2), cwd=str(tmp_path))
        try:
            pipe.send_text("S\r'inside at level ' + $NestedPromptLevel\rexit\rY\r")
            assert engine.run_command_text(f'Lock-CsClientPin "{UNLOCKED[0]}" -Confirm')
        finally:
            engine.close()
    assert out.getvalue().count("Are you sure you want to perform this action?") == 2
    assert "inside at level 1\n" in out.getvalue() and err.getvalue() == ""
    store = open_store(str(store_file))
    try:
        directory = store.directory
        [ken] = [u for u in directory.users() if u.sip_address == UNLOCKED[0]]
        assert directory.pin_info(ken).is_locked_out
    finally:
        store.close()
