# BREAKING CHANGE: with its text on the next line: read as breaking, with a warning naming the commit.
init
commit "feat: base"
tag v1.2.3
commit "fix: parse dates as UTC

BREAKING CHANGE:
dates without a zone are now UTC, not local time"
