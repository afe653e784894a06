"""The object wire format (csshell/remote/wire.py) and how deserialized results are formatted on the client."""
from __future__ import annotations

import datetime as dt
import math
import uuid

import pytest

from cmdlets.host_io import SecureString
from csshell.remote.wire import (
    WireError,
    decode_error,
    decode_message,
    decode_value,
    encode_error,
    encode_message,
    encode_value,
    with_origin,
)
from csshell.runtime.dotnet_types import Guid
from csshell.runtime.errors import ErrorRecord, render_error
from csshell.runtime.formatting import FormattedText, render_stream
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock

RUNSPACE = Guid(uuid.UUID("3ee52d06-7f1c-4d8e-9c55-2f6c1c1d2a10"))


def round_trip(value: object) -> object:
    """Through a whole message line, as the channel carries it."""
    line = encode_message({"t": "output", "value": encode_value(value)})
    assert line.endswith("\n") and line.count("\n") == 1
    return decode_value(decode_message(line)["value"])


@pytest.mark.parametrize("value", [None, True, False, 0, -7, 2**40, 1.5, "", "Ken Myer", "naïve – ünïcode"])
def test_primitive_values_round_trip_exactly(value: object) -> None:
    back = round_trip(value)
    assert back == value and type(back) is type(value)


def test_special_doubles_dates_time_spans_and_guids_round_trip() -> None:
    assert math.isnan(round_trip(float("nan")))                       # type: ignore[arg-type]
    assert round_trip(float("-inf")) == float("-inf")
    when = dt.datetime(2026, 3, 14, 9, 30, 5, 123456)
    assert round_trip(when) == when
    assert round_trip(dt.timedelta(days=-1, seconds=5, microseconds=7)) == dt.timedelta(days=-1, seconds=5,
                                                                                         microseconds=7)
    guid = round_trip(RUNSPACE)
    assert isinstance(guid, Guid) and guid == RUNSPACE


def test_arrays_and_hashtables_keep_their_shape_and_order() -> None:
    table = PSHashtable([("Zeta", 1), ("alpha", [1, "two"])], ordered=True)
    back = round_trip([table, [3, 4]])
    assert isinstance(back, list) and back[1] == [3, 4]
    assert isinstance(back[0], PSHashtable) and back[0].ordered
    assert list(back[0].keys()) == ["Zeta", "alpha"] and back[0]["ALPHA"] == [1, "two"]


def test_an_object_becomes_a_deserialized_property_bag_with_its_display_set_and_text() -> None:
    user = PSObject([("DisplayName", "Ken Myer"), ("Enabled", True), ("Manager", PSObject([("Name", "Lisa")]))],
                    type_names=["Microsoft.Rtc.Management.ADConnect.Schema.OCSUserOrAppContact"],
                    display=["DisplayName"], tostring="CN=Ken Myer")
    back = round_trip(user)
    assert isinstance(back, PSObject) and back is not user
    assert back.type_names == ["Deserialized.Microsoft.Rtc.Management.ADConnect.Schema.OCSUserOrAppContact"]
    assert back.display == ["DisplayName"] and back.tostring == "CN=Ken Myer"
    assert back.get("displayname") == "Ken Myer" and back.get("Enabled") is True
    assert back.get("Manager") == "@{Name=Lisa}"      # depth 1: an object inside an object arrives as its text


def test_a_deserialized_object_is_not_prefixed_twice() -> None:
    once = round_trip(PSObject([("a", 1)]))
    twice = round_trip(once)
    assert twice.type_names == ["Deserialized.System.Management.Automation.PSCustomObject"]   # type: ignore[union-attr]


def test_script_blocks_arrive_as_text_secure_strings_and_format_output_as_themselves() -> None:
    assert round_trip(ScriptBlock(" Get-CsUser ", None)) == " Get-CsUser "
    secret = round_trip(SecureString("80417"))
    assert isinstance(secret, SecureString) and secret.reveal() == "80417"
    formatted = round_trip(FormattedText("\nName\n----\nx\n"))
    assert isinstance(formatted, FormattedText) and formatted.text == "\nName\n----\nx\n"


