# Runbook: write a PIN status report for every SfB-enabled user to a CSV file.
# Usage: csshell -File pin-status-report.ps1 [-Path report.csv]
param(
    [string]$Path = (Join-Path $PSScriptRoot "pin-status.csv")
)

$rows = Get-CsUser | Sort-Object DisplayName | ForEach-Object {
    $info = Get-CsClientPinInfo -Identity $_.SipAddress
    [pscustomobject]@{
        DisplayName = $_.DisplayName
        SipAddress  = $_.SipAddress
        Department  = $_.Department
        IsPinSet    = $info.IsPinSet
        IsLockedOut = $info.IsLockedOut
    }
}

$rows | Export-Csv -Path $Path -NoTypeInformation
$summary = $rows | Measure-Object
"Wrote {0} users to {1}" -f $summary.Count, (Split-Path -Leaf $Path)
"No PIN set: $(@($rows | Where-Object { -not $_.IsPinSet }).Count)"
"Locked out: $(@($rows | Where IsLockedOut -eq $true).Count)"
