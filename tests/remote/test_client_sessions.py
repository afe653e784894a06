"""New-PSSession, Invoke-Command, Get-PSSession and Remove-PSSession against a real ``csshell serve`` on loopback."""
from __future__ import annotations

import re

import pytest
from client_support import ClientShell, connect_args, home, shell, trust  # noqa: F401  (fixtures)
from remote_support import audit, is_locked, local_run

GUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.fixture
def session(shell, server, remote):   # noqa: F811
    """A client shell with ``$s``: a PSSession of the help-desk account, signed in with its key."""
    trust(server, remote.store)
    out, err = shell.run(f"$s = New-PSSession {connect_args(server, remote.accounts['helpdesk'])}")
    assert (out, err) == ("", "")
    return shell


def test_new_pssession_returns_a_pssession_shown_as_5_1_shows_it(shell, server, remote):   # noqa: F811
    trust(server, remote.store)
    out, err = shell.run(f"New-PSSession {connect_args(server, remote.accounts['helpdesk'])}")
    assert err == ""
    lines = out.strip("\n").splitlines()
    assert lines[0].split() == ["Id", "Name", "ComputerName", "ComputerType", "State", "ConfigurationName",
                                "Availability"]
    assert lines[2].split() == ["1", "Runspace1", "127.0.0.1", "RemoteMachine", "Opened", "DefaultShell", "Available"]
    out, _ = shell.run('$x = Get-PSSession; "$x"; $x.GetType().FullName; $x.Transport; $x.InstanceId -match "^[0-9a-f-]{36}$"')
    assert out.split() == ["[PSSession]Runspace1", "System.Management.Automation.Runspaces.PSSession", "SSH", "True"]


def test_invoke_command_returns_deserialized_objects_with_pscomputername(session):
    out, err = session.run("$r = Invoke-Command -Session $s -ScriptBlock { Get-CsClientPinInfo -Identity 'Ken Myer' }\n"
                           "($r | Get-Member)[0].TypeName; $r.PSComputerName; $r.PSShowComputerName; "
                           "$r.RunspaceId -eq $s.InstanceId; $r.Identity; $r.IsPinSet")
    assert err == ""
    assert out.split() == ["Deserialized.Microsoft.Rtc.Management.UserPinService.PinInfoDetails", "127.0.0.1",
                           "True", "True", "sip:kenmyer@litwareinc.com", "True"]


def test_deserialized_results_are_formatted_here_with_the_computer_name(session):
    out, err = session.run("Invoke-Command -Session $s -ScriptBlock { Get-CsClientPinInfo -Identity 'Ken Myer' }")
    assert err == ""
    lines = [line for line in out.splitlines() if line]
    assert lines[0] == "Identity          : sip:kenmyer@litwareinc.com"
    assert lines[-2:] == ["PSComputerName    : 127.0.0.1", lines[-1]]
    assert re.fullmatch(f"RunspaceId        : {GUID}", lines[-1])
    assert "PSShowComputerName" not in out
    out, _ = session.run("Invoke-Command -Session $s { Get-CsUser -Filter {DisplayName -like 'Ken*'} | "
                         "Select-Object DisplayName } | Format-Table DisplayName, PSComputerName")
    assert out.strip("\n").splitlines()[2:] == ["Ken Myer    127.0.0.1", "Ken Myers   127.0.0.1",
                                                "Ken Myerson 127.0.0.1"]


def test_where_object_filters_deserialized_objects_on_the_client(session):
    out, err = session.run("$users = Invoke-Command -Session $s { Get-CsUser }\n"
                           "$ken = $users | Where-Object { $_.DisplayName -like 'Ken My*' -and $_.Enabled }\n"
                           "$ken.Count; $ken | Sort-Object DisplayName -Descending | ForEach-Object DisplayName")
    assert err == ""
    assert out.split() == ["3", "Ken", "Myerson", "Ken", "Myers", "Ken", "Myer"]


def test_a_session_keeps_its_variables_and_takes_arguments(session):
    out, err = session.run("Invoke-Command -Session $s { $count = 41 }\n"
                           "Invoke-Command $s { $count + 1 }\n"           # the session by position, as in 5.1
                           "Invoke-Command -Session $s { param($who, $n) (Get-CsUser $who).SamAccountName; $n * 2 } "
                           "-ArgumentList 'Ken Myer', 21\n"
                           "Invoke-Command -Session $s { $args.Count } -ArgumentList 1, 2, 3")
    assert err == ""
    assert out.split() == ["42", "kenmyer", "42", "3"]


