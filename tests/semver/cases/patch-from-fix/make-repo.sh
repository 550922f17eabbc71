# fix after v1.2.3 -> 1.2.4; docs and chore do not bump.
init
commit "feat: base"
tag v1.2.3
commit "docs: typo"
commit "fix(parser): handle empty input"
commit "chore: tidy"
