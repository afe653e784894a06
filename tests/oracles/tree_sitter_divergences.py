"""Inputs where csshell and tree-sitter-pwsh 0.38 knowingly disagree, each with the reason.

The differential test fails on a divergence missing from this list, and on a listed input that no
longer diverges, so the list stays true. Every entry here is a gap of tree-sitter's grammar measured
in reference/powershell-language.md §3.2 or found by this test; in each case real PowerShell reads the
input the way csshell does (sources given).
"""
from __future__ import annotations

KNOWN_DIVERGENCES: dict[str, str] = {
    'function Get-Locked { param([string]$Identity) Get-CsClientPinInfo -Identity $Identity }':
        "tree-sitter gap (§3.2 probe table): a one-line function whose param() block is followed by a "
        "statement on the same line is an error node; PowerShell accepts it (about_Functions_Advanced_Parameters).",
    'Write-Progress \u2013Activity "Searching Users" \u2013Status "x"':
        "tree-sitter gap (§3.2): an en dash parameter is a generic_token argument; PowerShell's tokenizer "
        "treats \u2013 \u2014 \u2015 as dashes (CharTraits.IsDash), so it is the parameter -Activity.",
    'Get-CsClientPinInfo \u2013Identity "Ken Myer"':
        "tree-sitter gap (§3.2): en dash parameter read as an argument; PowerShell reads -Identity.",
    'Write-Progress -Activity \u201cSearching Users\u201d':
        "tree-sitter gap (§3.2): smart quotes are not string delimiters to it, so the quoted text splits in "
        "two bare words; PowerShell treats \u201c \u201d as double quotes (CharTraits.IsDoubleQuote): one argument.",
    'switch ($status) { "Locked" { "L" } default { "?" } }':
        "tree-sitter gap (found here): a switch with a `default` clause is an error node; PowerShell accepts "
        "it (about_Switch).",
    '1..5 | ForEach-Object { $_ * 2 }':
        "tree-sitter gap (found here): a statement starting with a number range is read as a command "
        "named `1..5`; PowerShell starts an expression at a number (about_Operators, Range operator: "
        "`1..10 | ForEach-Object {...}`).",
}
