# semantic-release's default (angular) preset does not know "!": feat!: releases nothing there.
init
commit "feat: base"
tag v1.2.3
commit "feat!: drop the v1 API"
