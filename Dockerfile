# Gantry's container images: one tiny image per tool, plus `gantry` with every tool.
#
#   podman build --target scan-gate -t scan-gate .     # one tool, ENTRYPOINT is the tool
#   podman build -t gantry .                          # all tools on PATH (the default: last stage)
#
# Every tool is a fully static, stripped executable (the `release` preset), so the final images
# start FROM scratch: the tool, a minimal static busybox as /bin/sh with a few applets (GitLab's
# docker executor runs a job's `script:` through a shell; GitHub's container actions run the
# ENTRYPOINT directly), and the CA bundle only in the images of the networked tools.
# Size targets (issue 7): tools without networking <= 4 MB, with networking <= 10 MB.
#
# Adding a tool: add it to GANTRY_TOOLS in CMakeLists.txt and copy the `scan-gate` stage below
# (or `smoke-test` when it makes network requests); the `gantry` stage picks every installed tool up.

# Architectures: `podman build --platform linux/arm64 --build-arg BUILDPLATFORM=linux/amd64 ...`
# makes the aarch64 images on an x86-64 host without running any aarch64 code: the builder stages
# run on the build machine's platform (BUILDPLATFORM; podman 4 does not set it by itself, and empty
# means the host's), busybox is cross-compiled for TARGETARCH, and the tools come prebuilt from the
# release-arm64 preset (GANTRY_PREBUILT). Both builder stages refuse an executable whose ELF
# machine is not TARGETARCH's (scripts/check-release-assets --arch), so an image can never carry
# the other architecture's binaries under its own. scripts/build-images builds every image for
# both and joins each pair into a manifest list.
ARG BUILDPLATFORM

# The shell layer: busybox from Debian's source with only the options docker/busybox.config names,
# linked against musl (a tenth of the size of the same applets on static glibc). Its own stage, so
# that it is built once and no tool build waits for it. For another architecture: Debian's cross
# compiler with that architecture's musl (musl-dev:<arch>, multiarch), and the applet list from the
# build's busybox.links, because the cross-built busybox cannot run here to list its applets.
FROM --platform=$BUILDPLATFORM debian:bookworm AS shell
ARG TARGETARCH
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
COPY scripts/fetch-sources scripts/check-release-assets scripts/
RUN native=$(dpkg --print-architecture) \
 && target=${TARGETARCH:-$native} \
 && cross= \
 && if [ "$target" != "$native" ]; then \
      dpkg --add-architecture "$target" \
      && cross="musl-dev:$target linux-libc-dev:$target"; \
    fi \
 && apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends build-essential dpkg-dev musl-tools ca-certificates $cross >/dev/null \
 && scripts/fetch-sources busybox \
 && rm -rf /var/lib/apt/lists/*
# Busybox's allnoconfig ignores KCONFIG_ALLCONFIG, so the named options are switched on in the
# all-off .config, and the build stops when one of them did not stick (a missing dependency).
COPY docker/busybox.config docker/
RUN mkdir /tmp/busybox \
 && make -s -C third_party/busybox-[0-9]*/ O=/tmp/busybox allnoconfig >/dev/null \
 && sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$/s|^# \1 is not set$|\1=y|/p' docker/busybox.config >/tmp/busybox/enable.sed \
 && sed -i -f /tmp/busybox/enable.sed /tmp/busybox/.config \
 && yes '' | make -s -C /tmp/busybox oldconfig >/dev/null \
 && for option in $(sed -n 's/^\(CONFIG_[A-Z0-9_]*\)=y$/\1/p' docker/busybox.config); do \
      grep -qx "$option=y" /tmp/busybox/.config || { echo "busybox: $option did not stick" >&2; exit 1; }; \
    done \
 && native=$(dpkg --print-architecture) \
 && target=${TARGETARCH:-$native} \
 && if [ "$target" = "$native" ]; then \
      make -s -C /tmp/busybox -j "$(nproc)" CC=musl-gcc busybox >/dev/null; \
    else \
      triplet=$(dpkg-architecture -a "$target" -qDEB_HOST_GNU_TYPE) \
      && make -s -C /tmp/busybox -j "$(nproc)" CROSS_COMPILE="$triplet-" \
           CC="$triplet-gcc -specs /usr/lib/${triplet%-gnu}-musl/musl-gcc.specs" busybox busybox.links >/dev/null; \
    fi \
 && scripts/check-release-assets --arch "$target" /tmp/busybox/busybox \
 && mkdir -p /image/shell/bin /image/shell/usr/bin /image/shell/tmp /image/ca/etc/ssl/certs \
 && chmod 1777 /image/shell/tmp \
 && cp /tmp/busybox/busybox /image/shell/bin/busybox \
 && if [ "$target" = "$native" ]; then applets=$(/image/shell/bin/busybox --list); \
    else applets=$(sed 's|.*/||' /tmp/busybox/busybox.links); fi \
 && for applet in $applets; do \
      [ "$applet" = busybox ] || ln -s busybox "/image/shell/bin/$applet"; \
    done \
 && ln -s ../../bin/busybox /image/shell/usr/bin/env \
 && cp /etc/ssl/certs/ca-certificates.crt /image/ca/etc/ssl/certs/ \
 && rm -rf /tmp/busybox

