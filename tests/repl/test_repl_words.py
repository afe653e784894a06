from csshell.repl.words import scan


def texts(segment):
    return [w.text for w in segment.words]


def test_pipeline_and_statements_split_into_segments():
    found = scan('Get-CsUser "Ken Myer" | Lock-CsClientPin; Get-X')
    assert [texts(s) for s in found.segments] == [["Get-CsUser", '"Ken Myer"'], ["Lock-CsClientPin"], ["Get-X"]]
    assert found.current.command_name == "Get-X"


def test_group_is_one_word_outside_and_a_segment_inside():
    found = scan('Lock-CsClientPin -Identity (Get-CsUser "a b").SipAddress -Id')
    outer = next(s for s in found.segments if s.depth == 0)
    assert texts(outer) == ["Lock-CsClientPin", "-Identity", '(Get-CsUser "a b").SipAddress', "-Id"]
    inner = next(s for s in found.segments if s.depth == 1)
    assert inner.command_name == "Get-CsUser"


def test_open_group_makes_the_inner_command_current():
    found = scan("$u = (Get-CsUser -Ide")
    assert found.current.command_name == "Get-CsUser"
    assert found.ends_in_word
    assert found.current.words[-1].text == "-Ide"


def test_unterminated_quote_is_an_open_word():
    found = scan('Unlock-CsClientPin -Identity "Ken M')
    last = found.current.words[-1]
    assert last.text == '"Ken M' and not last.closed and found.ends_in_word


def test_trailing_space_means_a_new_word():
    found = scan("Lock-CsClientPin ")
    assert not found.ends_in_word


def test_comments_and_backtick_continuation():
    found = scan("Set-CsClientPin `\n -Identity x # -Pin 1234")
    assert texts(found.segments[0]) == ["Set-CsClientPin", "-Identity", "x"]


def test_parameter_word_parts():
    word = scan("X -Pin:'1234'").segments[0].words[1]
    assert word.is_parameter and word.parameter_name == "Pin" and word.attached_value == "'1234'"
    negative = scan("X -5").segments[0].words[1]
    assert not negative.is_parameter


def test_call_operator_is_skipped():
    found = scan("& Set-CsClientPin x 1")
    assert found.segments[0].command_name == "Set-CsClientPin"
    assert [w.text for w in found.segments[0].arguments] == ["x", "1"]
