"""Command-line binding: names, prefixes, switches, positions, conversions, validation, sets."""
from __future__ import annotations

import pytest
from binder_toys import BindNoSets, BindPin, BindRest, BindSets, BindTypes, BindWhere, extent_of, par, val

from csshell.runtime.binder import CommandArgument, bind_command_line
from csshell.runtime.cmdlet import Cmdlet, Parameter, cmdlet
from csshell.runtime.errors import PSError, render_error
from csshell.runtime.values import PSHashtable, ScriptBlock


def bind(cmd, *args, pipeline=False, extent=None):
    return bind_command_line(cmd, list(args), invocation_name=cmd.name, extent=extent,
                             expects_pipeline_input=pipeline)


def bind_error(cmd, *args, pipeline=False, extent=None):
    with pytest.raises(PSError) as info:
        bind(cmd, *args, pipeline=pipeline, extent=extent)
    return info.value.record


# --- names -------------------------------------------------------------------------------------

def test_named_parameter_binds_case_insensitively_to_canonical_name():
    b = bind(BindPin, par("identity"), val("Ken Myer"), par("PIN"), val("12345"))
    assert b.values == {"Identity": "Ken Myer", "Pin": "12345"}


def test_unique_prefix_selects_parameter():
    b = bind(BindPin, par("Ident"), val("Ken Myer"), par("P"), val("80417"))
    assert b.values["Identity"] == "Ken Myer" and b.values["Pin"] == "80417"


def test_alias_exact_match_wins_and_common_alias_binds_error_action():
    b = bind(BindTypes, par("cd"), val("x"), par("EA"), val("stop"))
    assert b.values == {"Code": "x"}
    assert b.common == {"ErrorAction": "Stop"}


def test_ambiguous_prefix_among_own_parameters_lists_them():
    record = bind_error(BindTypes, par("C"), val("x"))
    assert record.error_id == "AmbiguousParameter"
    assert record.message == ("Parameter cannot be processed because the parameter name 'C' is ambiguous. "
                              "Possible matches include: -Count -Code.")
    assert record.category == "InvalidArgument" and record.reason == "ParameterBindingException"
    assert record.fully_qualified_error_id == "AmbiguousParameter,Test.BindTypesCmdlet"


def test_own_parameter_is_preferred_over_common_ones_sharing_the_prefix():
    # -I matches Identity, InformationAction and InformationVariable; PowerShell prefers the cmdlet's own
    assert bind(BindPin, par("I"), val("Ken Myer")).values == {"Identity": "Ken Myer"}


def test_ambiguous_common_prefix_lists_common_then_should_process_parameters():
    record = bind_error(BindPin, val("Ken"), par("W"))
    assert record.message.endswith("Possible matches include: -WarningAction -WarningVariable -WhatIf.")
    record = bind_error(BindPin, val("Ken"), par("Info"), val("x"))
    assert record.message.endswith("Possible matches include: -InformationAction -InformationVariable.")


def test_exact_name_beats_longer_names_sharing_the_prefix():
    # "Inform" is declared and is also a prefix of InformationAction/InformationVariable
    b = bind(BindTypes, par("Inform"), val("x"), par("Code"), val("c"))
    assert b.values["Inform"] == "x"


def test_unknown_parameter_is_named_parameter_not_found_with_its_extent():
    bogus = par("Bogus")
    record = bind_error(BindPin, val("Ken Myer"), bogus)
    assert record.error_id == "NamedParameterNotFound"
    assert record.message == "A parameter cannot be found that matches parameter name 'Bogus'."
    assert record.extent is bogus.extent
    assert record.command_name == "Test-BindPin"
    assert "    + CategoryInfo          : InvalidArgument: (:) [Test-BindPin], ParameterBindingException" \
        in render_error(record)


def test_whatif_and_confirm_exist_only_for_should_process_cmdlets():
    b = bind(BindPin, val("Ken Myer"), par("WhatIf"), par("cf", False, colon=True))
    assert b.common == {"WhatIf": True, "Confirm": False}
    assert bind_error(BindTypes, par("Code"), val("c"), par("WhatIf")).error_id == "NamedParameterNotFound"


def test_parameter_given_twice_is_already_bound():
    record = bind_error(BindPin, par("Identity"), val("a"), par("Id"), val("b"))
    assert record.error_id == "ParameterAlreadyBound"
    assert record.message.startswith("Cannot bind parameter because parameter 'Identity' is specified more than once.")
    assert record.message.endswith('For example, "-parameter value1,value2,value3".')


