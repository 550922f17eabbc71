#!/usr/bin/env bash
# semver-tag against real remotes: --push git over smart HTTP with TLS and a token, over file:// and a
# local path, and shallow clones deepened by git (or refused with the fix when git is missing).
#
#   run.sh BUILD_DIR
#
# (a) a bare repository served by git_https_server.py (git http-backend behind python's http.server,
#     TLS with a throw-away CA made by openssl, Basic auth): the tag is pushed (git ls-remote shows it
#     on HEAD), a rerun is a no-op, a wrong token fails without printing it, a password in the remote
#     URL is used, an untrusted certificate and a tag on another commit are refused; with a static
#     BUILD_DIR (and root), the binary also pushes from an empty chroot;
# (b) file:// and local-path remotes, and an SSH remote refused before any tag is made;
# (c) `git clone --depth 1` deepened when git is on PATH, exit 2 with the fix when it is not.
# Exit 77 (skipped) when git, python3 or openssl is missing.
set -uo pipefail
build_dir=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tool="$build_dir/semver-tag"
[[ -x "$tool" ]] || { echo "FAIL: $tool is not built"; exit 1; }
for program in git python3 openssl; do
  command -v "$program" > /dev/null || { echo "SKIP: $program is not installed"; exit 77; }
done

work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2> /dev/null
  rm -rf "$work"
}
trap cleanup EXIT
source "$here/../lib.sh"
source "$here/../../harness_environment.sh"
export GIT_TERMINAL_PROMPT=0

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok    $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1"; shift; for detail in "$@"; do echo "      $detail"; done; }
expect() {  # NAME COMMAND... : passes when the command succeeds
  local name=$1; shift
  if "$@"; then pass "$name"; else fail "$name" "stdout: $(cat "$work/stdout" 2>/dev/null)" "stderr: $(cat "$work/stderr" 2>/dev/null)"; fi
}

