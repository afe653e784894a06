"""Benchmarks: every issue-5 scenario beside its reference, measured in the same run, as one table of medians.

    .venv/bin/python bench/run.py                   # all scenarios, 100,000 users (a few minutes)
    .venv/bin/python bench/run.py --users 20000     # a smaller directory
    .venv/bin/python bench/run.py --quick           # tiny sizes: a smoke test, figures meaningless
    .venv/bin/python bench/run.py --only startup,cold-lock

Figures, never asserts; the ``target`` column is issue 5's goal, ``ok`` says whether this run met it.

  parse        a generated 10,000-line admin script           vs  tree-sitter-pwsh parsing the same text
  pipeline     1..100000 | Where-Object {...} | ForEach-Object  vs  a plain Python loop doing the same work
  startup      csshell -c '$null' on the example store        vs  python -c pass (same interpreter)
  lock         Lock + Unlock of one user in the example store  vs  an fsync'd 1 KB append in the same folder
  cold-lock    csshell -c 'Lock-CsClientPin -Identity "<name>"' (and Unlock) on the N-user store
                                                               vs  a python process loading that store file
                                                                   with the fastest JSON parser installed
  warm-change  Lock then Unlock of one user at a prompt holding the store, each durable, at 1,000 and N
               users                                           vs  an fsync'd 1 KB append in the same folder
                                                                   (and N vs 1,000: the cost must not grow)
  bulk-unlock  Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin
               (about 10% of N are locked)                     vs  a Python loop unlocking the same users in
                                                                   the loaded data, then one durable write
  completion   -Identity completion of three-letter prefixes, through the prompt's completer
                                                               vs  a Python prefix scan of the loaded names
  memory       peak RSS of a prompt process holding the store  vs  a python process holding the parsed file

Child processes run without ``PYTHONDONTWRITEBYTECODE`` after one warm-up run, so they start from
compiled bytecode as an installed csshell does. Stores come from ``bench/gen_directory.py``. When
``bench/store_bench.py`` defines ``bench_<scenario>(setup)`` (``-`` as ``_``) returning rows, that
function measures the scenario instead of this file.
"""
from __future__ import annotations

import argparse
import glob
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gen_directory as gen

EXAMPLE_CSV = ROOT / "examples" / "directory.csv"
BULK_PIPELINE = "Get-CsUser | Get-CsClientPinInfo | Where-Object {$_.IsLockedOut} | Unlock-CsClientPin"
PREFIXES = ("Ken", "Chr", "Mar", "Ann", "Dav", "Sof", "Wei", "Oma", "Lis", "Pil")
MB = 1024 * 1024


# --- rows and the table -----------------------------------------------------------------------

@dataclass
class Row:
    """One line of the table: our median beside the reference's; seconds, or bytes when unit is MB."""
    scenario: str
    ours: float
    ref: float
    ref_name: str
    unit: str = "ms"
    target: str = ""              # "<=10x" (ratio), "<=20ms" / "<=600MB" (absolute)

    @property
    def ratio(self) -> float:
        return self.ours / self.ref if self.ref else float("inf")

    def met(self) -> str:
        if not self.target:
            return ""
        limit = float(self.target.strip("<=xmsMB"))
        value = self.ratio if self.target.endswith("x") else self.shown(self.ours)
        return "yes" if value <= limit else "NO"

    def shown(self, value: float) -> float:
        return value / MB if self.unit == "MB" else value * 1000


HEADER = f"{'scenario':52} {'median':>11} {'reference':>11} {'ratio':>8} {'target':>8} {'ok':>3}  reference is"


def format_row(row: Row) -> str:
    ours, ref = (f"{row.shown(v):9.1f}{row.unit}" for v in (row.ours, row.ref))
    return f"{row.scenario:52} {ours:>11} {ref:>11} {format_ratio(row.ratio):>7}x {row.target:>8} {row.met():>3}  " \
           f"{row.ref_name}"


def format_ratio(ratio: float) -> str:
    """Two significant digits at least: 1327, 88.4, 2.03, 0.003."""
    if ratio == float("inf"):
        return "inf"
    for limit, digits in ((100, 0), (10, 1), (0.1, 2), (0.001, 3)):
        if ratio >= limit:
            return f"{ratio:.{digits}f}"
    return f"{ratio:.1e}"


