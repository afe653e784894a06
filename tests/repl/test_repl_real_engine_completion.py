"""Tab completion and continuation against the real Engine and a store seeded by Import-CsDirectory."""
import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from real_engine import make_engine, seed_store

from csshell.repl.completer import ShellCompleter


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "store.json"
    seed_store(path)
    return path


@pytest.fixture
def engine(store_path):
    engine = make_engine(store_path)
    yield engine
    engine.close()


def complete(engine, text):
    completer = ShellCompleter(engine)
    return [(c.text, c.start_position) for c in completer.get_completions(Document(text), CompleteEvent())]


def texts(engine, text):
    return [t for t, _ in complete(engine, text)]


def test_cmdlet_name_from_its_prefix(engine):
    assert complete(engine, "Lock-Cs") == [("Lock-CsClientPin", -7)]
    assert complete(engine, "unlock-cs") == [("Unlock-CsClientPin", -9)]


def test_cmdlet_names_by_wildcard(engine):
    assert texts(engine, "*-CsClientPin") == ["Lock-CsClientPin", "Set-CsClientPin", "Unlock-CsClientPin"]


def test_aliases_are_completed_with_the_commands(engine):
    assert texts(engine, "sel") == ["select", "Select-Object"]
    assert "ft" in texts(engine, "f")


def test_functions_defined_in_the_session_are_completed(engine):
    assert engine.run_command_text("function Lock-Everyone { Get-CsUser | Lock-CsClientPin }")
    assert texts(engine, "Lock-") == ["Lock-CsClientPin", "Lock-Everyone"]


def test_identity_parameter_from_its_prefix(engine):
    assert complete(engine, "Lock-CsClientPin -Id") == [("-Identity", -3)]


def test_whatif_and_common_parameters(engine):
    assert texts(engine, "Lock-CsClientPin -Wh") == ["-WhatIf"]
    assert texts(engine, "Lock-CsClientPin 'Ken Myer' -Err") == ["-ErrorAction", "-ErrorVariable"]
    offered = texts(engine, "Unlock-CsClientPin -")
    for name in ("-Identity", "-WhatIf", "-Confirm", "-Verbose", "-ErrorAction", "-OutVariable"):
        assert name in offered


def test_parameters_of_an_alias_are_those_of_its_command(engine):
    assert texts(engine, "Get-CsUser | select -Fi") == ["-First"]


def test_parameters_of_the_command_after_a_pipe(engine):
    assert texts(engine, "Get-CsUser | Set-CsClientPin -Pi") == ["-Pin", "-PipelineVariable"]


def test_identity_values_are_display_names_of_enabled_users(engine):
    assert complete(engine, "Lock-CsClientPin -Identity Ken") == [
        ("'Ken Myer'", -3), ("'Ken Myers'", -3), ("'Ken Myerson'", -3)]


def test_identity_values_skip_users_not_enabled_for_skype(engine):
    # "Building 14 Lobby" and "Temp Contractor" have no SIP address in the example directory
    assert texts(engine, "Get-CsClientPinInfo -Identity B") == []
    assert texts(engine, "Get-CsClientPinInfo -Identity Te") == []


def test_identity_values_are_offered_once_even_when_two_users_share_a_name(engine):
    assert texts(engine, "Unlock-CsClientPin -Identity Chr") == ["'Chris Cannon'"]


def test_identity_value_by_sip_address(engine):
    assert texts(engine, "Unlock-CsClientPin -Id sip:kenmyer") == [
        "sip:kenmyer@litwareinc.com", "sip:kenmyers@litwareinc.com", "sip:kenmyerson@litwareinc.com"]
    assert texts(engine, "Unlock-CsClientPin -Id SIP:PIL") == ["sip:pilar@litwareinc.com"]


def test_identity_as_first_positional_argument_and_colon_form(engine):
    assert texts(engine, "Get-CsClientPinInfo Dav") == ["'David Longmuir'"]
    assert complete(engine, "Lock-CsClientPin -Identity:Aid") == [("'Aidan Delaney'", -3)]
    assert texts(engine, 'Set-CsClientPin -Identity "Pil') == ['"Pilar Ackerman"']


def test_completed_identity_binds_when_run(engine):
    line = "Get-CsClientPinInfo -Identity " + texts(engine, "Get-CsClientPinInfo -Identity Aid")[0]
    assert engine.run_command_text(line)
    assert "sip:aidan@litwareinc.com" in engine.host.stdout


def test_completion_never_changes_the_store(engine, store_path):
    before = store_path.read_bytes()
    texts(engine, "Lock-CsClientPin -Identity K")
    texts(engine, "Lock-CsClientPin -")
    assert store_path.read_bytes() == before


@pytest.mark.parametrize("text", [
    "foreach ($u in Get-CsUser) {",
    'Get-CsClientPinInfo "Ken',
    "$names = @'",
    "Get-CsUser |",
    "Get-CsUser `",
    "$u = (Get-CsUser",
])
def test_the_engine_says_unfinished_input_is_incomplete(engine, text):
    assert engine.is_incomplete(text)


@pytest.mark.parametrize("text", ["Get-CsUser", "Get-CsClientPinInfo 'Ken Myer'", "}",
                                  "Get-CsUser | Get-CsClientPinInfo"])
def test_the_engine_runs_finished_or_broken_input(engine, text):
    assert not engine.is_incomplete(text)
