# --tag-type lightweight, with build metadata in the version and tag.
init
commit "feat: base"
tag v1.0.0
commit "fix: x"
