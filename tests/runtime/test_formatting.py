"""Out-Default rendering: the exact text Windows PowerShell 5.1 prints for objects, tables and lists."""
from __future__ import annotations

import datetime as dt

import pytest

from csshell.runtime.errors import INVALID_ARGUMENT, ErrorRecord, PSError
from csshell.runtime.formatting import (FormattedText, OutputFormatter, cell_text, display_properties,
                                        render_list, render_stream, render_table, session_format_settings)
from csshell.runtime.format_properties import apply_format_string
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock, format_datetime

PIN_INFO = "Microsoft.Rtc.Management.UserPinService.PinInfoDetails"


def normalise(text: str) -> str:
    """What the acceptance runner compares: trailing spaces dropped, blank runs folded, ends trimmed."""
    out: list[str] = []
    for line in (line.rstrip() for line in text.split("\n")):
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def pin_info(locked: bool = True) -> PSObject:
    return PSObject([("Identity", "sip:kenmyer@litwareinc.com"), ("IsPinSet", True), ("IsLockedOut", locked),
                     ("LastPinChangeTime", dt.datetime(2026, 3, 14, 9, 30)), ("PinExpirationTime", None)],
                    [PIN_INFO])


def cs_user(name: str, sip: str) -> PSObject:
    return PSObject([("Identity", f"CN={name},OU=Users,DC=litwareinc,DC=com"), ("DisplayName", name),
                     ("SipAddress", sip), ("Enabled", True), ("RegistrarPool", "pool01.litwareinc.com")],
                    ["Microsoft.Rtc.Management.ADConnect.Schema.OCSADUser"])


class FakeContext:
    """Evaluates script blocks with Python functions keyed by the block's text."""

    def __init__(self, blocks: dict[str, object]) -> None:
        self.blocks = blocks

    def invoke_script_block(self, block, dollar_under=None, args=(), use_new_scope=True):
        result = self.blocks[block.text](dollar_under)
        return result if isinstance(result, list) else [result]


# --- acceptance case 01 / 09 ------------------------------------------------------------------

def test_pin_info_with_five_properties_prints_as_list_like_case_01():
    formatter = OutputFormatter()
    text = formatter.feed(pin_info()) + formatter.feed(False) + formatter.flush()
    assert text == ("\n\nIdentity          : sip:kenmyer@litwareinc.com\n"
                    "IsPinSet          : True\n"
                    "IsLockedOut       : True\n"
                    "LastPinChangeTime : 3/14/2026 9:30:00 AM\n"
                    "PinExpirationTime : \n\n\n\nFalse\n")
    assert normalise(text) == ("Identity          : sip:kenmyer@litwareinc.com\nIsPinSet          : True\n"
                               "IsLockedOut       : True\nLastPinChangeTime : 3/14/2026 9:30:00 AM\n"
                               "PinExpirationTime :\n\nFalse")


def test_explicit_table_of_users_matches_case_09():
    users = [cs_user("Ken Myer", "sip:kenmyer@litwareinc.com"), cs_user("Ken Myers", "sip:kenmyers@litwareinc.com"),
             cs_user("Ken Myerson", "sip:kenmyerson@litwareinc.com")]
    text = render_table(users, ["DisplayName", "SipAddress"], autosize=True)
    assert text == ("\nDisplayName SipAddress\n"
                    "----------- ----------\n"
                    "Ken Myer    sip:kenmyer@litwareinc.com\n"
                    "Ken Myers   sip:kenmyers@litwareinc.com\n"
                    "Ken Myerson sip:kenmyerson@litwareinc.com\n\n\n")


# --- scalars ------------------------------------------------------------------------------------

def test_scalars_print_one_per_line_and_null_prints_nothing():
    formatter = OutputFormatter()
    out = "".join(formatter.feed(v) for v in ["abc", 42, 2.5, True, None, dt.datetime(2026, 3, 14, 15, 5, 7),
                                               dt.timedelta(hours=1, minutes=2), ""])
    assert out + formatter.flush() == "abc\n42\n2.5\nTrue\n3/14/2026 3:05:07 PM\n01:02:00\n\n"


