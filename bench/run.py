"""Benchmarks: print median figures for the engine's basic costs. Run: .venv/bin/python bench/run.py

Figures, never asserts. Each scenario is paired with a reference measured in the same run:
  parse      a generated 10,000-line admin script          vs  tree-sitter-pwsh parsing the same text
  pipeline   1..100000 | Where-Object {...} | ForEach-Object  vs  a plain Python loop doing the same work
  one-liner  csshell -c '$null' (process start)            vs  python3 -c pass
  lock       Lock + Unlock of one user, durable each       vs  an fsync'd 1 KB append in the same folder
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))



def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_parse(lines: int, repeat: int) -> tuple[float, float]:
    import tree_sitter
    import tree_sitter_pwsh
    from bench.admin_script import admin_script
    from csshell.language.parser import parse
    text = admin_script(lines)
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_pwsh.language()))
    data = text.encode("utf-8")
    return median_time(lambda: parse(text), repeat), median_time(lambda: parser.parse(data), repeat)


def bench_pipeline(count: int, repeat: int) -> tuple[float, float]:
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    engine = Engine(BufferHost())
    text = f"$n = 1..{count} | Where-Object {{ $_ % 3 -eq 0 }} | ForEach-Object {{ $_ * 2 }}"

    def python_loop() -> int:
        return len([x * 2 for x in range(1, count + 1) if x % 3 == 0])
    return median_time(lambda: engine.run_command_text(text), repeat), median_time(python_loop, repeat)


def bench_startup(repeat: int, store: str) -> tuple[float, float]:
    env = dict(os.environ, CSSHELL_STORE=store)
    shell = [sys.executable, "-m", "csshell", "-c", "$null"]
    return (median_time(lambda: subprocess.run(shell, env=env, check=True), repeat),
            median_time(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeat))


def bench_lock(repeat: int, folder: str) -> tuple[float, float]:
    from csshell.engine import Engine
    from csshell.runtime.host import BufferHost
    from csshell.store import open_store
    store = os.path.join(folder, "bench.json")
    engine = Engine(BufferHost(), lambda: open_store(store))
    engine.run_command_text(f"Import-CsDirectory -Path '{ROOT / 'examples' / 'directory.csv'}'")
    append = os.path.join(folder, "append.bin")

    def lock_unlock() -> None:
        engine.run_command_text('Lock-CsClientPin -Identity "Ken Myer"')
        engine.run_command_text('Unlock-CsClientPin -Identity "Ken Myer"')

    def fsync_append() -> None:
        with open(append, "ab") as handle:
            handle.write(b"x" * 1024)
            handle.flush()
            os.fsync(handle.fileno())
    return median_time(lock_unlock, repeat) / 2, median_time(fsync_append, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--objects", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            (f"parse {args.lines}-line script", *bench_parse(args.lines, args.repeat), "tree-sitter-pwsh"),
            (f"pipeline of {args.objects} objects", *bench_pipeline(args.objects, args.repeat), "Python loop"),
            ("csshell -c '$null'", *bench_startup(args.repeat, os.path.join(folder, "s.json")), "python3 -c pass"),
            ("one durable change", *bench_lock(args.repeat, folder), "fsync'd 1 KB append"),
        ]
    print(f"{'scenario':34} {'median':>10} {'reference':>10} {'ratio':>8}  reference is")
    for name, ours, ref, ref_name in rows:
        print(f"{name:34} {ours * 1000:9.1f}ms {ref * 1000:9.1f}ms {ours / ref:7.1f}x  {ref_name}")


if __name__ == "__main__":
    main()
