# No version tag yet: the first release is --initial-version (0.1.0 by default), tagged v0.1.0.
init
commit "chore: scaffold"
commit "feat: first feature"
