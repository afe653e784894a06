"""The interactive loop driven key by key (through a pipe) over the real Engine and a seeded store."""
import io

import pytest
from conftest import Typist
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output
from real_engine import make_engine, seed_store

from csshell.repl import run_repl
from csshell.repl.host import ReplHost
from csshell.runtime.host import BufferHost


class Screen(io.StringIO):
    """What prompt_toolkit draws (prompts, questions, the edited line)."""

    encoding = "utf-8"


class Terminal:
    """A keyboard (pipe), a screen, stdout/stderr, and the real engine the loop creates."""

    def __init__(self, pipe, store_path):
        self.pipe = pipe
        self.store_path = store_path
        self.screen = Screen()
        self.out, self.err = io.StringIO(), io.StringIO()
        self.output = Vt100_Output(self.screen, lambda: Size(rows=24, columns=120), term="xterm")
        self.host = ReplHost(out=self.out, err=self.err, prompt_input=pipe, prompt_output=self.output)
        self.typist = Typist(pipe)

    def run(self, *keys, history_path=None):
        """Type ``keys`` (one chunk at a time) into a fresh interactive session; its exit code."""
        self.typist.type(*keys)
        try:
            return run_repl(lambda host: make_engine(self.store_path, host), history_path=history_path,
                            input=self.pipe, output=self.output, host=self.host)
        finally:
            self.typist.wait()

    def pin_info(self, identity):
        """``Get-CsClientPinInfo`` from a separate engine: what the store really holds now."""
        host = BufferHost()
        engine = make_engine(self.store_path, host)
        try:
            assert engine.run_command_text(f"Get-CsClientPinInfo -Identity '{identity}' | Format-List"), host.stderr
        finally:
            engine.close()
        return host.stdout


@pytest.fixture
def terminal(tmp_path):
    store_path = tmp_path / "store.json"
    seed_store(store_path)
    with create_pipe_input() as pipe:
        yield Terminal(pipe, store_path)


def test_command_output_then_exit_code_zero(terminal):
    assert terminal.run("Get-CsClientPinInfo -Identity 'Ken Myer'\r", "exit\r") == 0
    assert "Identity          : sip:kenmyer@litwareinc.com" in terminal.out.getvalue()
    assert "PS " in terminal.screen.getvalue()


