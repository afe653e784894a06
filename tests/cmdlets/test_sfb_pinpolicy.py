"""Get/New/Set/Remove/Grant-CsPinPolicy."""
from __future__ import annotations

import pytest

from csshell.runtime.errors import PSError
from csshell.runtime.values import PSObject
from csshell.store.policy import PinPolicy

from test_sfb_support import run, seeded_file, session, store_path  # noqa: F401


def test_global_policy_defaults(session) -> None:
    [policy] = run(session, "Get-CsPinPolicy").output
    assert policy.type_names == ["Microsoft.Rtc.Management.WritableConfig.Policy.UserPin.UserPinPolicy"]
    assert policy.items() == [("Identity", "Global"), ("Description", None), ("MinPasswordLength", 5),
                              ("PINHistoryCount", 0), ("AllowCommonPatterns", False), ("PINLifetime", 0),
                              ("MaximumLogonAttempts", None)]


def test_identity_and_filter(session) -> None:
    directory = session.store.directory
    directory.save_pin_policy(PinPolicy(identity="site:Redmond", min_password_length=6))
    directory.save_pin_policy(PinPolicy(identity="tag:Strict", description="Finance", min_password_length=10))
    assert [p.get("Identity") for p in run(session, "Get-CsPinPolicy").output] == ["Global", "site:Redmond",
                                                                                  "tag:Strict"]
    [strict] = run(session, "Get-CsPinPolicy", Identity="Strict").output
    assert strict.get("MinPasswordLength") == 10 and strict.get("Description") == "Finance"
    assert run(session, "Get-CsPinPolicy", Identity="global").output[0].get("Identity") == "Global"
    assert [p.get("Identity") for p in run(session, "Get-CsPinPolicy", Filter="site:*").output] == ["site:Redmond"]


def test_missing_policy_is_not_found(session) -> None:
    ctx = run(session, "Get-CsPinPolicy", Identity="Nope")
    [record] = ctx.errors
    assert record.message == 'Cannot get "PinPolicy" "tag:Nope" because it does not exist.'
    assert record.category == "ObjectNotFound"


def test_wildcards_not_allowed_in_identity(session) -> None:
    with pytest.raises(PSError) as info:
        run(session, "Get-CsPinPolicy", Identity="site:*")
    assert "Use the Filter parameter" in info.value.record.message


# --- New/Set/Remove/Grant-CsPinPolicy ------------------------------------------------------------

def _identities(session) -> list[str]:
    return [p.get("Identity") for p in run(session, "Get-CsPinPolicy").output]


def test_new_creates_site_and_bare_name_tag_policies(session) -> None:
    [site] = run(session, "New-CsPinPolicy", Identity="site:Redmond", MinPasswordLength=7).output
    assert site.get("Identity") == "site:Redmond" and site.get("MinPasswordLength") == 7
    [tag] = run(session, "New-CsPinPolicy", Identity="Strict", PINHistoryCount=3, PINLifetime=30).output
    assert tag.get("Identity") == "tag:Strict" and tag.get("PINLifetime") == 30
    assert _identities(session) == ["Global", "site:Redmond", "tag:Strict"]
    actions = [(e["action"], e["target"]) for e in session.store.directory.audit_entries()]
    assert ("New-CsPinPolicy", "tag:Strict") in actions


def test_new_refuses_global_and_existing(session) -> None:
    assert "global policy always exists" in run(session, "New-CsPinPolicy", Identity="global").errors[0].message
    run(session, "New-CsPinPolicy", Identity="Strict")
    [record] = run(session, "New-CsPinPolicy", Identity="tag:strict").errors
    assert record.message == 'Cannot create "PinPolicy" "tag:Strict" because it already exists.'
    assert run(session, "New-CsPinPolicy", Identity="service:x").errors[0].category == "InvalidArgument"


@pytest.mark.parametrize(("parameter", "value", "bound"), [
    ("MinPasswordLength", 3, "minimum allowed range of 4"), ("MinPasswordLength", 25, "maximum allowed range of 24"),
    ("PINHistoryCount", 21, "maximum allowed range of 20"), ("PINLifetime", 1000, "maximum allowed range of 999"),
    ("MaximumLogonAttempts", 0, "minimum allowed range of 1"),
    ("MaximumLogonAttempts", 1000, "maximum allowed range of 999")])
def test_ranges_name_parameter_and_range(session, parameter: str, value: int, bound: str) -> None:
    for name, identity in (("New-CsPinPolicy", "Strict"), ("Set-CsPinPolicy", None)):
        ctx = run(session, name, **({"Identity": identity} if identity else {}), **{parameter: value})
        [record] = ctx.errors
        assert f"parameter '{parameter}'" in record.message and bound in record.message
    assert _identities(session) == ["Global"]
    assert run(session, "Get-CsPinPolicy").output[0].get(parameter) != value


def test_lifetime_needs_history(session) -> None:
    [record] = run(session, "New-CsPinPolicy", Identity="Y", PINLifetime=5).errors
    assert "PINHistoryCount must be between 1 and 20" in record.message and "PINLifetime 5" in record.message
    assert run(session, "Set-CsPinPolicy", PINLifetime=5).errors
    assert not run(session, "Set-CsPinPolicy", PINLifetime=5, PINHistoryCount=1).errors
    assert run(session, "Set-CsPinPolicy", PINHistoryCount=0).errors      # would break the rule too