def print_table(rows: list[Row], out=sys.stdout) -> None:
    print(HEADER, file=out)
    for row in rows:
        print(format_row(row), file=out)


# --- measuring --------------------------------------------------------------------------------

def timed(fn: Callable[..., Any], *args: Any) -> float:
    """Seconds one call of ``fn(*args)`` takes."""
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    return statistics.median(timed(fn) for _ in range(repeat))


def child_env(**extra: str) -> dict[str, str]:
    """The environment of measured child processes: bytecode caching on, as in an installed csshell."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CSSHELL_STORE")}
    env.update(extra)
    return env


def run_child(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, env=env or child_env(), capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          timeout=3600, check=False)
    if proc.returncode != 0 or proc.stderr.strip():
        raise RuntimeError(f"{' '.join(argv[:6])}... failed ({proc.returncode}): {proc.stderr.strip()[:500]}")
    return proc


def fsync_append(path: str) -> Callable[[], None]:
    def append() -> None:
        with open(path, "ab") as handle:
            handle.write(b"x" * 1024)
            handle.flush()
            os.fsync(handle.fileno())
    return append


# --- JSON libraries ---------------------------------------------------------------------------

# module -> code that loads the file at path P (for a child process)
JSON_LIBRARIES = {
    "orjson": "import orjson; orjson.loads(open(P, 'rb').read())",
    "msgspec": "import msgspec.json; msgspec.json.decode(open(P, 'rb').read())",
    "ujson": "import ujson; ujson.loads(open(P, 'rb').read())",
    "simplejson": "import simplejson; simplejson.loads(open(P, 'rb').read())",
    "json": "import json; json.loads(open(P, 'rb').read())",
}


def installed_json_libraries() -> list[str]:
    return [name for name in JSON_LIBRARIES if importlib.util.find_spec(name) is not None]


def json_codec(library: str) -> tuple[Callable[[bytes], Any], Callable[[Any], bytes]]:
    """(loads, dumps to bytes) of an installed JSON library."""
    if library == "msgspec":
        import msgspec.json
        return msgspec.json.decode, msgspec.json.encode
    module = importlib.import_module(library)
    if library == "orjson":
        return module.loads, module.dumps
    return module.loads, lambda data: module.dumps(data).encode("utf-8")


def fastest_json_library(path: str) -> str:
    """The installed JSON library that parses ``path`` fastest (the file read once, the best of two parses each)."""
    with open(path, "rb") as handle:
        data = handle.read()
    timings = {name: min(timed(json_codec(name)[0], data) for _ in range(2)) for name in installed_json_libraries()}
    return min(timings, key=timings.get)


def fastest_json_writer(path: str) -> str:
    """The installed JSON library that serialises ``path``'s content fastest (best of two each): the
    bulk reference writes, and a noisy parse timing must not hand it a writer 7x slower."""
    with open(path, "rb") as handle:
        data = json_codec("json")[0](handle.read())
    timings = {name: min(timed(json_codec(name)[1], data) for _ in range(2)) for name in installed_json_libraries()}
    return min(timings, key=timings.get)


def durable_write(path: str, blob: bytes) -> None:
    """What a store write must at least do: a temporary file, fsync, rename over, fsync the folder."""
    tmp = path + ".tmp"
    with open(tmp, "wb") as handle:
        handle.write(blob)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    folder = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


# --- the set-up shared by the scenarios -------------------------------------------------------

@dataclass
class Setup:
    """Sizes, repeats and the generated stores (made on first use, kept for the run)."""
    folder: str
    users: int
    small: int
    repeat: int
    quick: bool
    lines: int
    objects: int
    _stores: dict[int, tuple[str, list[dict[str, str]]]] = field(default_factory=dict)
    _example: str | None = None

    def store(self, users: int) -> tuple[str, list[dict[str, str]]]:
        """The generated store of ``users`` users (never written by a scenario: copy it) and its rows."""
        if users not in self._stores:
            path = os.path.join(self.folder, f"gen-{users}.json")
            rows = gen.generate_rows(users)
            gen.write_store(rows, path)
            self._stores[users] = (path, rows)
        return self._stores[users]

    def copy(self, source: str, name: str) -> str:
        """A private copy of a store (its file and companions such as ``<store>.journal``) in the run's folder."""
        target = os.path.join(self.folder, name)
        for leftover in glob.glob(glob.escape(target) + "*"):
            os.remove(leftover)
        shutil.copyfile(source, target)
        for companion in glob.glob(glob.escape(source) + ".*"):
            suffix = companion[len(source):]
            if suffix not in (".lock", ".bak") and not suffix.startswith(".bak."):
                shutil.copyfile(companion, target + suffix)
        return target

    def example_store(self) -> str:
        """A store imported from examples/directory.csv (made once)."""
        if self._example is None:
            from csshell.store import open_store
            path = os.path.join(self.folder, "example.json")
            store = open_store(path)
            try:
                with store.statement():
                    store.directory.import_file(str(EXAMPLE_CSV))
            finally:
                store.close()
            self._example = path
        return self._example


