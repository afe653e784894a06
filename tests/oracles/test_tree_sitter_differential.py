"""csshell's parser against an oracle we did not write: the tree-sitter-pwsh grammar.

For every input both parsers must give the same verdict (accept or reject) and the same commands,
parameters and argument kinds (command_shape.py). Known disagreements live in
tree_sitter_divergences.py with their reason; an unlisted one fails, and so does a listed one that
stopped happening.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from admin_snippets import ADMIN_SNIPPETS
from command_shape import csshell_shape, tree_sitter_shape
from script_strategies import scripts
from tree_sitter_divergences import KNOWN_DIVERGENCES

REPO = Path(__file__).resolve().parents[2]
ACCEPTANCE = REPO.parent / "shared" / "acceptance" / "cases"
SCRIPT_FILES = sorted(REPO.glob("examples/*.ps1")) + sorted(ACCEPTANCE.glob("*/case.ps1"))
CORPUS = [p.read_text(encoding="utf-8-sig") for p in SCRIPT_FILES] + ADMIN_SNIPPETS
CORPUS_IDS = ([str(p.relative_to(REPO.parent)) for p in SCRIPT_FILES]
              + [f"snippet-{i}" for i in range(len(ADMIN_SNIPPETS))])


def diverges(text: str) -> bool:
    return csshell_shape(text) != tree_sitter_shape(text)


def test_corpus_holds_the_example_and_acceptance_scripts():
    assert len(list(REPO.glob("examples/*.ps1"))) >= 5
    assert len(list(ACCEPTANCE.glob("*/case.ps1"))) >= 9


@pytest.mark.parametrize("text", CORPUS, ids=CORPUS_IDS)
def test_csshell_and_tree_sitter_agree_on_corpus(text):
    if text in KNOWN_DIVERGENCES:
        assert diverges(text)          # checked (and explained) by test_known_divergence_still_occurs
        return
    assert csshell_shape(text) == tree_sitter_shape(text)


@pytest.mark.parametrize("text", list(KNOWN_DIVERGENCES))
def test_known_divergence_still_occurs(text):
    assert diverges(text), f"no longer diverges, remove it from tree_sitter_divergences.py: {text!r}"


def test_every_known_divergence_is_in_the_corpus():
    assert set(KNOWN_DIVERGENCES) <= set(CORPUS)


def test_shapes_are_not_trivially_equal():
    """The comparison must see structure: a different argument count or parameter is a divergence."""
    assert csshell_shape('Get-CsUser -Identity "Ken Myer"') != csshell_shape('Get-CsUser "Ken" "Myer"')
    assert tree_sitter_shape("Get-CsUser -Identity x") == (("get-csuser", ("-identity", "arg")),)
    assert csshell_shape("Get-CsUser -Identity:$x | % { Lock-CsClientPin @p }") == (
        ("get-csuser", ("-identity:", "arg")), ("%", ("{}",)), ("lock-csclientpin", ("@splat",)))
    assert csshell_shape("if (") is None and tree_sitter_shape("if (") is None


@settings(max_examples=150, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(scripts)
def test_csshell_and_tree_sitter_agree_on_generated_scripts(text):
    assert csshell_shape(text) is not None, f"csshell rejects a generated valid script: {text!r}"
    assert csshell_shape(text) == tree_sitter_shape(text)
