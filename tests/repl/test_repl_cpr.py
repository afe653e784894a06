"""A terminal that never answers cursor position requests (a pty without an emulator) gets no CPR warning."""
from __future__ import annotations

import io
import os

from prompt_toolkit.data_structures import Size
from prompt_toolkit.output.vt100 import Vt100_Output
from prompt_toolkit.renderer import Renderer

from csshell.repl import run_repl
from csshell.repl.app import NO_CPR
from csshell.repl.host import ReplHost


class SilentPty(io.StringIO):
    """Looks like a terminal (so prompt_toolkit asks for the cursor position) but never answers."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return True


def test_unanswered_cpr_prints_no_warning_and_turns_cpr_off(session, monkeypatch):
    monkeypatch.setenv(NO_CPR, "0")                   # recorded, so the value set below is undone
    monkeypatch.delenv(NO_CPR)
    monkeypatch.setattr(Renderer, "CPR_TIMEOUT", 0.1)
    screen = SilentPty()
    output = Vt100_Output(screen, lambda: Size(rows=24, columns=80), term="xterm")
    assert output.responds_to_cpr                    # prompt_toolkit will ask, and nobody answers
    host = ReplHost(out=session.out, err=session.err, prompt_input=session.pipe, prompt_output=output)
    session.typist.type("Get-CsUser\r", lambda: os.environ.get(NO_CPR) == "1", "exit\r")
    try:
        code = run_repl(session.factory(), history_path=None, input=session.pipe, output=output, host=host)
    finally:
        session.typist.wait()
    assert code == 0
    assert "\x1b[6n" in screen.getvalue()            # it did ask
    assert "cursor position requests" not in screen.getvalue() + session.out.getvalue() + session.err.getvalue()
    assert os.environ.get(NO_CPR) == "1"
    assert session.out.getvalue() == "ran Get-CsUser\n"
