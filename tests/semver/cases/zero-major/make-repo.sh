# While the major version is 0 a breaking change bumps the minor version.
init
commit "feat: base"
tag v0.4.2
commit "feat(api)!: rename endpoints"
