"""`workbench serve`: the review app in a browser, through textual-serve.

Each browser tab gets its own app process (textual-serve starts `workbench
review` per websocket), writing the same files as every other reviewer, so it
rests on the store's locked writes: two tabs marking one claim lose nothing.
There is no authentication, so the server binds to localhost unless told
otherwise, and says so loudly when it is not.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import socket
import sys
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost"})


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "serve",
        parents=[common],
        help="serve the review app to a web browser (textual-serve)",
        description=(
            "Serve the review app at http://HOST:PORT/: every browser tab runs its own "
            "app on this project's files. No authentication: keep it on localhost, or "
            "behind something that authenticates."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument(
        "--reviewer",
        default=None,
        metavar="NAME",
        help="who reviews in the browser (default: $WORKBENCH_REVIEWER, else git's user.name)",
    )
    parser.set_defaults(handler=run)


def check_host(host: str) -> bool:
    """Whether `host` is a loopback address; raises `UsageError` if it is no address."""
    from workbench.cli import UsageError

    if host in LOOPBACK_NAMES:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise UsageError(
            f"--host {host!r} is not an IP address: use 127.0.0.1 (this machine only), "
            "or an address of this machine such as 0.0.0.0"
        ) from None
    return address.is_loopback


def check_port_free(host: str, port: int) -> None:
    """Fail with one line now, not with a traceback from the web server later."""
    from workbench.cli import UsageError

    if not 0 < port < 65536:
        raise UsageError(f"--port {port} is not a port: use 1-65535 (e.g. 8000)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            reason = error.strerror or str(error)
            raise UsageError(
                f"cannot listen on {host}:{port} ({reason}): choose another --port"
            ) from None


def app_command(root: str, reviewer: str | None) -> str:
    """The shell command textual-serve runs for each browser tab."""
    words = [sys.executable, "-m", "workbench", "review", "--root", root]
    if reviewer is not None:  # else each tab's app asks for a name
        words += ["--reviewer", reviewer]
    return shlex.join(words)


def run(arguments: argparse.Namespace) -> int:
    from workbench.config import find_root, load_settings
    from workbench.review import find_reviewer

    loopback = check_host(arguments.host)
    check_port_free(arguments.host, arguments.port)
    root = find_root(override=arguments.root)
    settings, _problems = load_settings(root)
    reviewer = find_reviewer(arguments.reviewer)
    if not loopback:
        print(
            f"workbench serve: WARNING: listening on {arguments.host}, not localhost, with no "
            "authentication: anyone who can reach this address can change the claims",
            file=sys.stderr,
        )

    from textual_serve.server import Server

    server = Server(
        app_command(str(root), reviewer),
        host=arguments.host,
        port=arguments.port,
        title=f"workbench: {settings.name}",
    )
    server.serve()
    return 0
