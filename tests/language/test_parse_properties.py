"""Property: whatever text comes in, ``parse`` returns a tree or raises ParseErrors, never anything else.

Bad input must become a PowerShell error record, never a Python traceback; deep nesting must be a
parse error, not a RecursionError.
"""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csshell.language.parse_errors import ParseErrors
from csshell.language.parser import is_incomplete, parse

VALID_SCRIPTS = [
    'Get-CsUser -Filter {DisplayName -eq "Ken Myer"} | Lock-CsClientPin',
    "Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin -Confirm:$false",
    "$h = @{Identity='Ken Myer'; Pin='0123'}\nSet-CsClientPin @h",
    "foreach ($u in Get-CsUser) {\n  if ($u.Enabled -and -not $u.Locked) { \"$($u.Name): ok\" }\n  else { $u }\n}",
    "try { throw 'x' } catch [System.Exception] { $_.Exception.Message } finally { 'done' }",
    "function Reset-Pin { [CmdletBinding()] param([Parameter(Mandatory)][string]$Identity) process { $Identity } }",
    "$a, $b = 1, 2; $a += 0x10; [int]$c = '5' -f 1kb; $d = @(1..3)[-1]",
    "@\"\nHello $name `t $(Get-Date)\n\"@ | Out-String",
    "switch -Wildcard ($x) { 'a*' { 1 } default { 2 } }\ndo { $i++ } until ($i -ge 3)",
    "Write-Output a#b <# c #> 'd''e' \u201csmart\u201d \u2013Name x `\n  y",
]
ALPHABET = st.characters(blacklist_categories=("Cs",))
FRAGMENTS = st.sampled_from(["{", "}", "(", ")", "@(", "$(", "@{", '"', "'", '@"\n', "\n\"@", "|", "`", "`\n",
                             "<#", "#>", "#", ",", ";", "\n", "$", "@", "-", "--", "&&", "||", "=", "[", "]",
                             ".", "::", "-eq", "-not", "!", "+", "2>&1", "param(", "function", "if", "else",
                             "try", "catch", "\u201c", "\u2013", "${", "$env:", "0x", "1kb"])


def _parses_or_reports(text: str) -> None:
    try:
        parse(text)
    except ParseErrors as errors:
        error = errors.errors[0]
        assert error.error_id and error.message
        assert 0 <= error.extent.start <= error.extent.end <= len(text)
    is_incomplete(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(ALPHABET, max_size=60))
def test_random_text_never_crashes_the_parser(text):
    _parses_or_reports(text)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(VALID_SCRIPTS), st.lists(st.tuples(st.integers(0, 400), st.integers(0, 3), FRAGMENTS),
                                                 min_size=1, max_size=4))
def test_mutated_scripts_never_crash_the_parser(script, edits):
    for position, delete, fragment in edits:
        at = position % (len(script) + 1)
        script = script[:at] + fragment + script[at + delete:]
    _parses_or_reports(script)


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(["(", "{", "$(", "@(", "@{a=", "[", "-not ", "!", ",", '"$(', "if ($x) {", "$a."]),
       st.integers(100, 1500))
def test_deep_nesting_is_a_parse_error_not_a_crash(opener, depth):
    _parses_or_reports(opener * depth)


def test_valid_corpus_parses():
    for script in VALID_SCRIPTS:
        parse(script)
