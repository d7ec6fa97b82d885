package io.kube4j.proxy.dns;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Forwards to the host's resolvers (those of /etc/resolv.conf, as dnsjava reads them) or to the
 * configured ones ({@code host} or {@code host:port}), trying each in turn.
 */
public final class ResolverUpstream implements Upstream {

    private final ExtendedResolver resolver;

    public ResolverUpstream(List<String> servers, Duration timeout) {
        List<SimpleResolver> resolvers = new ArrayList<>();
        if (servers.isEmpty()) {
            for (InetSocketAddress server : ResolverConfig.getCurrentConfig().servers()) resolvers.add(new SimpleResolver(server));
        } else {
            for (String s : servers) {
                int colon = s.lastIndexOf(':');
                try {
                    resolvers.add(colon > 0 && s.indexOf(':') == colon
                            ? new SimpleResolver(new InetSocketAddress(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1))))
                            : new SimpleResolver(s));
                } catch (IOException e) {
                    throw new IllegalArgumentException("not a resolver address: " + s, e);
                }
            }
        }
        this.resolver = new ExtendedResolver(resolvers.toArray(SimpleResolver[]::new));
        resolver.setTimeout(timeout);
        resolver.setRetries(1);
    }

    @Override
    public Message forward(Message query) throws IOException {
        return resolver.send(query);
    }
}
