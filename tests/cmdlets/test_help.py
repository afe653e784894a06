"""Get-Help and Get-Command: help generated from the cmdlet declarations, about_ topics, discovery."""
from __future__ import annotations

from pathlib import Path

import pytest

from cmdlets.help import command_help, parameter_syntax, syntax_lines
from csshell.engine import Engine
from csshell.runtime.cmdlet import Parameter, find_cmdlet
from csshell.runtime.host import BufferHost
from csshell.runtime.values import PSObject
from csshell.store import open_store


@pytest.fixture
def engine(tmp_path: Path):
    host = BufferHost()
    shell = Engine(host, lambda: open_store(str(tmp_path / "store.json"), lock_timeout=2), cwd=str(tmp_path))
    yield shell
    shell.close()


@pytest.fixture
def run(engine):
    """Run ``-Command``-style text; returns (stdout, stderr)."""
    def run_text(text: str) -> tuple[str, str]:
        engine.host.out.clear()
        engine.host.err.clear()
        engine.run_command_text(text)
        return engine.host.stdout, engine.host.stderr
    return run_text


def test_syntax_line_of_lock_csclientpin_matches_the_product():
    assert syntax_lines(find_cmdlet("Lock-CsClientPin")) == [
        "Lock-CsClientPin [-Identity] <UserIdParameter> [-Force] [-WhatIf] [-Confirm] [<CommonParameters>]"]


def test_parameter_syntax_brackets_by_position_and_mandatory():
    assert parameter_syntax(Parameter("string[]", position=0, name="Name")) == "[[-Name] <String[]>]"
    assert parameter_syntax(Parameter("string", mandatory=True, name="Path")) == "-Path <String>"
    assert parameter_syntax(Parameter("switch", name="Force")) == "[-Force]"
    assert parameter_syntax(Parameter("int", position=1, mandatory=True, name="Id")) == "[-Id] <Int32>"


def test_syntax_has_one_line_per_parameter_set_positional_first():
    lines = syntax_lines(find_cmdlet("Get-Command"))
    assert "Get-Command [[-Name] <String[]>] [-CommandType <CommandTypes>] [-Syntax] [<CommonParameters>]" in lines
    assert any(line.startswith("Get-Command [-Verb <String[]>] [-Noun <String[]>]") for line in lines)


