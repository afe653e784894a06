"""Split-Path: parent by default, -Leaf, -IsAbsolute, -Qualifier on both separator styles."""
import pytest

from csshell.engine import Engine
from csshell.runtime.host import BufferHost


@pytest.fixture()
def run():
    def _run(text: str) -> str:
        host = BufferHost()
        engine = Engine(host)
        assert engine.run_command_text(text), host.stderr
        return host.stdout.strip()
    return _run


def test_parent_is_the_default(run):
    assert run("Split-Path '/srv/scripts/report.ps1'") == "/srv/scripts"


def test_leaf_of_a_windows_path(run):
    assert run(r"Split-Path -Leaf 'C:\Scripts\pins.csv'") == "pins.csv"


def test_parent_of_a_top_level_file(run):
    assert run("Split-Path '/report.ps1'") == "/"


def test_is_absolute(run):
    assert run("Split-Path -IsAbsolute 'reports/x.csv'") == "False"
    assert run("Split-Path -IsAbsolute '/reports/x.csv'") == "True"


def test_qualifier(run):
    assert run(r"Split-Path -Qualifier 'C:\Scripts'") == "C:"


def test_leaf_from_the_pipeline(run):
    assert run("'/a/b.txt', '/c/d.csv' | Split-Path -Leaf") == "b.txt\nd.csv"