def engine_on(path: str, name: str):
    """An in-process engine on ``path``, as a prompt holds it, with the store loaded (by looking ``name`` up).

    It opens the store as the prompt does (``cli.store_opener``: the loaded store is then out of the
    cyclic GC's reach, ``cli.settle_heap``)."""
    from csshell.cli import store_opener
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    engine = Engine(BufferHost(), store_opener(path))
    run_ok(engine, f'Get-CsUser -Identity "{name}" | Out-Null')
    return engine


def run_ok(engine: Any, text: str) -> None:
    """Run ``text``; a failure is the benchmark's failure, never a silent fast row."""
    host = engine.host
    host.out.clear()
    host.err.clear()
    if not engine.run_command_text(text) or host.stderr.strip():
        raise RuntimeError(f"{text!r} failed: {host.stderr.strip()[:500]}")


# --- scenarios --------------------------------------------------------------------------------

def bench_parse(setup: Setup) -> list[Row]:
    import tree_sitter
    import tree_sitter_pwsh

    from bench.admin_script import admin_script
    from csshell.language.parser import parse
    text = admin_script(setup.lines)
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))
    data = text.encode("utf-8")
    return [Row(f"parse {setup.lines}-line script", median_time(lambda: parse(text), setup.repeat),
                median_time(lambda: parser.parse(data), setup.repeat), "tree-sitter-pwsh")]


def bench_pipeline(setup: Setup) -> list[Row]:
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    count = setup.objects
    engine = Engine(BufferHost())
    text = f"$n = 1..{count} | Where-Object {{ $_ % 3 -eq 0 }} | ForEach-Object {{ $_ * 2 }}"

    def python_loop() -> int:
        return len([x * 2 for x in range(1, count + 1) if x % 3 == 0])
    return [Row(f"pipeline of {count} objects", median_time(lambda: engine.run_command_text(text), setup.repeat),
                median_time(python_loop, setup.repeat), "Python loop")]


def bench_startup(setup: Setup) -> list[Row]:
    store = setup.example_store()
    shell = [sys.executable, "-m", "csshell", "--store", store, "-c", "$null"]
    python = [sys.executable, "-c", "pass"]
    run_child(shell)                                   # warm-up: compiles csshell's bytecode once
    repeat = 2 if setup.quick else max(setup.repeat, 11)
    ours, ref = [], []
    for _ in range(repeat):                            # interleaved: load changes hit both alike
        ours.append(timed(run_child, shell))
        ref.append(timed(run_child, python))
    return [Row("startup: csshell -c '$null' (example store)", statistics.median(ours), statistics.median(ref),
                "python -c pass", target="<=10x")]


def bench_lock(setup: Setup) -> list[Row]:
    engine = engine_on(setup.copy(setup.example_store(), "lock.json"), "Ken Myer")
    try:
        change = _lock_unlock(engine, "Ken Myer")
        ours = median_time(change, setup.repeat) / 2
    finally:
        engine.close()
    ref = median_time(fsync_append(os.path.join(setup.folder, "append.bin")), setup.repeat)
    return [Row("one durable change (example store)", ours, ref, "fsync'd 1 KB append")]


def _lock_unlock(engine: Any, name: str) -> Callable[[], None]:
    def change() -> None:
        run_ok(engine, f'Lock-CsClientPin -Identity "{name}"')
        run_ok(engine, f'Unlock-CsClientPin -Identity "{name}"')
    return change


