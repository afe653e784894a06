"""``trap`` statements (about_Trap, Windows PowerShell 5.1)."""
from __future__ import annotations

from test_interpreter_support import Shell, make_shell, shell, store_file  # noqa: F401


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def test_trap_runs_then_writes_the_error_and_continues_after_the_failing_statement(shell: Shell) -> None:
    shell.run('function TrapTest { trap { "Error found." }; nonsenseString; "function completed" }; TrapTest')
    assert lines(shell.out) == ["Error found.", "function completed"]
    assert "The term 'nonsenseString' is not recognized" in shell.err
    assert "CommandNotFoundException" in shell.err
    assert "trap" not in shell.err.split("\n")[0]


def test_continue_in_a_trap_suppresses_the_error_but_keeps_it_in_error_variable(shell: Shell) -> None:
    shell.run('$n = $Error.Count; & { trap { "caught $_"; continue }; 1/0; "after" }; $Error.Count - $n')
    assert lines(shell.out) == ["caught Attempted to divide by zero.", "after", "1"]
    assert shell.err == ""


def test_break_in_a_trap_rethrows_to_the_caller(shell: Shell) -> None:
    shell.run('function B { trap { "in trap"; break }; throw "boom"; "not reached" }; '
              'try { B } catch { "outer caught: $_" }; "end"')
    assert lines(shell.out) == ["in trap", "outer caught: boom", "end"]


def test_typed_traps_take_the_nearest_type_and_traps_are_hoisted(shell: Shell) -> None:
    shell.run('& { 1/0; throw "x"; "end"; trap { "generic"; continue }; '
              'trap [System.DivideByZeroException] { "dbz"; continue } }')
    assert lines(shell.out) == ["dbz", "generic", "end"]


def test_try_catch_inside_a_trap_scope_wins_and_callee_errors_reach_the_trap(shell: Shell) -> None:
    shell.run('function inner { throw "deep"; "no" }; '
              '& { trap { "trap $_"; continue }; try { throw "t" } catch { "catch" }; inner; "next" }')
    assert lines(shell.out) == ["catch", "trap deep", "next"]


def test_trap_catches_an_error_action_stop_error_and_missing_block_is_a_parse_error(shell: Shell) -> None:
    shell.run('trap { "t"; continue }; Get-CsUser nobody -ErrorAction Stop; "after"')
    assert lines(shell.out) == ["t", "after"]
    shell.clear()
    assert not shell.run("trap")
    assert "Missing statement block in trap statement." in shell.err
    assert "MissingTrapStatement" in shell.err
    assert "is not recognized" not in shell.err
