# cocogitto: perf releases nothing, and while 0.x a breaking change counts only for its type (fix! -> patch).
init
commit "feat: base"
tag v0.3.0
commit "perf: faster start"
commit "fix!: config keys renamed"
