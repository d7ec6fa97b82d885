/**
 * The kubelet's streaming paths ({@code /exec}, {@code /attach}, {@code /portForward}) that the
 * gateway relays {@code pods/{name}/exec|attach|portforward} to. The agent asks the runtime for a
 * streaming URL (CRI {@code Exec}, {@code Attach}, {@code PortForward}) and joins the client's
 * upgraded connection to the runtime's streaming server, which speaks the kubelet's streaming
 * protocols itself.
 */
package io.kube4j.node.stream;
