"""Helpers for the command-line tests: how to start this checkout's ``csshell`` and capture a run."""
from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def csshell_command() -> list[str]:
    """This checkout's installed entry point, else the module run by the same interpreter."""
    script = Path(sys.executable).parent / "csshell"
    return [str(script)] if script.exists() else [sys.executable, "-m", "csshell"]


@dataclass
class Result:
    code: int
    out: str
    err: str


class Cli:
    """Runs csshell in a temporary working folder with an isolated environment."""

    def __init__(self, workdir: Path, env: dict[str, str], store: Path) -> None:
        self.workdir = workdir
        self.env = env
        self.store = store

    def __call__(self, *args: str, stdin: str | None = None, store: bool = True,
                 env: dict[str, str] | None = None) -> Result:
        argv = csshell_command() + (["--store", str(self.store)] if store else []) + list(args)
        proc = subprocess.run(argv, cwd=self.workdir, env={**self.env, **(env or {})}, input=stdin,
                              stdin=None if stdin is not None else subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=60)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def script(self, name: str, text: str) -> Path:
        path = self.workdir / name
        path.write_text(text, encoding="utf-8")
        return path
