"""Generates a realistic admin script of any length: the parse benchmark's input.

Blocks are the shapes admin scripts are made of (functions with param blocks, foreach over users,
if/elseif, pipelines with Where-Object, hashtables and splatting, here-strings, try/catch, -f
formatting), each with distinct names so nothing is trivially repeated text.
"""
from __future__ import annotations

BLOCKS = [
    '''function Get-LockedUser{n} {{
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$OU, [int]$Limit = {n})
    Get-CsUser -OU $OU | Get-CsClientPinInfo | Where-Object {{ $_.IsLockedOut -eq $true }} |
        Select-Object -First $Limit
}}
''',
    '''$report{n} = foreach ($user in Get-CsUser -LdapFilter "Title=Manager") {{
    $info = Get-CsClientPinInfo -Identity $user.SipAddress
    if ($info.IsLockedOut) {{ "{{0}} locked since {{1}}" -f $user.DisplayName, $info.LastPinChangeTime }}
    elseif (-not $info.IsPinSet) {{ "{{0}} has no PIN" -f $user.DisplayName }}
    else {{ Write-Verbose "ok: $($user.DisplayName)" }}
}}
''',
    '''$params{n} = @{{ Identity = "sip:user{n}@litwareinc.com"; ErrorAction = "SilentlyContinue" }}
try {{
    Unlock-CsClientPin @params{n}
}} catch {{
    Write-Warning ("Ticket HD-{n}: " + $_.Exception.Message)
}}
''',
    '''$body{n} = @"
Hello $($user.DisplayName),
Your dial-in PIN expires on $($info.PinExpirationTime). Ticket HD-{n}.
"@
$rows{n} = Import-Csv -Path (Join-Path $PSScriptRoot "list{n}.csv") | Where-Object {{ $_.Action -eq "Lock" }}
''',
    '''switch -Wildcard ($name{n}) {{
    "Ken*" {{ $kind = "engineer" }}
    "*Cannon" {{ $kind = "finance"; break }}
    default {{ $kind = "other" }}
}}
$total{n} = ($rows{n} | Measure-Object).Count + [int]"{n}"
''',
]


def admin_script(lines: int) -> str:
    """About ``lines`` lines of admin script (never fewer)."""
    parts: list[str] = []
    count = n = 0
    while count < lines:
        block = BLOCKS[n % len(BLOCKS)].format(n=n)
        parts.append(block)
        count += block.count("\n")
        n += 1
    return "".join(parts)
