"""Hypothesis strategies that write valid admin-style PowerShell: commands, pipelines and statements.

Only constructs both parsers are expected to read the same way are generated; the known tree-sitter
gaps (tree_sitter_divergences.py) are kept out, so any divergence found here is a new one.
"""
from __future__ import annotations

from hypothesis import strategies as st

COMMANDS = ["Get-CsUser", "Get-CsClientPinInfo", "Lock-CsClientPin", "Unlock-CsClientPin", "Set-CsClientPin",
            "Where-Object", "ForEach-Object", "Select-Object", "Sort-Object", "Write-Output", "Write-Host",
            "Format-Table", "Export-Csv", "Out-Null"]
PARAMETERS = ["Identity", "Pin", "Filter", "OU", "Property", "ErrorAction", "AutoSize", "Confirm", "Path", "First"]
VARIABLES = ["$user", "$info", "$_", "$PSItem", "$true", "$false", "$null", "$count", "$env:USERNAME"]
WORDS = ["Ken", "users.csv", "DisplayName", "sip:kenmyer@litwareinc.com", "Stop", "OU=Finance", "*"]

strings = st.one_of(
    st.sampled_from(WORDS).map(lambda w: f'"{w}"'),
    st.sampled_from(WORDS).map(lambda w: f"'{w}'"),
    st.sampled_from(VARIABLES).map(lambda v: f'"User {v} here"'),
)
numbers = st.integers(min_value=0, max_value=99999).map(str)
values = st.one_of(strings, numbers, st.sampled_from(VARIABLES))
expressions = st.recursive(
    values,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["-eq", "-ne", "-lt", "-like", "-match", "+", "*", "-and"]), inner)
        .map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"-not {e}"),
        st.lists(values, min_size=2, max_size=3).map(lambda xs: "@(" + ", ".join(xs) + ")"),
        st.sampled_from(VARIABLES[:4]).map(lambda v: f"{v}.DisplayName"),
    ),
    max_leaves=4,
)


def _pipeline(arguments: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    command = st.tuples(st.sampled_from(COMMANDS), st.lists(arguments, max_size=4)).map(
        lambda t: " ".join([t[0], *t[1]]))
    return st.lists(command, min_size=1, max_size=3).map(" | ".join)


def _arguments(blocks: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    named = st.tuples(st.sampled_from(PARAMETERS), values).map(lambda t: f"-{t[0]} {t[1]}")
    colon = st.tuples(st.sampled_from(PARAMETERS), values).map(lambda t: f"-{t[0]}:{t[1]}")
    return st.one_of(
        values, named, colon, st.sampled_from(PARAMETERS).map(lambda p: f"-{p}"),
        st.lists(st.sampled_from(WORDS[:3]), min_size=2, max_size=3).map(", ".join),
        st.just("@params"), blocks.map(lambda b: "{ " + b + " }"),
        expressions.map(lambda e: f"({e})"),
    )


def _statement(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    block = inner.map(lambda s: "{ " + s + " }")
    return st.one_of(
        st.tuples(expressions, block).map(lambda t: f"if ({t[0]}) {t[1]}"),
        st.tuples(expressions, block, block).map(lambda t: f"if ({t[0]}) {t[1]} else {t[2]}"),
        st.tuples(expressions, block, expressions, block).map(lambda t: f"if ({t[0]}) {t[1]} elseif ({t[2]}) {t[3]}"),
        st.tuples(st.sampled_from(VARIABLES[:2]), values, block).map(lambda t: f"foreach ({t[0]} in {t[1]}) {t[2]}"),
        st.tuples(expressions, block).map(lambda t: f"while ({t[0]}) {t[1]}"),
        st.tuples(block, block).map(lambda t: f"try {t[0]} catch {t[1]}"),
        st.tuples(st.sampled_from(VARIABLES[:2] + ["$count"]), _pipeline(_arguments(inner)))
        .map(lambda t: f"{t[0]} = {t[1]}"),
        st.lists(inner, min_size=2, max_size=3).map("; ".join),
        st.lists(inner, min_size=2, max_size=3).map("\n".join),
    )


scripts = st.recursive(_pipeline(_arguments(_pipeline(values))), _statement, max_leaves=6)
