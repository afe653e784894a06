# Runbook: unlock every locked dial-in PIN (the documented bulk pattern), with a before/after count.
# Usage: csshell -File unlock-locked-pins.ps1 [-WhatIf]
[CmdletBinding(SupportsShouldProcess = $true)]
param()

$locked = @(Get-CsUser | Get-CsClientPinInfo | Where-Object { $_.IsLockedOut -eq $true })
"Locked PINs before: $($locked.Count)"

foreach ($pin in $locked) {
    if ($PSCmdlet.ShouldProcess($pin.Identity, "Unlock-CsClientPin")) {
        Unlock-CsClientPin -Identity $pin.Identity
        "Unlocked {0}" -f $pin.Identity
    }
}

$still = @(Get-CsUser | Get-CsClientPinInfo | Where-Object { $_.IsLockedOut })
"Locked PINs after: $($still.Count)"
