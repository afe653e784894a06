"""Get-PSSession -InstanceId binds a Guid as is; Remove-PSSession -ComputerName that matches no session errs."""
from __future__ import annotations

from client_support import home, shell  # noqa: F401  (fixtures)


def test_a_guid_value_binds_to_a_guid_parameter(shell):  # noqa: F811
    out, err = shell.run("Get-PSSession -InstanceId ([guid]::NewGuid()); 'after'")
    assert out.strip() == "after"
    assert "Cannot convert" not in err
    record = shell.engine.session.errors[0]
    assert record.fully_qualified_error_id == ("RemoteRunspaceNotAvailableForSpecifiedRunspaceId,"
                                               "Microsoft.PowerShell.Commands.GetPSSessionCommand")
    assert record.message.startswith("Remote session is not available for ")


def test_a_string_that_is_no_guid_fails_binding_with_dotnets_message(shell):  # noqa: F811
    _, err = shell.run("Get-PSSession -InstanceId abc")
    assert ("Cannot bind parameter 'InstanceId'. Cannot convert value \"abc\" to type \"System.Guid\". Error: "
            "\"Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).\"") in err


def test_remove_pssession_for_a_computer_with_no_session_is_a_non_terminating_error(shell):  # noqa: F811
    out, err = shell.run("Remove-PSSession -ComputerName nomatch; 'after'")
    assert out.strip() == "after"
    record = shell.engine.session.errors[0]
    assert record.category == "InvalidArgument" and record.reason == "ArgumentException"
    assert record.fully_qualified_error_id == ("RemoteRunspaceNotAvailableForSpecifiedComputer,"
                                               "Microsoft.PowerShell.Commands.RemovePSSessionCommand")
    assert err.startswith("Remove-PSSession : ")
