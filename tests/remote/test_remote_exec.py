"""The exec channel through the Debian OpenSSH client: output, errors, exit status, roles and the audit trail."""
from __future__ import annotations

from remote_support import audit, is_locked, local_run, ssh


def test_helpdesk_unlocks_a_pin_and_the_audit_names_the_account_and_address(remote, server):
    local_run(remote.store, 'Lock-CsClientPin -Identity "Ken Myer"')
    helpdesk = remote.accounts["helpdesk"]
    result = ssh(server, helpdesk, 'Unlock-CsClientPin -Identity "Ken Myer"')
    assert (result.returncode, result.stderr) == (0, ""), server.log
    assert not is_locked(remote.store, "Ken Myer")
    entry = audit(remote.store)[-1]
    assert entry["action"] == "Unlock-CsClientPin" and entry["target"] == "sip:kenmyer@litwareinc.com"
    assert entry["actor"] == helpdesk.logon
    assert entry["origin"].startswith("ssh 127.0.0.1:")


def test_helpdesk_cannot_change_a_pin_policy_it_is_not_recognized(remote, server):
    result = ssh(server, remote.accounts["helpdesk"], "Set-CsPinPolicy -Identity Global -MinPasswordLength 6")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("Set-CsPinPolicy : The term 'Set-CsPinPolicy' is not recognized as the name "
                                    "of a cmdlet, function, script file, or operable program.")
    assert "+ FullyQualifiedErrorId : CommandNotFoundException" in result.stderr
    assert "ObjectNotFound: (Set-CsPinPolicy:String) [], CommandNotFoundException" in result.stderr


def test_the_same_cmdlet_runs_for_an_administrator(remote, server):
    result = ssh(server, remote.accounts["admin"], "Set-CsPinPolicy -Identity Global -MinPasswordLength 6; "
                                                   "(Get-CsPinPolicy -Identity Global).MinPasswordLength")
    assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "6", "")


def test_get_command_lists_only_the_roles_cmdlets(remote, server):
    result = ssh(server, remote.accounts["helpdesk"], "Get-Command -Noun Cs* | ForEach-Object { $_.Name }")
    names = set(result.stdout.split())
    assert {"Lock-CsClientPin", "Unlock-CsClientPin", "Get-CsClientPinInfo", "Get-CsUser"} <= names
    assert not names & {"Set-CsPinPolicy", "Set-CsClientPin", "Import-CsDirectory", "Grant-CsAdminRole"}


def test_output_on_stdout_errors_on_stderr_and_exit_status_of_the_last_statement(remote, server):
    helpdesk = remote.accounts["helpdesk"]
    failed_last = ssh(server, helpdesk, '"before"; Get-CsClientPinInfo -Identity "Nobody Here"')
    assert failed_last.returncode == 1
    assert failed_last.stdout.strip() == "before"
    assert "Get-CsClientPinInfo :" in failed_last.stderr
    succeeded_last = ssh(server, helpdesk, 'Get-CsClientPinInfo -Identity "Nobody Here"; "after"')
    assert succeeded_last.returncode == 0
    assert succeeded_last.stdout.strip() == "after"


def test_exit_n_is_the_exit_status(remote, server):
    assert ssh(server, remote.accounts["helpdesk"], "exit 7").returncode == 7


def test_a_script_on_stdin_runs_when_no_command_is_given(remote, server):
    script = ('$users = Get-CsUser -Filter {DisplayName -like "Ken*"}\n'
              'foreach ($u in $users) {\n'
              '    "{0} locked={1}" -f $u.DisplayName, (Get-CsClientPinInfo $u.SipAddress).IsLockedOut\n'
              '}\n'
              'exit 4\n')
    result = ssh(server, remote.accounts["helpdesk"], stdin=script)
    assert result.returncode == 4, result.stderr
    assert "Ken Myer locked=" in result.stdout and "Ken Myers locked=" in result.stdout


def test_dash_reads_the_script_from_stdin(remote, server):
    result = ssh(server, remote.accounts["helpdesk"], "-", stdin='"from stdin"\n')
    assert (result.returncode, result.stdout.strip()) == (0, "from stdin")


def test_a_parse_error_runs_nothing_and_exits_1(remote, server):
    result = ssh(server, remote.accounts["helpdesk"], '"ok"; Get-CsUser -Filter {')
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Missing closing '}'" in result.stderr


def test_a_pin_set_remotely_is_audited_without_the_pin(remote, server):
    result = ssh(server, remote.accounts["useradmin"], 'Set-CsClientPin -Identity "Aidan Delaney" -Pin 5813906')
    assert result.returncode == 0, result.stderr
    entry = audit(remote.store)[-1]
    assert (entry["action"], entry["actor"]) == ("Set-CsClientPin", remote.accounts["useradmin"].logon)
    assert "5813906" not in str(entry)
