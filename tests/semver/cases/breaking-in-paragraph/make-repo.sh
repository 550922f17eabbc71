# A BREAKING CHANGE line inside a paragraph (no blank line before it): breaking, with a warning in the
# output and in the step summary.
init
commit "feat: base"
tag v1.2.3
commit "fix: stricter config
BREAKING CHANGE: unknown keys are errors"
