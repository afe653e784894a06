"""The benchmark tools work: the directory generator makes valid, realistic directories, and ``bench/run.py``
prints one table row per scenario. Never a timing assert: figures belong to the closing note.
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench import gen_directory as gen
from bench.run import SCENARIOS
from csshell.store import open_store
from csshell.store.importer import read_directory_file

ROOT = Path(__file__).resolve().parents[2]


def _run_script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], check=False, cwd=cwd, capture_output=True, text=True, timeout=600,
                          stdin=subprocess.DEVNULL)


# --- the generator ------------------------------------------------------------------------------

def test_generated_rows_are_unique_where_a_directory_must_be_and_realistic_elsewhere():
    rows = gen.generate_rows(2000, seed=7)
    for column in ("SamAccountName", "UserPrincipalName", "DistinguishedName"):
        assert len({row[column].lower() for row in rows}) == len(rows), column
    sips = [row["SipAddress"] for row in rows if row["SipAddress"]]
    assert len(set(sips)) == len(sips) and 0 < len(rows) - len(sips) < len(rows) // 10
    lines = [row["LineURI"] for row in rows if row["LineURI"]]
    assert len(set(lines)) == len(lines) and len(lines) > len(rows) // 2
    names = Counter(row["DisplayName"] for row in rows)
    assert 10 < sum(1 for n in names.values() if n > 1) < 200        # a few namesakes, mostly unique
    counts = gen.counts(rows)
    assert 100 < counts["locked"] < 300 and 250 < counts["users"] - counts["pin_set"] < 600
    assert len({row["Department"] for row in rows}) >= 5 and len({row["Site"] for row in rows}) >= 4
    assert {row["PinPolicy"] for row in rows} == {"", "ExecutivePin", "ContractorPin"}
    assert all(row["IsPinSet"] == "True" for row in rows if row["IsLockedOut"] == "True")


def test_generation_is_deterministic_per_seed():
    assert gen.generate_rows(300, seed=3) == gen.generate_rows(300, seed=3)
    assert gen.generate_rows(300, seed=3) != gen.generate_rows(300, seed=4)


def test_the_pins_satisfy_every_generated_policy():
    from csshell.store import pins
    from csshell.store.policy import PinPolicy
    for identity, values in gen.POLICIES.items():
        policy = PinPolicy(identity=identity).changed(**values)
        for pin in gen.PINS:
            pins.check_pin(pin, policy)                # raises PinPolicyViolation if not


def test_the_csv_is_what_import_csdirectory_reads(tmp_path):
    path = tmp_path / "users.csv"
    proc = _run_script(str(ROOT / "bench" / "gen_directory.py"), "--users", "150", "--out", str(path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "users 150" in proc.stdout
    seeds = read_directory_file(str(path))                  # validates every row, raises on any problem
    assert len(seeds) == 150
    assert all(seed.pin is None for seed in seeds)          # no PIN digits unless --pins
    assert sum(1 for seed in seeds if seed.doc["IsLockedOut"]) == gen.counts(gen.generate_rows(150))["locked"]


def test_the_csv_with_pins_carries_the_digits(tmp_path):
    path = tmp_path / "users.csv"
    assert gen.main(["--users", "30", "--out", str(path), "--pins"]) == 0
    seeds = read_directory_file(str(path))
    assert {seed.pin for seed in seeds if seed.doc["IsPinSet"]} <= set(gen.PINS)
    assert any(seed.pin for seed in seeds)


def test_the_store_file_opens_with_users_policies_and_working_pins(tmp_path):
    path = tmp_path / "big.json"
    proc = _run_script(str(ROOT / "bench" / "gen_directory.py"), "--users", "120", "--out", str(path),
                       "--format", "store", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = gen.generate_rows(120)
    store = open_store(str(path))
    try:
        directory = store.directory
        users = directory.users(enabled_only=False)
        assert len(users) == 120
        assert sum(1 for u in users if u.is_locked_out) == gen.counts(rows)["locked"]
        assert {p.identity for p in directory.pin_policies()} == {"Global", *gen.POLICIES}
        row = next(r for r in rows if r["Pin"] and r["SipAddress"])
        user = directory.resolve_one(row["SipAddress"])
        assert directory.verify_pin(user, row["Pin"]) and not directory.verify_pin(user, "13579024")
    finally:
        store.close()


def test_the_store_is_what_the_import_of_the_same_rows_makes(tmp_path):
    rows = gen.generate_rows(40, seed=5)
    hashes = {pin: "scrypt$n=16384,r=8,p=1$c2FsdA==$aGFzaA==" for pin in gen.PINS}
    docs = [gen.user_document(row, hashes) for row in rows]
    gen.check_documents(rows, docs, hashes, str(tmp_path / "x.csv"))     # raises if they differ
    docs[3]["Title"] = "changed"
    try:
        gen.check_documents(rows, docs, hashes, str(tmp_path / "x.csv"))
    except RuntimeError as exc:
        assert "line 5" in str(exc)
    else:
        raise AssertionError("a differing document was not noticed")


def test_a_unique_name_is_unique_and_enabled():
    rows = gen.generate_rows(500)
    name = gen.unique_name(rows)
    matches = [row for row in rows if row["DisplayName"] == name]
    assert len(matches) == 1 and matches[0]["SipAddress"]


# --- bench/run.py --------------------------------------------------------------------------------

ROW = re.compile(r"^(?P<scenario>.{52}) +(?P<ours>\d+\.\d)(?P<unit>ms|MB) +(?P<ref>\d+\.\d)(?P=unit) +"
                 r"(?P<ratio>\d+(\.\d+)?(e-\d+)?|inf)x +(?P<target><=[\d.]+(x|ms|MB))? +(?P<ok>yes|NO)? +\S.*$")


def test_run_quick_prints_one_table_with_a_row_per_scenario(tmp_path):
    proc = _run_script(str(ROOT / "bench" / "run.py"), "--quick", "--users", "60", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:4] == ["scenario", "median", "reference", "ratio"]
    rows = [ROW.match(line) for line in lines[1:]]
    assert all(rows), [line for line, row in zip(lines[1:], rows) if not row]
    scenarios = [row["scenario"].strip() for row in rows]
    expected = ("parse", "pipeline", "startup", "one durable change", "cold one-liner", "warm single change (20)",
                "warm single change (60)", "warm change 60 vs 20", "bulk unlock", "-Identity completion",
                "peak RSS")
    assert len(scenarios) == len(expected)
    for scenario, start in zip(scenarios, expected):
        assert scenario.startswith(start), (scenario, start)
    targets = {row["scenario"].strip()[:10]: row["target"] for row in rows}
    assert targets["startup: c"] == "<=10x" and targets["peak RSS o"] == "<=600MB"
    assert all(row["ok"] for row in rows if row["target"])     # every row with a target says whether it was met
    assert re.search(r"# memory: \d+\.\d s", proc.stderr)      # progress goes to stderr, the table to stdout


def test_run_only_selects_scenarios_and_refuses_unknown_ones(tmp_path):
    proc = _run_script(str(ROOT / "bench" / "run.py"), "--quick", "--only", "startup,nonsense", cwd=tmp_path)
    assert proc.returncode == 2 and "nonsense" in proc.stderr and "cold-lock" in proc.stderr
    proc = _run_script(str(ROOT / "bench" / "run.py"), "--quick", "--only", "pipeline", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert [line.split()[0] for line in proc.stdout.splitlines()] == ["scenario", "pipeline"]


def test_every_scenario_is_documented_in_the_module_docstring():
    from bench import run
    for name in SCENARIOS:
        assert re.search(rf"^  {re.escape(name)} ", run.__doc__, re.MULTILINE), name
