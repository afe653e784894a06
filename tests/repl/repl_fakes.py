"""A stand-in for csshell.engine.Engine with just the REPL-facing API (the real one is the lead's)."""
from __future__ import annotations

from csshell.runtime.host import Host

COMMANDS = ["Get-CsClientPinInfo", "Lock-CsClientPin", "Unlock-CsClientPin", "Set-CsClientPin",
            "Get-CsUser", "Get-Help", "Select-Object", "select", "Where-Object", "ForEach-Object"]
COMMON = ["Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ErrorVariable",
          "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable"]
PARAMETERS = {
    "lock-csclientpin": ["Identity", "WhatIf", "Confirm"],
    "unlock-csclientpin": ["Identity", "WhatIf", "Confirm"],
    "set-csclientpin": ["Identity", "Pin", "Force", "WhatIf", "Confirm"],
    "get-csclientpininfo": ["Identity"],
    "get-csuser": ["Identity", "Filter", "LdapFilter", "OU", "ResultSize"],
    "select-object": ["Property", "First", "Last", "ExpandProperty"],
    "select": ["Property", "First", "Last", "ExpandProperty"],
}
USERS = ["Ken Myer", "Kenneth Smith", "sip:kenmyer@litwareinc.com", "David Longmuir", "O'Brien Pat"]


class FakeEngine:
    """Records what it ran; `exit [N]` sets exit_code; `boom` raises; `slow` is interrupted by Ctrl-C."""

    def __init__(self, host: Host) -> None:
        self.host = host
        self.exit_code: int | None = None
        self.ran: list[str] = []
        self.questions: list[str | None] = []
        self.closed = False

    def run_command_text(self, text: str) -> bool:
        self.ran.append(text)
        word = text.strip().split()
        if word and word[0].lower() == "exit":
            self.exit_code = int(word[1]) if len(word) > 1 else 0
        elif word and word[0] == "boom":
            raise ValueError("engine bug")
        elif word and word[0] == "slow":
            raise KeyboardInterrupt
        elif word and word[0] == "Read-Host":
            self.questions.append(self.host.read_line("Pin: ", secret=True))
        else:
            self.host.write(f"ran {text}\n")
        return True

    def is_incomplete(self, text: str) -> bool:
        stripped = text.rstrip()
        if stripped.endswith(("|", "`")):
            return True
        return text.count("{") > text.count("}") or text.count("(") > text.count(")") or text.count('"') % 2 == 1

    def command_names(self) -> list[str]:
        return list(COMMANDS)

    def parameter_names(self, command: str) -> list[str] | None:
        declared = PARAMETERS.get(command.lower())
        return None if declared is None else declared + COMMON

    def complete_identity(self, prefix: str) -> list[str]:
        return [u for u in USERS if u.lower().startswith(prefix.lower())]

    def prompt_text(self) -> str:
        return "PS /home/admin> "

    def close(self) -> None:
        self.closed = True
