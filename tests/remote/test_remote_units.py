"""The server's small parts on their own: settings, throttle arithmetic, host key files, role filtering."""
from __future__ import annotations

import pytest

from csshell.remote import hostkey
from csshell.remote.command import config_from_args
from csshell.remote.config import ServerConfig, parse_listen
from csshell.remote.sandbox import command_filter, private_environment
from csshell.remote.session_engine import Identity, role_cmdlets
from csshell.remote.throttle import SignInThrottle


@pytest.mark.parametrize("text, expected", [
    ("127.0.0.1:2222", ("127.0.0.1", 2222)), ("2200", ("127.0.0.1", 2200)), (":2222", ("", 2222)),
    ("[::1]:22", ("::1", 22)), ("0.0.0.0:0", ("0.0.0.0", 0)),
])
def test_listen_addresses(text, expected):
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text, message", [("host:http", "'http' is not a port number."),
                                           ("host:70000", "The port 70000 is outside the range 0-65535.")])
def test_bad_listen_addresses(text, message):
    with pytest.raises(ValueError, match=message):
        parse_listen(text)


def test_paths_default_beside_the_store(tmp_path):
    config = ServerConfig(str(tmp_path / "data" / "store.json"))
    assert config.host_key_path == str(tmp_path / "data" / "csshell_host_key")
    assert config.files_folder == str((tmp_path / "data" / "csshell_files").resolve())
    assert config.history_path("LITWAREINC\\Ken.Myer") == str(tmp_path / "data" / "csshell_history" /
                                                             "litwareinc_ken.myer.txt")
    assert config.history_path("../../etc/x").startswith(str(tmp_path / "data" / "csshell_history" / "_"))


def test_command_line_settings(tmp_path):
    config = config_from_args(["--listen", "0.0.0.0:2022", "--store", str(tmp_path / "s.json"), "--max-sessions",
                               "5", "--lockout", "30", "--files", str(tmp_path / "f"), "--hostname", "sfb"])
    assert (config.address, config.port, config.hostname) == ("0.0.0.0", 2022, "sfb")
    assert (config.limits.max_sessions, config.limits.lockout) == (5, 30.0)
    assert config.files_folder == str(tmp_path / "f")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_throttle_locks_after_the_limit_within_the_window_and_lifts_after_the_lockout():
    clock = FakeClock()
    throttle = SignInThrottle(limit=3, window=60, lockout=300, clock=clock)
    assert throttle.failed("account:a") == [] and throttle.failed("account:a") == []
    assert throttle.refused("account:a") is None
    assert throttle.failed("account:a") == ["account:a"]
    assert throttle.refused("address:x", "account:a") == "account:a"
    clock.now += 299
    assert throttle.refused("account:a") == "account:a"
    clock.now += 2
    assert throttle.refused("account:a") is None


def test_throttle_forgets_failures_older_than_the_window_and_after_success():
    clock = FakeClock()
    throttle = SignInThrottle(limit=2, window=60, lockout=300, clock=clock)
    throttle.failed("account:a")
    clock.now += 61
    assert throttle.failed("account:a") == []           # the first failure left the window
    throttle.succeeded("account:a")
    assert throttle.failed("account:a") == []           # success cleared the count


def test_host_key_created_with_mode_0600_and_read_back(tmp_path):
    path = tmp_path / "k"
    key = hostkey.load_or_create(str(path))
    assert (path.stat().st_mode & 0o777) == 0o600
    assert hostkey.fingerprint(hostkey.load_or_create(str(path))) == hostkey.fingerprint(key)


def test_a_damaged_host_key_is_reported(tmp_path):
    path = tmp_path / "k"
    path.write_text("garbage")
    path.chmod(0o600)
    with pytest.raises(hostkey.HostKeyError, match="cannot be read"):
        hostkey.load_or_create(str(path))


def test_helpdesk_filter_allows_pin_unlock_but_not_policy_changes():
    allows = command_filter(role_cmdlets(("CsHelpDesk",)))
    assert allows("Unlock-CsClientPin") and allows("lock-csclientpin") and allows("Where-Object")
    assert allows("Get-Content")                  # the path guard confines file cmdlets to the folder
    assert not allows("Set-CsPinPolicy") and not allows("Set-CsClientPin") and not allows("Import-CsDirectory")


def test_no_role_allows_nothing():
    assert role_cmdlets(()) == set()
    assert role_cmdlets(("NotARole",)) == set()


def test_private_environment_names_the_account_not_the_server():
    env = private_environment("litwareinc\\jhaas", "sfb01", "/srv/files")
    assert (env["USERNAME"], env["USERDOMAIN"], env["COMPUTERNAME"]) == ("jhaas", "LITWAREINC", "SFB01")
    assert "PATH" not in env


def test_origin_names_the_client_address_and_port():
    assert Identity("a", (), "127.0.0.1", 5000).origin == "ssh 127.0.0.1:5000"
    assert Identity("a", (), "::1", 5000).origin == "ssh [::1]:5000"
