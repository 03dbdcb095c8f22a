"""Finding the editor and validator clients the schema tests run (npm packages installed by
`.ci/run` into build/node, or on PATH), and a small Language Server Protocol client."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NODE_BIN = ROOT / "build" / "node" / "node_modules" / ".bin"


def npm_tool(name: str) -> str | None:
    """The path of an npm command line, or None when it is not installed."""
    local = NODE_BIN / name
    if local.exists() and shutil.which("node"):
        return str(local)
    return shutil.which(name)


class LanguageServer:
    """A language server over standard input and output (JSON-RPC with Content-Length
    headers), answering the requests a server makes of its client."""

    def __init__(self, command: list[str], settings: dict[str, Any]) -> None:
        self.settings = settings
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.notifications: list[dict[str, Any]] = []

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise ConnectionError("the language server ended")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        return message

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        ours = self.next_id
        self._send({"id": ours, "method": method, "params": params})
        while True:
            message = self._receive()
            if "method" in message and "id" in message:  # the server asks us something
                self._answer(message)
            elif "method" in message:
                self.notifications.append(message)
            elif message.get("id") == ours:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result")

    def _answer(self, message: dict[str, Any]) -> None:
        result: Any = None
        if message["method"] == "workspace/configuration":
            items = message["params"].get("items", [])
            result = [self.settings.get(item.get("section", ""), None) for item in items]
        self._send({"id": message["id"], "result": result})

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except (OSError, ConnectionError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
