# A depth-1 clone (GitHub's default) with git on PATH: deepened from origin, then 1.0.1 as usual.
mkdir ../origin
(cd ../origin && init && commit "feat: base" && tag v1.0.0 && commit "fix: a" && commit "fix: b")
git clone -q --depth 1 "file://$(cd ../origin && pwd)" . 2>/dev/null
