package io.kube4j.proxy.model;

import java.util.Locale;
import java.util.Optional;

/** The transport protocols a Service port can name. */
public enum Protocol {
    TCP, UDP, SCTP;

    /** The protocol named by a Service or EndpointSlice port; TCP when unset, as the API defaults it. */
    public static Optional<Protocol> parse(String name) {
        if (name == null || name.isEmpty()) return Optional.of(TCP);
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The name nftables, iptables and ipvsadm use: {@code tcp}, {@code udp}, {@code sctp}. */
    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
