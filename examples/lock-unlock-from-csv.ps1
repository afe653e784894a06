#Requires -Version 3.0 -Modules SkypeForBusiness
<#
Runbook: work through a help-desk export of PIN requests (columns Identity, Action, Ticket), where
Action is Lock, Unlock or Check (any case). Each row is answered with one line; a summary by
outcome follows, so the shift lead can paste it into the handover notes.
Usage:  csshell -File lock-unlock-from-csv.ps1 -Path .\pin-actions.csv [-WhatIf]
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [Parameter(Mandatory = $true)]
    [string]$Path
)

$results = foreach ($row in Import-Csv -Path $Path) {
    $outcome = if ($WhatIfPreference) { "WhatIf" } else { "Done" }   # -WhatIf: nothing is changed
    try {
        $info = Get-CsClientPinInfo -Identity $row.Identity -ErrorAction Stop
        switch -Wildcard ($row.Action) {
            "lock" {
                if ($info.IsLockedOut) { $outcome = "NoChange"; break }
                Lock-CsClientPin -Identity $info.Identity
            }
            "unlock" {
                if (-not $info.IsLockedOut) { $outcome = "NoChange"; break }
                Unlock-CsClientPin -Identity $info.Identity
            }
            "check*" {
                $outcome = if ($info.IsLockedOut) { "Locked" } else { "NotLocked" }
            }
            default {
                $outcome = "Rejected"
            }
        }
    }
    catch {
        $outcome = "NotFound"
    }
    [pscustomobject]@{ Ticket = $row.Ticket; Identity = $row.Identity; Action = $row.Action; Outcome = $outcome }
}

$results | Format-Table -AutoSize

"Summary:"
$results | Group-Object -Property Outcome | Sort-Object -Property Count, Name -Descending |
    ForEach-Object { "  {0,-10} {1}" -f $_.Name, $_.Count }
