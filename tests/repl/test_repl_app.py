"""run_repl end to end with a fake engine and a pipe for a keyboard."""
from prompt_toolkit.output import DummyOutput

from csshell.repl import run_repl
from csshell.repl.app import INTERRUPTED_NOTICE


def drive(session, *chunks, history_path=None):
    session.typist.type(*chunks)
    try:
        return run_repl(session.factory(), history_path=history_path, input=session.pipe,
                        output=DummyOutput(), host=session.host)
    finally:
        session.typist.wait()


def test_exit_with_code_ends_the_loop(session):
    assert drive(session, "Get-CsUser\r", "exit 3\r", "Get-Never\r") == 3
    assert session.engine.ran == ["Get-CsUser", "exit 3"]
    assert session.out.getvalue() == "ran Get-CsUser\n"


def test_ctrl_d_ends_with_code_zero(session):
    assert drive(session, "Get-CsUser\r", "\x04") == 0
    assert session.engine.ran == ["Get-CsUser"]


def test_the_engine_is_closed_however_the_session_ends(session):
    drive(session, "exit 2\r")
    drive(session, "\x04")
    assert [engine.closed for engine in session.engines] == [True, True]


def test_ctrl_c_at_the_prompt_runs_nothing_and_prints_nothing(session):
    assert drive(session, "Set-CsClientPin x", "\x03", "exit\r") == 0
    assert session.engine.ran == ["exit"]
    assert session.out.getvalue() == "" and session.err.getvalue() == ""


def test_empty_lines_are_not_run(session):
    drive(session, "\r", "   \r", "exit\r")
    assert session.engine.ran == ["exit"]


def test_multi_line_input_runs_once(session):
    drive(session, "Get-CsUser |\r", "Lock-CsClientPin\r", "exit\r")
    assert session.engine.ran == ["Get-CsUser |\nLock-CsClientPin", "exit"]


def test_ctrl_c_during_a_command_prints_a_notice_and_keeps_the_session(session):
    assert drive(session, "slow\r", "Get-CsUser\r", "exit 0\r") == 0
    assert INTERRUPTED_NOTICE in session.err.getvalue()
    assert session.engine.ran == ["slow", "Get-CsUser", "exit 0"]


def test_an_engine_failure_is_an_error_record_not_a_traceback(session):
    drive(session, "boom\r", "exit\r")
    err = session.err.getvalue()
    assert "engine bug" in err and "FullyQualifiedErrorId : ValueError" in err
    assert "Traceback" not in err


def test_questions_are_asked_through_the_host_without_entering_history(session, tmp_path):
    path = tmp_path / "history"
    drive(session, "Read-Host\r", "246810\r", "exit\r", history_path=str(path))
    assert session.engine.questions == ["246810"]
    assert "246810" not in path.read_text()


def test_question_answered_with_ctrl_d_is_none(session):
    drive(session, "Read-Host\r", "\x04", "exit\r")
    assert session.engine.questions == [None]


def test_pin_never_reaches_the_history_file_through_the_loop(session, tmp_path):
    path = tmp_path / "data" / "history"
    drive(session, 'Set-CsClientPin -Identity "Ken Myer" -Pin 121989\r',
          "Set-CsClientPin 'David Longmuir' 80417\r", "exit\r", history_path=str(path))
    content = path.read_text()
    assert "121989" not in content and "80417" not in content
    assert "Set-CsClientPin -Identity \"Ken Myer\" -Pin ****" in content
    # the engine itself still got the real PIN
    assert session.engine.ran[0].endswith("121989")


def test_up_arrow_recalls_the_masked_line(session):
    drive(session, "Set-CsClientPin x -Pin 1234\r", lambda: bool(session.engines) and len(session.engine.ran) == 1, "\x1b[A", "\r",
          "exit\r")
    assert session.engine.ran[1] == "Set-CsClientPin x -Pin ****"
