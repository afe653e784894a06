"""A store path that does not exist yet (a typo, a new folder) creates an empty store and says so on stderr.

Without the notice ``csshell --store /tmp/nodir/typo.json -c '(Get-CsUser).Count'`` printed 0 and
exited 0, exactly like a real store without users.
"""
from __future__ import annotations

from pathlib import Path

from cli_support import Cli


def notice(path: Path, folder: bool = False) -> str:
    where = f"'{path}'" + (" (and its folder)" if folder else "")
    return f"csshell: created a new, empty store at {where}; load users with Import-CsDirectory.\n"


def test_a_mistyped_store_path_is_announced_once(cli: Cli, tmp_path: Path) -> None:
    typo = tmp_path / "nodir" / "typo.json"
    first = cli("--store", str(typo), "-c", "(Get-CsUser).Count", store=False)
    assert (first.code, first.out) == (0, "0\n")          # output and exit code as before
    assert first.err == notice(typo, folder=True)
    second = cli("--store", str(typo), "-c", "(Get-CsUser).Count", store=False)
    assert (second.out, second.err) == ("0\n", "")


def test_the_notice_names_the_absolute_path(cli: Cli, tmp_path: Path) -> None:
    result = cli("--store", "relative.json", "-c", "Get-CsUser", store=False)
    assert result.err == notice(cli.workdir / "relative.json")


def test_through_the_environment_variable_too(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "env.json"
    result = cli("-c", "Get-CsUser", store=False, env={"CSSHELL_STORE": str(path)})
    assert result.err == notice(path)


def test_a_command_that_never_touches_the_store_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "untouched.json"
    result = cli("--store", str(path), "-c", "1 + 1", store=False)
    assert (result.out, result.err) == ("2\n", "")
    assert not path.exists()


def test_an_existing_store_says_nothing(cli: Cli) -> None:
    result = cli("-c", "(Get-CsUser).Count")
    assert result.err == "" and result.out == "18\n"


def test_importing_into_a_new_store_still_succeeds(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "fresh.json"
    csv = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"
    result = cli("--store", str(path), "-c", f"Import-CsDirectory -Path '{csv}' | Out-Null; (Get-CsUser).Count",
                 store=False)
    assert result.code == 0 and result.out == "18\n" and result.err == notice(path)


def test_the_interactive_shell_creates_a_new_store_before_its_first_prompt(tmp_path: Path, capsys) -> None:
    """Completion may open the store while a line is edited: the notice must come before the prompt."""
    from csshell.cli import _create_before_prompting, store_opener
    path = tmp_path / "new.json"
    opener = store_opener(str(path))
    _create_before_prompting(opener)
    assert path.exists() and capsys.readouterr().err == notice(path)
    opener().close()                                      # later opens (the engine's) say nothing
    assert capsys.readouterr().err == ""


def test_an_unusable_store_before_the_prompt_is_left_to_the_engine(tmp_path: Path, capsys) -> None:
    from csshell.cli import _create_before_prompting, store_opener
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    _create_before_prompting(store_opener(str(blocker / "s.json")))     # no exception, no notice
    assert capsys.readouterr().err == ""
