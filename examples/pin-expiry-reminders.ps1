#Requires -Version 3.0 -Modules Lync
<#
Runbook: write a reminder mail for every user whose dial-in PIN expires within -Days days of -AsOf
(or has already expired), and one for every user who has no PIN yet. Each mail body is a text file
named after the user's SAM account name in -OutDir, ready for the mail gateway's pickup folder.
Usage:  csshell -File pin-expiry-reminders.ps1 -OutDir .\mail [-AsOf 2026-04-25] [-Days 14]
#>
param(
    [Parameter(Mandatory = $true)]
    [string]$OutDir,
    [datetime]$AsOf = (Get-Date),
    [ValidateRange(1, 90)]
    [int]$Days = 14,
    [string]$HelpDesk = "x4357"
)

if (-not (Test-Path $OutDir)) {
    Write-Warning "The folder $OutDir does not exist; create it first."
    exit 2
}

$sent = [ordered]@{ Expiring = 0; Expired = 0; NoPin = 0 }

foreach ($user in Get-CsUser) {
    $info = Get-CsClientPinInfo -Identity $user.SipAddress
    if (-not $info.IsPinSet) {
        $kind = "NoPin"
        $subject = "Please set your dial-in conferencing PIN"
        $detail = "You have no dial-in conferencing PIN yet."
    }
    elseif ($info.PinExpirationTime -eq $null) {
        continue                                   # PIN never expires: nothing to say
    }
    else {
        $left = [math]::Floor(($info.PinExpirationTime - $AsOf).TotalDays)
        if ($left -gt $Days) { continue }
        $kind = if ($left -lt 0) { "Expired" } else { "Expiring" }
        $subject = "Your dial-in conferencing PIN expires on $($info.PinExpirationTime.ToString('yyyy-MM-dd'))"
        $detail = switch ($kind) {
            "Expired"  { "Your PIN expired $(-$left) day(s) ago; dial-in meetings will refuse it." }
            "Expiring" { "Your PIN expires in $left day(s)." }
        }
    }

    # An expandable here-string: $variables and $( ) are filled in, quotes need no escaping.
    $body = @"
To: $($user.UserPrincipalName)
Subject: $subject

Hello $($user.FirstName),

$detail
Set a new PIN at https://dialin.litwareinc.com or call the help desk ("$HelpDesk").

-- Unified Communications team
"@
    $file = Join-Path $OutDir "$($user.SamAccountName).txt"
    Set-Content -Path $file -Value $body
    $sent[$kind]++
    "{0,-9} {1}" -f $kind, $user.SipAddress
}

"Reminders written to ${OutDir}: $($sent.Expiring) expiring, $($sent.Expired) expired, $($sent.NoPin) without a PIN"
