"""Where-, ForEach-, Select-, Sort-, Measure- and Group-Object over a fake pipeline."""
from __future__ import annotations

import datetime as dt

import pytest

from cmdlets.objects import ForEachObject, WhereObject
from cmdlets.selection import GroupObject, MeasureObject, SelectObject, SortObject
from csshell.runtime.cmdlet import find_cmdlet
from csshell.runtime.errors import PSError
from csshell.runtime.values import PSHashtable, PSObject
from utility_fakes import UtilityContext, block, run


def pin_info(identity: str, locked: bool, pin_set: bool = True, expires: dt.datetime | None = None) -> PSObject:
    return PSObject([("Identity", identity), ("IsPinSet", pin_set), ("IsLockedOut", locked),
                     ("LastPinChangeTime", None), ("PinExpirationTime", expires)],
                    type_names=["Microsoft.Rtc.Management.UserPinService.PinInfoDetails"])


USERS = [pin_info("sip:ken@x.com", False), pin_info("sip:pilar@x.com", True),
         pin_info("sip:lisa@x.com", True, pin_set=False), pin_info("sip:hen@x.com", False, pin_set=False)]


# --- registration -----------------------------------------------------------------------------

@pytest.mark.parametrize("alias, name", [("?", "Where-Object"), ("where", "Where-Object"), ("%", "ForEach-Object"),
                                         ("foreach", "ForEach-Object"), ("select", "Select-Object"),
                                         ("sort", "Sort-Object"), ("measure", "Measure-Object"),
                                         ("group", "Group-Object")])
def test_aliases_resolve_to_the_cmdlets(alias, name):
    assert find_cmdlet(alias).name == name


def test_where_object_declares_one_set_per_operator_switch():
    declared = WhereObject.declared
    assert declared["eq"].sets == ("EqualSet",) and not declared["eq"].mandatory
    assert declared["like"].sets == ("LikeSet",) and declared["like"].mandatory
    assert "ScriptBlockSet" in WhereObject.parameter_sets()
    assert WhereObject.default_set == "EqualSet"


# --- Where-Object -----------------------------------------------------------------------------

def test_where_script_block_keeps_truthy_results():
    ctx = run(WhereObject, USERS, FilterScript=block("$_.IsLockedOut -eq $True", lambda o: o.get("IsLockedOut")),
              set_name="ScriptBlockSet")
    assert [o.get("Identity") for o in ctx.objects] == ["sip:pilar@x.com", "sip:lisa@x.com"]


def test_where_script_block_with_empty_output_rejects():
    ctx = run(WhereObject, USERS, FilterScript=block("", lambda o: []), set_name="ScriptBlockSet")
    assert ctx.objects == []


def test_where_simplified_property_alone_tests_truthiness():
    ctx = run(WhereObject, USERS, Property="IsLockedOut", set_name="EqualSet")
    assert [o.get("Identity") for o in ctx.objects] == ["sip:pilar@x.com", "sip:lisa@x.com"]


def test_where_simplified_eq_false_matches_bool_property():
    ctx = run(WhereObject, USERS, Property="IsPinSet", Value=False, EQ=True, set_name="EqualSet")
    assert [o.get("Identity") for o in ctx.objects] == ["sip:lisa@x.com", "sip:hen@x.com"]


def test_where_simplified_like_is_case_insensitive_and_clike_is_not():
    ctx = run(WhereObject, USERS, Property="Identity", Value="SIP:P*", Like=True, set_name="LikeSet")
    assert [o.get("Identity") for o in ctx.objects] == ["sip:pilar@x.com"]
    ctx = run(WhereObject, USERS, Property="Identity", Value="SIP:P*", CLike=True, set_name="CaseSensitiveLikeSet")
    assert ctx.objects == []


def test_where_simplified_lt_compares_dates_and_null_is_less():
    now = dt.datetime(2026, 3, 14, 9, 30)
    items = [pin_info("a", False, expires=now - dt.timedelta(days=1)),
             pin_info("b", False, expires=now + dt.timedelta(days=1)), pin_info("c", False, expires=None)]
    ctx = run(WhereObject, items, Property="PinExpirationTime", Value=now, LT=True, set_name="LessThanSet")
    assert [o.get("Identity") for o in ctx.objects] == ["a", "c"]


