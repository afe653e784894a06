"""Get-CsPinPolicy."""
from __future__ import annotations

import pytest

from csshell.runtime.errors import PSError
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