def test_missing_argument_at_end_of_line():
    record = bind_error(BindPin, par("Identity"))
    assert record.error_id == "MissingArgument"
    assert record.message == ("Missing an argument for parameter 'Identity'. Specify a parameter of type "
                              "'Microsoft.Rtc.Management.AD.UserIdParameter' and try again.")


def test_missing_argument_when_next_element_is_a_known_parameter():
    record = bind_error(BindPin, par("Pin"), par("Identity"), val("Ken Myer"))
    assert record.error_id == "MissingArgument" and "'Pin'" in record.message


def test_unknown_dash_word_after_parameter_is_taken_as_its_value():
    b = bind(BindPin, par("Identity"), val("Ken"), par("Pin"), par("abc"))
    assert b.values["Pin"] == "-abc"


# --- switches ----------------------------------------------------------------------------------

def test_switch_present_is_true_and_never_consumes_the_next_element():
    b = bind(BindPin, par("Force"), val("Ken Myer"))
    assert b.values == {"Force": True, "Identity": "Ken Myer"}


def test_switch_colon_false_turns_it_off():
    b = bind(BindPin, val("Ken Myer"), par("Force", False, colon=True))
    assert b.values["Force"] is False


def test_switch_does_not_take_a_positional_value():
    record = bind_error(BindPin, val("Ken Myer"), val("1234"), par("Force"), val(False, "$false"))
    assert record.error_id == "PositionalParameterNotFound"
    assert record.message == "A positional parameter cannot be found that accepts argument 'False'."


def test_switch_colon_string_is_rejected_like_powershell():
    record = bind_error(BindPin, val("Ken"), par("Force", "yes", colon=True))
    assert record.error_id == "CannotConvertArgument"
    assert record.message == ("Cannot convert 'System.String' to the type 'System.Management.Automation."
                              "SwitchParameter' required by parameter 'Force'. Boolean parameters accept only "
                              "Boolean values and numbers, such as $True, $False, 1 or 0.")


def test_splatted_hashtable_entries_bind_as_named_with_values():
    b = bind(BindPin, par("Identity", "Ken Myer", splatted=True), par("Force", True, splatted=True))
    assert b.values == {"Identity": "Ken Myer", "Force": True}


# --- positions ---------------------------------------------------------------------------------

def test_positional_number_keeps_its_typed_text_for_a_string_parameter():
    b = bind(BindPin, val("Ken Myer", '"Ken Myer"'), val(123, "0123"))
    assert b.values == {"Identity": "Ken Myer", "Pin": "0123"}


def test_colon_form_number_keeps_its_typed_text():
    assert bind(BindPin, val("Ken"), par("Pin", 80417, colon=True)).values["Pin"] == "80417"
    assert bind(BindPin, val("Ken"), par("Pin", 417, colon=True)).values["Pin"] == "417"
    arg = par("Pin", 417, colon=True)
    arg.extent = extent_of("-Pin:00417")
    assert bind(BindPin, val("Ken"), arg).values["Pin"] == "00417"


def test_positional_number_from_an_expression_uses_its_value():
    b = bind(BindPin, val("Ken Myer"), val(123, "$pin"))
    assert b.values["Pin"] == "123"


def test_named_parameter_frees_its_position_for_the_next_argument():
    b = bind(BindPin, par("Identity"), val("Ken Myer"), val("80417"))
    assert b.values == {"Identity": "Ken Myer", "Pin": "80417"}


def test_extra_positional_argument_is_reported_with_its_extent():
    extra = val("extra")
    record = bind_error(BindPin, val("Ken Myer"), val("12345"), extra)
    assert record.error_id == "PositionalParameterNotFound"
    assert record.message == "A positional parameter cannot be found that accepts argument 'extra'."
    assert record.extent is extra.extent


def test_remaining_arguments_collects_leftovers():
    b = bind(BindRest, val("a"), val("b"), val(3))
    assert b.values == {"First": "a", "Rest": ["b", 3]}


def test_positional_conversion_failure_reports_the_conversion_error():
    @cmdlet("Test-BindSleep")
    class Sleep(Cmdlet):
        Seconds = Parameter("int", position=0)
    record = bind_error(Sleep, val("abc"))
    assert record.error_id == "CannotConvertArgumentNoMessage"
    assert record.message == ("Cannot bind parameter 'Seconds'. Cannot convert value \"abc\" to type "
                              "\"System.Int32\". Error: \"Input string was not in a correct format.\"")


