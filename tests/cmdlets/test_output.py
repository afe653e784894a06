"""Write-Output, Write-Host, Out-Null, Write-Warning, Write-Verbose and Write-Error."""
from __future__ import annotations

from cmdlets.output import OutNull, WriteError, WriteHost, WriteOutput, WriteVerbose, WriteWarning, host_text
from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.errors import ErrorRecord, render_error
from csshell.runtime.values import PSObject
from utility_fakes import run


def test_write_output_aliases():
    assert find_cmdlet("echo").name == "Write-Output"
    assert find_cmdlet("write").name == "Write-Output"


def test_write_output_enumerates_remaining_arguments():
    assert run(WriteOutput, None, InputObject=["a", "b", ["c", "d"]]).objects == ["a", "b", ["c", "d"]]
    assert run(WriteOutput, None, InputObject=["c", "d"]).objects == ["c", "d"]


def test_write_output_no_enumerate_keeps_the_array_whole():
    ctx = run(WriteOutput, None, InputObject=[1, 2], NoEnumerate=True)
    assert ctx.objects == [[1, 2]]
    assert run(WriteOutput, None, InputObject=[7], NoEnumerate=True).objects == [7]


def test_write_output_passes_piped_objects_through():
    assert run(WriteOutput, [1, "x"]).objects == [1, "x"]


def test_out_null_swallows_everything():
    ctx = run(OutNull, [1, 2, 3])
    assert ctx.objects == [] and ctx.host_lines == []


def test_write_host_joins_arrays_with_separator_and_passes_colors():
    ctx = run(WriteHost, None, Object=["a", 1, True], Separator=", ", ForegroundColor="Red")
    assert ctx.host_lines == [("a, 1, True", "Red", None, True)]
    assert ctx.objects == []


def test_write_host_no_newline_and_empty_call():
    ctx = run(WriteHost, None, Object="x", NoNewline=True)
    assert ctx.host_lines == [("x", None, None, False)]
    assert run(WriteHost, None).host_lines == [("", None, None, True)]


def test_host_text_uses_tostring_of_objects():
    obj = PSObject([("a", 1), ("b", None)])
    assert host_text(obj) == "@{a=1; b=}"
    assert host_text([["x", "y"], "z"], "-") == "x-y-z"


def test_write_warning_and_verbose_go_to_their_streams():
    assert run(WriteWarning, None, Message="PIN expires").warnings == ["PIN expires"]
    assert run(WriteVerbose, None, Message="checking").verbose == ["checking"]


def test_write_error_builds_a_non_terminating_write_error_exception_record():
    ctx = run(WriteError, None, Message="User not found")
    record = ctx.errors[0]
    assert isinstance(record, ErrorRecord)
    assert record.command_name is None
    assert record.fully_qualified_error_id == "Microsoft.PowerShell.Commands.WriteErrorException"
    assert record.category_info == "NotSpecified: (:) [Write-Error], WriteErrorException"
    assert render_error(record).splitlines()[0] == "User not found"


def test_write_error_category_id_and_target():
    ctx = run(WriteError, None, Message="bad", Category="objectnotfound", ErrorId="UserMissing",
              TargetObject="Ken Myer")
    record = ctx.errors[0]
    assert record.fully_qualified_error_id == "UserMissing"
    assert record.category_info == "ObjectNotFound: (Ken Myer:String) [Write-Error], WriteErrorException"


def test_write_error_rewrites_an_existing_record_unchanged():
    original = ErrorRecord("boom", "Boom", command_name="Get-CsUser")
    ctx = run(WriteError, None, ErrorRecord=original, set_name="ErrorRecord")
    assert ctx.errors == [original]
