"""Format-Table, Format-List, Out-String, Out-Host and Out-Default, run through their lifecycle."""
from __future__ import annotations

import pytest

from cmdlets.format import FormatList, FormatTable, OutDefault, OutHost, OutString
from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.errors import INVALID_ARGUMENT, PSError
from csshell.runtime.formatting import FormattedText
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock


class FakeHost:
    width = 120


class FakeSession:
    def __init__(self, width: int = 120, limit: int = 4) -> None:
        self.host = FakeHost()
        self.host.width = width
        self.variables = {"FormatEnumerationLimit": limit}


class FakeContext:
    """A command context that records what the cmdlet writes; script blocks run Python functions."""

    def __init__(self, blocks: dict | None = None, session: FakeSession | None = None) -> None:
        self.input_object = None
        self.command_name = ""
        self.objects: list = []
        self.host_text: list[str] = []
        self.blocks = blocks or {}
        self._session = session or FakeSession()

    @property
    def session(self):
        return self._session

    def write_object(self, value, enumerate_collection=False):
        self.objects.append(value)

    def write_host(self, text, foreground=None, background=None, newline=True):
        self.host_text.append(text + ("\n" if newline else ""))

    def throw_error(self, record):
        raise PSError(record)

    def invoke_script_block(self, block, dollar_under=None, args=(), use_new_scope=True):
        return [self.blocks[block.text](dollar_under)]


def run(command_class, inputs, ctx=None, **params):
    """Bind named parameters, then begin / process per piped object / end, as the pipeline does."""
    ctx = ctx or FakeContext()
    command = command_class()
    for name, value in params.items():
        setattr(command, name, value)
        command.bound[name] = value
    command.begin(ctx)
    for item in inputs:
        ctx.input_object = item
        command.InputObject = item
        command.process(ctx)
    command.end(ctx)
    return ctx


def users():
    return [PSObject({"DisplayName": n, "SipAddress": f"sip:{n.lower()}@litwareinc.com", "Title": "Manager",
                      "Department": "Finance", "Enabled": True}) for n in ("Ann", "Bartholomew")]


def test_aliases_resolve_to_the_format_cmdlets():
    assert find_cmdlet("ft") is FormatTable
    assert find_cmdlet("FL") is FormatList
    assert find_cmdlet("oh") is OutHost
    assert find_cmdlet("Out-Default") is OutDefault


def test_format_table_collects_all_input_and_writes_one_formatted_text():
    ctx = run(FormatTable, users(), Property=["DisplayName", "Title"], AutoSize=True)
    assert ctx.objects == [FormattedText("\nDisplayName Title\n----------- -----\nAnn         Manager\n"
                                         "Bartholomew Manager\n\n\n")]


def test_format_table_calculated_property_from_script_block():
    ctx = FakeContext({"$_.DisplayName.Length": lambda o: len(o.get("DisplayName"))})
    run(FormatTable, users(), ctx, Property=[PSHashtable([("Label", "Len"),
                                                          ("Expression", ScriptBlock("$_.DisplayName.Length", None))])])
    assert ctx.objects[0].text.split("\n")[1:5] == ["Len", "---", "  3", " 11"]


def test_format_table_without_input_writes_nothing():
    assert run(FormatTable, []).objects == []


def test_format_table_bad_key_is_a_terminating_error_naming_the_cmdlet():
    with pytest.raises(PSError) as caught:
        run(FormatTable, users(), Property=[PSHashtable([("Expression", "Title"), ("Colour", "red")])])
    record = caught.value.record
    assert record.message == "The Colour key is not valid."
    assert record.category == INVALID_ARGUMENT
    assert record.fully_qualified_error_id == "DictionaryKeyIllegal,Microsoft.PowerShell.Commands.FormatTableCommand"
    assert record.category_info == "InvalidArgument: (:) [Format-Table], NotSupportedException"


def test_format_list_rejects_table_only_keys():
    with pytest.raises(PSError) as caught:
        run(FormatList, users(), Property=[PSHashtable([("Expression", "Title"), ("Width", 5)])])
    assert caught.value.record.message == "The Width key is not valid."


def test_format_list_star_shows_every_property():
    ctx = run(FormatList, users()[:1], Property=["*"])
    assert ctx.objects[0].text == ("\n\nDisplayName : Ann\nSipAddress  : sip:ann@litwareinc.com\nTitle       : Manager\n"
                                   "Department  : Finance\nEnabled     : True\n\n\n\n")


def test_format_list_uses_session_enumeration_limit():
    ctx = FakeContext(session=FakeSession(limit=2))
    run(FormatList, [PSObject({"Pools": ["a", "b", "c"]})], ctx)
    assert "Pools : {a, b...}" in ctx.objects[0].text