def bench_cold_lock(setup: Setup) -> list[Row]:
    source, rows = setup.store(setup.users)
    path = setup.copy(source, "cold.json")
    name = gen.unique_name(rows)
    library = fastest_json_library(path)
    load = [sys.executable, "-c", f"P = {path!r}\n" + JSON_LIBRARIES[library]]
    shell = [sys.executable, "-m", "csshell", "--store", path, "-c"]
    run_child(shell + ["$null"])
    ours, ref = [], []
    for i in range(2 if setup.quick else max(setup.repeat, 3) * 2):   # lock, unlock...: every run is a change
        verb = "Unlock" if i % 2 else "Lock"
        ours.append(timed(run_child, shell + [f'{verb}-CsClientPin -Identity "{name}"']))
        ref.append(timed(run_child, load))
    return [Row(f"cold one-liner Lock/Unlock-CsClientPin ({setup.users:,})", statistics.median(ours),
                statistics.median(ref), f"python loading the file ({library})", target="<=2x")]


def bench_warm_change(setup: Setup) -> list[Row]:
    append = fsync_append(os.path.join(setup.folder, "append.bin"))
    rows, per_size = [], {}
    for users in (setup.small, setup.users):
        source, generated = setup.store(users)
        name = gen.unique_name(generated)
        engine = engine_on(setup.copy(source, f"warm-{users}.json"), name)
        try:
            change = _lock_unlock(engine, name)
            change()                                   # first change builds what later ones reuse
            per_size[users] = median_time(change, max(setup.repeat, 5)) / 2
        finally:
            engine.close()
        rows.append(Row(f"warm single change ({users:,})", per_size[users], median_time(append, 9),
                        "fsync'd 1 KB append", target="<=10x"))
    rows.append(Row(f"warm change {setup.users:,} vs {setup.small:,} users", per_size[setup.users],
                    per_size[setup.small], f"the same at {setup.small:,}", target="<=1.5x"))
    return rows


def bench_bulk_unlock(setup: Setup) -> list[Row]:
    source, rows = setup.store(setup.users)
    locked = sum(1 for row in rows if row["IsLockedOut"] == "True" and row["SipAddress"])
    ours = []
    for _ in range(max(1, min(setup.repeat, 3))):
        engine = engine_on(setup.copy(source, "bulk.json"), gen.unique_name(rows))
        try:
            ours.append(timed(run_ok, engine, BULK_PIPELINE))
        finally:
            engine.close()
    library = fastest_json_writer(source)
    ref = [_python_unlock(rows, library, os.path.join(setup.folder, "bulk-ref.json"))
           for _ in range(max(1, min(setup.repeat, 3)))]
    return [Row(f"bulk unlock of {locked:,} locked users ({setup.users:,})", statistics.median(ours),
                statistics.median(ref), f"Python loop + one write ({library})", target="<=3x")]


def _python_unlock(rows: list[dict[str, str]], library: str, path: str) -> float:
    """The hand-written reference: the loaded directory, each locked user unlocked and audited, one write."""
    hashes = {pin: gen.hash_once(pin) for pin in gen.PINS}           # the store's own hashes (cached)
    data = {"users": {str(i): gen.user_document(row, hashes) for i, row in enumerate(rows, 1)}, "audit": {}}
    start = time.perf_counter()
    audit, stamp = data["audit"], time.strftime("%Y-%m-%dT%H:%M:%S")
    for doc in data["users"].values():
        if doc["IsLockedOut"] and doc["SipAddress"]:
            doc["IsLockedOut"] = False
            audit[str(len(audit) + 1)] = {"time": stamp, "actor": "local", "origin": "bench",
                                          "action": "Unlock-CsClientPin", "target": doc["SipAddress"]}
    durable_write(path, json_codec(library)[1](data))
    return time.perf_counter() - start


