# --strict: the three off-spec shapes do not count; only the fix does -> patch.
init
commit "feat: base"
tag v1.2.3
commit "fix: parse dates as UTC

BREAKING CHANGE:
dates without a zone are now UTC"
commit "Release 9 (#77)

BREAKING CHANGE: the v1 API is gone"
commit "fix: stricter config
BREAKING CHANGE: unknown keys are errors"
