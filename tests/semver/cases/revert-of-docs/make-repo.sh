# A revert of a docs commit released before reverts nothing that was released: nothing to release.
# (semantic-release releases a patch for any revert: --preset conventionalcommits does too.)
init
commit "feat: base"
commit "docs: describe the cache"
reverted=$(git rev-parse HEAD)
tag v1.2.3
commit "Revert \"docs: describe the cache\"

This reverts commit $reverted."
