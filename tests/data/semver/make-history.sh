#!/usr/bin/env bash
# Builds the small repository the git unit tests read, in the folder given: fixed dates and author,
# so its commit ids are the same everywhere.
#   main:  A (v1.0.0, annotated) - B (v1.1.0) - C touching pkg/ - M merging topic (T) - D
set -euo pipefail
cd "$1"
export GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.invalid GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
n=1700000000
c() { n=$((n + 60)); export GIT_AUTHOR_DATE="@$n +0000" GIT_COMMITTER_DATE="@$n +0000"; mkdir -p "$(dirname "$2")"; echo "$1" >> "$2"; git add -A; git commit -q -m "$1"; }
git init -q -b main .
c "feat: A" a.txt
git tag -a -m v1.0.0 v1.0.0
c "fix: B" a.txt
git tag v1.1.0
git tag not-a-version
c "feat(pkg): C" pkg/x.txt
git checkout -q -b topic
c "feat: T" t.txt
git checkout -q main
n=$((n + 60)); export GIT_AUTHOR_DATE="@$n +0000" GIT_COMMITTER_DATE="@$n +0000"
git merge -q --no-ff -m "Merge branch 'topic'" topic
c "docs: D" a.txt