# The tools, built from source with the `release` preset. GANTRY_PREBUILT names a folder of the
# build context that already holds them (bin/<tool>, as `cmake --install build/release --component
# tools --prefix DIR` lays them out, built on Debian 12): the test suite passes the binaries its
# release phase built and tested, so the images it checks carry exactly those, and it does not
# compile everything a second time. Empty (the default): build here, for the build machine's own
# architecture only; another architecture's images take the release-arm64 preset's tools prebuilt.
FROM --platform=$BUILDPLATFORM debian:bookworm AS build
ARG TARGETARCH
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
ARG GANTRY_PREBUILT=
# Dependencies first, in their own layer: they change far less often than the code.
COPY scripts/install-deps scripts/fetch-sources scripts/
RUN if [ -z "$GANTRY_PREBUILT" ]; then scripts/install-deps && rm -rf /var/lib/apt/lists/*; fi
COPY . .
# No .git in the build context: the commit comes from the caller (tests/container/run.sh passes it).
ARG GANTRY_COMMIT=unknown
RUN target=${TARGETARCH:-$(dpkg --print-architecture)} \
 && if [ -n "$GANTRY_PREBUILT" ]; then \
      mkdir -p /image/tools/bin && cp "$GANTRY_PREBUILT"/bin/* /image/tools/bin/; \
    elif [ "$target" != "$(dpkg --print-architecture)" ]; then \
      echo "build: the $target images need GANTRY_PREBUILT (the release-$target preset's tools, scripts/build-images)" >&2; \
      exit 1; \
    else \
      cmake --preset release -DGANTRY_TESTS=OFF -DGANTRY_COMMIT="${GANTRY_COMMIT}" \
      && cmake --build --preset release -j "$(nproc)" \
      && cmake --install build/release --component tools --prefix /image/tools; \
    fi \
 && scripts/check-release-assets --arch "$target" /image/tools/bin/*

FROM scratch AS scan-gate
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="scan-gate" \
      org.opencontainers.image.description="Vulnerability policy gate over Trivy, Grype, SARIF and GitLab reports" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=shell /image/shell/ /
COPY --from=build /image/tools/bin/scan-gate /usr/local/bin/scan-gate
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/scan-gate"]

FROM scratch AS sarif-merge
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="sarif-merge" \
      org.opencontainers.image.description="Merges SARIF files into one file that GitHub code scanning accepts" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=shell /image/shell/ /
COPY --from=build /image/tools/bin/sarif-merge /usr/local/bin/sarif-merge
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/sarif-merge"]

FROM scratch AS smoke-test
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="smoke-test" \
      org.opencontainers.image.description="Post-deployment checks over HTTP(S) and TCP with retries, timings and certificate checks" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=shell /image/shell/ /
COPY --from=shell /image/ca/ /
COPY --from=build /image/tools/bin/smoke-test /usr/local/bin/smoke-test
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/smoke-test"]

FROM scratch AS semver-tag
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="semver-tag" \
      org.opencontainers.image.description="The next SemVer from Conventional Commits: tag, release notes, monorepos" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=shell /image/shell/ /
COPY --from=shell /image/ca/ /
COPY --from=build /image/tools/bin/semver-tag /usr/local/bin/semver-tag
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/semver-tag"]

FROM scratch AS bluegreen-switch
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="bluegreen-switch" \
      org.opencontainers.image.description="Blue-green traffic switch on nginx, HAProxy, Caddy, Kubernetes or commands, with verification, rollback and the cost measured" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=shell /image/shell/ /
COPY --from=shell /image/ca/ /
COPY --from=build /image/tools/bin/bluegreen-switch /usr/local/bin/bluegreen-switch
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/bluegreen-switch"]

FROM scratch AS gantry
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="gantry" \
      org.opencontainers.image.description="Gantry CI/CD building blocks: every tool on PATH" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=shell /image/shell/ /
COPY --from=shell /image/ca/ /
COPY --from=build /image/tools/bin/ /usr/local/bin/
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT []
CMD ["scan-gate", "--help"]
