"""No way out of a remote session: no program, no file outside the served folder, no server environment.

Most attempts run through a confined engine directly (the same engine an SSH channel builds, fast);
a few run end to end through the OpenSSH client. Every attempt must fail with a PowerShell-style error
record: its message, FullyQualifiedErrorId and category are checked.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from remote_support import ssh

from csshell.remote.config import ServerConfig
from csshell.remote.session_engine import Identity, build_engine
from csshell.runtime.host import BufferHost

NOT_RECOGNIZED = ("The term '{0}' is not recognized as the name of a cmdlet, function, script file, or operable "
                  "program. Check the spelling of the name, or if a path was included, verify that the path is "
                  "correct and try again.")


class Confined:
    """A remote session's engine for one role, outside any SSH connection."""

    def __init__(self, store: Path, role: str) -> None:
        self.config = ServerConfig(str(store), hostname="sfb01")
        os.makedirs(self.config.files_folder, exist_ok=True)
        self.host = BufferHost()
        self.engine = build_engine(self.host, self.config, Identity("litwareinc\\lisaj", (role,), "127.0.0.1", 50000))

    def run(self, text: str) -> tuple[str, str, bool]:
        self.host.out.clear()
        self.host.err.clear()
        ok = self.engine.run_command_text(text)
        return self.host.stdout, self.host.stderr, ok

    def last_error(self):
        return self.engine.session.errors[0]

    def close(self) -> None:
        self.engine.close()


@pytest.fixture
def admin(remote):
    session = Confined(remote.store, "CsAdministrator")
    yield session
    session.close()


def refused_command(session: Confined, text: str, name: str) -> None:
    out, err, ok = session.run(text)
    record = session.last_error()
    assert not ok and out == ""
    assert record.message == NOT_RECOGNIZED.format(name)
    assert (record.fully_qualified_error_id, record.category) == ("CommandNotFoundException", "ObjectNotFound")
    invoked_as = text[0] if text.startswith(("& ", ". ")) else name     # 5.1: "& : The term 'x' ..."
    assert err.startswith(f"{invoked_as} : The term '{name}' is not recognized")


@pytest.mark.parametrize("text, name", [
    ("id", "id"),
    ("sh -c 'id'", "sh"),
    ("/bin/sh -c id", "/bin/sh"),
    ("& /usr/bin/id", "/usr/bin/id"),
    ("& '/bin/ls' /", "/bin/ls"),
    ("Invoke-Expression 'id'", "Invoke-Expression"),
    ("iex 'ls /'", "iex"),
    ("Start-Process sh", "Start-Process"),
    ("python3 -c 'print(1)'", "python3"),
])
def test_no_operating_system_command_runs(admin, text, name):
    refused_command(admin, text, name)


def test_a_script_file_even_inside_the_folder_does_not_run(admin):
    script = Path(admin.config.files_folder) / "evil.ps1"
    script.write_text('"ran"\n')
    refused_command(admin, "./evil.ps1", "./evil.ps1")
    refused_command(admin, ". ./evil.ps1", "./evil.ps1")


def access_denied(session: Confined, text: str, path: str, command: str) -> None:
    out, err, ok = session.run(text)
    record = session.last_error()
    assert not ok and out == ""
    assert record.message == f"Access to the path '{path}' is denied."
    assert record.category == "PermissionDenied"
    assert record.fully_qualified_error_id.startswith("UnauthorizedAccess")
    assert f"{command} : Access to the path '{path}' is denied." in err
    assert "UnauthorizedAccessException" in err


@pytest.mark.parametrize("text, path, command", [
    ("Get-Content /etc/passwd", "/etc/passwd", "Get-Content"),
    ("gc -Path /etc/hostname", "/etc/hostname", "Get-Content"),
    ("Import-Csv /etc/passwd", "/etc/passwd", "Import-Csv"),
    ("Get-Content /root/.ssh/id_ed25519", "/root/.ssh/id_ed25519", "Get-Content"),   # (~ is the session's $HOME)
    ("Test-Path /etc/shadow", "/etc/shadow", "Test-Path"),
    ("Import-CsDirectory -Path /etc/passwd", "/etc/passwd", "Import-CsDirectory"),
])
def test_no_file_outside_the_folder_is_read(admin, text, path, command):
    access_denied(admin, text, path, command)


