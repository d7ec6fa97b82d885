/**
 * Byte streams between a client and a backend that speak a protocol neither end of the relay
 * needs to understand: the HTTP/1.1 upgrade handshake ({@link HttpUpgrade}), the two-way copy
 * that follows it ({@link Tunnel}), and the WebSocket framing ({@link WebSocketFrames}) for the
 * few places that do speak WebSocket themselves (watches). Plain JDK; no framework.
 */
package io.kube4j.machinery.stream;