def test_set_defaults_to_global_and_outputs_nothing(session) -> None:
    ctx = run(session, "Set-CsPinPolicy", MinPasswordLength=8, Description="All")
    assert ctx.output == [] and ctx.should_process_calls == [("Global", "Set-CsPinPolicy")]
    [policy] = run(session, "Get-CsPinPolicy").output
    assert policy.get("MinPasswordLength") == 8 and policy.get("Description") == "All"
    assert policy.get("PINHistoryCount") == 0          # untouched properties keep their values


def test_set_missing_policy_is_not_found(session) -> None:
    [record] = run(session, "Set-CsPinPolicy", Identity="nope", MinPasswordLength=6).errors
    assert record.category == "ObjectNotFound" and "tag:nope" in record.message


def test_set_instance_commits_in_memory_and_piped_objects(session) -> None:
    [draft] = run(session, "New-CsPinPolicy", Identity="Mem", InMemory=True, MinPasswordLength=9).output
    assert _identities(session) == ["Global"]          # -InMemory saves nothing
    run(session, "Set-CsPinPolicy", Instance=draft)
    [saved] = run(session, "Get-CsPinPolicy", Identity="Mem").output
    assert saved.get("MinPasswordLength") == 9
    run(session, "Set-CsPinPolicy", Instance=saved, AllowCommonPatterns=True)
    assert run(session, "Get-CsPinPolicy", Identity="Mem").output[0].get("AllowCommonPatterns") is True


def test_set_instance_bad_value_is_an_error_record(session) -> None:
    [draft] = run(session, "New-CsPinPolicy", Identity="Mem", InMemory=True).output
    # a policy copied from a remote session is a plain property bag: its values are checked on commit
    bad = PSObject([(k, "abc" if k == "MinPasswordLength" else v) for k, v in draft.items()],
                   type_names=["Deserialized." + draft.type_names[0]])
    [record] = run(session, "Set-CsPinPolicy", Instance=bad).errors
    assert "MinPasswordLength" in record.message and _identities(session) == ["Global"]


def test_whatif_changes_nothing(session) -> None:
    ctx = run(session, "New-CsPinPolicy", whatif=True, Identity="site:Oslo")
    assert ctx.should_process_calls == [("site:Oslo", "New-CsPinPolicy")] and ctx.output == []
    run(session, "Set-CsPinPolicy", whatif=True, MinPasswordLength=9)
    assert _identities(session) == ["Global"]
    assert run(session, "Get-CsPinPolicy").output[0].get("MinPasswordLength") == 5


def test_remove_deletes_and_resets_global(session) -> None:
    run(session, "New-CsPinPolicy", Identity="site:Redmond")
    run(session, "Set-CsPinPolicy", MinPasswordLength=10)
    policies = run(session, "Get-CsPinPolicy").output
    ctx = run(session, "Remove-CsPinPolicy", inputs=policies)
    assert ctx.errors == [] and ctx.output == []
    [policy] = run(session, "Get-CsPinPolicy").output
    assert policy.get("Identity") == "Global" and policy.get("MinPasswordLength") == 5
    assert run(session, "Remove-CsPinPolicy", Identity="site:Nope").errors[0].category == "ObjectNotFound"


def test_grant_assigns_unassigns_and_sets_effective_policy(session) -> None:
    directory = session.store.directory
    run(session, "New-CsPinPolicy", Identity="Strict", MinPasswordLength=10)
    assert run(session, "Grant-CsPinPolicy", Identity="Ken Myer", PolicyName="Strict").output == []
    [user] = run(session, "Get-CsUser", Identity="Ken Myer").output
    assert user.get("PinPolicy") == "Strict"
    [record] = directory.resolve_targets("Ken Myer")
    assert directory.effective_pin_policy(record).identity == "tag:Strict"
    [shown] = run(session, "Grant-CsPinPolicy", Identity="Ken Myer", PolicyName=None, PassThru=True).output
    assert shown.get("PinPolicy") is None
    [record] = directory.resolve_targets("Ken Myer")
    assert directory.effective_pin_policy(record).identity == "Global"
    assert ("Grant-CsPinPolicy", "sip:kenmyer@litwareinc.com") in [(e["action"], e["target"]) for e in directory.audit_entries()]


def test_grant_unknown_policy_is_an_error_and_changes_nothing(session) -> None:
    ctx = run(session, "Grant-CsPinPolicy", Identity="Ken Myer", PolicyName="Nope")
    [record] = ctx.errors
    assert record.category == "ObjectNotFound" and "tag:Nope" in record.message
    assert ctx.should_process_calls == []
    assert run(session, "Get-CsUser", Identity="Ken Myer").output[0].get("PinPolicy") is None


def test_site_policy_applies_to_users_with_a_site(session) -> None:
    directory = session.store.directory
    run(session, "New-CsPinPolicy", Identity="site:Redmond", MinPasswordLength=7)
    [user] = directory.resolve_targets("Ken Myer")
    assert directory.effective_pin_policy(user).identity == "Global"       # no Site in the directory
    sited = type(user)(user.doc_id, dict(user.doc, Site="Redmond"))
    assert directory.effective_pin_policy(sited).identity == "site:Redmond"
