#!/usr/bin/env python3
"""Reads a tool's output the way CI runners read a job log and fails on any command the tool did not mean.

    runner_commands.py --allow error,warning,add-mask [--gitlab-section NAME] FILE...

GitHub (actions/runner, src/Runner.Common/ActionCommand.cs and Runner.Worker/ActionCommandManager.cs):
the log is split into lines at CR LF, LF and a lone CR; a line is a command when, after String.TrimStart(),
it starts with "::" and holds a second "::" (TryParseV2), or when it contains "##[" followed by "]"
anywhere (the legacy TryParse, tried when V2 fails). Every such line must be one of the allowed commands
in the form gantry writes them: "::NAME::data" or "::NAME key=value,...::data" with known keys and no
raw ":" or "," in a value. No other line may contain "##[".

GitLab (Gitlab::Regex.build_trace_section_regex): a section marker is section_(start|end):DIGITS:NAME,
optional [options], then CR ESC [0K. With --gitlab-section, at most one start and one end may appear and
both must be NAME; without it, none may appear.

Written from the runners' sources, not from gantry's code. Exits 1 listing the offending lines.
"""
import argparse
import re
import sys

PROPERTY_KEYS = {"file", "line", "endLine", "col", "endColumn", "title"}
SECTION = re.compile(rb"section_(start|end):(\d+):([a-zA-Z0-9_.-]+)(\[(?:\w+=\w+)(?:, ?(?:\w+=\w+))*\])?\r\x1b\[0K")


def github_problems(text, allowed):
    problems = []
    for number, line in enumerate(re.split(r"\r\n|\n|\r", text), start=1):
        trimmed = line.lstrip()  # Python's whitespace is a superset of .NET's char.IsWhiteSpace
        if not trimmed.startswith("::") or trimmed.find("::", 2) < 0:
            # The legacy parser is tried only when the line is not a "::" command.
            if "##[" in line:
                problems.append(f"line {number}: legacy command marker ##[: {line!r}")
            continue
        end = trimmed.find("::", 2)
        info = trimmed[2:end]
        name, _, properties = info.partition(" ")
        if trimmed != line:
            problems.append(f"line {number}: command after leading whitespace: {line!r}")
            continue
        if name not in allowed:
            problems.append(f"line {number}: command {name!r} is not one the tool writes here: {line!r}")
            continue
        for pair in filter(None, properties.split(",")):
            key, equals, value = pair.partition("=")
            if not equals or key not in PROPERTY_KEYS or ":" in value:
                problems.append(f"line {number}: unexpected property {pair!r}: {line!r}")
    return problems


def gitlab_problems(data, section):
    problems = []
    markers = list(SECTION.finditer(data))
    starts = [m for m in markers if m.group(1) == b"start"]
    ends = [m for m in markers if m.group(1) == b"end"]
    if section is None and markers:
        problems.append(f"section markers where none are expected: {[m.group(0) for m in markers]!r}")
    if section is not None:
        if len(starts) > 1 or len(ends) > 1:
            problems.append(f"{len(starts)} section starts and {len(ends)} ends, expected at most one of each")
        for marker in markers:
            if marker.group(3).decode() != section:
                problems.append(f"a section named {marker.group(3)!r}, expected {section!r}")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--allow", default="", help="comma-separated command names the tool may write")
    parser.add_argument("--gitlab-section", default=None)
    parser.add_argument("files", nargs="+")
    arguments = parser.parse_args()
    allowed = {name for name in arguments.allow.replace(" ", ",").split(",") if name}
    failed = False
    for path in arguments.files:
        with open(path, "rb") as handle:
            data = handle.read()
        problems = github_problems(data.decode("utf-8", errors="replace"), allowed) + gitlab_problems(data, arguments.gitlab_section)
        for problem in problems:
            print(f"{path}: {problem}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
