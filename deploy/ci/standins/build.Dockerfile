# Stand-in for maven:3.9-eclipse-temurin-17 on machines without registry access
# (built by deploy/ci/container-test.sh from a debootstrapped Debian 12).
ARG BASE=local/debian:bookworm
FROM ${BASE}
# binutils: Debian's jlink runs objcopy for --strip-debug, and the Dockerfile strips libjvm.so.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      openjdk-17-jdk-headless maven binutils ca-certificates ca-certificates-java >/dev/null \
 && rm -rf /var/lib/apt/lists/*
# This machine's extra CA certificates (an egress proxy's), so HTTPS to Maven Central works.
COPY certs/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