def test_default_view_has_5_1_sections_and_remarks(run):
    out, err = run("Get-Help Lock-CsClientPin")
    assert err == ""
    for heading in ("NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "RELATED LINKS", "REMARKS"):
        assert f"\n{heading}\n" in out
    assert 'To see the examples, type: "get-help Lock-CsClientPin -examples".' in out
    assert "PARAMETERS" not in out


def test_full_view_shows_one_based_position_and_pipeline_input(run):
    out, _ = run("Get-Help Lock-CsClientPin -Full")
    block = out[out.index("-Identity <UserIdParameter>"):]
    assert "Required?                    true" in block
    assert "Position?                    1" in block
    assert "Accept pipeline input?       true (ByValue, ByPropertyName)" in block
    assert "<CommonParameters>" in out and "EXAMPLE 1" in out and "\nINPUTS\n" in out


def test_named_parameter_shows_named_position(run):
    out, _ = run("Get-Help Lock-CsClientPin -Parameter Force")
    assert out.lstrip().startswith("-Force")
    assert "Position?                    named" in out
    assert "-Identity" not in out


def test_examples_view_lists_every_declared_example(run):
    out, _ = run("Get-Help Set-CsClientPin -Examples")
    cls = find_cmdlet("Set-CsClientPin")
    for number, example in enumerate(cls.examples, 1):
        assert f"EXAMPLE {number}" in out and example.code in out
    assert "SYNTAX" not in out


def test_help_alias_resolves_to_the_cmdlet_topic(run):
    out, _ = run("Get-Help gcm")
    assert "    Get-Command\n" in out


def test_help_output_is_text_objects_usable_with_out_string(run):
    out, err = run("$t = Get-Help Get-Member | Out-String; $t.GetType().FullName; $t.Contains('SYNOPSIS')")
    assert out.split() == ["System.String", "True"] and err == ""


def test_no_name_gives_the_intro_text(run):
    out, _ = run("Get-Help")
    assert "about_csshell_extensions" in out and "Get-Help Lock-CsClientPin" in out


def test_unknown_topic_is_powershells_help_not_found_error(run):
    out, err = run("Get-Help Unlock-Everything; 'after'")
    assert out.strip() == "after"
    assert "Get-Help : Get-Help could not find Unlock-Everything in a help file in this session." in err
    assert "HelpNotFound,Microsoft.PowerShell.Commands.GetHelpCommand" in err
    assert "ResourceUnavailable: (:) [Get-Help], HelpNotFoundException" in err


def test_unknown_parameter_is_an_error_not_a_traceback(run):
    _, err = run("Get-Help Lock-CsClientPin -Parameter Nope")
    assert "No parameter matches criteria Nope." in err and "Traceback" not in err


def test_exclusive_views_are_an_ambiguous_parameter_set(run):
    _, err = run("Get-Help Lock-CsClientPin -Full -Examples")
    assert "AmbiguousParameterSet" in err


def test_about_extensions_lists_the_registered_extension_commands(run):
    out, err = run("Get-Help about_csshell_extensions")
    assert err == "" and "TOPIC" in out
    assert "Import-CsDirectory" in out and "{extension_commands}" not in out


def test_about_store_topic_and_wildcard_listing(run):
    out, _ = run("Get-Help about_csshell_store")
    assert "--store" in out and "CSSHELL_STORE" in out
    out, _ = run("Get-Help about_* | ForEach-Object Name")
    assert out.split() == ["about_csshell_extensions", "about_csshell_store"]


def test_wildcard_name_lists_matching_commands(run):
    out, _ = run("Get-Help *ClientPin* | ForEach-Object Name")
    assert out.split() == ["Get-CsClientPinInfo", "Lock-CsClientPin", "Set-CsClientPin", "Unlock-CsClientPin"]


def test_session_function_gets_syntax_only_help_with_zero_based_positions(run):
    out, err = run("function Reset-Pins($Group, [int]$Limit) { }; Get-Help Reset-Pins")
    assert err == ""
    assert "Reset-Pins [[-Group] <Object>] [[-Limit] <Int32>]" in out
    assert "SYNOPSIS" not in out and "<CommonParameters>" not in out
    out, _ = run("Get-Help Reset-Pins -Full")
    assert "Position?                    1" in out and "Position?                    0" in out


def test_every_registered_cmdlet_has_a_synopsis_and_an_example():
    from csshell.runtime.cmdlet import REGISTRY
    mine = [cls for cls in REGISTRY.values() if cls.__module__.split(".")[-1] in
            ("help", "members", "content", "json", "host_io")]
    assert len(mine) == 14
    for cls in mine:
        assert cls.synopsis and cls.examples, cls.name
        assert "SYNTAX" in command_help(cls, "default", 120)


# --- Get-Command ----------------------------------------------------------------------------

def test_get_command_noun_lists_the_pin_cmdlets_as_a_5_1_table(run):
    out, err = run("Get-Command -Noun CsClientPin")
    lines = [line for line in out.splitlines() if line]
    assert lines[0].split() == ["CommandType", "Name", "Version", "Source"]
    assert [line.split()[1] for line in lines[2:]] == ["Lock-CsClientPin", "Set-CsClientPin", "Unlock-CsClientPin"]
    assert all(line.split()[3] == "SkypeForBusiness" for line in lines[2:]) and err == ""


def test_get_command_wildcards_verb_and_command_type(run):
    out, _ = run("(Get-Command -Verb Lock).Name")
    assert out.split() == ["Lock-CsClientPin"]
    out, _ = run("Get-Command *-CsUser | ForEach-Object Name")
    assert out.split() == ["Disable-CsUser", "Enable-CsUser", "Get-CsUser", "Set-CsUser"]
    out, _ = run("Get-Command -CommandType Alias -Name gcm | ForEach-Object { $_.CommandType; $_.ResolvedCommandName }")
    assert out.split() == ["Alias", "Get-Command"]


def test_get_command_lists_aliases_then_functions_then_cmdlets(run):
    out, _ = run("function Get-Thing {}; Get-Command | ForEach-Object CommandType | Get-Unique")
    kinds = out.split()
    assert kinds == sorted(kinds, key=["Alias", "Function", "Cmdlet"].index)
    out, _ = run("(Get-Command Get-Thing).CommandType")
    assert out.strip() == "Function"


def test_get_command_unknown_name_is_not_recognized_error(run):
    out, err = run("Get-Command Get-Nothing; 'after'")
    assert out.strip() == "after"
    assert "Get-Command : The term 'Get-Nothing' is not recognized as the name of a cmdlet" in err
    assert "CommandNotFoundException,Microsoft.PowerShell.Commands.GetCommandCommand" in err


def test_get_command_wildcard_without_match_is_silent(run):
    assert run("Get-Command Nothing-*") == ("", "")


def test_get_command_bad_command_type_is_a_binding_error(run):
    _, err = run("Get-Command -CommandType Gadget")
    assert "Unable to match the identifier name Gadget" in err


def test_get_command_syntax_switch(run):
    out, _ = run("Get-Command Unlock-CsClientPin -Syntax")
    assert out.strip() == "Unlock-CsClientPin [-Identity] <UserIdParameter> [-Force] [-WhatIf] [-Confirm] [<CommonParameters>]"


def test_get_command_honours_the_session_role_filter(engine, run):
    engine.session.command_filter = lambda name: name.lower().startswith("get-")
    out, _ = run("Get-Command -Noun CsClientPin | ForEach-Object Name")
    assert out.split() == []
    _, err = run("Get-Command Lock-CsClientPin")
    assert "is not recognized" in err
    _, err = run("Get-Help Lock-CsClientPin")
    assert "could not find Lock-CsClientPin" in err


def test_command_info_prints_its_name():
    from cmdlets.help import command_info
    info = command_info("Cmdlet", "Get-CsUser", find_cmdlet("Get-CsUser"))
    assert isinstance(info, PSObject) and str(info.tostring) == "Get-CsUser"
    assert info.get("Definition").startswith("Get-CsUser ")


def test_question_mark_parameter_shows_the_help_of_the_command():
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    host = BufferHost()
    assert Engine(host).run_command_text("Lock-CsClientPin -?")
    assert "Lock-CsClientPin [-Identity] <UserIdParameter> [-Force] [-WhatIf] [-Confirm] [<CommonParameters>]" \
        in host.stdout
    assert host.stderr == ""