def test_lists_are_enumerated_element_by_element():
    formatter = OutputFormatter()
    assert formatter.feed([1, [2, 3], None, "x"]) + formatter.flush() == "1\n2\n3\nx\n"


def test_arbitrary_python_object_prints_its_str():
    class Thing:
        def __str__(self) -> str:
            return "a thing"
    assert render_stream([Thing()]) == "a thing\n"


def test_error_record_prints_in_normal_view():
    record = ErrorRecord("Management object not found for identity \"x\".", "Oops", INVALID_ARGUMENT,
                         command_name="Get-CsUser")
    text = render_stream([record])
    assert text.startswith('Get-CsUser : Management object not found for identity "x".\n')
    assert "    + FullyQualifiedErrorId : Oops\n" in text


# --- tables -------------------------------------------------------------------------------------

def test_small_objects_share_one_table_buffered_until_flush():
    formatter = OutputFormatter()
    assert formatter.feed(PSObject({"Name": "a", "Size": 5})) == ""
    assert formatter.feed(PSObject({"Name": "bbbbbb", "Size": 12345})) == ""
    assert formatter.flush() == "\nName    Size\n----    ----\na          5\nbbbbbb 12345\n\n\n"


def test_numbers_right_aligned_with_header_and_dashes():
    text = render_table([PSObject({"Count": 1234567, "Name": "x"})])
    assert text.split("\n")[1:4] == ["  Count Name", "  ----- ----", "1234567 x"]


def test_booleans_are_right_aligned_and_strings_left():
    # PowerShell's ComputeDefaultAlignment: System.Boolean is in DefaultScalarTypes, so it goes right
    text = render_table([PSObject({"Enabled": True, "N": "x"}), PSObject({"Enabled": False, "N": "y"})])
    assert text.split("\n")[1:5] == ["Enabled N", "------- -", "   True x", "  False y"]


def test_the_first_row_decides_alignment():
    text = render_table([PSObject({"Count": None, "N": "x"}), PSObject({"Count": 12, "N": "y"})])
    assert text.split("\n")[4] == "12    y"


def test_wide_cells_are_truncated_to_the_console_width():
    obj = PSObject({"Name": "short", "Description": "d" * 100})
    lines = render_table([obj], width=40).split("\n")
    assert lines[3] == "short " + "d" * 30 + "..."
    assert all(len(line) <= 39 for line in lines)


def test_table_that_cannot_fit_drops_right_hand_columns():
    obj = PSObject({"A": "x" * 10, "B": "y" * 10, "C": "z" * 10, "D": "w" * 10})
    lines = render_table([obj], width=12).split("\n")
    assert lines[1].split() == ["A", "B"]
    assert all(len(line) <= 11 for line in lines)


def test_shape_change_ends_the_table_with_two_blank_lines():
    formatter = OutputFormatter()
    formatter.feed(PSObject({"A": 1}))
    out = formatter.feed(PSObject({"B": 2}, ["Other.Type"]))
    assert out == "\nA\n-\n1\n\n\n"
    assert formatter.feed("done") == "\nB\n-\n2\n\n\ndone\n"
    assert formatter.flush() == ""


def test_same_type_with_other_properties_starts_a_new_table():
    text = render_stream([PSObject({"A": 1}), PSObject({"B": 2})])
    assert normalise(text) == "A\n-\n1\n\nB\n-\n2"


def test_list_object_after_table_closes_the_table_first():
    text = render_stream([PSObject({"A": 1}), pin_info()])
    assert text.startswith("\nA\n-\n1\n\n\n\n\nIdentity          : sip:")


def test_hashtable_prints_name_value_table_with_30_wide_name_column():
    table = PSHashtable([("Identity", "Ken Myer"), ("Pin", 12345)])
    assert render_stream([table]) == ("\nName                           Value\n"
                                      "----                           -----\n"
                                      "Identity                       Ken Myer\n"
                                      "Pin                            12345\n\n\n")


