"""The JSON Schema (`toc schema`) in the clients people run it with: yaml-language-server
(hovers and completions, as VS Code shows them), ajv-cli and check-jsonschema, each
exactly as docs/integration.md says. A client that is not installed makes its test skip
with the reason (`.ci/run` installs them)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from editor_clients import ROOT, LanguageServer, npm_tool

SCHEMA = ROOT / "docs" / "schema" / "programme.schema.json"
EXAMPLES = sorted(ROOT.glob("examples/*/programme.yaml"))
INSTALL = "install it as .ci/run does (npm install --prefix build/node ...)"


@pytest.fixture(scope="module")
def server() -> Any:
    command = npm_tool("yaml-language-server")
    if command is None:
        pytest.skip(f"yaml-language-server is not installed: {INSTALL}")
    settings = {"yaml": {"validate": True, "hover": True, "completion": True,
                         "schemaStore": {"enable": False}}}
    lsp = LanguageServer([command, "--stdio"], settings)
    lsp.request("initialize", {
        "processId": None,
        "rootUri": ROOT.as_uri(),
        "capabilities": {
            "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]},
                             "completion": {"completionItem": {"snippetSupport": False}}},
            "workspace": {"configuration": True},
        },
    })
    lsp.notify("initialized", {})
    lsp.notify("workspace/didChangeConfiguration", {"settings": settings})
    yield lsp
    lsp.close()


def _open(server: LanguageServer, path: Path, text: str) -> str:
    uri = path.as_uri()
    server.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    return uri


def _position(text: str, needle: str, offset: int = 0) -> dict[str, int]:
    before = text[: text.index(needle) + offset]
    return {"line": before.count("\n"), "character": len(before.rsplit("\n", 1)[-1])}


def _hover_text(server: LanguageServer, uri: str, position: dict[str, int]) -> str:
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": position})
    assert hover, f"no hover at {position}"
    contents = hover["contents"]
    return contents["value"] if isinstance(contents, dict) else str(contents)


def test_hover_on_a_key_of_the_example_shows_its_description(server: LanguageServer) -> None:
    path = ROOT / "examples" / "nepal" / "programme.yaml"
    text = path.read_text(encoding="utf-8")  # its modeline names the committed schema
    uri = _open(server, path, text)
    rationale = _hover_text(server, uri, _position(text, "        rationale:", 10))
    assert "Why this result should lead to the higher one." in rationale
    measure = _hover_text(server, uri, _position(text, "        measure:", 10))
    assert "The kind of measure (as in IATI)." in measure
    assert "ordinal: an entry of the indicator's" in measure


def test_completion_offers_the_levels_and_the_choices(server: LanguageServer) -> None:
    path = ROOT / "examples" / "nepal" / "programme.yaml"
    original = path.read_text(encoding="utf-8")
    text = original.replace("    level: output\n", "    level: \n", 1)
    assert text != original
    uri = _open(server, path.with_name("editing.yaml"), text)
    labels = _labels(server, uri, _position(text, "    level: \n", len("    level: ")))
    assert {"activity", "output", "outcome", "impact"} <= labels
    text = original.replace("        measure: unit\n", "        measure: \n", 1)
    uri = _open(server, path.with_name("editing-measure.yaml"), text)
    labels = _labels(server, uri, _position(text, "        measure: \n", len("        measure: ")))
    assert labels >= {"unit", "percentage", "ordinal", "qualitative"}


def _labels(server: LanguageServer, uri: str, position: dict[str, int]) -> set[str]:
    result = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": position})
    items = result["items"] if isinstance(result, dict) else result or []
    return {item["label"] for item in items}


def test_ajv_cli_the_documented_way(tmp_path: Path) -> None:
    """integration.md: YAML to JSON with the YAML 1.2 `yaml` command (dates stay text),
    then ajv with ajv-formats."""
    yaml_cli, ajv = npm_tool("yaml"), npm_tool("ajv")
    if yaml_cli is None or ajv is None:
        pytest.skip(f"the npm packages yaml and ajv-cli are not installed: {INSTALL}")
    for path in EXAMPLES:
        converted = tmp_path / f"{path.parent.name}.json"
        with path.open("rb") as source, converted.open("wb") as target:
            subprocess.run([yaml_cli, "--json", "--single"], stdin=source, stdout=target,
                           check=True)
        done = subprocess.run([ajv, "validate", "-s", str(SCHEMA), "-d", str(converted),
                               "-c", "ajv-formats", "--allow-union-types"],
                              capture_output=True, text=True, cwd=ROOT / "build" / "node")
        assert done.returncode == 0, done.stdout + done.stderr
        assert "valid" in done.stdout + done.stderr
    broken = tmp_path / "broken.json"
    broken.write_text(converted.read_text(encoding="utf-8").replace(
        '"statement":', '"statment":', 1), encoding="utf-8")
    done = subprocess.run([ajv, "validate", "-s", str(SCHEMA), "-d", str(broken),
                           "-c", "ajv-formats", "--allow-union-types"],
                          capture_output=True, text=True, cwd=ROOT / "build" / "node")
    assert done.returncode == 1
    assert "broken.json invalid" in done.stderr and "'statement'" in done.stderr


def test_check_jsonschema_on_the_examples(tmp_path: Path) -> None:
    command = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name(
        "check-jsonschema"))
    if not Path(command).exists():
        pytest.skip("check-jsonschema is not installed: pip install check-jsonschema")
    done = subprocess.run([command, "--schemafile", str(SCHEMA), *map(str, EXAMPLES)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = tmp_path / "programme.yaml"
    broken.write_text(EXAMPLES[0].read_text(encoding="utf-8").replace(
        "    statement:", "    statment:", 1), encoding="utf-8")
    done = subprocess.run([command, "--schemafile", str(SCHEMA), str(broken)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "statment" in done.stdout
