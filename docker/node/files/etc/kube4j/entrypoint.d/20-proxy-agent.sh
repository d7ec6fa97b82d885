# This node's own proxy agent (kube-proxy and cluster DNS), run beside the node agent in the node's
# network namespace when KUBE4J_NODE_PROXY_AGENT=true, as kube-proxy runs on every machine: each
# replica of a scaled compose service is a node with its own proxy (a proxy container sharing a
# node's network can join one replica only). Sourced by kube4j-service, after 10-containerd.sh.
# kube4j-node-and-proxy runs both agents and ends the container when either ends.
#   KUBE4J_NODE_PROXY_AGENT      true: run the proxy agent [false: the helm chart has a DaemonSet]
#   KUBE4J_NODE_PROXY_PORT       its HTTP port: health, in the image's health check too [10256]
#   KUBE4J_NODE_PROXY_JAVA_OPTS  its JVM options, after KUBE4J_JAVA_OPTS; they win over the
#                                container's JAVA_TOOL_OPTIONS, which both JVMs read [-Xms64m -Xmx384m]
#   KUBE4J_PROXY_*               its own settings (kube4j.proxy.*); by default it reads the node
#                                agent's kubeconfig and takes the node agent's Node name
mkdir -p /run/kube4j
rm -f /run/kube4j/health-urls
if [ "${KUBE4J_NODE_PROXY_AGENT:-false}" = true ]; then
  # One name for both agents: the node agent's Node name is the host name in lower case unless set.
  KUBE4J_NODE_NAME="${KUBE4J_NODE_NAME:-$(tr '[:upper:]' '[:lower:]' </proc/sys/kernel/hostname)}"
  KUBE4J_PROXY_NODENAME="${KUBE4J_PROXY_NODENAME:-$KUBE4J_NODE_NAME}"
  KUBE4J_PROXY_KUBECONFIG="${KUBE4J_PROXY_KUBECONFIG:-${KUBE4J_NODE_KUBECONFIG:-}}"
  KUBE4J_NODE_PROXY_PORT="${KUBE4J_NODE_PROXY_PORT:-10256}"
  KUBE4J_NODE_PROXY_JAVA_OPTS="${KUBE4J_NODE_PROXY_JAVA_OPTS:--Xms64m -Xmx384m}"
  export KUBE4J_NODE_NAME KUBE4J_PROXY_NODENAME KUBE4J_PROXY_KUBECONFIG KUBE4J_NODE_PROXY_PORT KUBE4J_NODE_PROXY_JAVA_OPTS
  echo "http://127.0.0.1:$KUBE4J_NODE_PROXY_PORT/actuator/health" >/run/kube4j/health-urls
  # shellcheck disable=SC2034 # read by kube4j-service, which sources this hook
  KUBE4J_SERVICE_SUPERVISOR=/usr/local/bin/kube4j-node-and-proxy
  echo "the proxy agent of node $KUBE4J_NODE_NAME runs beside its node agent (port $KUBE4J_NODE_PROXY_PORT)" >&2
fi