def test_calculated_properties_use_the_script_block_and_label():
    ctx = FakeContext({"$_.Size * 2": lambda o: o.get("Size") * 2, " $_.Name.ToUpper() ": lambda o: o.get("Name").upper()})
    rows = [PSObject({"Name": "ab", "Size": 3}), PSObject({"Name": "c", "Size": 50})]
    props = ["Name", PSHashtable([("N", "Double"), ("E", ScriptBlock("$_.Size * 2", None))]),
             ScriptBlock(" $_.Name.ToUpper() ", None)]
    text = render_table(rows, props, ctx=ctx)
    assert text.split("\n")[1:5] == ["Name Double $_.Name.ToUpper()", "---- ------ -----------------",
                                     "ab        6 AB", "c       100 C"]


def test_calculated_property_width_alignment_and_format_string():
    rows = [PSObject({"Name": "x", "Ratio": 0.5})]
    props = [PSHashtable([("Label", "Name"), ("Expression", "Name"), ("Width", 6), ("Alignment", "Right")]),
             PSHashtable([("Name", "Ratio"), ("Expression", "Ratio"), ("FormatString", "P0")])]
    assert render_table(rows, props).split("\n")[1:4] == ["  Name Ratio", "  ---- -----", "     x  50 %"]


def test_script_block_errors_leave_the_cell_empty():
    def boom(_):
        raise PSError(ErrorRecord("bad", "Bad"))
    text = render_table([PSObject({"A": 1})], ["A", ScriptBlock("boom", None)], ctx=FakeContext({"boom": boom}))
    assert text.split("\n")[3] == "1"


@pytest.mark.parametrize("item, message", [
    (PSHashtable([("Name", "x"), ("Foo", 1), ("Expression", "x")]), "The Foo key is not valid."),
    (PSHashtable([("Name", "x")]), "A mandatory entry for expression is missing."),
    (PSHashtable([("N", "x"), ("Label", "y"), ("E", "x")]), 'The duplicated key "Label" conflicts with "N".'),
    (PSHashtable([("E", "x"), ("Width", 0)]), 'The value "0" for key "width" should be greater than 0.'),
    (PSHashtable([("E", "x"), ("Alignment", "Middle")]),
     'The value "Middle" for key "alignment" is not valid; valid values are Left, Center, Right.'),
    (42, "Cannot convert System.Int32 to one of the following types "
         "{System.String, System.Management.Automation.ScriptBlock}."),
])
def test_bad_property_items_raise_error_records(item, message):
    with pytest.raises(PSError) as caught:
        render_table([PSObject({"x": 1})], [item])
    assert caught.value.record.message == message
    assert caught.value.record.category == INVALID_ARGUMENT


def test_wildcards_expand_against_the_first_object_and_missing_names_give_empty_columns():
    obj = PSObject({"DisplayName": "Ken", "DisplayTitle": "Boss", "Sip": "s"})
    text = render_table([obj], ["display*", "Missing"])
    assert text.split("\n")[1:4] == ["DisplayName DisplayTitle Missing", "----------- ------------ -------",
                                     "Ken         Boss"]


def test_hide_table_headers_and_wrap():
    obj = PSObject({"A": "one two three four", "B": 1})
    assert render_table([obj], hide_headers=True) == "\none two three four 1\n\n\n"
    wrapped = render_table([obj], [PSHashtable([("E", "A"), ("Width", 7)]), "B"], wrap=True)
    assert wrapped.split("\n")[3:6] == ["one two 1", "three", "four"]


# --- cells --------------------------------------------------------------------------------------

def test_collections_in_cells_obey_the_enumeration_limit():
    assert cell_text([1, 2, 3, 4, 5]) == "{1, 2, 3, 4...}"
    assert cell_text(["a", "b", "c", "d"]) == "{a, b, c, d}"
    assert cell_text([1, 2, 3], limit=2) == "{1, 2...}"
    assert cell_text([1, 2, 3], limit=-1) == "{1, 2, 3}"
    assert cell_text([]) == "{}"
    assert cell_text([[1, 2], None]) == "{System.Object[], }"