def test_where_operator_without_value_is_an_error_record():
    with pytest.raises(PSError) as info:
        run(WhereObject, USERS, Property="IsPinSet", GT=True, set_name="GreaterThanSet")
    assert info.value.record.error_id == "ValueNotSpecifiedForWhereObject"
    assert info.value.record.command_name == "Where-Object"


def test_where_in_and_notin_sets():
    ctx = run(WhereObject, USERS, Property="Identity", Value=["sip:ken@x.com", "SIP:HEN@X.COM"], In=True,
              set_name="InSet")
    assert [o.get("Identity") for o in ctx.objects] == ["sip:ken@x.com", "sip:hen@x.com"]


def test_where_without_pipeline_input_emits_nothing():
    ctx = run(WhereObject, None, FilterScript=block("$true", lambda o: True), set_name="ScriptBlockSet")
    assert ctx.objects == []


# --- ForEach-Object ---------------------------------------------------------------------------

def test_foreach_process_block_output_is_enumerated():
    ctx = run(ForEachObject, [1, 2], Process=[block("$_, $_", lambda o: [o, o * 10])])
    assert ctx.objects == [1, 10, 2, 20]


def test_foreach_two_positional_blocks_are_begin_and_process():
    ctx = run(ForEachObject, ["a", "b"], Process=[block("'start'", lambda o: "start"),
                                                 block("$_", lambda o: o.upper())])
    assert ctx.objects == ["start", "A", "B"]


def test_foreach_three_blocks_are_begin_process_end():
    ctx = run(ForEachObject, [1], Process=[block("b", lambda o: "b"), block("p", lambda o: o),
                                           block("e", lambda o: "e")])
    assert ctx.objects == ["b", 1, "e"]


def test_foreach_named_begin_and_end_run_once():
    ctx = run(ForEachObject, [1, 2], Begin=block("b", lambda o: "begin"), End=block("e", lambda o: "end"),
              Process=[block("p", lambda o: o)])
    assert ctx.objects == ["begin", 1, 2, "end"]


def test_foreach_without_input_runs_process_once_with_null():
    seen = []
    run(ForEachObject, None, Process=[block("p", lambda o: seen.append(o))])
    assert seen == [None]


def test_foreach_member_name_reads_property_and_enumerates_lists():
    items = [PSObject([("Cmdlets", ["Lock-CsClientPin", "Unlock-CsClientPin"])]), USERS[0]]
    ctx = run(ForEachObject, items[:1], MemberName="Cmdlets", set_name="PropertyAndMethodSet")
    assert ctx.objects == ["Lock-CsClientPin", "Unlock-CsClientPin"]
    ctx = run(ForEachObject, USERS[:2], MemberName="identity", set_name="PropertyAndMethodSet")
    assert ctx.objects == ["sip:ken@x.com", "sip:pilar@x.com"]


def test_foreach_member_name_calls_simple_string_method():
    ctx = run(ForEachObject, ["ken"], MemberName="ToUpper", set_name="PropertyAndMethodSet")
    assert ctx.objects == ["KEN"]


def test_foreach_member_name_uses_the_method_binder_with_arguments():
    ctx = run(ForEachObject, ["a,b", "c"], MemberName="Split", ArgumentList=[","], set_name="PropertyAndMethodSet")
    assert ctx.objects == ["a", "b", "c"]
    ctx = run(ForEachObject, [5], MemberName="ToString", ArgumentList=["D3"], set_name="PropertyAndMethodSet")
    assert ctx.objects == ["005"]


def test_foreach_member_method_that_throws_is_non_terminating_error():
    ctx = run(ForEachObject, ["abc", "abcdef"], MemberName="Substring", ArgumentList=[4],
              set_name="PropertyAndMethodSet")
    assert ctx.objects == ["ef"]
    assert ctx.errors[0].error_id == "MethodInvocationError"
    assert ctx.errors[0].message.startswith('Exception calling "Substring" with "1" argument(s): ')


def test_foreach_unknown_member_is_non_terminating_error():
    ctx = run(ForEachObject, [USERS[0]], MemberName="Nope", set_name="PropertyAndMethodSet")
    assert ctx.objects == []
    assert ctx.errors[0].error_id == "PropertyOrMethodNotFound"
    assert ctx.errors[0].message == 'Input name "Nope" cannot be resolved to a member.'


