"""Read-Host, Write-Progress, Clear-Host, Start-Sleep, Get-Random and Tee-Object through a recording host."""
from __future__ import annotations

from pathlib import Path

import pytest

from cmdlets.host_io import CLEAR_SCREEN, SecureString
from csshell.engine import Engine
from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.host import BufferHost
from csshell.store import open_store


class RecordingHost(BufferHost):
    """A BufferHost that remembers questions and progress records."""

    def __init__(self, interactive: bool = False, answers: list[str] | None = None, color: bool = False) -> None:
        super().__init__(interactive=interactive, answers=answers)
        self.color = color
        self.questions: list[tuple[str, bool]] = []
        self.progress_calls: list[tuple[str, str, int, bool]] = []

    def read_line(self, prompt: str, secret: bool = False) -> str | None:
        self.questions.append((prompt, secret))
        return super().read_line(prompt, secret)

    def progress(self, activity: str, status: str, percent: int, completed: bool) -> None:
        self.progress_calls.append((activity, status, percent, completed))


@pytest.fixture
def shell(tmp_path: Path):
    """(engine factory): ``shell(host)`` gives a run(text) -> (stdout, stderr) on that host."""
    engines: list[Engine] = []

    def make(host: RecordingHost):
        engine = Engine(host, lambda: open_store(str(tmp_path / "store.json"), lock_timeout=2), cwd=str(tmp_path))
        engines.append(engine)

        def run_text(text: str) -> tuple[str, str]:
            host.out.clear()
            host.err.clear()
            engine.run_command_text(text)
            return host.stdout, host.stderr
        return run_text

    yield make
    for engine in engines:
        engine.close()


def test_read_host_asks_with_colon_and_returns_the_answer(shell):
    host = RecordingHost(interactive=True, answers=["Ken Myer"])
    out, err = shell(host)("$name = Read-Host 'Display name'; \"got $name\"")
    assert host.questions == [("Display name: ", False)]
    assert out.endswith("got Ken Myer\n") and err == ""


def test_read_host_joins_remaining_words_and_has_no_colon_without_prompt(shell):
    host = RecordingHost(interactive=True, answers=["a", "b"])
    run = shell(host)
    run("Read-Host -Prompt 'Enter', 'the PIN' | Out-Null; Read-Host | Out-Null")
    assert host.questions == [("Enter the PIN: ", False), ("", False)]


def test_read_host_as_secure_string_hides_the_text(shell):
    host = RecordingHost(interactive=True, answers=["12345"])
    out, _ = shell(host)("$p = Read-Host 'PIN' -AsSecureString; $p; $p.Length")
    assert host.questions == [("PIN: ", True)]
    assert "12345" not in out and out.split()[-2:] == ["System.Security.SecureString", "5"]
    assert SecureString("9").reveal() == "9"


def test_read_host_non_interactive_is_5_1s_error(shell):
    out, err = shell(RecordingHost(interactive=False))("Read-Host 'Name'; 'after'")
    assert "Read-Host : Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not " \
           "available." in err
    assert "InvalidOperation,Microsoft.PowerShell.Commands.ReadHostCommand" in err
    assert out.endswith("after\n")


def test_write_progress_calls_the_host(shell):
    host = RecordingHost()
    out, err = shell(host)("Write-Progress -Activity 'Unlocking PINs' -Status '1 of 4' -PercentComplete 25; "
                           "Write-Progress 'Unlocking PINs' -Completed")
    assert host.progress_calls == [("Unlocking PINs", "1 of 4", 25, False),
                                   ("Unlocking PINs", "Processing", -1, True)]
    assert out == "" and err == ""


def test_write_progress_silenced_by_preference_and_validated(shell):
    host = RecordingHost()
    run = shell(host)
    run("$ProgressPreference = 'SilentlyContinue'; Write-Progress -Activity a -PercentComplete 5")
    assert host.progress_calls == []
    _, err = run("Write-Progress -Activity a -PercentComplete 101")
    assert "The 101 argument is greater than the maximum allowed range of 100" in err


def test_clear_host_writes_ansi_only_on_a_colour_terminal(shell):
    out, _ = shell(RecordingHost(color=True))("Clear-Host")
    assert out == CLEAR_SCREEN
    out, _ = shell(RecordingHost(color=False))("cls; clear")
    assert out == ""
    assert find_cmdlet("cls").name == find_cmdlet("clear").name == "Clear-Host"


