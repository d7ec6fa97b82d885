# Starts this node's containerd before the agent (sourced by kube4j-service, as root).
# Tools by full path: busybox's sh prefers its own applets (ip, mount) to those in PATH.
#   KUBE4J_NODE_PODCIDR   the node's pod subnet; by default 10.244.N.0/24 with N the last octet of
#                         the container's address, so that nodes of one compose network differ
#   KUBE4J_CONTAINERD_DIR containerd's root, state and socket [/var/lib/containerd/node]; its
#                         snapshots need a volume here, not the container's overlay
# Docker mounts /sys, /proc/sys and the cgroup hierarchies read-only even with the capabilities
# runc needs (--privileged fails on machines whose root lacks CAP_SYS_RESOURCE): remount them
# read-write, and make / shared so that the pods' mounts propagate to containerd and runc.
/usr/bin/mount -o remount,rw /sys
/usr/bin/mount -o remount,rw /proc/sys 2>/dev/null || true
/usr/bin/mount -o remount,rw /sys/fs/cgroup 2>/dev/null || true
# Each hierarchy is a read-only bind of the container's own cgroup: only a bind remount clears
# the flag of this mount (a plain remount would change the hierarchy's, shared with the host).
for cgroup in /sys/fs/cgroup/*; do
  [ -L "$cgroup" ] || /usr/bin/mount -o remount,bind,rw "$cgroup" 2>/dev/null || true
done
/usr/bin/mount --make-rshared /

KUBE4J_CONTAINERD_DIR="${KUBE4J_CONTAINERD_DIR:-/var/lib/containerd/node}"
if [ -z "${KUBE4J_NODE_PODCIDR:-}" ]; then
  address="$(/usr/sbin/ip -4 -o addr show scope global | awk '{ split($4, a, "/"); print a[1]; exit }')"
  KUBE4J_NODE_PODCIDR="10.244.${address##*.}.0/24"
fi
export KUBE4J_NODE_PODCIDR
export KUBE4J_NODE_CRISOCKET="$KUBE4J_CONTAINERD_DIR/containerd.sock"

# A restarted container finds the last run's containers dead: forget their mounts and network.
bash /usr/local/bin/containerd-node.sh clean "$KUBE4J_CONTAINERD_DIR" kube4j0 >/dev/null 2>&1 || true
rm -rf "$KUBE4J_CONTAINERD_DIR/state" "$KUBE4J_CONTAINERD_DIR/cni/ipam"
bash /usr/local/bin/containerd-node.sh config "$KUBE4J_CONTAINERD_DIR" "$KUBE4J_NODE_PODCIDR" kube4j0
mkdir -p /var/log
containerd --config "$KUBE4J_CONTAINERD_DIR/config.toml" >>/var/log/containerd.log 2>&1 &
tries=0
until bash /usr/local/bin/containerd-node.sh ready "$KUBE4J_CONTAINERD_DIR"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 120 ]; then
    tail -n 20 /var/log/containerd.log >&2
    echo "containerd did not answer within 60 s" >&2
    exit 1
  fi
  sleep 0.5
done
bash /usr/local/bin/containerd-node.sh import "$KUBE4J_CONTAINERD_DIR" /opt/kube4j-node/images/*.tar
# Netty unpacks its native transport into java.io.tmpdir, which a tmpfs /tmp mounted noexec
# (Docker's default for --tmpfs) cannot map.
mkdir -p /var/lib/kube4j-node/native
export KUBE4J_JAVA_OPTS="${KUBE4J_JAVA_OPTS:-} -Dio.netty.native.workdir=/var/lib/kube4j-node/native"
echo "containerd ready at $KUBE4J_NODE_CRISOCKET; pod subnet $KUBE4J_NODE_PODCIDR" >&2

# Pods' traffic to anything but pods (the gateway's container, the compose network, the internet)
# leaves with this container's address, which the other containers can answer.
/usr/sbin/nft -f - <<NFT || echo "could not masquerade the pods' traffic" >&2
table ip kube4j-egress
delete table ip kube4j-egress
table ip kube4j-egress {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr $KUBE4J_NODE_PODCIDR ip daddr != 10.244.0.0/16 masquerade
  }
}
NFT

# Pods of other nodes (host-gw): on one compose network, node A.B.C.N has the pod subnet
# 10.244.N.0/24, so a route to every possible peer's subnet via its address needs no discovery.
if [ -n "${address:-}" ] && [ "${KUBE4J_NODE_PEER_ROUTES:-true}" = true ]; then
  prefix="${address%.*}" self="${address##*.}" n=1
  while [ "$n" -lt 255 ]; do
    [ "$n" = "$self" ] || echo "route replace 10.244.$n.0/24 via $prefix.$n onlink"
    n=$((n + 1))
  done | /usr/sbin/ip -batch - || echo "could not add the routes to other nodes' pods" >&2
fi
