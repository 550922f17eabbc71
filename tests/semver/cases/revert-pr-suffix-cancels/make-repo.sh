# A feature and its squash-merged revert (with the pull request suffix) in the same release cancel out.
init
commit "feat: base"
tag v1.2.3
commit "feat: risky feature (#7)" risky.txt
reverted=$(git rev-parse HEAD)
commit "fix: small (#8)"
commit "Revert \"feat: risky feature (#7)\" (#9)

This reverts commit $reverted." risky.txt
