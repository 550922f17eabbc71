# The checkout belongs to another uid (as in CI containers): no "dubious ownership" failure.
init
commit "feat: base"
tag v1.0.0
commit "feat: x"
if [[ $(id -u) -eq 0 ]]; then chown -R 4242:4242 .; fi