def test_the_store_itself_is_outside_the_folder(admin, remote):
    access_denied(admin, "Get-Content ../store.json", str(remote.store), "Get-Content")


@pytest.mark.parametrize("text, command", [
    ('"x" | Out-File {path}', "Out-File"),
    ('Set-Content -Path {path} -Value x', "Set-Content"),
    ('Add-Content -Path {path} -Value x', "Add-Content"),
    ('Get-CsUser | Export-Csv {path}', "Export-Csv"),
    ('Export-CsDirectory -Path {path}', "Export-CsDirectory"),
])
def test_no_file_outside_the_folder_is_written(admin, tmp_path, text, command):
    target = tmp_path / "outside.txt"
    access_denied(admin, text.format(path=target), str(target), command)
    assert not target.exists()


def test_redirection_outside_the_folder_is_refused(admin, tmp_path):
    target = tmp_path / "redirected.txt"
    out, err, ok = admin.run(f'"x" > {target}')
    assert not ok and not target.exists() and out == ""
    assert f"Access to the path '{target}' is denied." in err
    assert admin.last_error().message == f"Access to the path '{target}' is denied."


def test_a_symbolic_link_out_of_the_folder_is_refused(admin):
    link = Path(admin.config.files_folder) / "etc"
    if not link.exists():
        link.symlink_to("/etc")
    access_denied(admin, "Get-Content etc/passwd", str(link / "passwd"), "Get-Content")


def test_files_inside_the_folder_can_be_written_and_read(admin):
    out, err, ok = admin.run('Get-CsUser | Select-Object DisplayName | Export-Csv users.csv; '
                             '(Get-CsUser).Count; (Import-Csv users.csv).Count; "note" | Out-File note.txt; '
                             'Get-Content ./note.txt')
    assert (err, ok) == ("", True)
    users, imported, note = out.split()
    assert (imported, note) == (users, "note") and int(users) > 10
    assert (Path(admin.config.files_folder) / "users.csv").is_file()


def test_the_session_starts_in_the_folder(admin):
    out, _, _ = admin.run("$PWD; $HOME")
    assert out.split() == [admin.config.files_folder] * 2


def test_the_environment_is_private(admin):
    os.environ["CSSHELL_TEST_SECRET"] = "server-secret"
    try:
        out, err, ok = admin.run('"[$env:CSSHELL_TEST_SECRET][$env:PATH]"; $env:CSSHELL_TEST_SECRET = "changed"; '
                                 '$env:csshell_test_secret')
        assert (out.split(), err, ok) == (["[][]", "changed"], "", True)
        assert os.environ["CSSHELL_TEST_SECRET"] == "server-secret"
    finally:
        del os.environ["CSSHELL_TEST_SECRET"]


@pytest.mark.parametrize("text", [
    "[System.IO.File]::ReadAllText('/etc/passwd')",
    "[System.Diagnostics.Process]::Start('sh')",
    "New-Object System.Net.WebClient",
])
def test_no_dotnet_type_reaches_the_system(admin, text):
    out, err, ok = admin.run(text)
    assert not ok and out == "" and err != ""
    record = admin.last_error()
    assert record.category in ("InvalidOperation", "InvalidType")
    assert "passwd" not in out


def test_python_objects_are_not_reachable(admin):
    out, err, ok = admin.run('$u = Get-CsUser "Ken Myer"; "[$($u.__class__)][$($u.__dict__)][$("x".__class__)]"')
    assert (out.strip(), err, ok) == ("[][][]", "", True)


def test_refusals_end_to_end_through_ssh(remote, server):
    result = ssh(server, remote.accounts["admin"], "Get-Content /etc/passwd; & /bin/sh -c id; Get-Content ../store.json")
    assert result.returncode == 1
    assert "root:" not in result.stdout and result.stdout == ""
    assert result.stderr.count("UnauthorizedAccessException") == 2
    assert "+ FullyQualifiedErrorId : UnauthorizedAccess,Microsoft.PowerShell.Commands.GetContentCommand" in result.stderr
    assert "& : The term '/bin/sh' is not recognized" in result.stderr