def test_a_parameter_may_take_another_position_in_another_set():
    """Invoke-Command: ``{...}`` is position 0 alone, but ``$s {...}`` binds the session first (5.1's
    Session set: ``[-Session] <PSSession[]> [-ScriptBlock] <ScriptBlock>``)."""
    @cmdlet("Test-BindRemote", default_set="InProcess")
    class Remote(Cmdlet):
        ScriptBlock = Parameter("scriptblock", position=0, mandatory=True, set_positions={"Session": 1})
        Session = Parameter("int[]", position=0, mandatory=True, sets=("Session",))
        NoNewScope = Parameter("switch", sets=("InProcess",))
    block = ScriptBlock("1", None)
    both = bind(Remote, val([7], "$s"), val(block, "{1}"))
    assert (both.values, both.parameter_set) == ({"Session": [7], "ScriptBlock": block}, "Session")
    alone = bind(Remote, val(block, "{1}"))
    assert (alone.values, alone.parameter_set) == ({"ScriptBlock": block}, "InProcess")
    named = bind(Remote, par("Session"), val([7], "$s"), val(block, "{1}"))
    assert named.values == {"Session": [7], "ScriptBlock": block}


# --- parameter sets (Where-Object-like) ----------------------------------------------------------

def test_script_block_positional_selects_filter_script_set():
    block = ScriptBlock("$_.IsLockedOut", None)
    b = bind(BindWhere, val(block, "{$_.IsLockedOut}"), pipeline=True)
    assert b.values == {"FilterScript": block}
    assert b.parameter_set == "ScriptBlockSet"


def test_property_eq_value_selects_equal_set():
    b = bind(BindWhere, val("Name"), par("EQ"), val(5), pipeline=True)
    assert b.values == {"Property": "Name", "EQ": True, "Value": 5}
    assert b.parameter_set == "EqualSet"


def test_bare_property_name_falls_to_default_set():
    b = bind(BindWhere, val("IsLockedOut"), pipeline=True)
    assert b.values == {"Property": "IsLockedOut"}
    assert b.parameter_set == "EqualSet"


def test_gt_switch_selects_its_set():
    b = bind(BindWhere, val("Count"), par("GT"), val(3), pipeline=True)
    assert b.parameter_set == "GreaterThanSet" and b.values["Value"] == 3


def test_parameters_from_different_sets_cannot_be_resolved():
    record = bind_error(BindWhere, par("FilterScript"), val(ScriptBlock("1", None)), par("EQ"))
    assert record.error_id == "AmbiguousParameterSet"
    assert record.message == "Parameter set cannot be resolved using the specified named parameters."


def test_default_set_wins_when_nothing_decides():
    assert bind(BindSets).parameter_set == "ByName"


def test_named_parameter_selects_its_set_and_positions_follow_it():
    b = bind(BindSets, par("Id"), val(5, "5"), par("Tag"), val("t"))
    assert b.parameter_set == "ById" and b.values == {"Id": 5, "Tag": "t"}


def test_set_without_parameters_of_its_own_is_all_parameter_sets():
    assert bind(BindNoSets, val("a"), val("b")).parameter_set == "__AllParameterSets"


# --- conversions and validation ------------------------------------------------------------------

def test_named_conversion_failure_is_cannot_bind_parameter():
    value = val("abc")
    record = bind_error(BindTypes, par("Code"), val("c"), par("Count"), value)
    assert record.error_id == "CannotConvertArgumentNoMessage"
    assert record.message.startswith("Cannot bind parameter 'Count'. Cannot convert value \"abc\"")
    assert record.extent is value.extent
    assert record.fully_qualified_error_id == "CannotConvertArgumentNoMessage,Test.BindTypesCmdlet"


def test_values_are_converted_to_declared_types():
    b = bind(BindTypes, par("Code"), val("c"), par("Count"), val(" 0x10 "), par("When"), val("3/14/2026"),
             par("Enabled"), val(0), par("Names"), val("one"))
    assert b.values["Count"] == 16
    assert b.values["When"].year == 2026 and b.values["When"].month == 3
    assert b.values["Enabled"] is False
    assert b.values["Names"] == ["one"]


def test_string_to_bool_parameter_is_rejected():
    record = bind_error(BindTypes, par("Code"), val("c"), par("Enabled"), val("true"))
    assert record.error_id == "CannotConvertArgument"
    assert record.message.startswith("Cannot convert 'System.String' to the type 'System.Boolean' required by "
                                     "parameter 'Enabled'.")


def test_array_to_scalar_parameter_is_not_supported():
    record = bind_error(BindTypes, par("Code"), val(["a", "b"], '"a","b"'))
    assert record.message == ("Cannot convert 'System.Object[]' to the type 'System.String' required by parameter "
                              "'Code'. Specified method is not supported.")


