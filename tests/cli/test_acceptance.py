"""The shared acceptance cases (``../shared/acceptance``) must all pass against this checkout's csshell.

The folder lives next to the repository, not in it. If it is missing the test fails (it is not
skipped): CI must not report green without having run the cases.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from cli_support import csshell_command

ACCEPTANCE_RUN = Path(__file__).parents[2].parent / "shared" / "acceptance" / "run"


def test_all_acceptance_cases_pass(tmp_path: Path) -> None:
    assert ACCEPTANCE_RUN.is_file(), (
        f"acceptance runner not found at {ACCEPTANCE_RUN}: check out the shared acceptance folder next to "
        "the repository (../shared/acceptance) before running the suite")
    env = {k: v for k, v in os.environ.items() if k != "CSSHELL_STORE"}
    env.update(CSSHELL=shlex.join(csshell_command()), XDG_DATA_HOME=str(tmp_path / "xdg"), NO_COLOR="1")
    proc = subprocess.run([sys.executable, str(ACCEPTANCE_RUN)], cwd=Path(__file__).parents[2], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
    summary = re.search(r"^(\d+) passed, (\d+) failed$", proc.stdout, re.M)
    assert summary, f"no summary line in the runner's output:\n{proc.stdout}\n{proc.stderr}"
    passed, failed = int(summary.group(1)), int(summary.group(2))
    assert proc.returncode == 0 and failed == 0 and passed > 0, proc.stdout + proc.stderr
