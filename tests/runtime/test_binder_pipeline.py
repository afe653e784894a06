"""Pipeline binding per record, applying values to a cmdlet instance, and mandatory prompting."""
from __future__ import annotations

import pytest
from binder_toys import BindNoSets, BindPin, BindWhere, ad_user, extent_of, par, pin_info, val

from csshell.runtime.binder import bind_command_line, prompt_missing_mandatory
from csshell.runtime.cmdlet import Cmdlet, Parameter, cmdlet
from csshell.runtime.errors import PSError
from csshell.runtime.host import Host
from csshell.runtime.values import PSHashtable, PSObject, ScriptBlock


def bind(cmd, *args, pipeline=True):
    return bind_command_line(cmd, list(args), invocation_name=cmd.name, extent=extent_of(cmd.name),
                             expects_pipeline_input=pipeline)


class ScriptedHost(Host):
    """A host that answers prompts from a list and records what was written."""

    def __init__(self, answers, interactive=True):
        self.answers = list(answers)
        self.interactive = interactive
        self.written: list[str] = []

    def write(self, text):
        self.written.append(text)

    def read_line(self, prompt, secret=False):
        self.written.append(prompt)
        return self.answers.pop(0) if self.answers else None


@cmdlet("Test-BindStrict", class_name="Test.BindStrictCmdlet")
class BindStrict(Cmdlet):
    Count = Parameter("int", from_pipeline=True, mandatory=True)


@cmdlet("Test-BindNoInput", class_name="Test.BindNoInputCmdlet")
class BindNoInput(Cmdlet):
    Name = Parameter("string", position=0)


@cmdlet("Test-BindTwoKeys", class_name="Test.BindTwoKeysCmdlet")
class BindTwoKeys(Cmdlet):
    Identity = Parameter("string", from_pipeline_by_property=True, mandatory=True)
    Pin = Parameter("string", from_pipeline_by_property=True, mandatory=True, aliases=("Code",))


# --- by value / by property name -----------------------------------------------------------------

def test_string_binds_identity_by_value():
    b = bind(BindPin)
    record = b.bind_pipeline_object("sip:kenmyer@litwareinc.com")
    assert record == {"Identity": "sip:kenmyer@litwareinc.com"}


def test_pin_info_object_binds_its_identity_property():
    b = bind(BindPin)
    assert b.bind_pipeline_object(pin_info("sip:pilar@litwareinc.com")) == {"Identity": "sip:pilar@litwareinc.com"}


def test_user_object_binds_by_value_as_the_object_itself():
    user = ad_user("Ken Myer")
    assert bind(BindPin).bind_pipeline_object(user)["Identity"] is user


def test_parameter_bound_on_command_line_is_not_taken_from_the_pipeline():
    b = bind(BindPin, par("Identity"), val("Ken Myer"))
    with pytest.raises(PSError) as info:
        b.bind_pipeline_object("sip:x@litwareinc.com")
    record = info.value.record
    assert record.error_id == "InputObjectNotBound"
    assert record.target == "sip:x@litwareinc.com"
    assert record.category_info == "InvalidArgument: (sip:x@litwareinc.com:String) [Test-BindPin], " \
                                   "ParameterBindingException"


def test_command_without_pipeline_parameters_rejects_input():
    with pytest.raises(PSError) as info:
        bind(BindNoInput).bind_pipeline_object(5)
    assert info.value.record.message.startswith("The input object cannot be bound to any parameters")


def test_by_value_converts_when_no_exact_match():
    assert bind(BindStrict).bind_pipeline_object("42") == {"Count": 42}


def test_unconvertible_input_is_not_bound():
    with pytest.raises(PSError) as info:
        bind(BindStrict).bind_pipeline_object("many")
    assert info.value.record.error_id == "InputObjectNotBound"


def test_by_property_name_uses_aliases_and_reports_missing_mandatory():
    b = bind(BindTwoKeys)
    row = PSObject([("Identity", "Ken Myer"), ("Code", 80417)])
    assert b.bind_pipeline_object(row) == {"Identity": "Ken Myer", "Pin": "80417"}
    with pytest.raises(PSError) as info:
        b.bind_pipeline_object(PSObject([("Identity", "Ken Myer")]))
    assert info.value.record.error_id == "InputObjectMissingMandatory"
    assert info.value.record.message.endswith("all mandatory parameters: Pin")


def test_hashtable_keys_do_not_bind_by_property_name():
    """PowerShell binds a hashtable's own properties, never its keys (PowerShell/PowerShell#13981)."""
    b = bind(BindTwoKeys)
    with pytest.raises(PSError) as info:
        b.bind_pipeline_object(PSHashtable([("Identity", "Ken Myer"), ("Pin", "80417")]))
    assert info.value.record.error_id == "InputObjectNotBound"