def test_script_block_to_string_parameter_is_its_text():
    b = bind(BindTypes, par("Code"), val("c"), par("Filter"), val(ScriptBlock('DisplayName -eq "Ken Myer"', None)))
    assert b.values["Filter"] == 'DisplayName -eq "Ken Myer"'


def test_null_to_mandatory_parameter_is_a_validation_error():
    record = bind_error(BindTypes, par("Code"), val(None, "$null"))
    assert record.error_id == "ParameterArgumentValidationErrorNullNotAllowed"
    assert record.message == "Cannot bind argument to parameter 'Code' because it is null."
    assert record.category == "InvalidData" and record.reason == "ParameterBindingValidationException"


def test_null_to_optional_parameter_binds_null():
    assert bind(BindTypes, par("Code"), val("c"), par("Filter"), val(None, "$null")).values["Filter"] is None


def test_empty_string_to_mandatory_string_parameter_is_rejected():
    record = bind_error(BindTypes, par("Code"), val(""))
    assert record.error_id == "ParameterArgumentValidationErrorEmptyStringNotAllowed"


def test_empty_array_to_mandatory_array_parameter_is_rejected():
    @cmdlet("Test-BindNeedNames")
    class NeedNames(Cmdlet):
        Names = Parameter("string[]", mandatory=True, position=0)
    record = bind_error(NeedNames, val([], "@()"))
    assert record.error_id == "ParameterArgumentValidationErrorEmptyArrayNotAllowed"
    assert record.message == "Cannot bind argument to parameter 'Names' because it is an empty array."
    assert bind(NeedNames, val(["a", 1], "'a',1")).values["Names"] == ["a", "1"]


def test_validate_set_accepts_any_case_and_rejects_others():
    assert bind(BindTypes, par("Code"), val("c"), par("Level"), val("high")).values["Level"] == "high"
    record = bind_error(BindTypes, par("Code"), val("c"), par("Level"), val("Extreme"))
    assert record.error_id == "ParameterArgumentValidationError"
    assert record.message == ("Cannot validate argument on parameter 'Level'. The argument \"Extreme\" does not "
                              "belong to the set \"Low,Medium,High\" specified by the ValidateSet attribute. "
                              "Supply an argument that is in the set and then try the command again.")


def test_error_action_value_is_checked():
    record = bind_error(BindTypes, par("Code"), val("c"), par("ErrorAction"), val("Sometimes"))
    assert record.error_id == "CannotConvertArgumentNoMessage"
    assert "ActionPreference" in record.message


# --- mandatory -----------------------------------------------------------------------------------

def test_missing_mandatory_lists_every_missing_parameter():
    b = bind(BindNoSets, extent=extent_of("Test-BindNoSets"))
    assert [p.name for p in b.missing_mandatory()] == ["Identity", "Pin"]
    record = b.missing_mandatory_error().record
    assert record.message == ("Cannot process command because of one or more missing mandatory parameters: "
                              "Identity Pin.")
    assert record.error_id == "MissingMandatoryParameter" and record.extent.text == "Test-BindNoSets"


def test_pipeline_parameter_is_not_missing_while_input_is_expected():
    assert bind(BindPin, pipeline=True).missing_mandatory() == []
    assert [p.name for p in bind(BindPin).missing_mandatory()] == ["Identity"]


def test_command_argument_defaults_are_a_plain_positional_null():
    arg = CommandArgument()
    assert arg.parameter is None and arg.has_value is False and arg.splatted is False


def test_hashtable_parameter_accepts_hashtables_only():
    @cmdlet("Test-BindHash")
    class Hash(Cmdlet):
        Table = Parameter("hashtable", position=0)
    table = PSHashtable([("a", 1)])
    assert bind(Hash, val(table, "@{a=1}")).values["Table"] is table
    assert bind_error(Hash, val("x")).error_id == "CannotConvertArgumentNoMessage"


def test_remaining_arguments_join_the_positional_argument_before_them():
    """`Write-Host a b c`: position 0 takes "a", the leftovers join it (ValueFromRemainingArguments)."""
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    host = BufferHost()
    assert Engine(host).run_command_text("Write-Host a b c; Write-Output x y z | Measure-Object | % Count")
    assert host.stdout.split("\n")[:2] == ["a b c", "3"]


def test_validate_range_refuses_null_with_the_null_message_not_an_empty_value() -> None:
    from csshell.runtime.cmdlet import range_violation
    assert range_violation(None, 1, 999) == ("The argument is null. Provide a valid value for the argument, and then "
                                             "try running the command again.")
    assert range_violation(5, 1, 999) is None
    assert range_violation(0, 1, 999).startswith("The 0 argument is less than the minimum allowed range of 1.")
