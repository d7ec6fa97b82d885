#!/usr/bin/env bash
# A node's containerd as kube4j runs it: its own root, state, socket and CNI network, and the
# images the seed's manifests use, built from Debian packages because there is no registry.
# Used by the launcher (./kube4j) and by the tests' ContainerdProcess, so both run the same node.
#
#   containerd-node.sh config DIR POD_CIDR [BRIDGE]   write DIR/config.toml and DIR/cni/net.d/
#   containerd-node.sh images OUT_DIR                 build the image tarballs (once) into OUT_DIR
#   containerd-node.sh import DIR TARBALL...          import image tarballs into DIR's containerd
#   containerd-node.sh ready DIR                      exit 0 when DIR's containerd answers
#   containerd-node.sh clean DIR [BRIDGE]             kill every container of DIR's containerd (while it
#                                                     runs), then unmount what it left under DIR
#
# Every command is idempotent.
set -euo pipefail

PAUSE_IMAGE="kube4j.local/pause:1"
CNI_BIN_DIR="${KUBE4J_CNI_BIN_DIR:-/usr/lib/cni}"

fail() { echo "containerd-node.sh: $*" >&2; exit 1; }

cmd_config() {
  local dir="${1:?DIR}" cidr="${2:?POD_CIDR}" bridge="${3:-kube4j0}"
  dir="$(realpath -m "$dir")"
  mkdir -p "$dir"/{root,state,opt,runc,cni/net.d,cni/ipam,pods,logs}
  cat >"$dir/config.toml" <<TOML
# Written by containerd-node.sh: a containerd of its own for one kube4j node.
version = 2
root = "$dir/root"
state = "$dir/state"

[grpc]
  address = "$dir/containerd.sock"

[ttrpc]
  address = "$dir/containerd.sock.ttrpc"

[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # Root here lacks CAP_SYS_RESOURCE: without this, runc cannot lower oom_score_adj and every
  # RunPodSandbox fails.
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        Root = "$dir/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$dir/cni/net.d"
    max_conf_num = 1
TOML
  # ipMasq false: pod-to-pod traffic keeps its source address (the bridge plugin would SNAT it
  # to the host's); loopback is added by containerd itself from the loopback plugin.
  cat >"$dir/cni/net.d/10-kube4j.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "kube4j",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{"subnet": "$cidr"}]],
        "routes": [{"dst": "0.0.0.0/0"}],
        "dataDir": "$dir/cni/ipam"
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

# A single-layer Docker archive (what `docker save` writes) from a root directory.
docker_archive() { # ROOTFS OUT NAME:TAG CONFIG_JSON_FRAGMENT
  local rootfs="$1" out="$2" ref="$3" config="$4" work
  work="$(mktemp -d)"
  tar -C "$rootfs" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf "$work/layer.tar" .
  local diff; diff="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
  mkdir -p "$work/$diff" && mv "$work/layer.tar" "$work/$diff/layer.tar"
  printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$config" "$diff" >"$work/config.json"
  local cfg; cfg="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
  mv "$work/config.json" "$work/$cfg.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$cfg" "$ref" "$diff" >"$work/manifest.json"
  tar -C "$work" --numeric-owner --owner=0 --group=0 -cf "$out.tmp" manifest.json "$cfg.json" "$diff"
  mv "$out.tmp" "$out"
  rm -rf "$work"
}

busybox_rootfs() { # DIR
  local root="$1" applet
  [[ -x /bin/busybox ]] || fail "no /bin/busybox: apt-get install busybox-static"
  mkdir -p "$root"/{bin,etc,tmp,root,var,proc,sys,dev,run}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\nwww-data:x:33:\n' >"$root/etc/group"
  printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
}

cmd_images() {
  local out="${1:?OUT_DIR}" work
  mkdir -p "$out"
  local stamp="$out/.built-from"
  local source_versions
  source_versions="$(dpkg-query -W -f='${Package}=${Version}\n' busybox-static nginx 2>/dev/null || true)$(sha256sum "${BASH_SOURCE[0]}" | cut -d' ' -f1)"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$source_versions" && -f "$out/busybox.tar" && -f "$out/nginx.tar" && -f "$out/pause.tar" ]]; then
    return 0
  fi
  work="$(mktemp -d)"
  busybox_rootfs "$work/busybox"
  docker_archive "$work/busybox" "$out/busybox.tar" "busybox:1.35" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["sh"]}'
  docker_archive "$work/busybox" "$out/pause.tar" "$PAUSE_IMAGE" \
    '{"Env":["PATH=/bin"],"Entrypoint":["/bin/sleep","2147483647"]}'

  [[ -x /usr/sbin/nginx ]] || fail "no /usr/sbin/nginx: apt-get install nginx"
  local root="$work/nginx" lib
  busybox_rootfs "$root"
  mkdir -p "$root"/{usr/sbin,etc/nginx/conf.d,usr/share/nginx/html,var/log/nginx,var/lib/nginx,var/cache/nginx,lib64,run}
  cp /usr/sbin/nginx "$root/usr/sbin/nginx"
  for lib in $(ldd /usr/sbin/nginx | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"
  done
  cp /etc/nginx/mime.types "$root/etc/nginx/mime.types"
  cat >"$root/etc/nginx/nginx.conf" <<'CONF'
user www-data;
worker_processes auto;
error_log stderr notice;
pid /run/nginx.pid;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/stdout;
  sendfile on;
  keepalive_timeout 65;
  include /etc/nginx/conf.d/*.conf;
}
CONF
  cat >"$root/etc/nginx/conf.d/default.conf" <<'CONF'
server {
  listen 80;
  listen [::]:80;
  server_name localhost;
  location / {
    root /usr/share/nginx/html;
    index index.html index.htm;
  }
}
CONF
  printf '<!DOCTYPE html>\n<html>\n<head><title>Welcome to nginx!</title></head>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n' \
    >"$root/usr/share/nginx/html/index.html"
  docker_archive "$root" "$out/nginx.tar" "nginx:1.22" \
    '{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","NGINX_VERSION=1.22.1"],"Cmd":["nginx","-g","daemon off;"],"ExposedPorts":{"80/tcp":{}},"StopSignal":"SIGQUIT"}'
  rm -rf "$work"
  echo "$source_versions" >"$stamp"
}

cmd_import() {
  local dir="${1:?DIR}"; shift
  local tarball
  for tarball in "$@"; do
    ctr --address "$dir/containerd.sock" -n k8s.io images import --no-unpack=false "$tarball" >/dev/null ||
      fail "cannot import $tarball"
  done
}

cmd_ready() {
  local dir="${1:?DIR}"
  [[ -S "$dir/containerd.sock" ]] && ctr --address "$dir/containerd.sock" version >/dev/null 2>&1
}

cmd_clean() {
  local dir="${1:?DIR}" bridge="${2:-}" sock id
  dir="$(realpath -m "$dir")"
  sock="$dir/containerd.sock"
  if cmd_ready "$dir"; then
    for id in $(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      ctr --address "$sock" -n k8s.io tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true
    done
    for id in $(ctr --address "$sock" -n k8s.io tasks ls -q 2>/dev/null); do
      for _ in 1 2 3 4 5 6 7 8 9 10; do
        ctr --address "$sock" -n k8s.io tasks delete "$id" >/dev/null 2>&1 && break
        sleep 0.2
      done
    done
  fi
  # Sandboxes' network namespaces and rootfs mounts, deepest first.
  awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  if [[ -n "$bridge" ]] && ip link show "$bridge" >/dev/null 2>&1; then ip link del "$bridge" 2>/dev/null || true; fi
}

case "${1:-}" in
  config) shift; cmd_config "$@" ;;
  images) shift; cmd_images "$@" ;;
  import) shift; cmd_import "$@" ;;
  ready) shift; cmd_ready "$@" ;;
  clean) shift; cmd_clean "$@" ;;
  *) fail "usage: containerd-node.sh config|images|import|ready|clean ..." ;;
esac
