"""Rule selection: `[tool.toc-engine]` in pyproject.toml and a programme's own `lint:` section.

An ignore may carry a reason; waived findings are kept (not dropped) so that
reports can show the waiver to the donor.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings.diagnostic import Diagnostic, Severity
from ..loading.files import open_regular
from ..schema.model import IgnoreEntry, LintConfig
from .rules import RULES, Rule


class ConfigError(ValueError):
    """A configuration problem the user must fix before anything can run (exit 2)."""


@dataclass(slots=True)
class Selection:
    select: list[str] = field(default_factory=list)
    ignore: dict[str, str] = field(default_factory=dict)  # code or prefix -> reason ('' if none)
    severity: dict[str, Severity] = field(default_factory=dict)
    source: str = ""
    hide: list[str] = field(default_factory=list)  # `--ignore`: dropped, never shown as waived

    def merged(self, lint: LintConfig) -> Selection:
        """This selection plus a programme's `lint:` section (the programme adds to it)."""
        out = Selection(list(self.select), dict(self.ignore), dict(self.severity), self.source,
                        list(self.hide))
        out.select.extend(normalise(code) for code in lint.select)
        for entry in lint.ignore:
            if isinstance(entry, IgnoreEntry):
                reason = entry.reason if isinstance(entry.reason, str) else ""
                out.ignore[normalise(entry.code)] = reason or ""
            else:
                out.ignore[normalise(entry)] = ""
        for code, level in lint.severity.items():
            out.severity[normalise(code)] = Severity.parse(level)
        return out

    def apply(self, found: list[Diagnostic]) -> tuple[list[Diagnostic], list[Diagnostic]]:
        """(kept, waived): findings after selection, severity overrides and ignores."""
        kept: list[Diagnostic] = []
        waived: list[Diagnostic] = []
        for diagnostic in found:
            code = diagnostic.code
            if self.select and not _matches(code, diagnostic.symbol, self.select):
                continue
            if self.hide and _matches(code, diagnostic.symbol, self.hide):
                continue
            override = _lookup(code, diagnostic.symbol, self.severity)
            if override is not None:
                diagnostic = diagnostic.with_severity(override)
            reason = _lookup(code, diagnostic.symbol, self.ignore)
            if reason is not None:
                if reason:
                    from dataclasses import replace

                    waived.append(replace(diagnostic, waived=reason))
                continue
            kept.append(diagnostic)
        return kept, waived

    def blocks(self, rule: Rule) -> bool:
        """Whether `apply` keeps any finding of `rule`'s check as an error (the checks that
        can stop `toc score`): a finding of its own code or of one it `emits`, selected,
        not ignored, and an error by default or by override."""
        return self._keeps_as_error(rule) or any(
            self._keeps_as_error(RULES[code]) for code in rule.emits
        )

    def _keeps_as_error(self, rule: Rule) -> bool:
        if self.select and not _matches(rule.code, rule.symbol, self.select):
            return False
        if _lookup(rule.code, rule.symbol, self.ignore) is not None:
            return False
        if self.hide and _matches(rule.code, rule.symbol, self.hide):
            return False
        override = _lookup(rule.code, rule.symbol, self.severity)
        return (rule.severity if override is None else override) is Severity.ERROR


def normalise(code: str) -> str:
    text = str(code).strip()
    if text.upper().startswith("TOC"):
        return text.upper()
    return text


def _matches(code: str, symbol: str, patterns: list[str]) -> bool:
    return any(code.startswith(p) or symbol == p for p in patterns)


def _lookup(code: str, symbol: str, table: dict[str, Any]) -> Any:
    best: str | None = None
    for pattern in table:
        if (code.startswith(pattern) or symbol == pattern) and (
            best is None or len(pattern) > len(best)
        ):
            best = pattern
    return None if best is None else table[best]


def _validate_codes(codes: list[str], where: str) -> None:
    for code in codes:
        known = any(c.startswith(code) for c in RULES) or any(
            r.symbol == code for r in RULES.values()
        )
        if not known:
            raise ConfigError(f"{where}: '{code}' matches no rule (see `toc rules`)")


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml with a [tool.toc-engine] table, from `start` upward."""
    folder = start.resolve()
    for candidate in [folder, *folder.parents]:
        path = candidate / "pyproject.toml"
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                # A broken file that holds our table must not be skipped silently (its
                # waivers would vanish): load_selection reports it.
                if "tool.toc-engine" in text:
                    return path
                continue
            if "toc-engine" in data.get("tool", {}):
                return path
        if (candidate / ".git").exists():
            break
    return None


def load_selection(start: Path, explicit: Path | None = None) -> Selection:
    """Rule selection from pyproject.toml; raises ConfigError for a broken configuration."""
    path = explicit or find_pyproject(start)
    if path is None:
        return Selection()
    try:
        with open_regular(path, "r", encoding="utf-8") as handle:
            data = tomllib.loads(handle.read())
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: cannot read: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    table = data.get("tool", {}).get("toc-engine", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.toc-engine] must be a table")
    selection = Selection(source=str(path))
    select = table.get("select", [])
    if not isinstance(select, list) or not all(isinstance(c, str) for c in select):
        raise ConfigError(f"{path}: [tool.toc-engine] select must be a list of codes")
    selection.select = [normalise(c) for c in select]
    _validate_codes(selection.select, str(path))
    for entry in table.get("ignore", []):
        if isinstance(entry, str):
            selection.ignore[normalise(entry)] = ""
        elif isinstance(entry, dict) and isinstance(entry.get("code"), str):
            selection.ignore[normalise(entry["code"])] = str(entry.get("reason", ""))
        else:
            raise ConfigError(
                f"{path}: [tool.toc-engine] ignore entries are codes or "
                "{{code = 'TOC205', reason = '...'}}"
            )
    _validate_codes(list(selection.ignore), str(path))
    severities = table.get("severity", {})
    if not isinstance(severities, dict):
        raise ConfigError(f"{path}: [tool.toc-engine] severity must be a table of code = level")
    for code, level in severities.items():
        try:
            selection.severity[normalise(code)] = Severity.parse(str(level))
        except ValueError as err:
            raise ConfigError(f"{path}: {err}") from None
    return selection
