# Stand-in for gcr.io/distroless/cc-debian12:nonroot on machines without registry access:
# glibc, libgcc and libstdc++ from Debian 12, a passwd with nonroot (65532), /tmp; no shell,
# no package manager. Built by deploy/ci/container-test.sh.
ARG BASE=local/debian:bookworm
FROM ${BASE} AS rootfs
RUN set -eu; mkdir -p /out/etc /out/tmp /out/lib64 /out/home/nonroot; \
    d=$(dirname "$(readlink -f /lib64/ld-linux-x86-64.so.2)"); mkdir -p "/out$d"; \
    for l in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 \
             libnss_files.so.2 libnss_dns.so.2 libgcc_s.so.1 libstdc++.so.6; do \
      cp -L "$d/$l" "/out$d/$l"; \
    done; \
    ln -s "$d/ld-linux-x86-64.so.2" /out/lib64/ld-linux-x86-64.so.2; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >/out/etc/passwd; \
    printf 'root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n' >/out/etc/group; \
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' >/out/etc/nsswitch.conf; \
    chmod 1777 /out/tmp; chown 65532:65532 /out/home/nonroot

FROM scratch
COPY --from=rootfs /out/ /
USER 65532:65532
WORKDIR /home/nonroot
