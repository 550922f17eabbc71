# svu's loose regex counts `defeat:` as a feature; a strict parser sees the type "defeat". Nothing to
# release: exit 0, released=false, the current version printed.
init
commit "feat: base"
tag v1.0.0
commit "defeat: the dragon"
commit "Feat:missing space"
commit "update README"
