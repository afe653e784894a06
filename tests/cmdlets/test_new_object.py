"""New-Object: property bags in the order given, .NET collections, unknown types as error records."""
from csshell.engine import Engine
from csshell.runtime.host import BufferHost


def run(text: str) -> BufferHost:
    host = BufferHost()
    Engine(host).run_command_text(text)
    return host


def test_psobject_with_properties():
    host = run('$o = New-Object PSObject -Property @{Identity = "sip:a@b.c"; Locked = $true}; $o.Identity; $o.Locked')
    assert host.stdout.split() == ["sip:a@b.c", "True"]


def test_arraylist_add():
    host = run("$l = New-Object System.Collections.ArrayList; [void]$l.Add('x'); [void]$l.Add('y'); $l.Count")
    assert host.stdout.split() == ["2"], host.stderr


def test_unknown_type_is_an_error_record():
    host = run("New-Object No.Such.Type")
    assert "New-Object : " in host.stderr and "Traceback" not in host.stderr
