# A revert renamed when it was merged: git's "This reverts commit <id>." line still names it; the
# reverted commit (a fix, read from the repository) released something -> patch.
init
commit "feat: base"
commit "fix: use parser 2"
reverted=$(git rev-parse HEAD)
tag v1.2.3
commit "Roll back the parser change (#124)

This reverts commit $reverted."
