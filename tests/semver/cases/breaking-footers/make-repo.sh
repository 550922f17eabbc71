# BREAKING-CHANGE footer -> major; "breaking change:" in lower case is prose, not a footer; a BREAKING
# CHANGE line inside a paragraph counts, with a warning naming the commit (--strict would ignore it).
init
commit "feat: base"
tag v1.0.0
commit "fix: lower case

breaking change: this is not a footer"
commit "fix: inside a paragraph
BREAKING CHANGE: not after a blank line"
commit "perf(db): faster queries

Rewrote the planner.

BREAKING-CHANGE: the index format changed
Refs: #42"
