# GitHub squash-merges a revert as Revert "<title>" (#123): a revert of a fix released before -> patch.
init
commit "feat: base"
commit "fix: use parser 2"
reverted=$(git rev-parse HEAD)
tag v1.2.3
commit "Revert \"fix: use parser 2\" (#123)

This reverts commit $reverted."
