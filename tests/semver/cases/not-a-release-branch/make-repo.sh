# A feature branch is neither a release nor a pre-release branch: nothing released, exit 0.
init
commit "feat: base"
tag v1.0.0
git checkout -q -b feature/x
commit "feat: wip"
