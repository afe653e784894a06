#Requires -Version 3.0 -Modules SkypeForBusiness
<#
Runbook: set the dial-in PINs listed in a CSV (columns Identity, Pin), e.g. PINs agreed with users
on their first day. A progress bar shows on the console while the rows are worked through; every
row that fails is listed at the end with the reason, and the other rows still go through.
Usage:  csshell -File bulk-assign-pins.ps1 -Path .\pin-assignments.csv [-WhatIf]
Exit code: 0 when every row succeeded, 1 otherwise (so a scheduled task can alert).
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [ValidateScript({ Test-Path $_ })]
    [string]$Path
)

$rows = @(Import-Csv -Path $Path)
$failed = @()
$assigned = 0

for ($i = 0; $i -lt $rows.Count; $i++) {
    $row = $rows[$i]
    Write-Progress -Activity "Assigning dial-in PINs" -Status "$($i + 1) of $($rows.Count): $($row.Identity)" `
        -PercentComplete ((($i + 1) / $rows.Count) * 100)
    try {
        # -ErrorAction Stop turns "user not found" / "PIN too short" into something catch can see.
        $result = Set-CsClientPin -Identity $row.Identity -Pin $row.Pin -ErrorAction Stop
        if ($result) {
            $assigned++
            "OK      $($result.Identity)"
        }
    }
    catch {
        $failed += [pscustomobject]@{ Identity = $row.Identity; Reason = $_.Exception.Message }
    }
}
Write-Progress -Activity "Assigning dial-in PINs" -Completed

"Assigned $assigned of $($rows.Count) PIN(s)."
if ($failed.Count -gt 0) {
    "Failed rows:"
    foreach ($f in $failed) { "  {0}: {1}" -f $f.Identity, $f.Reason }
    exit 1
}
