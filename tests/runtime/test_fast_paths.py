"""The engine's fast paths change nothing: every scenario here runs twice, with them and without.

Fast paths (``csshell/runtime/fast_paths.py``): script blocks compiled to closures (``compiled.py``),
the binder's per-object memos and its bind-as-is test, Get-CsUser objects that build their properties
on first read, and the PIN cmdlets acting on a piped object's own user record. Each differential test
compares standard output, error output, ``$?`` and (for store scenarios) the stored users and the
audit trail of the two runs; a few more tests check that the fast path really is the one taken.
"""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from csshell.engine import Engine
from csshell.language.parser import parse
from csshell.runtime import fast_paths
from csshell.runtime.binder import bind_command_line
from csshell.runtime.compiled import compile_block
from csshell.runtime.errors import PSError
from csshell.runtime.host import BufferHost
from csshell.runtime.registry import find_cmdlet
from csshell.runtime.values import LazyPSObject, PSObject
from csshell.store import clock, open_store, schema

FIXED = dt.datetime(2100, 3, 20, 14, 5, 9)


class Run:
    """What one run of a text left: output, errors, ``$?`` and (with a store) users and audit entries."""

    def __init__(self, engine: Engine, host: BufferHost, ok: bool) -> None:
        self.stdout, self.stderr, self.ok = host.stdout, host.stderr, ok
        self.users: Any = None
        self.audit: Any = None
        if engine.session.store_is_open:
            store = engine.session.store
            self.users = {k: dict(v) for k, v in store.raw_table(schema.USERS).items()}
            self.audit = store.directory.audit_entries()

    def facts(self) -> tuple:
        return self.stdout, self.stderr, self.ok, self.users, self.audit


def run_once(text: str, folder: Path, store_seed: Path | None, fast: bool) -> Run:
    """``text`` on a fresh engine (a copy of ``store_seed`` as its store, if given), fast paths on or off."""
    folder.mkdir(parents=True)
    store_path = folder / "store.json"
    if store_seed is not None:
        shutil.copyfile(store_seed, store_path)
    host = BufferHost(width=160)
    engine = Engine(host, lambda: open_store(str(store_path), lock_timeout=2), cwd=str(folder))
    try:
        if fast:
            ok = engine.run_command_text(text)
        else:
            with fast_paths.disabled():
                ok = engine.run_command_text(text)
        return Run(engine, host, ok)
    finally:
        engine.close()


