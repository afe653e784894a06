# Runbook: the help desk unlocks one caller's PIN and records the ticket number.
# Usage: csshell -File helpdesk-unlock.ps1 -Identity "Ken Myers" -Ticket HD-1234
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true, Position = 0)]
    [string]$Identity,

    [Parameter(Mandatory = $true)]
    [ValidatePattern('^HD-\d+$')]
    [string]$Ticket
)

try {
    $info = Get-CsClientPinInfo -Identity $Identity -ErrorAction Stop
}
catch {
    Write-Warning "Ticket $($Ticket): $($_.Exception.Message)"
    exit 2
}

if (-not $info.IsLockedOut) {
    "{0}: {1} is not locked out; nothing to do." -f $Ticket, $info.Identity
    exit 0
}

Unlock-CsClientPin -Identity $Identity
"{0}: unlocked {1}" -f $Ticket, $info.Identity
