# The largest bump wins: feat and fix -> minor.
init
commit "feat: base"
tag v1.2.3 annotated
commit "fix: one"
commit "feat(api): two"
commit "fix: three"