# --- Select-Object ----------------------------------------------------------------------------

def test_select_properties_builds_selected_objects_with_null_for_missing():
    ctx = run(SelectObject, USERS[:1], Property=["identity", "IsLockedOut", "Missing"])
    obj = ctx.objects[0]
    assert obj.names() == ["Identity", "IsLockedOut", "Missing"]
    assert obj.get("Missing") is None and obj.get("IsLockedOut") is False
    assert obj.type_names[0] == "Selected.Microsoft.Rtc.Management.UserPinService.PinInfoDetails"


def test_select_wildcard_and_exclude():
    ctx = run(SelectObject, USERS[:1], Property=["Is*"], ExcludeProperty=["IsPin*"])
    assert ctx.objects[0].names() == ["IsLockedOut"]


def test_select_calculated_property_with_script_block_and_abbreviated_keys():
    prop = PSHashtable([("n", "User"), ("e", block("$_.Identity.ToUpper()", lambda o: o.get("Identity").upper()))])
    ctx = run(SelectObject, USERS[:1], Property=[prop])
    assert ctx.objects[0].items() == [("User", "SIP:KEN@X.COM")]


def test_select_calculated_property_with_string_expression_and_label():
    prop = PSHashtable([("Label", "Locked"), ("Expression", "IsLockedOut")])
    ctx = run(SelectObject, USERS[1:2], Property=[prop])
    assert ctx.objects[0].items() == [("Locked", True)]


def test_select_calculated_property_with_unknown_key_is_terminating():
    with pytest.raises(PSError) as info:
        run(SelectObject, USERS[:1], Property=[PSHashtable([("Foo", 1), ("e", "x")])])
    assert info.value.record.message == "The Foo key is not valid."


def test_select_expand_property_emits_values_and_list_elements():
    ctx = run(SelectObject, USERS[:2], ExpandProperty="Identity")
    assert ctx.objects == ["sip:ken@x.com", "sip:pilar@x.com"]
    ctx = run(SelectObject, [PSObject([("Cmdlets", ["a", "b"])])], ExpandProperty="Cmdlets")
    assert ctx.objects == ["a", "b"]


def test_select_expand_missing_property_is_non_terminating_error():
    ctx = run(SelectObject, USERS[:2], ExpandProperty="Nope")
    assert ctx.objects == []
    assert len(ctx.errors) == 2
    record = ctx.errors[0]
    assert record.message == 'Property "Nope" cannot be found.'
    assert (record.error_id, record.category) == ("ExpandPropertyNotFound", "InvalidArgument")
    assert record.fully_qualified_error_id == "ExpandPropertyNotFound,Microsoft.PowerShell.Commands.SelectObjectCommand"


def test_select_first_stops_upstream_after_n_objects():
    ctx = UtilityContext()
    command = SelectObject()
    command.First = 2
    command.bound["First"] = 2
    command.begin(ctx)
    stopped_at = None
    for i, item in enumerate(range(10)):
        command.InputObject = item
        command.bound["InputObject"] = item
        try:
            command.process(ctx)
        except Exception as exc:  # the real pipeline catches PipelineStopped
            stopped_at = (i, type(exc).__name__)
            break
    assert ctx.objects == [0, 1]
    assert stopped_at == (1, "PipelineStopped")


def test_select_last_skip_and_index():
    assert run(SelectObject, list(range(6)), Last=2).objects == [4, 5]
    assert run(SelectObject, list(range(6)), Skip=4).objects == [4, 5]
    assert run(SelectObject, list(range(6)), Skip=1, First=2).objects == [1, 2]
    assert run(SelectObject, list(range(6)), Index=[4, 1]).objects == [1, 4]
    assert run(SelectObject, list(range(3)), First=0).objects == []


def test_select_unique_is_case_sensitive_for_strings():
    assert run(SelectObject, ["a", "A", "a", "b"], Unique=True).objects == ["a", "A", "b"]


def test_select_unique_compares_selected_property_values():
    ctx = run(SelectObject, USERS, Property=["IsLockedOut"], Unique=True)
    assert [o.get("IsLockedOut") for o in ctx.objects] == [False, True]


# --- Sort-Object ------------------------------------------------------------------------------