def test_an_error_record_keeps_what_5_1_shows_and_names_its_computer() -> None:
    record = ErrorRecord("The term 'Set-CsPinPolicy' is not recognized as the name of a cmdlet.",
                         "CommandNotFoundException", "ObjectNotFound", target="Set-CsPinPolicy",
                         reason="CommandNotFoundException", activity="")
    back = decode_error(decode_message(encode_message(encode_error(record))), "sfb01")
    assert render_error(back) == (
        "The term 'Set-CsPinPolicy' is not recognized as the name of a cmdlet.\n"
        "    + CategoryInfo          : ObjectNotFound: (Set-CsPinPolicy:String) [], CommandNotFoundException\n"
        "    + FullyQualifiedErrorId : CommandNotFoundException\n"
        "    + PSComputerName        : sfb01")
    assert back.exception_full_name == "System.Management.Automation.RemoteException"


def test_a_cmdlet_error_keeps_its_activity_and_fully_qualified_id() -> None:
    record = ErrorRecord("Cannot find user.", "UserNotFound", "ObjectNotFound", target="Nobody",
                         reason="ArgumentException", command_name="Get-CsClientPinInfo",
                         command_class="Microsoft.Rtc.Management.GetClientPinInfoCmdlet")
    back = decode_error(encode_error(record), "sfb01")
    assert back.category_info == "ObjectNotFound: (Nobody:String) [Get-CsClientPinInfo], ArgumentException"
    assert back.fully_qualified_error_id == "UserNotFound,Microsoft.Rtc.Management.GetClientPinInfoCmdlet"
    assert back.command_name is None and back.extent is None


@pytest.mark.parametrize("line", ["not json", "[1, 2]", '"text"'])
def test_a_line_that_is_not_a_message_is_refused(line: str) -> None:
    with pytest.raises(WireError):
        decode_message(line)


def test_an_unknown_value_tag_is_refused() -> None:
    with pytest.raises(WireError):
        decode_value({"$t": "pickle", "v": "..."})
    with pytest.raises(WireError):
        decode_value({"$t": "datetime", "v": "not a date"})


# --- what Invoke-Command adds, and how the client formats it ------------------------------------------

def remote_result(props: list[tuple[str, object]], display: list[str] | None = None, show: bool = True) -> object:
    obj = round_trip(PSObject(props, ["Microsoft.Rtc.Management.AuditEntry"], display))
    return with_origin(obj, "sfb01", RUNSPACE, show)


def test_with_origin_adds_the_three_note_properties_and_leaves_strings_alone() -> None:
    result = remote_result([("a", 1)])
    assert result.names() == ["a", "PSComputerName", "RunspaceId", "PSShowComputerName"]   # type: ignore[attr-defined]
    assert with_origin("text", "sfb01", RUNSPACE) == "text"


def test_a_display_set_gains_a_pscomputername_column() -> None:
    rows = [remote_result([("Time", "t1"), ("Actor", "a"), ("Action", "Lock"), ("Target", "x"), ("Origin", "o")],
                          display=["Time", "Actor", "Action", "Target"])]
    lines = render_stream(rows).strip("\n").splitlines()
    assert lines[0].split() == ["Time", "Actor", "Action", "Target", "PSComputerName"]
    assert lines[2].split() == ["t1", "a", "Lock", "x", "sfb01"]


def test_hide_computer_name_hides_the_column() -> None:
    rows = [remote_result([("Time", "t1"), ("Actor", "a")], display=["Time", "Actor"], show=False)]
    assert render_stream(rows).strip("\n").splitlines()[0].split() == ["Time", "Actor"]


def test_without_a_display_set_all_properties_show_but_psshowcomputername() -> None:
    text = render_stream([remote_result([("a", 1)])])
    assert text.strip("\n").splitlines()[0].split() == ["a", "PSComputerName", "RunspaceId"]
    assert "PSShowComputerName" not in text


def test_the_table_or_list_choice_counts_the_remoting_properties_as_5_1_does() -> None:
    """Two properties plus PSComputerName, RunspaceId and PSShowComputerName make five: a list."""
    text = render_stream([remote_result([("a", 1), ("b", 2)])])
    assert text.strip("\n").splitlines() == ["a              : 1", "b              : 2",
                                             "PSComputerName : sfb01", f"RunspaceId     : {RUNSPACE}"]


def test_a_malformed_error_record_is_refused() -> None:
    with pytest.raises(WireError):
        decode_error({"$t": "error", "message": "no id"}, "sfb01")