# semver-tag in REPO with a clean environment (extra KEY=VALUE words before --) and the arguments after.
run_tool() {
  local repo=$1; shift
  local environment=(PATH=/usr/bin:/bin HOME="$work" NO_COLOR=1 TZ=UTC GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null)
  keep_harness_environment environment
  while [[ $# -gt 0 && "$1" != -- ]]; do environment+=("$1"); shift; done
  shift
  (cd "$repo" && env -i "${environment[@]}" "$tool" --format text "$@") > "$work/stdout" 2> "$work/stderr" < /dev/null
  code=$?
}
output_has() { grep -qF -- "$1" "$work/stdout" "$work/stderr"; }
output_lacks() { ! grep -qF -- "$1" "$work/stdout" "$work/stderr"; }

# A repository at DIR: v1.0.0, then "feat: ..." (so the next version is 1.1.0).
make_origin() {
  mkdir -p "$1" && (cd "$1" && init && commit "feat: base" && tag v1.0.0 annotated && commit "feat: next") > /dev/null
}

# ---- (a) https with a token -------------------------------------------------------------------
token="gantry-test-token-$RANDOM$RANDOM"
certs="$work/certs"
mkdir -p "$certs"
(
  cd "$certs" &&
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=gantry semver-tag test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
  openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" &&
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext &&
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext &&
  openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 -subj "/CN=an unrelated CA"
) > "$work/openssl.log" 2>&1 || { echo "FAIL: openssl could not make the test certificates"; cat "$work/openssl.log"; exit 1; }

make_origin "$work/source"
mkdir -p "$work/served"
git clone -q --bare "$work/source" "$work/served/project.git"
python3 "$here/git_https_server.py" "$work/served" "$certs/server.pem" "$certs/server.key" x-access-token "$token" \
  "$work/port" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
[[ -s "$work/port" ]] || { echo "FAIL: the test git server did not start"; cat "$work/server.log"; exit 1; }
# libgit2 1.5 matches the certificate's DNS names only (not IP addresses): the URL says localhost.
url="https://localhost:$(cat "$work/port")/project.git"

remote_tag() {  # TAG: the commit the served repository's TAG points at, through git over https
  GIT_SSL_CAINFO="$certs/ca.pem" git ls-remote "https://x-access-token:$token@${url#https://}" "refs/tags/$1^{}" "refs/tags/$1" 2>/dev/null |
    sort -k2 | tail -n 1 | cut -f1
}

checkout="$work/checkout"
git clone -q "$work/served/project.git" "$checkout"
git -C "$checkout" remote set-url origin "$url"
head=$(git -C "$checkout" rev-parse HEAD)

run_tool "$checkout" -- --push git --token "$token" --cacert "$certs/ca.pem" --json "$work/push.json"
expect "https: --push git exits 0 and prints 1.1.0" test "$code" = 0 -a "$(cat "$work/stdout")" = 1.1.0
expect "https: git ls-remote shows v1.1.0 on HEAD" test "$(remote_tag v1.1.0)" = "$head"
expect "https: the JSON says pushed" grep -q '"pushed": *true' "$work/push.json"
expect "https: the token is not printed" output_lacks "$token"

run_tool "$checkout" -- --push git --token "$token" --cacert "$certs/ca.pem" --json "$work/rerun.json"
expect "https: a rerun exits 0 and releases nothing" grep -q '"released": *false' "$work/rerun.json"
expect "https: a rerun leaves the remote tag where it was" test "$(remote_tag v1.1.0)" = "$head"

(cd "$checkout" && commit "fix: one" > /dev/null)
run_tool "$checkout" -- --push git --token "wrong-$token-wrong" --cacert "$certs/ca.pem"
expect "https: a wrong token exits 2 or 3" test "$code" = 2 -o "$code" = 3
expect "https: a wrong token says the credentials were refused" output_has "authentication failed (the remote refused the credentials)"
expect "https: a wrong token is not printed" output_lacks "wrong-$token-wrong"
expect "https: nothing was pushed with a wrong token" test -z "$(remote_tag v1.1.1)"

git -C "$checkout" tag -d v1.1.1 > /dev/null 2>&1
run_tool "$checkout" SSL_CERT_FILE="$certs/other.pem" -- --push git --token "$token"
expect "https: an untrusted certificate exits 3" test "$code" = 3
expect "https: an untrusted certificate is named" output_has "certificate"

git -C "$checkout" tag -d v1.1.1 > /dev/null 2>&1
git -C "$checkout" remote set-url origin "https://x-access-token:$token@${url#https://}"
run_tool "$checkout" -- --push git --cacert "$certs/ca.pem"
expect "https: the user and password of the remote's URL are used" test "$code" = 0 -a "$(remote_tag v1.1.1)" = "$(git -C "$checkout" rev-parse HEAD)"
expect "https: the URL's password is not printed" output_lacks "$token"

(cd "$checkout" && commit "fix: stale password" > /dev/null)
git -C "$checkout" remote set-url origin "https://x-access-token:stale-password@${url#https://}"
run_tool "$checkout" -- --push git --token "$token" --cacert "$certs/ca.pem"
expect "https: --token wins over a stale password in the URL" test "$code" = 0 -a "$(remote_tag v1.1.2)" = "$(git -C "$checkout" rev-parse HEAD)"

git -C "$checkout" remote set-url origin "$url"
(cd "$checkout" && commit "feat: elsewhere" > /dev/null)
git -C "$work/served/project.git" tag v1.2.0 "$head"
run_tool "$checkout" GITHUB_ACTIONS=true GITHUB_REF_NAME=main GITHUB_REPOSITORY=o/project "GITHUB_TOKEN=$token" \
  -- --push git --cacert "$certs/ca.pem"
expect "https: a remote tag on another commit exits 2" test "$code" = 2
expect "https: ... naming both commits" output_has "$head"
expect "https: ... and HEAD" output_has "$(git -C "$checkout" rev-parse HEAD)"

git -C "$work/served/project.git" tag -d v1.2.0 > /dev/null
git -C "$checkout" tag -d v1.2.0 > /dev/null 2>&1
run_tool "$checkout" GITHUB_ACTIONS=true GITHUB_REF_NAME=main GITHUB_REPOSITORY=o/project "GITHUB_TOKEN=$token" \
  -- --push git --cacert "$certs/ca.pem"
expect "https: GITHUB_TOKEN is used on GitHub Actions" test "$code" = 0 -a "$(remote_tag v1.2.0)" = "$(git -C "$checkout" rev-parse HEAD)"
expect "https: GITHUB_TOKEN is not printed" output_lacks "$token"

(cd "$checkout" && commit "fix: no token" > /dev/null)
run_tool "$checkout" -- --push git --cacert "$certs/ca.pem"
expect "https: no token at all exits 2" test "$code" = 2
expect "https: ... saying a token is needed" output_has "no token was given"
git -C "$checkout" tag -d v1.2.1 > /dev/null 2>&1

# ---- (a2) the static release binary pushes from an empty chroot (only /etc/hosts, the CA, the repo):
# no git, no shared library, no NSS module. Checked when the binary is static and chroot works here.
chroot_bin=$(command -v chroot || echo /usr/sbin/chroot)
if [[ $(file -L "$tool") == *"statically linked"* && $(id -u) == 0 && -x "$chroot_bin" ]]; then
  jail="$work/jail"
  mkdir -p "$jail/etc" "$jail/work"
  printf '127.0.0.1 localhost\n' > "$jail/etc/hosts"
  cp "$tool" "$certs/ca.pem" "$jail/"
  git clone -q "$checkout" "$jail/work/repo"  # every commit and tag so far
  git -C "$jail/work/repo" remote set-url origin "$url"
  (cd "$jail/work/repo" && commit "feat: from the jail" > /dev/null)
  if env -i "$chroot_bin" "$jail" /semver-tag --repo /work/repo --push git --token "$token" --cacert /ca.pem \
      > "$work/stdout" 2> "$work/stderr"; then
    expect "static, empty chroot: the tag is pushed over https" test "$(remote_tag v1.3.0)" = "$(git -C "$jail/work/repo" rev-parse HEAD)"
  elif grep -q "Operation not permitted" "$work/stderr"; then
    echo "skip  static, empty chroot: chroot is not permitted here"
  else
    fail "static, empty chroot: the tag is pushed over https" "stdout: $(cat "$work/stdout")" "stderr: $(cat "$work/stderr")"
  fi
else
  echo "skip  static, empty chroot: $tool is not static, or not root"
fi

# ---- (b) file:// and local paths ---------------------------------------------------------------
make_origin "$work/file-source"
git clone -q --bare "$work/file-source" "$work/file-remote.git"
git clone -q "file://$work/file-remote.git" "$work/file-checkout"
run_tool "$work/file-checkout" -- --push git
expect "file://: --push git exits 0" test "$code" = 0
expect "file://: the remote has v1.1.0 on HEAD" \
  test "$(git -C "$work/file-remote.git" rev-parse 'v1.1.0^{commit}' 2>/dev/null)" = "$(git -C "$work/file-checkout" rev-parse HEAD)"

(cd "$work/file-checkout" && commit "fix: local path" > /dev/null)
run_tool "$work/file-checkout" -- --push git --remote "$work/file-remote.git" --tag-type lightweight
expect "local path: --remote PATH pushes v1.1.1" \
  test "$code" = 0 -a "$(git -C "$work/file-remote.git" rev-parse 'v1.1.1' 2>/dev/null)" = "$(git -C "$work/file-checkout" rev-parse HEAD)"

(cd "$work/file-checkout" && commit "fix: over ssh" > /dev/null)
run_tool "$work/file-checkout" -- --push git --remote git@example.invalid:group/project.git
expect "ssh: an SSH remote exits 2" test "$code" = 2
expect "ssh: ... saying which remotes are supported" output_has "only https://, http://, file:// and local-path remotes are supported"
expect "ssh: ... before any local tag is made" test -z "$(git -C "$work/file-checkout" tag --points-at HEAD)"

# ---- (c) shallow clones ------------------------------------------------------------------------
make_origin "$work/deep"
(cd "$work/deep" && commit "fix: a" > /dev/null && commit "fix: b" > /dev/null)
git clone -q --depth 1 "file://$work/deep" "$work/shallow"
run_tool "$work/shallow" -- --dry-run --json "$work/deepened.json"
expect "shallow + git: deepened, exit 0, version 1.1.0" test "$code" = 0 -a "$(cat "$work/stdout")" = 1.1.0
expect "shallow + git: the JSON says deepened" grep -q '"deepened": *true' "$work/deepened.json"
expect "shallow + git: stderr says so" output_has "deepened"
expect "shallow + git: the clone is complete now" test "$(git -C "$work/shallow" rev-parse --is-shallow-repository)" = false

git clone -q --depth 1 "file://$work/deep" "$work/shallow-nogit"
mkdir -p "$work/no-git-bin"
run_tool "$work/shallow-nogit" PATH="$work/no-git-bin" -- --dry-run
expect "shallow without git: exit 2" test "$code" = 2
expect "shallow without git: the GitHub fix" output_has "fetch-depth: 0"
expect "shallow without git: the GitLab fix" output_has "GIT_DEPTH: 0"
expect "shallow without git: why deepening failed" output_has "git is not on PATH"

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
