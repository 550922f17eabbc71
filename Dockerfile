# Gantry's container images: one tiny image per tool, plus `gantry` with every tool.
#
#   podman build --target scan-gate -t scan-gate .     # one tool, ENTRYPOINT is the tool
#   podman build -t gantry .                          # all tools on PATH (the default: last stage)
#
# Every tool is a fully static, stripped executable (the `release` preset), so the final images
# start FROM scratch: the tool, the CA bundle (for the networked tools) and busybox-static as /bin/sh
# with its applets, because GitLab's docker executor runs a job's `script:` through a shell. GitHub's
# container actions run the ENTRYPOINT directly.
#
# Adding a tool: add it to GANTRY_TOOLS in CMakeLists.txt and copy the `scan-gate` stage below;
# the `gantry` stage picks every installed tool up by itself.

FROM debian:bookworm AS build
ENV DEBIAN_FRONTEND=noninteractive
WORKDIR /src
# Dependencies first, in their own layers: they change far less often than the code.
COPY scripts/install-deps scripts/fetch-sources scripts/
RUN scripts/install-deps \
 && apt-get install -y -qq --no-install-recommends busybox-static ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/*
COPY . .
# No .git in the build context: the commit comes from the caller (tests/container/run.sh passes it).
ARG GANTRY_COMMIT=unknown
RUN cmake --preset release -DGANTRY_TESTS=OFF -DGANTRY_COMMIT="${GANTRY_COMMIT}" \
 && cmake --build --preset release -j "$(nproc)" \
 && cmake --install build/release --component tools --prefix /image/tools \
 && mkdir -p /image/base/bin /image/base/etc/ssl/certs /image/base/tmp \
 && chmod 1777 /image/base/tmp \
 && cp /bin/busybox /image/base/bin/busybox \
 && for applet in $(/bin/busybox --list); do \
      [ "$applet" = busybox ] || ln -s busybox "/image/base/bin/$applet"; \
    done \
 && cp /etc/ssl/certs/ca-certificates.crt /image/base/etc/ssl/certs/

FROM scratch AS scan-gate
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="scan-gate" \
      org.opencontainers.image.description="Vulnerability policy gate over Trivy, Grype, SARIF and GitLab reports" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=build /image/base/ /
COPY --from=build /image/tools/bin/scan-gate /usr/local/bin/scan-gate
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/scan-gate"]

FROM scratch AS sarif-merge
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="sarif-merge" \
      org.opencontainers.image.description="Merges SARIF files into one file that GitHub code scanning accepts" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=build /image/base/ /
COPY --from=build /image/tools/bin/sarif-merge /usr/local/bin/sarif-merge
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/sarif-merge"]

FROM scratch AS smoke-test
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="smoke-test" \
      org.opencontainers.image.description="Post-deployment checks over HTTP(S) and TCP with retries, timings and certificate checks" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=build /image/base/ /
COPY --from=build /image/tools/bin/smoke-test /usr/local/bin/smoke-test
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/smoke-test"]

FROM scratch AS semver-tag
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="semver-tag" \
      org.opencontainers.image.description="The next SemVer from Conventional Commits: tag, release notes, monorepos" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=build /image/base/ /
COPY --from=build /image/tools/bin/semver-tag /usr/local/bin/semver-tag
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/semver-tag"]

FROM scratch AS bluegreen-switch
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="bluegreen-switch" \
      org.opencontainers.image.description="Blue-green traffic switch on nginx, HAProxy, Caddy, Kubernetes or commands, with verification, rollback and the cost measured" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=build /image/base/ /
COPY --from=build /image/tools/bin/bluegreen-switch /usr/local/bin/bluegreen-switch
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT ["/usr/local/bin/bluegreen-switch"]

FROM scratch AS gantry
ARG GANTRY_COMMIT=unknown
LABEL org.opencontainers.image.title="gantry" \
      org.opencontainers.image.description="Gantry CI/CD building blocks: every tool on PATH" \
      org.opencontainers.image.revision="${GANTRY_COMMIT}"
COPY --from=build /image/base/ /
COPY --from=build /image/tools/bin/ /usr/local/bin/
ENV PATH=/usr/local/bin:/bin
ENTRYPOINT []
CMD ["scan-gate", "--help"]
