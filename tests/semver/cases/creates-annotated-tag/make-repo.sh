# Without --dry-run the tag is created on HEAD (annotated by default); the changelog is prepended.
init
commit "feat: base"
tag v1.0.0
printf '# Changelog\n\n## 1.0.0 (2023-11-14)\n\n- first\n' > CHANGELOG.md
git add CHANGELOG.md
commit "feat(cli): add --verbose"
