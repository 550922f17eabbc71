# --push api on GitHub without a token: exit 2 naming the fix, and no local tag left behind.
init
commit "feat: base"
tag v1.0.0
commit "feat: x"