def test_start_sleep_waits_and_validates(shell, monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr("cmdlets.host_io.time.sleep", slept.append)
    run = shell(RecordingHost())
    _, err = run("Start-Sleep 2; Start-Sleep -Milliseconds 5; Start-Sleep -ms 1; sleep 0")
    assert slept == [2, 0.005, 0.001, 0] and err == ""
    _, err = run("Start-Sleep -Seconds -1")
    assert "The -1 argument is less than the minimum allowed range of 0" in err and slept[-1] == 0


def test_start_sleep_really_sleeps_a_tiny_time(shell):
    _, err = shell(RecordingHost())("Start-Sleep -Milliseconds 1; 'done'")
    assert err == ""


def test_get_random_maximum_is_exclusive_and_seed_repeats(shell):
    run = shell(RecordingHost())
    out, err = run("1..50 | ForEach-Object { Get-Random -Minimum 1 -Maximum 3 } | Sort-Object -Unique")
    assert out.split() == ["1", "2"] and err == ""
    first, _ = run("Get-Random -SetSeed 42 -Maximum 1000000; Get-Random -Maximum 1000000")
    again, _ = run("Get-Random -SetSeed 42 -Maximum 1000000; Get-Random -Maximum 1000000")
    assert first == again and len(first.split()) == 2


def test_get_random_pin_idiom_and_doubles(shell):
    out, _ = shell(RecordingHost())("$p = [int](Get-Random -Minimum 111111 -Maximum 999999); "
                                    "($p -ge 111111) -and ($p -lt 999999); (Get-Random -Maximum 0.5) -lt 0.5")
    assert out.split() == ["True", "True"]


def test_get_random_picks_distinct_items_from_a_list(shell):
    run = shell(RecordingHost())
    out, _ = run("1..5 | Get-Random -Count 10 | Sort-Object")
    assert out.split() == ["1", "2", "3", "4", "5"]
    out, _ = run("(Get-Random -InputObject 'a', 'b', 'c' -Count 2 | Measure-Object).Count; "
                 "(Get-Random -InputObject 'a', 'b') -in 'a', 'b'")
    assert out.split() == ["2", "True"]


def test_get_random_minimum_not_below_maximum_is_an_error(shell):
    _, err = shell(RecordingHost())("Get-Random -Minimum 10 -Maximum 5")
    assert "The Minimum value (10) cannot be greater than or equal to the Maximum value (5)." in err
    assert "MinGreaterThanOrEqualMax,Microsoft.PowerShell.Commands.GetRandomCommand" in err


def test_tee_object_to_variable_passes_everything_on(shell):
    out, _ = shell(RecordingHost())("1, 2 | Tee-Object -Variable seen | ForEach-Object { $_ * 10 }; "
                                    "$seen.Count; 'x' | Tee-Object -Variable one | Out-Null; $one")
    assert out.split() == ["10", "20", "2", "x"]


def test_tee_object_to_file_writes_the_console_text(shell, tmp_path: Path):
    out, _ = shell(RecordingHost())("'a', 'b' | Tee-Object -FilePath tee.txt; 'c' | Tee-Object tee.txt -Append")
    assert out.split() == ["a", "b", "c"]
    assert (tmp_path / "tee.txt").read_text() == "a\nb\nc\n"


def test_tee_object_missing_folder_is_file_open_failure(shell):
    _, err = shell(RecordingHost())("'a' | Tee-Object -FilePath nope/tee.txt")
    assert "Could not find a part of the path" in err and "Traceback" not in err


def test_read_host_input_ended_at_an_interactive_host_stops_like_ctrl_c(shell):
    """Ctrl-D instead of an answer: the run stops (KeyboardInterrupt, the front ends' Ctrl-C), no NonInteractive error."""
    host = RecordingHost(interactive=True, answers=[])
    with pytest.raises(KeyboardInterrupt):
        shell(host)("$name = Read-Host 'Name'; 'after'")
    assert host.questions == [("Name: ", False)]
    assert "after" not in host.stdout and "NonInteractive" not in host.stderr