def test_remote_errors_come_back_as_error_records_naming_the_computer(session):
    out, err = session.run("Invoke-Command -Session $s { 'before'; Get-CsClientPinInfo -Identity 'Nobody Here'; "
                           "'after' }")
    assert out.split() == ["before", "after"]
    assert not err.startswith("Invoke-Command :") and "At line:" not in err
    assert err.rstrip("\n").splitlines()[-1] == "    + PSComputerName        : 127.0.0.1"
    assert "[Get-CsClientPinInfo]" in err
    out, _ = session.run("Invoke-Command -Session $s { Get-CsClientPinInfo 'Nobody Here' } -ErrorAction SilentlyContinue "
                         "-ErrorVariable ev; $?; $ev.Count; $ev[0].Exception.GetType().FullName")
    assert out.split() == ["False", "1", "System.Management.Automation.RemoteException"]
    out, err = session.run("try { Invoke-Command -Session $s { throw 'bang' } -ErrorAction Stop } "
                           "catch { 'caught: ' + $_.Exception.Message }")
    assert (out.strip(), err) == ("caught: bang", "")


def test_the_help_desk_role_cannot_run_set_cspinpolicy_remotely(session):
    out, err = session.run("Invoke-Command -Session $s { Set-CsPinPolicy -Identity Global -MinPasswordLength 6 }")
    assert out == ""
    assert err == ("The term 'Set-CsPinPolicy' is not recognized as the name of a cmdlet, function, script file, "
                   "or operable program. Check the spelling of the name, or if a path was included, verify that the "
                   "path is correct and try again.\n"
                   "    + CategoryInfo          : ObjectNotFound: (Set-CsPinPolicy:String) [], CommandNotFoundException\n"
                   "    + FullyQualifiedErrorId : CommandNotFoundException\n"
                   "    + PSComputerName        : 127.0.0.1\n")
    out, _ = session.run("Invoke-Command -Session $s { Get-Command -Noun CsPinPolicy | ForEach-Object Name }")
    assert out.split() == ["Get-CsPinPolicy"]


def test_remoting_cmdlets_are_not_available_in_the_remote_session(session):
    _, err = session.run("Invoke-Command -Session $s { New-PSSession -HostName 127.0.0.1 }")
    assert "The term 'New-PSSession' is not recognized" in err and "PSComputerName        : 127.0.0.1" in err


def test_a_change_made_through_invoke_command_is_audited_as_the_remote_account(session, remote):
    local_run(remote.store, 'Lock-CsClientPin -Identity "Ken Myer"')
    out, err = session.run("Invoke-Command -Session $s { Unlock-CsClientPin -Identity 'Ken Myer' }")
    assert (out, err) == ("", "")
    assert not is_locked(remote.store, "Ken Myer")
    entry = audit(remote.store)[-1]
    assert (entry["action"], entry["actor"]) == ("Unlock-CsClientPin", remote.accounts["helpdesk"].logon)
    assert entry["origin"].startswith("ssh 127.0.0.1:")


def test_invoke_command_hostname_and_computername_open_a_session_for_one_command(shell, server, remote):   # noqa: F811
    trust(server, remote.store)
    args = connect_args(server, remote.accounts["helpdesk"])
    out, err = shell.run(f"Invoke-Command {args} {{ (Get-CsUser 'Ken Myer').SamAccountName }}; (Get-PSSession).Count")
    assert (out.split(), err) == (["kenmyer", "0"], "")
    cn_args = args.replace("-HostName", "-ComputerName")
    out, err = shell.run(f"Invoke-Command {cn_args} {{ Get-CsAdminRole CsHelpDesk | Select-Object Identity }} "
                         "| ForEach-Object { $_.Identity + '@' + $_.PSComputerName }")
    assert (out.split(), err) == (["CsHelpDesk@127.0.0.1"], "")