def test_sort_by_property_is_case_insensitive_and_stable():
    names = ["pilar", "Ken", "ken", "Henrik"]
    items = [PSObject([("DisplayName", n), ("i", i)]) for i, n in enumerate(names)]
    ctx = run(SortObject, items, Property=["DisplayName"])
    assert [o.get("i") for o in ctx.objects] == [3, 1, 2, 0]


def test_sort_descending_and_unique_values():
    assert run(SortObject, [3, 1, 2, 3], Descending=True).objects == [3, 3, 2, 1]
    assert run(SortObject, ["b", "A", "a", "B"], Unique=True).objects == ["A", "b"]


def test_sort_by_hashtable_with_per_key_direction_and_script_block():
    items = [PSObject([("Dept", d), ("Name", n)]) for d, n in [("R", "b"), ("S", "a"), ("R", "a")]]
    by_dept = PSHashtable([("Expression", "Dept"), ("Descending", True)])
    by_name = block("$_.Name", lambda o: o.get("Name"))
    ctx = run(SortObject, items, Property=[by_dept, by_name])
    assert [(o.get("Dept"), o.get("Name")) for o in ctx.objects] == [("S", "a"), ("R", "a"), ("R", "b")]


def test_sort_dates_and_nulls_first():
    d1, d2 = dt.datetime(2026, 1, 5), dt.datetime(2025, 11, 20)
    assert run(SortObject, [d1, None, d2]).objects == [None, d2, d1]


# --- Measure-Object ---------------------------------------------------------------------------

def test_measure_counts_objects_and_leaves_unrequested_stats_null():
    ctx = run(MeasureObject, USERS)
    info = ctx.objects[0]
    assert info.type_names == ["Microsoft.PowerShell.Commands.GenericMeasureInfo"]
    assert info.items() == [("Count", 4), ("Average", None), ("Sum", None), ("Maximum", None),
                            ("Minimum", None), ("Property", None)]


def test_measure_without_input_counts_zero():
    assert run(MeasureObject, None).objects[0].get("Count") == 0


def test_measure_property_statistics():
    items = [PSObject([("Days", d)]) for d in (3, "7", 20)]
    info = run(MeasureObject, items, Property=["Days"], Sum=True, Average=True, Maximum=True, Minimum=True).objects[0]
    assert (info.get("Count"), info.get("Sum"), info.get("Average")) == (3, 30.0, 10.0)
    assert (info.get("Maximum"), info.get("Minimum"), info.get("Property")) == (20.0, 3.0, "Days")


def test_measure_non_numeric_sum_is_error():
    with pytest.raises(PSError) as info:
        run(MeasureObject, ["abc"], Sum=True)
    assert info.value.record.message == 'Input object "abc" is not numeric.'


def test_measure_missing_property_everywhere_is_error():
    ctx = run(MeasureObject, USERS, Property=["Nope"])
    assert ctx.objects == []
    assert ctx.errors[0].message == 'The property "Nope" cannot be found in the input for any objects.'


def test_measure_text_lines_words_characters():
    info = run(MeasureObject, ["one two", "three"], Line=True, Word=True, Character=True,
               set_name="TextMeasure").objects[0]
    assert info.items() == [("Lines", 2), ("Words", 3), ("Characters", 12), ("Property", None)]


# --- Group-Object -----------------------------------------------------------------------------

def test_group_by_property_in_order_of_first_appearance():
    ctx = run(GroupObject, USERS, Property=["IsLockedOut"])
    assert [(g.get("Name"), g.get("Count")) for g in ctx.objects] == [("False", 2), ("True", 2)]
    assert ctx.objects[1].get("Group") == [USERS[1], USERS[2]]
    assert ctx.objects[0].type_names == ["Microsoft.PowerShell.Commands.GroupInfo"]


def test_group_no_element_and_case_insensitive_names():
    ctx = run(GroupObject, ["a", "A", "b"], NoElement=True)
    assert [(g.get("Name"), g.get("Count"), g.get("Group")) for g in ctx.objects] == [("a", 2, None), ("b", 1, None)]


def test_group_as_hashtable():
    table = run(GroupObject, USERS, Property=["IsPinSet"], AsHashTable=True).objects[0]
    assert isinstance(table, PSHashtable) and len(table[True]) == 2