def test_no_colour_when_output_and_errors_are_not_terminals(terminal, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    terminal.host = ReplHost(out=terminal.out, err=terminal.err, prompt_input=terminal.pipe,
                             prompt_output=terminal.output)
    terminal.run("Get-CsClientPinInfo -Identity 'Ken Myer'\r", "Get-CsClientPinInfo -Identity Nobody\r", "exit\r")
    assert "IsPinSet" in terminal.out.getvalue()
    assert terminal.err.getvalue().startswith("Get-CsClientPinInfo : Management object not found")
    assert "\x1b" not in terminal.out.getvalue() + terminal.err.getvalue()


def test_exit_with_a_code(terminal):
    assert terminal.run("exit 3\r", "Lock-CsClientPin 'Ken Myer'\r") == 3
    assert "IsLockedOut       : False" in terminal.pin_info("Ken Myer")


def test_ctrl_d_leaves_with_code_zero(terminal):
    assert terminal.run("Get-CsUser -Identity 'Ken Myer'\r", "\x04") == 0
    assert "Ken Myer" in terminal.out.getvalue()


def test_ctrl_c_cancels_the_line_being_typed(terminal):
    # had Ctrl-C not dropped the line, the lone Enter after it would run it
    assert terminal.run("Lock-CsClientPin -Identity 'Ken Myer'", "\x03", "\r", "exit\r") == 0
    assert "IsLockedOut       : False" in terminal.pin_info("Ken Myer")
    assert terminal.err.getvalue() == ""


def test_ctrl_c_cancels_a_continued_statement(terminal):
    terminal.run("Get-CsUser |\r", "Lock-CsClientPin", "\x03", "\r", "exit\r")
    assert "IsLockedOut       : False" in terminal.pin_info("Ken Myer")


def test_tab_completes_the_cmdlet_then_the_line_runs(terminal):
    terminal.run("Get-CsClientPinI", "\t", " -Id", "\t", " 'Ken Myer'\r", "exit\r")
    assert "IsPinSet          : True" in terminal.out.getvalue()


def test_tab_completes_an_identity_that_then_binds(terminal):
    terminal.run("Lock-CsClientPin -Identity Aid", "\t", "\r", "exit\r")
    assert terminal.err.getvalue() == ""
    assert "IsLockedOut       : True" in terminal.pin_info("Aidan Delaney")


def test_missing_mandatory_identity_is_asked_for_and_the_answer_binds(terminal):
    assert terminal.run("Lock-CsClientPin\r", "Ken Myer\r", "exit\r") == 0
    out = terminal.out.getvalue()
    assert out.startswith("cmdlet Lock-CsClientPin at command pipeline position 1\n"
                          "Supply values for the following parameters:\n")
    assert "Identity: " in terminal.screen.getvalue()
    assert terminal.err.getvalue() == ""
    assert "IsLockedOut       : True" in terminal.pin_info("Ken Myer")


def test_an_empty_answer_to_a_mandatory_question_is_an_error_record(terminal):
    terminal.run("Lock-CsClientPin\r", "\r", "exit\r")
    err = terminal.err.getvalue()
    assert err.startswith("Lock-CsClientPin : Cannot process command because of one or more missing mandatory "
                          "parameters: Identity.\n")
    assert "FullyQualifiedErrorId : MissingMandatoryParameter," in err
    assert "Traceback" not in err
    assert "IsLockedOut       : False" in terminal.pin_info("Ken Myer")


def test_ctrl_d_at_a_mandatory_question_runs_nothing(terminal):
    assert terminal.run("Lock-CsClientPin\r", "\x04", "exit\r") == 0
    assert "FullyQualifiedErrorId : MissingMandatoryParameter," in terminal.err.getvalue()
    assert "IsLockedOut       : False" in terminal.pin_info("Ken Myer")


def test_continuation_lines_run_once_complete(terminal):
    terminal.run("foreach ($n in 'Ken Myer', 'Aidan Delaney') {\r", "Lock-CsClientPin -Identity $n\r", "}\r",
                 "exit\r")
    assert terminal.err.getvalue() == ""
    assert "IsLockedOut       : True" in terminal.pin_info("Ken Myer")
    assert "IsLockedOut       : True" in terminal.pin_info("Aidan Delaney")
    assert ">> " in terminal.screen.getvalue()


@pytest.mark.parametrize("keys", [
    ("Get-CsUser -Identity 'Ken Myer' |\r", "Lock-CsClientPin\r"),
    ("Lock-CsClientPin `\r", "-Identity 'Ken Myer'\r"),
    ('Lock-CsClientPin -Identity "Ken\r', 'Myer".Replace("`n", " ")\r'),
    ("$who = @'\r", "Ken Myer\r", "'@\r", "Lock-CsClientPin -Identity $who\r"),
])
def test_each_kind_of_unfinished_input_continues(terminal, keys):
    terminal.run(*keys, "exit\r")
    assert "Traceback" not in terminal.err.getvalue()
    assert terminal.err.getvalue() == ""
    assert "IsLockedOut       : True" in terminal.pin_info("Ken Myer")


def test_history_never_holds_a_pin(terminal, tmp_path):
    history = tmp_path / "data" / "csshell" / "history"
    terminal.run("Unlock-CsClientPin 'Ken Myer'\r", 'Set-CsClientPin "Ken Myer" 80417\r',
                 "Set-CsClientPin -Identity x -Pin:80417\r", "exit\r", history_path=str(history))
    saved = history.read_text()
    assert "80417" not in saved
    assert 'Set-CsClientPin "Ken Myer" ****' in saved
    assert "Set-CsClientPin -Identity x -Pin:****" in saved
    # the PIN itself was set: the line ran unmasked
    assert "IsPinSet          : True" in terminal.pin_info("Ken Myer")


def test_a_pin_typed_as_the_answer_to_a_question_is_not_in_history(terminal, tmp_path):
    history = tmp_path / "history"
    terminal.run("Unlock-CsClientPin 'Ken Myer'\r", "Set-CsClientPin -Pin 80417\r", "Ken Myer\r", "exit\r",
                 history_path=str(history))
    saved = history.read_text()
    assert "80417" not in saved
    assert "+Set-CsClientPin -Pin ****\n" in saved
    assert "+Ken Myer\n" not in saved


def test_up_arrow_recalls_the_masked_line_which_then_fails_the_policy(terminal):
    terminal.run("Unlock-CsClientPin 'Ken Myer'\r", "Set-CsClientPin 'Ken Myer' 80417\r",
                 lambda: "PinReset" in terminal.out.getvalue(), "\x1b[A", "\r", "exit\r")
    err = terminal.err.getvalue()
    assert "+ Set-CsClientPin 'Ken Myer' ****\n" in err and "80417" not in err
    assert "FullyQualifiedErrorId : InvalidPin," in err


def test_ctrl_d_at_read_host_stops_the_statement_like_ctrl_c(terminal):
    # 5.1 ends a console read that the user breaks off with PipelineStoppedException: the script
    # does not go on with an answer nobody gave, and this is no "NonInteractive mode" session.
    code = terminal.run("$u = Read-Host 'User'; Lock-CsClientPin -Identity 'Ken Myer'; 'after'\r",
                        lambda: "User: " in terminal.screen.getvalue(), "\x04",
                        "'still here'\r", "exit\r")
    assert code == 0
    err, out = terminal.err.getvalue(), terminal.out.getvalue()
    assert "The pipeline has been stopped." in err
    assert "NonInteractive" not in err
    assert "after" not in out and "still here" in out
    assert "IsLockedOut       : False" in terminal.pin_info("Ken Myer")
