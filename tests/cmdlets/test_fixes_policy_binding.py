"""Set/Remove/New-CsPinPolicy with the wrong objects and values (fresh-user report): binding-style errors, never a
Python error; explicit parameters win over -Instance; $null restores the automatic lockout limit; typed properties
on policy objects; policy-name rules."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from engine_support import error_ids
from test_sfb_support import FakeSession, run

from csshell.runtime.values import PSObject
from csshell.store import open_store
from csshell.store.policy import MAX_NAME_LENGTH, TYPE_NAME, PinPolicy

NOT_BOUND = ("The input object cannot be bound to any parameters for the command either because the command does "
             "not take pipeline input or the input and its properties do not match any of the parameters that take "
             "pipeline input.")


def global_min_length(shell: RunText) -> str:
    return shell("(Get-CsPinPolicy Global).MinPasswordLength")[0].strip()


# --- 1, 2: what -Instance accepts ----------------------------------------------------------------------

@pytest.mark.parametrize("source", ['"site:Redmond"', "1", 'Get-CsUser "Ken Myer"',
                                    '[pscustomobject]@{Identity="Global"}'])
def test_piped_objects_that_are_not_policies_are_not_bound(shell, source: str) -> None:
    out, err = shell(f"{source} | Set-CsPinPolicy -MinPasswordLength 6; 'after'")
    assert out == "after\n"                                  # non-terminating: the script goes on
    assert NOT_BOUND in err and error_ids(err) == ["InputObjectNotBound"]
    assert "ParameterBindingException" in err and "object has no attribute" not in err
    assert "is not a whole number" not in err                # the old message blamed the explicit 6
    assert global_min_length(shell) == "5"


def test_each_piped_non_policy_is_its_own_error(shell) -> None:
    out, err = shell('"a", (Get-CsPinPolicy Global), "b" | Set-CsPinPolicy -MinPasswordLength 6')
    assert out == ""
    assert error_ids(err) == ["InputObjectNotBound", "InputObjectNotBound"]
    assert global_min_length(shell) == "6"                   # the policy in between was saved


@pytest.mark.parametrize(("argument", "message", "error_id"), [
    ('"Global"', ('Cannot bind parameter \'Instance\'. Cannot convert the "Global" value of type "System.String" '
                  f'to type "{TYPE_NAME}".'), "CannotConvertArgumentNoMessage"),
    ("(Get-Date -Year 2026 -Month 3 -Day 14 -Hour 9 -Minute 30 -Second 0)",
     ('Cannot bind parameter \'Instance\'. Cannot convert the "3/14/2026 9:30:00 AM" value of type '
      f'"System.DateTime" to type "{TYPE_NAME}".'), "CannotConvertArgumentNoMessage"),
    ("@(1,2)", (f"Cannot convert 'System.Object[]' to the type '{TYPE_NAME}' required by parameter 'Instance'. "
                "Specified method is not supported."), "CannotConvertArgument")])
def test_instance_arguments_that_are_not_policies_are_binding_errors(shell, argument: str, message: str,
                                                                      error_id: str) -> None:
    out, err = shell(f"Set-CsPinPolicy -Instance {argument} -MinPasswordLength 6; 'after'")
    assert out == "after\n"                                  # statement-terminating, as a binding error is
    assert err.startswith(f"Set-CsPinPolicy : {message}\n") and error_ids(err) == [error_id]
    assert global_min_length(shell) == "5"


def test_instance_null_is_refused(shell) -> None:
    out, err = shell("Set-CsPinPolicy -Instance $null -MinPasswordLength 6")
    assert out == ""
    assert err.startswith("Set-CsPinPolicy : Cannot bind argument to parameter 'Instance' because it is null.\n")
    assert error_ids(err) == ["ParameterArgumentValidationErrorNullNotAllowed"]
    assert global_min_length(shell) == "5"


def test_explicit_parameters_win_over_the_instance(shell) -> None:
    out, err = shell("$p = Get-CsPinPolicy Global; $p.MinPasswordLength = 9; "
                     "Set-CsPinPolicy -Instance $p -MinPasswordLength 8 -PINHistoryCount 2")
    assert (out, err) == ("", "")
    assert global_min_length(shell) == "8"
    assert shell("(Get-CsPinPolicy Global).PINHistoryCount")[0] == "2\n"


def test_a_remote_copy_missing_properties_keeps_defaults_and_the_explicit_value(tmp_path: Path,
                                                                                 seeded_store_file: Path) -> None:
    shutil.copyfile(seeded_store_file, tmp_path / "store.json")
    store = open_store(str(tmp_path / "store.json"), lock_timeout=2)
    try:
        session = FakeSession(store)
        copy = PSObject([("Identity", "Global"), ("MinPasswordLength", "not a number")],
                        type_names=["Deserialized." + TYPE_NAME])
        ctx = run(session, "Set-CsPinPolicy", Instance=copy, MinPasswordLength=6)
        assert ctx.errors == []                              # the bad value is overridden, so never read
        assert store.directory.global_pin_policy() == PinPolicy(min_password_length=6)
    finally:
        store.close()


# --- 2: Remove-CsPinPolicy fed with users ------------------------------------------------------------

def test_piped_users_are_not_policies_to_remove(shell) -> None:
    out, err = shell('Get-CsUser "Ken*" | Remove-CsPinPolicy -WhatIf')
    assert "What if" not in out                              # no phantom target
    lines = [line for line in err.splitlines() if line.startswith("Remove-CsPinPolicy : ")]
    assert len(lines) == 3 and error_ids(err) == ["ItemNotFound"] * 3
    assert lines[0] == ('Remove-CsPinPolicy : Cannot remove "PinPolicy" "tag:CN=Ken Myer,OU=Redmond,DC=litwareinc,'
                        'DC=com" because it does not exist. The piped object is a user: its Identity is the user\'s '
                        "distinguished name, not a PIN policy. To take a per-user PIN policy away from users, use "
                        "Grant-CsPinPolicy -PolicyName $null.")


def test_remove_of_a_missing_policy_says_so_before_whatif(shell) -> None:
    out, err = shell("Remove-CsPinPolicy -Identity Nope -WhatIf")
    assert out == "" and 'Cannot remove "PinPolicy" "tag:Nope" because it does not exist.\n' in err
    assert "piped object" not in err


# --- 3: MaximumLogonAttempts is nullable ---------------------------------------------------------------

def test_maximum_logon_attempts_null_restores_the_automatic_limit(shell) -> None:
    assert shell("Set-CsPinPolicy -MaximumLogonAttempts 3; (Get-CsPinPolicy).MaximumLogonAttempts") == ("3\n", "")
    out, err = shell("Set-CsPinPolicy -MaximumLogonAttempts $null; $null -eq (Get-CsPinPolicy).MaximumLogonAttempts")
    assert (out, err) == ("True\n", "")


def test_maximum_logon_attempts_range_is_still_checked_before_whatif(shell) -> None:
    out, err = shell("Set-CsPinPolicy -MaximumLogonAttempts 1000 -WhatIf")
    assert out == "" and "Cannot validate argument on parameter 'MaximumLogonAttempts'. The 1000 argument is " \
                         "greater than the maximum allowed range of 999." in err


# --- 7: typed properties and names ----------------------------------------------------------------------

def test_policy_properties_are_typed(shell) -> None:
    out, err = shell('$p = New-CsPinPolicy T -InMemory; $p.MinPasswordLength = "abc"; $p.MinPasswordLength')
    assert out == "5\n"                                      # unchanged
    assert err.startswith('Exception setting "MinPasswordLength": "Cannot convert value "abc" to type '
                          '"System.UInt32". Error: "Input string was not in a correct format.""\n')
    assert "CategoryInfo          : NotSpecified: (:) [], SetValueInvocationException" in err
    assert error_ids(err) == ["ExceptionWhenSetting"]
    out, err = shell('$p = New-CsPinPolicy T -InMemory; $p.MinPasswordLength = "7"; $p.MinPasswordLength + 1; '
                     "$p.MaximumLogonAttempts = 4; $p.MaximumLogonAttempts = $null; $null -eq $p.MaximumLogonAttempts")
    assert (out, err) == ("8\nTrue\n", "")
    out, err = shell("$p = New-CsPinPolicy T -InMemory; $p.PINLifetime = -1")
    assert 'Cannot convert value "-1" to type "System.UInt64". Error: "Value was either too large or too small ' \
           'for a UInt64."' in err


def test_a_typed_value_commits(shell) -> None:
    out, err = shell('$p = New-CsPinPolicy T -InMemory; $p.MinPasswordLength = "7"; Set-CsPinPolicy -Instance $p; '
                     "(Get-CsPinPolicy T).MinPasswordLength")
    assert (out, err) == ("7\n", "")


@pytest.mark.parametrize(("identity", "problem"), [
    ("tag:a b/c\\d", 'the name contains "/".'),
    ("x" * 5000, "the name is 5000 characters long."),
    ("site: Redmond", "the name must begin with a letter or a digit"),
    ("Strict*", 'the name contains "*".')])
def test_bad_policy_names_are_refused(shell, identity: str, problem: str) -> None:
    out, err = shell(f"New-CsPinPolicy '{identity}'")
    assert out == "" and problem in err and error_ids(err) == ["InvalidIdentity"]
    assert f"A policy name has 1 to {MAX_NAME_LENGTH} characters" in err
    assert len(err.splitlines()[0]) < 400                    # a 5000-character name is not echoed whole
    assert shell("(Get-CsPinPolicy).Count")[0] == "1\n"


@pytest.mark.parametrize("identity", ["Strict-2_v.1", "Finance Users", "site:Redmond", "x" * MAX_NAME_LENGTH])
def test_good_policy_names_are_created(shell, identity: str) -> None:
    out, err = shell(f"(New-CsPinPolicy '{identity}').Identity")
    assert err == "" and out.strip().endswith(identity)


def test_an_existing_policy_with_an_old_style_name_can_still_be_set(shell, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "store.json"), lock_timeout=2)
    try:
        with store.statement():
            store.directory.save_pin_policy(PinPolicy(identity="tag:a/b"))
    finally:
        store.close()
    out, err = shell("Get-CsPinPolicy 'a/b' | Set-CsPinPolicy -MinPasswordLength 9; (Get-CsPinPolicy 'a/b').MinPasswordLength")
    assert (out, err) == ("9\n", "")
