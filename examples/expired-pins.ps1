# Runbook: find PINs that have expired (or will within N days) as of a date, and lock the expired ones.
# Usage: csshell -File expired-pins.ps1 -AsOf 2026-06-01 [-Days 14] [-Lock]
param(
    [datetime]$AsOf = (Get-Date),
    [int]$Days = 14,
    [switch]$Lock
)

$soon = $AsOf.AddDays($Days)
$withExpiry = Get-CsUser | Get-CsClientPinInfo | Where-Object { $_.PinExpirationTime -ne $null }

foreach ($info in $withExpiry) {
    if ($info.PinExpirationTime -lt $AsOf) {
        "EXPIRED  {0} (expired {1:yyyy-MM-dd})" -f $info.Identity, $info.PinExpirationTime
        if ($Lock) { Lock-CsClientPin -Identity $info.Identity }
    }
    elseif ($info.PinExpirationTime -lt $soon) {
        $left = ($info.PinExpirationTime - $AsOf).Days
        "SOON     {0} (expires in {1} days)" -f $info.Identity, $left
    }
}
