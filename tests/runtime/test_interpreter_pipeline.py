"""The streaming pipeline seen end to end: begin/process/end order, early stop, script functions in pipelines."""
from __future__ import annotations

from typing import Any

import pytest

from csshell.runtime.cmdlet import Cmdlet, CommandContext, Parameter, cmdlet

from test_interpreter_support import Shell, make_shell, shell, store_file  # noqa: F401


def logging_cmdlets(log: list[str]) -> dict[str, type[Cmdlet]]:
    """Two cmdlets that record every lifecycle step in ``log``; registered per session, not globally."""

    @cmdlet("Test-Emit", register=False)
    class TestEmit(Cmdlet):
        Count = Parameter("int", position=0)

        def begin(self, ctx: CommandContext) -> None:
            log.append("emit begin")

        def process(self, ctx: CommandContext) -> None:
            for i in range(1, self.Count + 1):
                log.append(f"emit {i}")
                ctx.write_object(i)

        def end(self, ctx: CommandContext) -> None:
            log.append("emit end")

    @cmdlet("Test-Pass", register=False)
    class TestPass(Cmdlet):
        InputObject = Parameter("object", from_pipeline=True)

        def begin(self, ctx: CommandContext) -> None:
            log.append("pass begin")

        def process(self, ctx: CommandContext) -> None:
            log.append(f"pass {self.InputObject}")
            ctx.write_object(self.InputObject)

        def end(self, ctx: CommandContext) -> None:
            log.append("pass end")

    return {"test-emit": TestEmit, "test-pass": TestPass}


@pytest.fixture
def logged(store_file) -> Any:
    shell = make_shell(store_file)
    log: list[str] = []
    shell.engine.session.functions.update(logging_cmdlets(log))
    yield shell, log
    shell.engine.close()


def test_objects_stream_one_at_a_time_through_begin_process_end(logged) -> None:
    shell, log = logged
    assert shell.run("Test-Emit 3 | Test-Pass")
    assert log == ["emit begin", "pass begin", "emit 1", "pass 1", "emit 2", "pass 2", "emit 3", "pass 3",
                   "emit end", "pass end"]
    assert shell.out.split() == ["1", "2", "3"]


def test_select_first_stops_the_upstream_commands(logged) -> None:
    shell, log = logged
    assert shell.run("Test-Emit 1000 | Test-Pass | Select-Object -First 1")
    assert log == ["emit begin", "pass begin", "emit 1", "pass 1"]
    assert shell.out.split() == ["1"]
    assert shell.err == ""


def test_stop_from_an_outer_pipeline_is_not_swallowed_by_a_nested_one(logged) -> None:
    shell, log = logged
    script = ("function Source { process { Test-Emit 5 | ForEach-Object { $_ } } end { 'source end' } }\n"
              "Source | Select-Object -First 2; 'next'")
    assert shell.run(script)
    assert shell.out.split() == ["1", "2", "next"]
    assert "emit 3" not in log and "emit end" not in log


def test_simple_function_with_process_block_takes_pipeline_input(shell: Shell) -> None:
    assert shell.run("function Double { process { $_ * 2 } }; 1, 2, 3 | Double")
    assert shell.out.split() == ["2", "4", "6"]
    assert shell.err == ""


def test_simple_function_without_blocks_sees_input_in_dollar_input(shell: Shell) -> None:
    assert shell.run("function Total { $sum = 0; foreach ($i in $input) { $sum += $i }; $sum }; 1, 2, 3 | Total")
    assert shell.out.strip() == "6"


def test_advanced_function_without_pipeline_parameter_rejects_input(shell: Shell) -> None:
    assert not shell.run("function Strict { [CmdletBinding()] param($A) 'ran' }; 1 | Strict")
    assert "InputObjectNotBound" in shell.err


def test_pipeline_by_property_name_from_user_objects(shell: Shell) -> None:
    assert shell.run("Get-CsUser -Identity 'Ken Myer' | Get-CsClientPinInfo | ForEach-Object { $_.IsPinSet }")
    assert shell.out.strip() == "True"