def bench_completion(setup: Setup) -> list[Row]:
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from csshell.repl.completer import ShellCompleter
    source, rows = setup.store(setup.users)
    engine = engine_on(setup.copy(source, "complete.json"), gen.unique_name(rows))
    try:
        completer = ShellCompleter(engine)

        def complete(prefix: str) -> int:
            text = f"Lock-CsClientPin -Identity {prefix}"
            return len(list(completer.get_completions(Document(text), CompleteEvent(completion_requested=True))))
        if not complete(PREFIXES[0]):
            raise RuntimeError(f"no completion for {PREFIXES[0]!r}")
        ours = statistics.median(median_time(lambda p=p: complete(p), 3) for p in PREFIXES)
    finally:
        engine.close()
    names = [row["DisplayName"] for row in rows]

    def scan(prefix: str) -> int:
        low = prefix.lower()
        return len(sorted(n for n in names if n.lower().startswith(low))[:50])
    ref = statistics.median(median_time(lambda p=p: scan(p), 3) for p in PREFIXES)
    return [Row(f"-Identity completion, 3-letter prefix ({setup.users:,})", ours, ref, "Python scan of the names",
                target="<=20ms")]


# The peak of this process alone: VmHWM starts afresh at exec (ru_maxrss would carry the parent's peak over).
PEAK_RSS = "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
MEMORY_PROBE = """
import sys
import csshell.repl.app, csshell.repl.completer          # a prompt has these loaded
from csshell.engine import Engine
from csshell.runtime.host import BufferHost
from csshell.store import open_store
engine = Engine(BufferHost(), lambda: open_store(sys.argv[1]))
ok = engine.run_command_text('Get-CsClientPinInfo -Identity "%s" | Out-Null')
engine.complete_identity("Ken")
if not ok:
    sys.exit("the probe's command failed: " + engine.host.stderr)
""" + PEAK_RSS


def bench_memory(setup: Setup) -> list[Row]:
    source, rows = setup.store(setup.users)
    path = setup.copy(source, "memory.json")
    library = fastest_json_library(path)
    probe = MEMORY_PROBE % gen.unique_name(rows)
    ours = int(run_child([sys.executable, "-c", probe, path]).stdout.split()[-1])
    load = f"P = {path!r}\n{JSON_LIBRARIES[library]}\n{PEAK_RSS}"      # the peak includes the parse
    ref = int(run_child([sys.executable, "-c", load]).stdout.split()[-1])
    return [Row(f"peak RSS of a prompt holding the store ({setup.users:,})", ours * 1024, ref * 1024,
                f"python holding the parsed file ({library})", unit="MB", target="<=600MB")]


SCENARIOS: dict[str, Callable[[Setup], list[Row]]] = {
    "parse": bench_parse,
    "pipeline": bench_pipeline,
    "startup": bench_startup,
    "lock": bench_lock,
    "cold-lock": bench_cold_lock,
    "warm-change": bench_warm_change,
    "bulk-unlock": bench_bulk_unlock,
    "completion": bench_completion,
    "memory": bench_memory,
}


def scenario_function(name: str) -> Callable[[Setup], list[Row]]:
    """This file's measurement, unless bench/store_bench.py provides ``bench_<name>``."""
    try:
        from bench import store_bench
    except ImportError:
        return SCENARIOS[name]
    return getattr(store_bench, "bench_" + name.replace("-", "_"), None) or SCENARIOS[name]


# --- command line -----------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=None, help="directory size (default 100000; --quick: 120)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and few repeats: a smoke test")
    parser.add_argument("--only", default="", help="comma-separated scenarios: " + ", ".join(SCENARIOS))
    parser.add_argument("--lines", type=int, default=None, help="parse: script lines (default 10000)")
    parser.add_argument("--objects", type=int, default=None, help="pipeline: objects (default 100000)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per median (default 5; --quick: 1)")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()] or list(SCENARIOS)
    unknown = [name for name in args.only if name not in SCENARIOS]
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}")
    return args


def make_setup(args: argparse.Namespace, folder: str) -> Setup:
    quick = args.quick
    users = args.users or (120 if quick else 100_000)
    return Setup(folder=folder, users=users, small=min(1000, max(users // 3, 10)) if quick else min(1000, users),
                 repeat=args.repeat or (1 if quick else 5), quick=quick,
                 lines=args.lines or (200 if quick else 10_000), objects=args.objects or (2000 if quick else 100_000))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="csshell-bench-") as folder:
        setup = make_setup(args, folder)
        for name in args.only:
            start = time.perf_counter()
            rows += scenario_function(name)(setup)
            print(f"# {name}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
