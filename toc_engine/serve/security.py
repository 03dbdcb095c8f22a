"""What keeps the app safe on a shared laptop or an office network: which Host headers
are answered (a page on another site cannot reach the app by DNS rebinding), and the token
every form carries (a page on another site cannot post to it)."""

from __future__ import annotations

import hmac
import ipaddress
import secrets

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(bind: str) -> list[str]:
    """The Host header values answered: the loopback names, and the bound address if it
    is another one (`--host`); `0.0.0.0` answers its machine's own names only through it."""
    hosts = ["127.0.0.1", "localhost", "[::1]"]
    if not is_loopback(bind) and bind not in ("0.0.0.0", "::"):
        hosts.append(bind if ":" not in bind else f"[{bind}]")
    return hosts


class Csrf:
    """One random token per run of the app, in every form and checked on every POST."""

    def __init__(self) -> None:
        self.token = secrets.token_urlsafe(32)

    def valid(self, sent: object) -> bool:
        return isinstance(sent, str) and hmac.compare_digest(sent, self.token)
