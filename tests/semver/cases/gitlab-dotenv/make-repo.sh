# On GitLab CI the branch comes from CI_COMMIT_BRANCH; outputs go to the dotenv report.
init trunk
commit "feat: base"
tag v1.0.0
commit "fix: x"
