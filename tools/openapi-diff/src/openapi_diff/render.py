"""The report as text: breaking changes (accepted or not), changelog lines, stale entries."""

from collections.abc import Mapping

from openapi_diff.model import Change, Report


def _line(change: Change, reason: str | None) -> str:
    line = f"  {'accepted' if reason else 'BREAKING'} {change.identifier}"
    line += f"  -- {change.detail}" if change.detail else ""
    line += f"  [accepted: {reason}]" if reason else ""
    line += "  [listed in BREAKING.md without a reason]" if reason == "" else ""
    return line


def render(report: Report, accepted: Mapping[str, str]) -> str:
    unaccepted = report.unaccepted(accepted)
    count = len(report.breaking)
    lines = [f"Breaking changes: {count} ({count - len(unaccepted)} accepted)"]
    lines += [_line(change, accepted.get(change.identifier)) for change in report.breaking]
    lines.append(f"Changelog: {len(report.changelog)}")
    for change in report.changelog:
        lines.append(
            f"  + {change.identifier}" + (f"  -- {change.detail}" if change.detail else "")
        )
    found = {change.identifier for change in report.breaking}
    stale = [identifier for identifier in accepted if identifier not in found]
    if stale:
        lines.append("Listed in BREAKING.md but not in this diff (remove once released):")
        lines.extend(f"  {identifier}" for identifier in stale)
    verdict = f"FAILED: {len(unaccepted)} unaccepted breaking change(s)" if unaccepted else "OK"
    lines.append(verdict)
    return "\n".join(lines)