def test_output_formatter_uses_its_enumeration_limit():
    formatter = OutputFormatter(enumeration_limit=1)
    formatter.feed(PSObject({"A": [1, 2]}))
    assert "{1...}" in formatter.flush()


def test_nested_objects_and_hashtables_in_cells():
    assert cell_text(PSObject({"a": 1, "b": 2})) == "@{a=1; b=2}"
    assert cell_text(PSHashtable([("a", 1)])) == "System.Collections.Hashtable"
    assert cell_text(None) == ""
    assert cell_text(dt.datetime(2026, 1, 2, 0, 5)) == "1/2/2026 12:05:00 AM"


def test_display_properties_prefer_the_default_display_set():
    obj = PSObject({"A": 1, "B": 2, "C": 3}, display=["C", "A"])
    assert display_properties(obj) == ["C", "A"]
    assert display_properties(PSObject({"A": 1})) == ["A"]
    assert render_table([obj]).split("\n")[1] == "C A"


# --- lists --------------------------------------------------------------------------------------

def test_render_list_with_star_and_names_padded_per_object():
    text = render_list([PSObject({"A": 1, "Longer": "x"}), PSObject({"Bb": None})], ["*"])
    assert text == "\n\nA      : 1\nLonger : x\n\nBb : \n\n\n\n"


def test_list_values_wrap_and_continue_indented():
    text = render_list([PSObject({"Name": "x" * 25, "Notes": "line1\nline2"})], width=20)
    assert text.split("\n")[2:7] == ["Name  : xxxxxxxxxxx", "        xxxxxxxxxxx", "        xxx",
                                     "Notes : line1", "        line2"]


def test_list_of_hashtable_shows_name_and_value_entries():
    text = render_list([PSHashtable([("k", "v")])])
    assert normalise(text) == "Name  : k\nValue : v"


def test_consecutive_list_objects_share_one_list():
    text = render_stream([pin_info(), pin_info(False)])
    assert text.count("Identity          :") == 2
    assert text.startswith("\n\nIdentity") and text.endswith("PinExpirationTime : \n\n\n\n")
    assert "PinExpirationTime : \n\nIdentity" in text


# --- formatted text and settings ----------------------------------------------------------------

def test_formatted_text_prints_verbatim_and_closes_an_open_table():
    formatter = OutputFormatter()
    formatter.feed(PSObject({"A": 1}))
    out = formatter.feed(FormattedText("\nX\n-\n9\n\n\n"))
    assert out == "\nA\n-\n1\n\n\n" + "\nX\n-\n9\n\n\n"


def test_session_settings_read_width_and_enumeration_limit():
    class Host:
        width = 80

    class Session:
        host = Host()
        variables = {"FormatEnumerationLimit": 2}

    assert session_format_settings(Session()) == (80, 2)
    assert session_format_settings(None) == (120, 4)


def test_get_member_output_has_a_typename_header_per_type():
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    host = BufferHost()
    Engine(host).run_command_text('"abc", 1 | Get-Member -Name CompareTo')
    lines = [line.rstrip() for line in host.stdout.split("\n") if line.strip()]
    assert lines[0] == "   TypeName: System.String"
    assert lines[1].split() == ["Name", "MemberType", "Definition"]
    assert lines[3].split()[:2] == ["CompareTo", "Method"]
    assert lines[4] == "   TypeName: System.Int32"


def test_dates_before_year_1000_show_four_year_digits_as_dotnet_does():
    """en-US 'M/d/yyyy h:mm:ss tt': DateTime.MinValue (an unbound [datetime] parameter) is 1/1/0001."""
    assert format_datetime(dt.datetime(1, 1, 1)) == "1/1/0001 12:00:00 AM"
    assert apply_format_string(dt.datetime(99, 2, 3), "d") == "2/3/0099"
