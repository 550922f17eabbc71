#!/usr/bin/env python3
"""Writes a git fast-import stream for semver-tag's benchmark: COMMITS commits on main, a release tag
every (COMMITS-10)/TAGS commits (the last one 10 commits before HEAD) (annotated, v0.1.0, v0.1.1, ... following the bumps the commits call for),
Conventional Commits messages mixed with plain ones, and a tail of commits after the last tag.

    make_repo.py COMMITS TAGS | git fast-import --quiet
"""
import sys

commits = int(sys.argv[1])
tags = int(sys.argv[2])
# Tags spread evenly over the history; the last one 10 commits before HEAD, as on a busy release branch.
tagged_span = max(1, commits - 10)
kinds = ["feat(api): add endpoint {}", "fix: handle case {}", "docs: describe {}", "chore: tidy {}",
         "refactor(core): split {}", "Update file {}", "perf: faster path {}", "test: cover {}"]
out = sys.stdout.buffer
major, minor, patch = 0, 1, 0
pending = None  # bump since the last tag
tagged = 0
time = 1600000000
for i in range(1, commits + 1):
    time += 30
    message = kinds[i % len(kinds)].format(i)
    if message.startswith("feat"):
        pending = "minor"
    elif message.startswith(("fix", "perf")) and pending is None:
        pending = "patch"
    data = f"{i}\n".encode()
    msg = message.encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"mark :{i}\n".encode())
    out.write(f"committer Bench <bench@example.invalid> {time} +0000\n".encode())
    out.write(f"data {len(msg)}\n".encode() + msg + b"\n")
    if i > 1:
        out.write(f"from :{i - 1}\n".encode())
    out.write(f"M 100644 inline file{i % 100}.txt\n".encode())
    out.write(f"data {len(data)}\n".encode() + data + b"\n")
    if tagged < tags and i * tags // tagged_span > tagged:
        if tagged > 0:
            if pending == "minor":
                minor, patch = minor + 1, 0
            else:
                patch += 1
        pending = None
        tagged += 1
        name = f"v{major}.{minor}.{patch}"
        note = f"Release {name}".encode()
        out.write(f"tag {name}\nfrom :{i}\ntagger Bench <bench@example.invalid> {time} +0000\n".encode())
        out.write(f"data {len(note)}\n".encode() + note + b"\n")
out.write(b"done\n")
