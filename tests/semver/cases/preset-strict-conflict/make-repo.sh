# --strict belongs to semver-tag's own reading: with a preset it is a usage error.
init
commit "feat: base"
