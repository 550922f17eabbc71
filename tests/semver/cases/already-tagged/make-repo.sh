# HEAD already carries the release tag: a no-op, released=false (running twice is safe).
init
commit "feat: base"
tag v1.0.0
commit "feat: more"
tag v1.1.0
