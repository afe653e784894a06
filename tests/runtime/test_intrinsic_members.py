"""``$x.PSObject`` and ``$x.pstypenames``: the intrinsic members PowerShell adds to every object."""
from __future__ import annotations

from csshell.remote.wire import decode_value, encode_value
from csshell.runtime.expressions import member_value
from csshell.runtime.values import PSObject
from test_interpreter_support import Shell, make_shell, shell, store_file  # noqa: F401


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.strip().splitlines()]


def test_type_names_of_plain_values(shell: Shell) -> None:
    assert shell.run("(Get-Date).PSObject.TypeNames[0]; 'x'.pstypenames -join ','; (5).PSObject.TypeNames -join ','; "
                     "@(1,2).pstypenames -join ','; @{a=1}.pstypenames -join ','; "
                     "([pscustomobject]@{a=1}).pstypenames -join ','; $null -eq $null.PSObject")
    assert lines(shell.out) == ["System.DateTime", "System.String,System.Object",
                                "System.Int32,System.ValueType,System.Object",
                                "System.Object[],System.Array,System.Object",
                                "System.Collections.Hashtable,System.Object",
                                "System.Management.Automation.PSCustomObject,System.Object", "True"]
    assert shell.err == ""


def test_properties_of_a_custom_object(shell: Shell) -> None:
    assert shell.run("$o = [pscustomobject]@{a=1; b='x'}; "
                     "$o.PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value) $($_.MemberType) "
                     "$($_.TypeNameOfValue)\" }; $o.PSObject.Properties.Name -join ','; "
                     "$o.PSObject.Properties['A'].Value = 7; $o.a; $o.PSObject.BaseObject.b")
    assert lines(shell.out) == ["a=1 NoteProperty System.Int32", "b=x NoteProperty System.String", "a,b", "7", "x"]


def test_psobject_copy_is_a_shallow_copy(shell: Shell) -> None:
    assert shell.run("$o = [pscustomobject]@{a=1}; $c = $o.PSObject.Copy(); $c.a = 2; \"$($o.a) $($c.a)\"")
    assert shell.out.strip() == "1 2"


def test_cmdlet_output_and_string_properties(shell: Shell) -> None:
    assert shell.run("(Get-CsUser 'Ken Myer').pstypenames[-1]; "
                     "'abc'.PSObject.Properties | % { $_.Name + '=' + $_.Value }")
    assert lines(shell.out) == ["System.Object", "Length=3"]


def test_deserialized_objects_keep_their_deserialized_type_names() -> None:
    obj = decode_value(encode_value(PSObject([("a", 1)], ["Microsoft.Rtc.Management.ADConnect.Schema.ADUser"])))
    names = member_value(obj, "pstypenames")
    assert names[0] == "Deserialized.Microsoft.Rtc.Management.ADConnect.Schema.ADUser"
    assert names[-1] == "Deserialized.System.Object"
    assert member_value(obj, "PSObject").get("TypeNames") == names
