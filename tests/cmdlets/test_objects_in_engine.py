"""The object cmdlets and .NET values through the real engine: parsing, binding and output together."""
from __future__ import annotations







def test_foreach_member_form_passes_the_remaining_arguments_to_the_method(run):
    out, err = run('"a,b", "c;d" | ForEach-Object Split ",;"')
    assert out.split() == ["a", "b", "c", "d"] and err == ""


def test_foreach_member_method_failure_is_reported_per_object(run):
    out, err = run('"abc", "abcdef" | % Substring 4; "after"')
    assert out.split() == ["ef", "after"]
    assert "ForEach-Object : Exception calling \"Substring\" with \"1\" argument(s)" in err
    assert "MethodInvocationError,Microsoft.PowerShell.Commands.ForEachObjectCommand" in err


def test_dotnet_values_interpolate_with_their_own_tostring(run):
    out, err = run('"$([regex]::Match(\'Ken 42\', \'\\d+\'))|$(@{a=1}.GetEnumerator())"')
    assert out.strip() == "42|System.Collections.DictionaryEntry" and err == ""


def test_generic_list_names_its_type_in_errors(run):
    out, err = run("$l = [System.Collections.Generic.List[string]]::new(); $l.Add('x'); $l.Foo()")
    assert ("Method invocation failed because [System.Collections.Generic.List`1[System.String]] does not "
            "contain a method named 'Foo'.") in err


def test_select_sort_group_measure_still_registered_after_the_split(run):
    out, err = run("3, 1, 2, 1 | Sort-Object -Unique | Select-Object -First 2; "
                   "(1, 1, 2 | Group-Object).Count; (1, 2, 3 | Measure-Object -Sum).Sum")
    assert out.split() == ["1", "2", "2", "6"] and err == ""


def test_piped_hashtables_show_their_dotnet_properties_not_their_keys_as_in_51(run):
    """Windows PowerShell 5.1's Select-, Sort- and Measure-Object see a hashtable's .NET properties
    (Count, Keys...), never its keys (PowerShell 6 changed that: PowerShell/PowerShell#6934)."""
    out, err = run('@{a=1; b=2} | Select-Object a, Count | ForEach-Object { "a=[$($_.a)] count=$($_.Count)" }')
    assert out.strip() == "a=[] count=2" and err == ""
    out, err = run("@{a=2}, @{a=1}, @{a=3} | Sort-Object a | ForEach-Object { $_.a }")
    assert out.split() == ["2", "1", "3"] and err == ""          # no key to sort by: input order kept
    out, err = run("@{a=1} | Select-Object -ExpandProperty a")
    assert out == "" and 'Property "a" cannot be found.' in err
    out, err = run("@{a=1}, @{a=3} | Measure-Object a -Sum")
    assert 'The property "a" cannot be found in the input for any objects.' in err


def test_calculated_properties_and_foreach_member_still_read_hashtable_keys(run):
    """What 5.1 scripts use instead: calculated properties, and ForEach-Object's member form (a key first)."""
    out, err = run('@{a=2}, @{a=1} | Sort-Object @{e={$_.a}} | Select-Object @{n="a"; e={$_.a}} | '
                   'ForEach-Object { $_.a }; @{a=7} | ForEach-Object a')
    assert out.split() == ["1", "2", "7"] and err == ""


def test_write_debug_and_write_information_follow_their_preferences(run):
    """Silent by default as in 5.1; -Debug / $DebugPreference show 'DEBUG: ...' on the error stream,
    -InformationAction / $InformationPreference show the message as plain output."""
    out, err = run('Write-Debug "a"; Write-Information "i1"; Write-Debug "b" -Debug; '
                   'Write-Information "i2" -InformationAction Continue; $DebugPreference = "Continue"; '
                   '$InformationPreference = "Continue"; "c" | Write-Debug; Write-Information "i3"')
    assert out.split() == ["i2", "i3"]
    assert err.splitlines() == ["DEBUG: b", "DEBUG: c"]


def test_streams_3_to_6_sent_to_null_are_silent_also_inside_called_functions(run):
    """``*>$null``, ``3>$null`` (warning), ``4>`` (verbose), ``5>`` (debug), ``6>`` (information and
    Write-Host, which writes to the information stream since 5.0)."""
    out, err = run('Write-Host h1 *>$null; Write-Host h2 6>$null; Write-Warning w1 3>$null; '
                   'Write-Verbose v -Verbose 4>$null; Write-Debug d -Debug 5>$null; '
                   'function f { Write-Host "in f"; Write-Warning "wf"; "out" }; f 6>$null; Write-Host shown')
    assert out.split() == ["out", "shown"]
    assert err.splitlines() == ["WARNING: wf"]
