# `feat!:` is breaking (semantic-release's default preset misses it: commit-analyzer#231) -> 2.0.0.
init
commit "feat: base"
tag v1.2.3
commit "feat!: drop the v1 API"
