"""``csshell serve [--listen ADDR:PORT] [--store PATH] [...]``: the server's command line.

Prints one ``listening on ADDR:PORT`` line on stdout once clients can connect (port 0 picks a free
port and the line tells which), logs sign-ins and failures on stderr, and exits 0 after a clean
SIGTERM/SIGINT shutdown, 1 when it cannot start (the reason on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import asyncio
import errno
import ipaddress
import math
import os
import socket
import sys

from csshell.remote.config import DEFAULT_ADDRESS, DEFAULT_PORT, Limits, ServerConfig, parse_listen


def build_parser() -> argparse.ArgumentParser:
    limits = Limits()
    parser = argparse.ArgumentParser(prog="csshell serve", description="Serve csshell sessions over SSH.")
    parser.add_argument("--listen", default=f"{DEFAULT_ADDRESS}:{DEFAULT_PORT}", metavar="ADDR:PORT",
                        help="address and port to listen on (default %(default)s; port 0 picks a free one)")
    parser.add_argument("--store", help="the store file (default: $CSSHELL_STORE, else the user data folder)")
    parser.add_argument("--host-key", help="SSH host key file (default: csshell_host_key beside the store)")
    parser.add_argument("--files", help="the only folder remote file cmdlets may use "
                                        "(default: csshell_files beside the store)")
    parser.add_argument("--history", help="folder of per-account histories (default: csshell_history beside the store)")
    parser.add_argument("--hostname", help="server name shown in the remote prompt (default: this host's name)")
    parser.add_argument("--max-sessions", type=int, default=limits.max_sessions)
    parser.add_argument("--max-auth-failures", type=int, default=limits.max_auth_failures,
                        help="failed sign-ins per account or address before a lockout (default %(default)s)")
    parser.add_argument("--failure-window", type=float, default=limits.failure_window, metavar="SECONDS")
    parser.add_argument("--lockout", type=float, default=limits.lockout, metavar="SECONDS")
    parser.add_argument("--failure-delay", type=float, default=limits.failure_delay, metavar="SECONDS")
    parser.add_argument("--shutdown-grace", type=float, default=limits.shutdown_grace, metavar="SECONDS")
    return parser


def config_from_args(argv: list[str]) -> ServerConfig:
    args = build_parser().parse_args(argv)
    address, port = parse_listen(args.listen)
    check_listen_host(address)
    if args.store is not None and not args.store.strip():
        raise ValueError("the argument for --store is empty: give the store file's path")
    store = args.store or os.environ.get("CSSHELL_STORE")
    if not store:
        from csshell.cli import default_store_path
        store = str(default_store_path())
    check_limits(args)
    limits = Limits(max_sessions=args.max_sessions, max_auth_failures=args.max_auth_failures,
                    failure_window=args.failure_window, lockout=args.lockout, failure_delay=args.failure_delay,
                    shutdown_grace=args.shutdown_grace)
    return ServerConfig(store, address=address, port=port, host_key_path=args.host_key or "",
                        history_folder=args.history or "", files_folder=args.files or "",
                        hostname=args.hostname or "", limits=limits)


# (option, attribute, smallest allowed, what it must be): a limit that cannot work is a usage error (exit 64).
_LIMIT_RULES = (
    ("--max-sessions", "max_sessions", 1, "a whole number of at least 1"),
    ("--max-auth-failures", "max_auth_failures", 1, "a whole number of at least 1"),
    ("--failure-window", "failure_window", None, "a number of seconds greater than 0"),
    ("--lockout", "lockout", 0, "a number of seconds of at least 0"),
    ("--failure-delay", "failure_delay", 0, "a number of seconds of at least 0"),
    ("--shutdown-grace", "shutdown_grace", 0, "a number of seconds of at least 0"),
)


def check_limits(args: argparse.Namespace) -> None:
    """Refuse limits that would disable what they bound: no session at all (``--max-sessions 0``), a lockout
    after zero or fewer failures, a window of no time, negative seconds (NaN and infinities too)."""
    for option, attribute, least, wanted in _LIMIT_RULES:
        value = getattr(args, attribute)
        fine = math.isfinite(value) and (value > 0 if least is None else value >= least)
        if not fine:
            raise ValueError(f"{option}: '{value:g}' is not allowed; it must be {wanted}.")


def check_listen_host(host: str) -> None:
    """Refuse a ``--listen`` host that is neither an IP address nor a name this machine resolves.

    Checked with the options (a usage error, exit 64) rather than when binding, where the resolver's
    bare ``Name or service not known`` would read as a failure of the server itself (exit 1).
    """
    if not host:
        return
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError):
        raise ValueError(f"--listen: '{host}' is neither an IP address nor a known host name "
                         "(expected ADDR:PORT, for example 127.0.0.1:2222).") from None


_LISTEN_ERRORS = {
    errno.EADDRINUSE: "the address is already in use",
    errno.EADDRNOTAVAIL: "the address is not one of this machine's",
    errno.EACCES: "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
}


def os_failure(config: ServerConfig, exc: OSError) -> str:
    """A failure of the operating system as a sentence (never Python's ``[Errno 98] ...`` text)."""
    reason = _LISTEN_ERRORS.get(exc.errno or 0)
    if reason is not None:
        host = config.address or "*"
        where = f"[{host}]" if ":" in host else host
        return f"cannot listen on {where}:{config.port}: {reason}."
    text = exc.strerror or str(exc)
    path = exc.filename
    return f"{text[:1].lower()}{text[1:]}" + (f": '{path}'" if path else "") + "."


def main(argv: list[str]) -> int:
    """Entry point of ``csshell serve``; returns the process exit code."""
    try:
        config = config_from_args(argv)
    except ValueError as exc:
        sys.stderr.write(f"csshell serve: {exc}\n{build_parser().format_usage()}")
        return 64
    except SystemExit as exc:          # argparse: --help (0) or a usage error (2, reported as 64: EX_USAGE)
        return 64 if exc.code == 2 else int(exc.code or 0)
    from csshell.remote.hostkey import HostKeyError
    from csshell.remote.server import configure_logging, serve
    from csshell.store import StoreError
    configure_logging()

    def announce(server: object) -> None:
        sys.stdout.write(f"csshell serve: listening on {config.address or '*'}:{server.port}\n")  # type: ignore[attr-defined]
        sys.stdout.flush()
    try:
        return asyncio.run(serve(config, ready=announce))
    except (HostKeyError, StoreError) as exc:
        sys.stderr.write(f"csshell serve: cannot start: {getattr(exc, 'message', None) or exc}\n")
        return 1
    except OSError as exc:
        sys.stderr.write(f"csshell serve: cannot start: {os_failure(config, exc)}\n")
        return 1
    except KeyboardInterrupt:
        return 130
