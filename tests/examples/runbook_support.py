"""Paths and output helpers shared by the runbook tests."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def lines(text: str) -> list[str]:
    """Non-blank output lines without trailing spaces."""
    return [line.rstrip() for line in text.splitlines() if line.strip()]
