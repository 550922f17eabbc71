# A depth-1 clone (GitHub's default) without git on PATH cannot be deepened, so the base is unknown:
# exit 2 with the exact fix and why deepening failed.
mkdir ../origin
(cd ../origin && init && commit "feat: base" && tag v1.0.0 && commit "fix: a" && commit "fix: b")
git clone -q --depth 1 "file://$(cd ../origin && pwd)" . 2>/dev/null
