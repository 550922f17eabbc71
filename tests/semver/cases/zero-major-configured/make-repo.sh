# --zero-major-breaking major leaves 0.x on a breaking change.
init
commit "feat: base"
tag v0.4.2
commit "feat(api)!: rename endpoints"