def both_ways(text: str, tmp_path: Path, store_seed: Path | None = None) -> Run:
    """Run ``text`` with and without the fast paths; they must agree on everything. Returns the fast run."""
    fast = run_once(text, tmp_path / "fast", store_seed, fast=True)
    slow = run_once(text, tmp_path / "slow", store_seed, fast=False)
    assert fast.facts() == slow.facts()
    return fast


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit entries carry the time: both runs must see the same one."""
    monkeypatch.setattr(clock, "now", lambda: FIXED)


def block_ast(text: str) -> Any:
    """The ScriptBlockAst of ``{ text }``."""
    statement = parse("{" + text + "}").statements[0]
    return statement.elements[0].expression.body


# --- compiled script blocks --------------------------------------------------------------------

PURE_BLOCKS = [
    "$_", "$PSItem", "$_ % 2", "$_ % 3 -eq 0", "$_ * 2", "($_ + 1) * 2", "-not ($_ % 2)", "!$_", "-$_",
    "$_ -gt 5 -and $_ -lt 9", "$_ -lt 3 -or $_ -gt 18", "$_ -in 2, 4, 6", "$_ -notin 1, 2", "$_, 0", ",$_",
    "$null", "$true", "'x' + $_", "$_ -like '1*'", "$_ -band 1", "$_ / 4", "$limit", "$_ -ge $limit",
    "$_ -replace '1', 'one'", "'{0:D3}' -f $_", "$_ -is [int]",
]


@pytest.mark.parametrize("body", PURE_BLOCKS)
def test_pure_block_filters_and_maps_alike(body: str, tmp_path: Path) -> None:
    run = both_ways(f"$limit = 7; 1..20 | Where-Object {{{body}}} | ForEach-Object {{{body}}}; $?", tmp_path)
    assert run.stderr == ""


@pytest.mark.parametrize("body", ["$_ % 2", "$_.Name", "$_.Tags", "$_.Tags[1]", "$_.Missing", "$_.Count",
                                  "$_.Name.Length", "$_.Tags -contains 'b'", "$_.Size -gt 1kb"])
def test_member_blocks_over_objects_alike(body: str, tmp_path: Path) -> None:
    objects = ("$o = [pscustomobject]@{Name='a'; Tags='a','b'; Size=2048}, [pscustomobject]@{Name='bb'; Tags=@(); "
               "Size=1}, 'text', 42, $null, @{Name='h'}")
    both_ways(f"{objects}; $o | ForEach-Object {{{body}}}; $o | Where-Object {{{body}}}", tmp_path)


@pytest.mark.parametrize("body", ["$_ / 0", "$_ -gt 'abc'", "$_.Name - 1", "1 + $_.Tags", "$_ * 'x'"])
def test_failing_blocks_report_the_same_errors(body: str, tmp_path: Path) -> None:
    objects = "$o = [pscustomobject]@{Name='a'; Tags='a','b'}, 3"
    run = both_ways(f"{objects}; $o | Where-Object {{{body}}}; $?; $o | ForEach-Object {{{body}}}; 'after'",
                    tmp_path)
    assert run.stderr != ""


def test_failing_block_under_try_and_stop_alike(tmp_path: Path) -> None:
    both_ways("try { 1..3 | Where-Object {$_ / ($_ - 2)} } catch { 'caught: ' + $_.Exception.Message }; "
              "$ErrorActionPreference = 'Stop'; 1..3 | ForEach-Object {10 / ($_ - 1)}; 'not reached'", tmp_path)


def test_question_mark_after_a_block_alike(tmp_path: Path) -> None:
    both_ways("1/0; 1..3 | ForEach-Object {$?}; 1..2 | Where-Object {$_} | ForEach-Object {$?}", tmp_path)


def test_blocks_the_compiler_leaves_alone_still_work(tmp_path: Path) -> None:
    text = ("1..5 | Where-Object {$_ -match '[24]'} | ForEach-Object {$Matches[0]}; "
            "1..3 | ForEach-Object {$x = $_; $x * 3}; 1..3 | ForEach-Object {$args.Count}; "
            "'a b' | ForEach-Object {$_ -split ' '}; 1..3 | ForEach-Object {$_..($_ + 1)}; "
            "1..2 | ForEach-Object {$global:_}")
    both_ways(text, tmp_path)


def test_simple_blocks_compile_and_impure_ones_do_not() -> None:
    for body in ["$_.IsLockedOut", "$_.IsLockedOut -eq $true", "$_ % 2", "$_ * 2", "-not $_.IsPinSet",
                 "$_.A -and ($_.B -or $x)"]:
        assert compile_block(block_ast(body)) is not None, body
    for body in ["$x = $_", "$_ -match 'a'", "$_++", "Get-Date", "$_ | Out-Null", "$_; $_", "1..$_",
                 "$args", "$_.ToString()", "\"$_\"", "$_ -split ','", "param($a) $a", "$global:_"]:
        assert compile_block(block_ast(body)) is None, body


def test_compiled_block_returns_what_the_expression_outputs() -> None:
    run = compile_block(block_ast("$_.Tags"))
    obj = PSObject([("Tags", ["a", "b"])])
    assert run(None, obj) == ["a", "b"]
    assert run(None, PSObject([("Tags", None)])) == [None]


# --- the binder's fast paths ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "1, 'a', $null, @(1, 2), (Get-Date 2020-01-01) | ForEach-Object {$_}",
    "'x', '', 3 | Where-Object {$_}",
    "[pscustomobject]@{Identity='sip:a@b'}, 'sip:c@d', 5 | Select-Object -First 2",
    "'a', 'b' | Write-Output",
    "@{Name='x'}, [pscustomobject]@{Name='y'}, 'z' | Select-Object Name",
])
def test_pipeline_binding_alike(text: str, tmp_path: Path) -> None:
    both_ways(text, tmp_path)


def test_bind_as_is_gives_what_conversion_gives() -> None:
    """``_binds_unchanged`` decides without the converters; the converters must agree with what it decides."""
    where, pin_info = find_cmdlet("Where-Object"), find_cmdlet("Get-CsClientPinInfo")
    ad_user = LazyPSObject(None, lambda source: [("SipAddress", "sip:a@b")],
                           ["Microsoft.Rtc.Management.ADConnect.Schema.ADUser"])
    values = ["sip:a@b", "", 5, 2.5, True, ad_user, PSObject([("Identity", "x")]), [1, 2], None]
    for cmd, name in ((where, "InputObject"), (pin_info, "Identity")):
        for value in values:
            outcomes = []
            for fast in (True, False):
                binding = bind_command_line(cmd, [], invocation_name=cmd.name, expects_pipeline_input=True)
                with fast_paths.disabled() if not fast else _nothing():
                    try:
                        outcomes.append(("bound", binding.bind_pipeline_object(value)))
                    except PSError as exc:
                        outcomes.append(("error", exc.record.message))
            assert outcomes[0] == outcomes[1], (name, value)
    assert not ad_user.built                         # binding an ADUser never reads its properties


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# --- Get-CsUser objects and piped user records -----------------------------------------------------

BULK = "Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin"


def test_bulk_unlock_alike(tmp_path: Path, seeded_store_file: Path, fixed_clock: None) -> None:
    run = both_ways(f"{BULK}; Get-CsUser | Get-CsClientPinInfo | Format-Table Identity, IsLockedOut -AutoSize",
                    tmp_path, seeded_store_file)
    assert "True" not in run.stdout and run.audit


@pytest.mark.parametrize("text", [
    "Get-CsUser | Get-CsClientPinInfo",
    "Get-CsUser | Select-Object -First 3 | Format-List",
    "Get-CsUser | Where-Object {$_.Department -eq 'Sales'} | Get-CsClientPinInfo | Lock-CsClientPin",
    "Get-CsUser | Get-CsClientPinInfo | Where-Object {-not $_.IsPinSet} | Lock-CsClientPin -WhatIf",
    'Get-CsUser "Ken Myer" | ForEach-Object {"$_ / $($_.SipAddress)"}',
    "Get-CsUser | Sort-Object DisplayName | Select-Object -Last 2 DisplayName, SipAddress",
    "Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin -Confirm",
    "Get-CsUser | Get-CsClientPinInfo | Lock-CsClientPin -ErrorAction SilentlyContinue; $?",
    "Get-CsUser -Identity 'Ken*' | Unlock-CsClientPin; Get-CsUser 'Ken*' | Get-CsClientPinInfo",
])
def test_user_pipelines_alike(text: str, tmp_path: Path, seeded_store_file: Path, fixed_clock: None) -> None:
    both_ways(text, tmp_path, seeded_store_file)


def test_changed_object_is_resolved_by_its_new_text(tmp_path: Path, seeded_store_file: Path,
                                                    fixed_clock: None) -> None:
    """An object whose SipAddress a script changed names whoever that text names, not its original user."""
    run = both_ways('$u = Get-CsUser "Ken Myer"; $u.SipAddress = "sip:pilar@litwareinc.com"; '
                    "$u | Lock-CsClientPin; $u.SipAddress = 'sip:nobody@litwareinc.com'; $u | Get-CsClientPinInfo",
                    tmp_path, seeded_store_file)
    assert "pilar@litwareinc.com" in str(run.audit) and "nobody" in run.stderr


def test_user_changed_since_the_object_was_made_alike(tmp_path: Path, seeded_store_file: Path,
                                                      fixed_clock: None) -> None:
    """A piped object whose user has a new SIP address, or is gone, resolves by its (old) text."""
    both_ways('$u = Get-CsUser "Ken Myer"; $i = $u | Get-CsClientPinInfo; '
              'Set-CsUser "Ken Myer" -SipAddress sip:kmyer@litwareinc.com; '
              "$u | Lock-CsClientPin; $i | Unlock-CsClientPin; Get-CsUser 'Ken Myer' | Get-CsClientPinInfo",
              tmp_path, seeded_store_file)


def test_pin_changes_in_between_do_not_matter(tmp_path: Path, seeded_store_file: Path, fixed_clock: None) -> None:
    both_ways('$i = Get-CsUser "Ken Myer" | Get-CsClientPinInfo; Lock-CsClientPin "Ken Myer"; '
              "$i | Unlock-CsClientPin; $i | Get-CsClientPinInfo", tmp_path, seeded_store_file)


def test_piped_object_acts_without_a_look_up(tmp_path: Path, seeded_store_file: Path) -> None:
    """The fast path is the one taken: resolving identities as text would fail here, the object's record does not."""
    folder = tmp_path / "store"
    folder.mkdir()
    shutil.copyfile(seeded_store_file, folder / "store.json")
    host = BufferHost()
    engine = Engine(host, lambda: open_store(str(folder / "store.json")), cwd=str(folder))
    try:
        assert engine.run_command_text('$u = Get-CsUser "Ken Myer"')
        directory = engine.session.store.directory

        def no_text_look_up(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("resolved by identity text")
        directory.resolve_targets = no_text_look_up
        assert engine.run_command_text("$u | Lock-CsClientPin; $u | Get-CsClientPinInfo | Unlock-CsClientPin"), \
            host.stderr
        assert not engine.session.get_variable("u").built
    finally:
        engine.close()


def test_lazy_user_object_reads_like_an_eager_one(tmp_path: Path, seeded_store_file: Path) -> None:
    folder = tmp_path / "store"
    folder.mkdir()
    shutil.copyfile(seeded_store_file, folder / "store.json")
    store = open_store(str(folder / "store.json"))
    try:
        user = store.directory.resolve_one("Ken Myer")
        from cmdlets.users import cs_user_object
        lazy = cs_user_object(user)
        with fast_paths.disabled():
            eager = cs_user_object(user)
        assert isinstance(lazy, LazyPSObject) and not lazy.built and lazy.source is user
        assert lazy.items() == eager.items() and lazy.built
        assert (lazy.type_names, lazy.display, lazy.tostring) == (eager.type_names, eager.display, eager.tostring)
        assert lazy.copy().source is None
    finally:
        store.close()


def ambiguous_sip_store(tmp_path: Path) -> Path:
    """The examples' store where Pilar Ackerman's display name is Ken Myer's SIP address text."""
    csv = Path(__file__).resolve().parents[2] / "examples" / "directory.csv"
    odd = tmp_path / "odd.csv"
    odd.write_text(csv.read_text(encoding="utf-8").replace("\nPilar Ackerman,", "\nsip:kenmyer@litwareinc.com,"),
                   encoding="utf-8")
    seed = tmp_path / "seed.json"
    store = open_store(str(seed))
    with store.statement():
        store.directory.import_file(str(odd))
    store.close()
    return seed


def test_piped_object_names_its_own_user_where_its_sip_text_is_ambiguous(tmp_path: Path) -> None:
    """The one intended difference: when another user's display name is a user's SIP address text, that text
    resolves to both, but the piped object still names its own user (as a real ADUser's identity does)."""
    seed = ambiguous_sip_store(tmp_path)
    text = 'Get-CsUser "Ken Myer" | Get-CsClientPinInfo | Format-List Identity'
    fast = run_once(text, tmp_path / "fast", seed, fast=True)
    slow = run_once(text, tmp_path / "slow", seed, fast=False)
    assert fast.ok and fast.stdout.split() == ["Identity", ":", "sip:kenmyer@litwareinc.com"]
    assert not slow.ok and "Multiple management objects found" in slow.stderr