@cmdlet("Test-BindCount", class_name="Test.BindCountCmdlet")
class BindCount(Cmdlet):
    Count = Parameter("int", from_pipeline_by_property=True, mandatory=True)


def test_hashtable_binds_its_own_count_property():
    table = PSHashtable([("Count", 99), ("a", 1), ("b", 2)])
    assert bind(BindCount).bind_pipeline_object(table) == {"Count": 3}


def test_null_property_value_for_mandatory_parameter_is_rejected():
    with pytest.raises(PSError) as info:
        bind(BindPin).bind_pipeline_object(PSObject([("Identity", None)]))
    assert info.value.record.error_id == "ParameterArgumentValidationErrorNullNotAllowed"


def test_where_like_input_object_binds_every_record():
    b = bind(BindWhere, val(ScriptBlock("$_.IsLockedOut", None)))
    obj = pin_info("sip:a@litwareinc.com")
    record = b.bind_pipeline_object(obj)
    assert record["InputObject"] is obj and record.parameter_set == "ScriptBlockSet"


def test_delay_bound_script_block_runs_per_record():
    b = bind(BindPin, par("Identity"), val(ScriptBlock("$_.SipAddress", None)))
    row = PSObject([("SipAddress", "sip:lisaj@litwareinc.com")])
    record = b.bind_pipeline_object(row, invoke=lambda block, obj: [obj.get("SipAddress")])
    assert record == {"Identity": "sip:lisaj@litwareinc.com"}


def test_delay_bound_script_block_without_input_is_an_error():
    b = bind(BindPin, par("Identity"), val(ScriptBlock("$_.SipAddress", None)), pipeline=False)
    with pytest.raises(PSError) as info:
        b.bind_pipeline_object(None)
    assert info.value.record.error_id == "ScriptBlockArgumentNoInput"


# --- apply ---------------------------------------------------------------------------------------

def test_apply_sets_attributes_bound_and_resets_pipeline_values_between_records():
    b = bind(BindPin, par("Force"), par("ErrorAction"), val("SilentlyContinue"))
    instance = BindPin()
    b.apply(instance, b.bind_pipeline_object("sip:a@litwareinc.com"))
    assert instance.Identity == "sip:a@litwareinc.com" and instance.Force is True and instance.Pin is None
    assert instance.bound == {"Force": True, "Identity": "sip:a@litwareinc.com", "ErrorAction": "SilentlyContinue"}
    b.apply(instance)
    assert instance.Identity is None and "Identity" not in instance.bound


def test_apply_records_the_parameter_set():
    b = bind(BindWhere, val("Name"), par("EQ"), val(5), pipeline=False)
    instance = BindWhere()
    b.apply(instance)
    assert instance.set_name == "EqualSet" and instance.Property == "Name" and instance.GT is False


# --- prompting -----------------------------------------------------------------------------------

def test_prompt_writes_powershell_caption_and_binds_answers():
    b = bind(BindNoSets, pipeline=False)
    host = ScriptedHost(["Ken Myer", "80417"])
    prompt_missing_mandatory(b, host, "Test-BindNoSets", 1)
    assert "".join(host.written) == ("cmdlet Test-BindNoSets at command pipeline position 1\n"
                                     "Supply values for the following parameters:\nIdentity: Pin: ")
    assert b.values == {"Identity": "Ken Myer", "Pin": "80417"}
    assert b.missing_mandatory() == []


def test_empty_prompt_answer_is_missing_mandatory_error():
    b = bind(BindNoSets, pipeline=False)
    with pytest.raises(PSError) as info:
        prompt_missing_mandatory(b, ScriptedHost(["Ken Myer", ""]), "Test-BindNoSets", 2)
    record = info.value.record
    assert record.error_id == "MissingMandatoryParameter"
    assert record.message == "Cannot process command because of one or more missing mandatory parameters: Pin."


def test_non_interactive_host_fails_without_prompting():
    b = bind(BindNoSets, pipeline=False)
    host = ScriptedHost(["never"], interactive=False)
    with pytest.raises(PSError) as info:
        prompt_missing_mandatory(b, host, "Test-BindNoSets", 1)
    assert host.written == []
    assert info.value.record.message.endswith("missing mandatory parameters: Identity Pin.")


def test_nothing_missing_means_no_prompt():
    b = bind(BindPin, pipeline=True)
    host = ScriptedHost([])
    prompt_missing_mandatory(b, host, "Test-BindPin", 2)
    assert host.written == []


def test_array_parameter_is_prompted_element_by_element():
    @cmdlet("Test-BindPromptArray")
    class PromptArray(Cmdlet):
        Names = Parameter("string[]", mandatory=True)
    b = bind(PromptArray, pipeline=False)
    host = ScriptedHost(["a", "b", ""])
    prompt_missing_mandatory(b, host, "Test-BindPromptArray", 1)
    assert b.values == {"Names": ["a", "b"]}
    assert "Names[0]: " in host.written and "Names[2]: " in host.written
