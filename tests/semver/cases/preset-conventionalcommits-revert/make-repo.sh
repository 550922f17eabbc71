# semantic-release releases a patch for any revert, a docs one too; its notes are read on any line, in any case.
init
commit "feat: base"
commit "docs: describe the cache"
reverted=$(git rev-parse HEAD)
tag v1.2.3
commit "Revert \"docs: describe the cache\"

This reverts commit $reverted."
