"""A one-liner imports only what it runs: no prompt, no syntax colouring, no unused cmdlet module, no store.

Start-up time is dominated by imports (issue 5: ``csshell -c '$null'`` within 10x ``python3 -c pass``);
these tests pin *what* is imported, never how long it takes.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from csshell.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("\\n" + json.dumps([code, sorted(sys.modules)]))
"""


def _modules_after(tmp_path: Path, store: Path, command: str) -> tuple[int, str, set[str]]:
    """Run ``csshell --store STORE -c COMMAND`` in a fresh interpreter; its exit code, output and sys.modules."""
    proc = subprocess.run([sys.executable, "-c", PROBE, "--store", str(store), "-c", command], check=False, cwd=tmp_path,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    text, _, last = proc.stdout.rstrip("\n").rpartition("\n")
    code, modules = json.loads(last)
    return code, text, set(modules)


def _top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_null_one_liner_imports_no_prompt_no_colouring_no_cmdlet_module_and_no_store(tmp_path, seeded_store_file):
    store = tmp_path / "store.json"
    store.write_bytes(seeded_store_file.read_bytes())
    code, _, modules = _modules_after(tmp_path, store, "$null")
    assert code == 0
    assert "csshell.engine" in modules and "csshell.language.parser" in modules   # the probe really ran it
    assert not {"prompt_toolkit", "pygments"} & _top_level(modules)
    assert not {m for m in modules if m.startswith("csshell.repl")}
    assert not {m for m in modules if m.startswith("cmdlets.")}
    assert not {m for m in modules if m.startswith("csshell.store")}
    assert not {"tinydb", "filelock"} & _top_level(modules)


def test_a_pin_one_liner_imports_its_own_cmdlet_modules_only(tmp_path, seeded_store_file):
    store = tmp_path / "store.json"
    store.write_bytes(seeded_store_file.read_bytes())
    code, out, modules = _modules_after(tmp_path, store, 'Get-CsClientPinInfo -Identity "Ken Myer" | ft Identity')
    assert code == 0 and "sip:kenmyer@litwareinc.com" in out
    loaded = {m.removeprefix("cmdlets.") for m in modules if m.startswith("cmdlets.")}
    assert "clientpin" in loaded and "format" in loaded
    assert not {"help", "json", "files", "content", "dates", "members"} & loaded
    assert not {"prompt_toolkit", "pygments"} & _top_level(modules)
