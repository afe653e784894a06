from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from repl_fakes import FakeEngine

from csshell.repl.completer import ShellCompleter, quote_argument
from csshell.runtime.host import BufferHost


def complete(text, engine=None):
    completer = ShellCompleter(engine or FakeEngine(BufferHost()))
    return [(c.text, c.start_position) for c in completer.get_completions(Document(text), CompleteEvent())]


def texts(text, engine=None):
    return [t for t, _ in complete(text, engine)]


def test_command_names_by_case_insensitive_prefix():
    assert complete("unl") == [("Unlock-CsClientPin", -3)]
    assert texts("get-cs") == ["Get-CsClientPinInfo", "Get-CsUser"]


def test_command_names_by_wildcard():
    assert texts("*-CsClient*") == ["Get-CsClientPinInfo", "Lock-CsClientPin", "Set-CsClientPin",
                                   "Unlock-CsClientPin"]
    assert texts("*pininfo") == ["Get-CsClientPinInfo"]


def test_command_after_pipe_semicolon_and_open_paren():
    assert texts("Get-CsUser | Unl") == ["Unlock-CsClientPin"]
    assert texts("Get-X; Loc") == ["Lock-CsClientPin"]
    assert texts("$u = (Get-CsU") == ["Get-CsUser"]
    assert texts("& Loc") == ["Lock-CsClientPin"]


def test_parameter_names_for_the_segment_command():
    assert complete("Lock-CsClientPin -Id") == [("-Identity", -3)]
    assert texts("Get-CsUser x | Set-CsClientPin -P") == ["-Pin", "-PipelineVariable"]


def test_common_parameters_are_offered():
    assert "-ErrorAction" in texts("Lock-CsClientPin -")
    assert texts("Lock-CsClientPin x -Err") == ["-ErrorAction", "-ErrorVariable"]


def test_parameter_completion_is_case_insensitive_and_keeps_declared_case():
    assert texts("lock-csclientpin -IDE") == ["-Identity"]


def test_unknown_command_gets_no_parameters():
    assert texts("Frob-Thing -Id") == []


def test_identity_values_after_identity_parameter():
    assert complete("Lock-CsClientPin -Identity Ken") == [("'Ken Myer'", -3), ("Kenneth Smith".join("''"), -3)]


def test_identity_value_with_prefix_parameter_and_sip():
    assert texts("Unlock-CsClientPin -Id sip:") == ["sip:kenmyer@litwareinc.com"]


def test_identity_value_keeps_an_opened_double_quote():
    assert texts('Lock-CsClientPin -Identity "Dav') == ['"David Longmuir"']


def test_identity_value_with_single_quote_is_escaped():
    assert texts("Lock-CsClientPin -Identity O") == ["'O''Brien Pat'"]


def test_identity_after_colon_form():
    assert complete("Lock-CsClientPin -Identity:Dav") == [("'David Longmuir'", -3)]


def test_first_positional_argument_is_the_identity():
    assert texts("Get-CsClientPinInfo Dav") == ["'David Longmuir'"]
    assert texts("Get-CsClientPinInfo 'David Longmuir' Dav") == []


def test_values_of_other_parameters_are_not_identities():
    assert texts("Select-Object -Property Ken") == []


def test_failing_engine_completes_nothing():
    class Broken(FakeEngine):
        def command_names(self):
            raise RuntimeError("store unavailable")

        def complete_identity(self, prefix):
            raise RuntimeError("store unavailable")

    broken = Broken(BufferHost())
    assert texts("Get", broken) == []
    assert texts("Lock-CsClientPin -Identity K", broken) == []


def test_quote_argument():
    assert quote_argument("sip:kenmyer@litwareinc.com") == "sip:kenmyer@litwareinc.com"
    assert quote_argument("Ken Myer") == "'Ken Myer'"
    assert quote_argument('Say "hi" $x', '"') == '"Say `"hi`" `$x"'
