/**
 * Upgraded servlet connections (the gateway's and the node agent's streams): a blocking input over
 * the container's non-blocking read callbacks, and the handler that joins a client's switched
 * connection to a backend's. Needs the servlet API on the class path (an optional dependency of
 * this library: only servlet applications use this package).
 */
package io.kube4j.machinery.stream.servlet;
