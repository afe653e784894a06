"""Enter / continuation / Ctrl-C / Ctrl-D through a real PromptSession fed by a pipe."""
import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.output import DummyOutput

from csshell.repl.app import build_prompt_session
from csshell.repl.keys import CONTINUATION_PROMPT, continuation_prompt


def ask(session, *chunks):
    prompt = build_prompt_session(session.engines[0] if session.engines else session.factory()(session.host),
                                  InMemoryHistory(), input=session.pipe, output=DummyOutput())
    session.typist.type(*chunks)
    try:
        return prompt.prompt("PS> ")
    finally:
        session.typist.wait()


def test_enter_runs_a_complete_line(session):
    assert ask(session, "Get-CsUser\r") == "Get-CsUser"


def test_enter_continues_an_open_brace_then_runs_when_closed(session):
    text = ask(session, "foreach ($u in $x) {\r", "Lock-CsClientPin $u\r", "}\r")
    assert text == "foreach ($u in $x) {\nLock-CsClientPin $u\n}"


def test_enter_continues_after_trailing_pipe_and_backtick(session):
    assert ask(session, "Get-CsUser |\r", "Lock-CsClientPin\r") == "Get-CsUser |\nLock-CsClientPin"


def test_enter_continues_inside_an_open_string(session):
    assert ask(session, 'Write-Host "a\r', 'b"\r') == 'Write-Host "a\nb"'


def test_enter_on_an_empty_line_returns_it(session):
    assert ask(session, "\r") == ""


def test_ctrl_c_abandons_the_line(session):
    with pytest.raises(KeyboardInterrupt):
        ask(session, "Set-CsClientPin x", "\x03")


def test_ctrl_d_on_an_empty_line_ends_input(session):
    with pytest.raises(EOFError):
        ask(session, "\x04")


def test_tab_completes_command_and_parameter(session):
    text = ask(session, "Unl", "\t", " -Id", "\t", " 'x'", "\r")
    assert text == "Unlock-CsClientPin -Identity 'x'"


def test_continuation_prompt_text():
    assert continuation_prompt(80, 1, 0) == CONTINUATION_PROMPT == ">> "
    assert continuation_prompt(80, 1, 1) == ""
