# release-please reads every paragraph that starts with a standard type's header as a commit of its own.
init
commit "feat: base"
tag v1.2.3
commit "chore: release tooling

feat(cli): a --quiet flag

fix: exit code on empty input"