def test_hide_computer_name(session):
    out, err = session.run("Invoke-Command -Session $s { Get-CsClientPinInfo 'Ken Myer' } -HideComputerName")
    assert err == "" and "PSComputerName" not in out and "RunspaceId" in out
    out, _ = session.run("(Invoke-Command -Session $s { Get-CsClientPinInfo 'Ken Myer' } -HCN).PSShowComputerName")
    assert out.strip() == "False"


def test_a_removed_session_cannot_be_used(session):
    out, err = session.run("Remove-PSSession -Session $s; $s.State; $s.Availability; (Get-PSSession).Count")
    assert (out.split(), err) == (["Closed", "None", "0"], "")
    out, err = session.run("Invoke-Command -Session $s { 1 }")
    assert out == ""
    first = err.splitlines()[0]
    assert re.fullmatch(f"Invoke-Command : Because the session state for session Runspace1, {GUID}, 127.0.0.1 is not "
                        "equal to Open, you cannot run a command  in the session.  The session state is Closed.", first)
    assert "    + CategoryInfo          : InvalidOperation: ([PSSession]Runspace1:PSSession) [Invoke-Command], " \
           "InvalidRunspaceStateException" in err
    assert "    + FullyQualifiedErrorId : InvokeCommandCommandInvalidSessionState," \
           "Microsoft.PowerShell.Commands.InvokeCommandCommand" in err


def test_get_and_remove_pssession_by_id_name_and_pipeline(session, server, remote):
    args = connect_args(server, remote.accounts["helpdesk"])
    out, err = session.run(f"$t = New-PSSession {args} -Name Second\n"
                           "(Get-PSSession).Name; (Get-PSSession -Id 2).Name; (Get-PSSession -Name Run*).Id")
    assert (out.split(), err) == (["Runspace1", "Second", "Second", "1"], "")
    out, err = session.run("Get-PSSession -Name Second | Remove-PSSession; (Get-PSSession).Name; $t.State\n"
                           "Remove-PSSession -Id 1; (Get-PSSession).Count; $s.State")
    assert (out.split(), err) == (["Runspace1", "Closed", "0", "Closed"], "")


def test_a_deserialized_pssession_is_not_a_session(session):
    out, err = session.run("Invoke-Command -Session 'sfb01' { 1 }")
    assert out == ""
    assert "Cannot bind parameter 'Session'. Cannot convert the \"sfb01\" value of type \"System.String\" to type " \
           "\"System.Management.Automation.Runspaces.PSSession\"." in err


def test_invoke_command_without_a_session_runs_here_in_a_child_scope(shell):   # noqa: F811
    out, err = shell.run("$v = 1; Invoke-Command { $v = 2; $v + $args[0] } -ArgumentList 40; $v")
    assert (out.split(), err) == (["42", "1"], "")


def test_the_shell_closes_its_sessions_when_it_ends(shell, server, remote):   # noqa: F811
    trust(server, remote.store)
    shell.run(f"$s = New-PSSession {connect_args(server, remote.accounts['helpdesk'])}")
    view = shell.engine.session.get_variable("s")
    shell.close()
    assert view.get("State") == "Closed"


def test_select_first_stops_the_remote_command_and_the_session_goes_on(session):
    out, err = session.run("Invoke-Command -Session $s { Get-CsUser } | Select-Object -First 2 | ForEach-Object DisplayName\n"
                           "Invoke-Command -Session $s { 'next' }; $s.State")
    assert (out.split("\n")[:4], err) == (["Ken Myer", "Ken Myers", "next", "Opened"], "")


def test_a_server_shutdown_breaks_the_session_and_says_why(home, start_server, remote):   # noqa: F811
    own = start_server(remote.store)
    trust(own, remote.store)
    client = ClientShell()
    try:
        assert client.run(f"$s = New-PSSession {connect_args(own, remote.accounts['helpdesk'])}; $s.State")[0] == \
            "Opened\n"
        assert own.terminate() == 0
        out, err = client.run("Invoke-Command -Session $s { 1 }; $s.State")
    finally:
        client.close()
    assert out == "Broken\n"
    assert err.startswith("[127.0.0.1] An error has occurred which Windows PowerShell cannot handle. A remote session "
                          "might have ended. The csshell server is shutting down; this session ends now.\n")
    assert "FullyQualifiedErrorId : PSSessionStateBroken" in err