def pools():
    return [PSObject({"DisplayName": n, "RegistrarPool": p}) for n, p in
            (("Ann", "pool01"), ("Bartholomew", "POOL01"), ("Cy", "pool02"), ("Dee", "pool01"))]


def test_format_table_group_by_starts_a_group_whenever_the_value_changes():
    """Consecutive runs (no sorting; equal ignoring case), each under '   Name: value' framed by blank
    lines, each repeating the header; the columns are as wide for every group."""
    ctx = run(FormatTable, pools(), Property=["DisplayName", "RegistrarPool"], GroupBy="RegistrarPool")
    head = "DisplayName RegistrarPool\n----------- -------------\n"
    assert ctx.objects == [FormattedText(
        "\n"
        f"\n   RegistrarPool: pool01\n\n{head}Ann         pool01\nBartholomew POOL01\n\n"
        f"\n   RegistrarPool: pool02\n\n{head}Cy          pool02\n\n"
        f"\n   RegistrarPool: pool01\n\n{head}Dee         pool01\n\n"
        "\n")]


def test_format_list_group_by_with_a_labelled_calculated_key():
    ctx = FakeContext({"$_.RegistrarPool.ToUpper()": lambda o: o.get("RegistrarPool").upper()})
    key = PSHashtable([("Label", "Pool"), ("Expression", ScriptBlock("$_.RegistrarPool.ToUpper()", None))])
    run(FormatList, pools()[2:], ctx, Property=["DisplayName"], GroupBy=key)
    assert ctx.objects[0].text == ("\n"
                                   "\n   Pool: POOL02\n\n\nDisplayName : Cy\n\n\n"
                                   "\n   Pool: POOL01\n\n\nDisplayName : Dee\n\n\n"
                                   "\n")


def test_format_table_group_by_script_block_is_labelled_with_its_text():
    ctx = FakeContext({" $_.DisplayName.Length ": lambda o: len(o.get("DisplayName"))})
    run(FormatTable, pools()[2:], ctx, Property=["DisplayName"], GroupBy=ScriptBlock(" $_.DisplayName.Length ", None))
    assert "\n   $_.DisplayName.Length: 2\n\n" in ctx.objects[0].text
    assert "\n   $_.DisplayName.Length: 3\n\n" in ctx.objects[0].text


def test_format_table_group_by_bad_key_is_a_terminating_error_before_any_input():
    with pytest.raises(PSError) as caught:
        run(FormatTable, [], GroupBy=PSHashtable([("Expression", "RegistrarPool"), ("Width", 5)]))
    assert caught.value.record.message == "The Width key is not valid."
    assert caught.value.record.fully_qualified_error_id == \
        "DictionaryKeyIllegal,Microsoft.PowerShell.Commands.FormatTableCommand"


def test_out_string_returns_the_rendered_text_as_one_string():
    ctx = run(OutString, [PSObject({"A": 1}), PSObject({"A": 22}), "tail"])
    assert ctx.objects == ["\n A\n -\n 1\n22\n\n\ntail\n"]


def test_out_string_stream_writes_one_string_per_line():
    ctx = run(OutString, [PSObject({"A": 1}), "tail"], Stream=True)
    assert ctx.objects == ["", "A", "-", "1", "", "", "tail"]


def test_out_string_width_truncates_tables():
    ctx = run(OutString, [PSObject({"Name": "n", "Text": "t" * 50})], Width=20)
    assert ctx.objects[0].split("\n")[3] == "n    ttttttttttt..."


def test_out_string_width_renders_a_format_table_again_at_that_width():
    """``| Format-Table -AutoSize | Out-String -Width 250``: the usual way to avoid cut columns."""
    wide = [PSObject({"Name": "n", "Text": "t" * 150})]
    table = run(FormatTable, wide, AutoSize=True).objects                 # rendered for a 120-wide console
    assert max(len(line) for line in table[0].text.split("\n")) == 119
    ctx = run(OutString, table, Width=250)
    assert ctx.objects[0].split("\n")[3] == "n    " + "t" * 150


def test_out_string_prints_format_table_output_verbatim():
    table = run(FormatTable, users(), Property=["DisplayName"]).objects
    ctx = run(OutString, table)
    assert ctx.objects == ["\nDisplayName\n-----------\nAnn\nBartholomew\n\n\n"]


def test_out_host_writes_formatted_text_to_the_host_not_the_pipeline():
    ctx = run(OutHost, ["x", PSObject({"A": 1})])
    assert ctx.objects == []
    assert "".join(ctx.host_text) == "x\n\nA\n-\n1\n\n\n"


def test_out_default_behaves_like_out_host():
    ctx = run(OutDefault, [True, None, 3])
    assert "".join(ctx.host_text) == "True\n3\n"
