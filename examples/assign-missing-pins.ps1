# Runbook: give a generated PIN to every user in an OU who has none, and list the PINs once
# so they can be sent to the users. PINs are shown here only; the store keeps hashes.
# Usage: csshell -File assign-missing-pins.ps1 -OU "OU=Finance,DC=litwareinc,DC=com"
param(
    [Parameter(Mandatory = $true)]
    [string]$OU
)

$targets = Get-CsUser -OU $OU | Get-CsClientPinInfo | Where-Object { $_.IsPinSet -eq $false }
if (-not $targets) {
    "Every user in $OU already has a PIN."
    return
}

$assigned = foreach ($user in $targets) {
    Set-CsClientPin -Identity $user.Identity
}
"Assigned $(@($assigned).Count) PIN(s) in $OU"
$assigned | Select-Object Identity, PinReset | Sort-Object Identity | Format-Table -AutoSize
