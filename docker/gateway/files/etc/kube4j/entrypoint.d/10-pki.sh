# The gateway's CA, serving certificate and admin token live in the image's PKI volume.
export KUBE4J_GATEWAY_PKIDIR="${KUBE4J_GATEWAY_PKIDIR:-/var/lib/kube4j/pki}"
