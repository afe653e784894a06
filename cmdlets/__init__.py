"""The cmdlets admins call, one module per noun family, imported on first use.

``COMMANDS`` says which module declares which cmdlets and aliases; importing this package only hands
that catalog to the runtime (``csshell/runtime/registry.py``), so ``csshell -c 'Lock-CsClientPin ...'``
imports the client-PIN module and not help, JSON, CSV or dates. Listings (Get-Command, Get-Help, tab
completion) import every module. Adding a module is one line here: ``"module": "Verb-Noun Alias ..."``;
``tests/cmdlets/test_catalog.py`` fails if a module's commands are missing or misplaced.
"""
from __future__ import annotations

import importlib

from csshell.runtime.registry import declare_catalog

COMMANDS: dict[str, str] = {
    "adminroles": "Get-CsAdminRole Get-CsAdminRoleAssignment Grant-CsAdminRole Revoke-CsAdminRole "
                  "Set-CsAdminCredential Get-CsAdminAccount",
    "audit": "Get-CsAuditEntry Export-CsAuditEntry",
    "clientpin": "Get-CsClientPinInfo Lock-CsClientPin Unlock-CsClientPin Set-CsClientPin",
    "content": "Out-File Set-Content Add-Content ac",
    "dates": "Get-Date",
    "dialin": "Test-CsDialInPin Set-CsDialInPin",
    "directory_export": "Export-CsDirectory",
    "directory_import": "Import-CsDirectory",
    "files": "Import-Csv ConvertTo-Csv Export-Csv Get-Content Join-Path Test-Path ipcsv epcsv gc cat type",
    "format": "Format-Table Format-List Out-String Out-Host Out-Default ft fl oh",
    "help": "Get-Help Get-Command help man gcm",
    "host_io": "Read-Host Write-Progress Clear-Host Start-Sleep Get-Random Tee-Object cls clear sleep tee",
    "json": "ConvertTo-Json ConvertFrom-Json",
    "members": "Get-Member gm",
    "new_object": "New-Object",
    "objects": "Where-Object ForEach-Object where ? foreach %",
    "output": "Write-Output Out-Null Write-Host Write-Warning Write-Verbose Write-Debug Write-Information Write-Error "
              "echo write",
    "paths": "Split-Path",
    "pinpolicy": "Get-CsPinPolicy New-CsPinPolicy Set-CsPinPolicy Remove-CsPinPolicy Grant-CsPinPolicy",
    "remoting": "Enter-PSSession Exit-PSSession New-PSSession Get-PSSession Remove-PSSession Invoke-Command "
                "etsn exsn nsn gsn rsn icm",
    "selection": "Select-Object Sort-Object Measure-Object Group-Object select sort measure group",
    "store_admin": "Test-CsStore Restore-CsStore Backup-CsStore",
    "users": "Get-CsUser Get-CsAdUser Enable-CsUser Disable-CsUser Set-CsUser",
}


def import_module(module: str) -> None:
    importlib.import_module(f"{__name__}.{module}")


def import_all() -> None:
    """Every module in COMMANDS, and any module of this folder not (yet) listed there: listings stay complete."""
    import pkgutil
    for module in COMMANDS:
        import_module(module)
    for info in pkgutil.iter_modules(__path__):
        import_module(info.name)


def _loader(module: str):
    return lambda: import_module(module)


declare_catalog({name.lower(): _loader(module) for module, names in COMMANDS.items() for name in names.split()},
                import_all)


def shipped_catalogue() -> list[tuple[str, bool]]:
    """(name, is_extension) of every cmdlet this package ships: what the RBAC role matrix is built over.

    Toy cmdlets that tests register, and script functions, are not part of any role."""
    from csshell.runtime.cmdlet import REGISTRY
    import_all()
    return [(cls.name, cls.extension) for cls in REGISTRY.values() if cls.__module__.startswith(__name__ + ".")]
