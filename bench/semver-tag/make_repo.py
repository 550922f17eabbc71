#!/usr/bin/env python3
"""Writes a git fast-import stream for semver-tag's benchmark: COMMITS commits on main, a release tag
every (COMMITS-10)/TAGS commits (the last one 10 commits before HEAD) (annotated, v0.1.0, v0.1.1, ...
following the bumps the commits call for), and a tail of commits after the last tag.

Messages are shaped like a real history that releases from Conventional Commits: one-line
conventional titles, squash merges with a pull request suffix and the branch's commits as bullets
(under conventional and plain titles), dependency-bot updates quoting upstream notes, reverts as
GitHub squash-merges them, bodies with footers and a rare BREAKING CHANGE, and plain titles.

    make_repo.py COMMITS TAGS | git fast-import --quiet
"""
import sys

commits = int(sys.argv[1])
tags = int(sys.argv[2])
# Tags spread evenly over the history; the last one 10 commits before HEAD, as on a busy release branch.
tagged_span = max(1, commits - 10)


def message(i, previous_id_mark):
    """The message of commit i and the bump it calls for (None, "patch", "minor")."""
    kind = i % 16
    if kind in (0, 5):
        return f"feat(api): add endpoint {i}", "minor"
    if kind in (1, 9):
        return f"fix: handle case {i}", "patch"
    if kind == 2:
        return f"docs: describe {i}", None
    if kind == 3:
        return (f"fix(parser): accept empty input (#{i})\n\n* fix: accept empty input\n* test: cover the empty case\n"
                f"* feat: a flag for strict mode\n\nCo-authored-by: Dev <dev@example.invalid>", "patch")
    if kind == 4:
        return (f"chore(deps): bump http-client from 3.{i} to 3.{i + 1} (#{i})\n\nBumps http-client.\n\n"
                f"Release notes\n- feat: streaming bodies\n- fix: leak on retry\n\nSigned-off-by: bot <bot@example.invalid>",
                None)
    if kind == 6:
        return f"Add exporter {i} (#{i})\n\n* feat: csv export\n* docs: describe the export", "minor"
    if kind == 7:
        return f"refactor(core): split {i}", None
    if kind == 8:
        return f"Update file {i}", None
    if kind == 10:
        return f"perf: faster path {i}\n\nMeasured on the nightly corpus.\n\nRefs: #{i}", "patch"
    if kind == 11:
        return f"Revert \"docs: describe {i - 9}\" (#{i})\n\nThis reverts commit {previous_id_mark}.", None
    if kind == 12:
        return f"test: cover {i}", None
    if kind == 13:
        return f"ci: cache {i}", None
    if kind == 14:
        return f"fix(ui): button {i}\n\nThe button was misaligned.\n\nFixes #{i}", "patch"
    return f"chore: tidy {i}", None


out = sys.stdout.buffer
major, minor, patch = 0, 1, 0
pending = None  # bump since the last tag
tagged = 0
time = 1600000000
for i in range(1, commits + 1):
    time += 30
    # A revert names a commit id; a fixed fake id keeps the stream simple (the reverted title says
    # what it reverted, so the id is never looked up).
    text, bump = message(i, f"{i:040x}")
    if bump == "minor":
        pending = "minor"
    elif bump == "patch" and pending is None:
        pending = "patch"
    data = f"{i}\n".encode()
    msg = text.encode()
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
