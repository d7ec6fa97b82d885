package io.kube4j.proxy.dns;

import org.xbill.DNS.Message;

import java.io.IOException;

/**
 * Where names outside the cluster domain go. Contract: thread-safe; {@link #forward} returns the
 * upstream's reply to {@code query} or throws when no upstream answered in time.
 */
public interface Upstream {

    Message forward(Message query) throws IOException;
}
