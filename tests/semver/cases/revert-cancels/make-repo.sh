# A feature reverted within the same release cancels out: only the fix counts -> patch.
init
commit "feat: base"
tag v1.0.0
commit "feat: risky feature" risky.txt
commit "fix: small"
_tick
git revert --no-edit HEAD~1 >/dev/null
