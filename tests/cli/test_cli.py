"""The ``csshell`` command line after pwsh: options, stores, streams and exit codes (real subprocesses)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from csshell.cli import Options, UsageError, may_prompt, parse_args

NOT_FOUND = 'Management object not found for identity "Nobody Here".'


# --- -Command ------------------------------------------------------------------------------

def test_command_runs_the_rest_of_the_line(cli) -> None:
    result = cli("-Command", "(Get-CsClientPinInfo", "'Ken", "Myer').IsPinSet")
    assert (result.code, result.out, result.err) == (0, "True\n", "")


def test_c_alias_and_output_on_stdout(cli) -> None:
    result = cli("-c", "'a'; 'b'")
    assert (result.code, result.out, result.err) == (0, "a\nb\n", "")


def test_command_exit_code_follows_the_last_statement(cli) -> None:
    failed_last = cli("-c", "'ok'; Get-CsClientPinInfo 'Nobody Here'")
    assert failed_last.code == 1 and failed_last.out == "ok\n"
    assert failed_last.err.startswith(f"Get-CsClientPinInfo : {NOT_FOUND}\nAt line:1 char:7\n")
    failed_first = cli("-c", "Get-CsClientPinInfo 'Nobody Here'; 'ok'")
    assert failed_first.code == 0 and NOT_FOUND in failed_first.err


def test_command_exit_and_throw(cli) -> None:
    assert cli("-c", "exit 7").code == 7
    thrown = cli("-c", "throw 'boom'; 'never'")
    assert thrown.code == 1 and thrown.out == "" and thrown.err.startswith("boom\nAt line:1 char:1\n")


def test_command_parse_error_runs_nothing(cli) -> None:
    result = cli("-c", "'first'; if ($x) {")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith("At line:1 char:18\n+ 'first'; if ($x) {\n+                  ~\n"
                                 "Missing closing '}' in statement block or type definition.\n")
    assert "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException\n" in result.err


def test_command_from_stdin(cli) -> None:
    result = cli("-Command", "-", stdin="'from stdin'\nexit 3\n")
    assert (result.code, result.out) == (3, "from stdin\n")


def test_piped_stdin_without_options_is_run_as_a_command(cli) -> None:
    result = cli(stdin="(Get-CsUser).Count\n")
    assert (result.code, result.out.strip()) == (0, "18")


def test_noprofile_and_noninteractive_are_accepted(cli) -> None:
    result = cli("-NoProfile", "-NonInteractive", "-c", "'ok'")
    assert (result.code, result.out) == (0, "ok\n")


def test_noninteractive_missing_mandatory_is_an_error(cli) -> None:
    result = cli("-NonInteractive", "-c", "Lock-CsClientPin")
    assert result.code == 1
    assert "missing mandatory parameters: Identity." in result.err
    assert "Supply values" not in result.out


# --- -File ----------------------------------------------------------------------------------

def test_file_with_named_switch_and_colon_arguments(cli) -> None:
    script = cli.script("job.ps1", 'param([string]$Identity, [switch]$Force, $Note)\n"$Identity|$Force|$Note"\n')
    assert cli("-File", str(script), "-Identity", "Ken Myer", "-Force").out == "Ken Myer|True|\n"
    assert cli("-File", str(script), "-Identity:Pilar", "-Note:n").out == "Pilar|False|n\n"
    assert cli("-File", str(script), "Ken Myer", "x").out == "Ken Myer|False|x\n"


def test_script_path_alone_runs_it_with_its_args(cli) -> None:
    cli.script("args.ps1", '"$($args.Count): $($args -join \',\')"\n')
    result = cli("args.ps1", "one", "two three")
    assert (result.code, result.out) == (0, "2: one,two three\n")


def test_file_exit_codes(cli) -> None:
    assert cli("-File", str(cli.script("ok.ps1", "'fine'\n"))).code == 0
    assert cli("-File", str(cli.script("exit.ps1", "exit 42\n"))).code == 42
    assert cli("-File", str(cli.script("throw.ps1", "'a'\nthrow 'x'\n'b'\n"))).code == 1
    stop = cli("-File", str(cli.script("stop.ps1", "Get-CsClientPinInfo 'Nobody Here' -ErrorAction Stop\n")))
    assert stop.code == 1 and NOT_FOUND in stop.err


def test_file_with_only_non_terminating_errors_exits_zero(cli) -> None:
    script = cli.script("soft.ps1", "Get-CsClientPinInfo 'Nobody Here'\nNo-SuchCommand\n'done'\n")
    result = cli("-File", str(script))
    assert result.code == 0 and result.out == "done\n"
    assert result.err.startswith(f"Get-CsClientPinInfo : {NOT_FOUND}\nAt {script}:1 char:1\n")
    assert "No-SuchCommand : The term 'No-SuchCommand' is not recognized" in result.err


def test_file_parse_error_runs_nothing_and_exits_one(cli) -> None:
    script = cli.script("broken.ps1", "Lock-CsClientPin 'Ken Myer'\n$x = (1 + \n")
    result = cli("-File", str(script))
    assert result.code == 1 and result.out == ""
    assert result.err.startswith(f"At {script}:2 char:")
    assert "ParserError: (:) [], ParentContainsErrorRecordException" in result.err
    assert cli("-c", "(Get-CsClientPinInfo 'Ken Myer').IsLockedOut").out == "False\n"


def test_file_parameter_binding_error_exits_one(cli) -> None:
    script = cli.script("params.ps1", "[CmdletBinding()]\nparam($Identity)\n'ran'\n")   # a simple script takes -Bogus
    result = cli("-File", str(script), "-Bogus", "1")
    assert result.code == 1 and result.out == ""
    assert result.err.startswith(f"{script} : A parameter cannot be found that matches parameter name 'Bogus'.\n")
    assert "    + CategoryInfo          : InvalidArgument: (:) [params.ps1], ParameterBindingException\n" in result.err
    assert "    + FullyQualifiedErrorId : NamedParameterNotFound,params.ps1\n" in result.err


def test_missing_file_is_reported(cli) -> None:
    result = cli("-File", "nosuch.ps1")
    assert result.code == 64 and result.out == ""
    assert result.err == ("The argument 'nosuch.ps1' to the -File parameter does not exist. Provide the path to "
                          "an existing '.ps1' file as an argument to the -File parameter.\n")


def test_unknown_option_is_a_usage_error(cli) -> None:
    result = cli("-Frobnicate")
    assert result.code == 64
    assert result.err.startswith("The argument '-Frobnicate' is not recognized as the name of a command line "
                                 "parameter.")
    assert "Traceback" not in result.err


# --- stores ---------------------------------------------------------------------------------

def test_store_option_and_environment_variable(cli, tmp_path: Path) -> None:
    assert cli("-c", "Lock-CsClientPin 'Ken Myer'").code == 0
    via_env = cli("-c", "(Get-CsClientPinInfo 'Ken Myer').IsLockedOut", store=False,
                  env={"CSSHELL_STORE": str(cli.store)})
    assert via_env.out == "True\n" and via_env.err == ""
    equals_form = cli(f"--store={cli.store}", "-c", "(Get-CsClientPinInfo 'Ken Myer').IsLockedOut", store=False)
    assert equals_form.out == "True\n"


def test_default_store_is_created_from_examples_once_with_one_notice(cli, tmp_path: Path) -> None:
    first = cli("-c", "(Get-CsUser).Count", store=False)
    default = tmp_path / "xdg" / "csshell" / "store.json"
    assert first.code == 0 and first.out == "18\n"
    notices = first.err.splitlines()
    assert len(notices) == 1 and str(default) in notices[0] and "directory.csv" in notices[0]
    assert default.exists()
    second = cli("-c", "(Get-CsUser).Count", store=False)
    assert (second.out, second.err) == ("18\n", "")


def test_store_pointing_to_a_directory_is_an_error_record(cli, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    result = cli("--store", str(folder), "-c", "Get-CsUser", store=False)
    assert result.code == 1
    assert f"'{folder}'" in result.err and "+ FullyQualifiedErrorId : " in result.err
    assert "Traceback" not in result.err


def test_store_in_an_impossible_place_is_an_error_record(cli, tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    result = cli("--store", str(blocker / "s.json"), "-c", "Get-CsUser", store=False)
    assert result.code == 1 and "StoreCreateFailed" in result.err and "Traceback" not in result.err


def test_corrupt_store_is_reported_and_left_alone(cli) -> None:
    cli.store.write_text("{broken", encoding="utf-8")
    result = cli("-c", "Lock-CsClientPin 'Ken Myer'")
    assert result.code == 1
    assert f"The store file '{cli.store}' is damaged or truncated" in result.err
    assert cli.store.read_text(encoding="utf-8") == "{broken"


def test_changes_persist_between_runs(cli) -> None:
    assert cli("-c", "Lock-CsClientPin 'Ken Myer'").code == 0
    assert cli("-c", "(Get-CsClientPinInfo 'Ken Myer').IsLockedOut").out == "True\n"


# --- argument parsing (no subprocess) ----------------------------------------------------------

def test_parse_args_stops_at_command_and_file() -> None:
    opts = parse_args(["-nop", "--store", "s.json", "-c", "Get-CsUser", "-Identity", "x"])
    assert (opts.no_profile, opts.store, opts.command) == (True, "s.json", "Get-CsUser -Identity x")
    opts = parse_args(["-File", "x.ps1", "-NonInteractive", "--store", "y"])
    assert opts.file == "x.ps1" and opts.script_args == ["-NonInteractive", "--store", "y"]
    assert not opts.non_interactive and opts.store is None


def test_parse_args_rejects_ambiguous_and_missing_values() -> None:
    with pytest.raises(UsageError):
        parse_args(["-no"])                          # -NoProfile / -NonInteractive / -NoLogo
    with pytest.raises(UsageError):
        parse_args(["-File"])


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("opts, stdin, expected", [
    (Options(file="x.ps1"), _Tty(), True),
    (Options(command="Get-CsUser"), _Tty(), True),
    (Options(file="x.ps1", non_interactive=True), _Tty(), False),
    (Options(command="-"), _Tty(), False),
    (Options(file="x.ps1"), io.StringIO(), False),
])
def test_scripts_prompt_only_when_a_person_is_at_the_terminal(opts, stdin, expected) -> None:
    assert may_prompt(opts, stdin) is expected
