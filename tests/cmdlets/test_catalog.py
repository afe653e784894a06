"""The lazy cmdlet catalog (``cmdlets/__init__.py``) must name every command of every module, in the right module.

A module or cmdlet missing from ``COMMANDS`` still works (a miss imports everything) but costs every
one-liner its start-up; these tests make the omission a failure with the line to add.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from collections import defaultdict

import cmdlets
from csshell.runtime.cmdlet import ALIASES, REGISTRY


def _declared_by_module() -> dict[str, set[str]]:
    """module -> lowercased cmdlet and alias names it registers, after importing every module of the folder."""
    for info in pkgutil.iter_modules(cmdlets.__path__):
        importlib.import_module(f"cmdlets.{info.name}")
    found: dict[str, set[str]] = defaultdict(set)
    for low, cls in REGISTRY.items():
        if cls.__module__.startswith("cmdlets."):
            found[cls.__module__.removeprefix("cmdlets.")].add(low)
    for alias, target in ALIASES.items():
        module = REGISTRY[target.lower()].__module__
        if module.startswith("cmdlets."):
            found[module.removeprefix("cmdlets.")].add(alias)
    return found


def test_every_cmdlet_module_is_in_the_catalog_with_all_its_names():
    declared = _declared_by_module()
    listed = {module: {name.lower() for name in names.split()} for module, names in cmdlets.COMMANDS.items()}
    for module, names in declared.items():
        assert module in listed, f'add to cmdlets/__init__.py COMMANDS: "{module}": "{" ".join(sorted(names))}",'
        assert names == listed[module], f"cmdlets.{module}: missing {names - listed[module]}, " \
                                        f"not declared there {listed[module] - names}"
    assert set(listed) <= set(declared), f"listed but declaring nothing: {set(listed) - set(declared)}"


def test_catalog_names_are_unique():
    names = [name.lower() for text in cmdlets.COMMANDS.values() for name in text.split()]
    assert len(names) == len(set(names))


def _probe(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (the registry is process-global) and return what it prints as JSON."""
    proc = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


LOADED = "sorted(m for m in sys.modules if m.startswith('cmdlets.'))"


def test_a_look_up_imports_only_the_module_that_declares_the_command():
    out = _probe("import json, sys, cmdlets\n"
                 "from csshell.runtime.cmdlet import find_cmdlet\n"
                 f"before = {LOADED}\n"
                 "name = find_cmdlet('lock-csclientpin').name\n"
                 "alias = find_cmdlet('?').name\n"
                 f"print(json.dumps([before, name, alias, {LOADED}]))")
    before, name, alias, after = out
    assert before == []
    assert (name, alias) == ("Lock-CsClientPin", "Where-Object")
    assert {"cmdlets.clientpin", "cmdlets.objects"} <= set(after)       # and what they import themselves
    assert not {"cmdlets.help", "cmdlets.json", "cmdlets.files", "cmdlets.dates"} & set(after)


def test_listing_the_registry_imports_every_module():
    out = _probe("import json, sys, cmdlets\n"
                 "from csshell.runtime.cmdlet import REGISTRY\n"
                 "names = sorted(cls.name for cls in REGISTRY.values())\n"
                 f"print(json.dumps([names, {LOADED}]))")
    names, loaded = out
    assert "Get-Help" in names and "Get-CsUser" in names and "ConvertTo-Json" in names
    assert {f"cmdlets.{module}" for module in cmdlets.COMMANDS} <= set(loaded)


def test_an_unknown_name_imports_everything_but_a_script_path_does_not():
    out = _probe("import json, sys, cmdlets\n"
                 "from csshell.runtime.cmdlet import find_cmdlet\n"
                 "path = find_cmdlet('./deploy.ps1')\n"
                 f"after_path = {LOADED}\n"
                 "missing = find_cmdlet('Get-Nothing')\n"
                 f"print(json.dumps([path, after_path, missing, len({LOADED})]))")
    path, after_path, missing, loaded = out
    assert path is None and missing is None
    assert after_path == []
    assert loaded >= len(cmdlets.COMMANDS)
