package io.kube4j.gateway.kubelet;

import io.kube4j.machinery.stream.servlet.TunnelUpgradeHandler;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.stream.Header;
import io.kube4j.machinery.stream.HttpUpgrade;
import io.kube4j.machinery.stream.RequestHead;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Relays a client's HTTP/1.1 upgrade request to a node's agent: the request goes out with the
 * client's headers (never its credentials); a 101 from the agent is answered with the agent's own
 * headers and the two connections are joined ({@link TunnelUpgradeHandler}); any other answer
 * becomes the client's Status error ({@link KubeletErrors}). Stateless.
 */
final class UpgradeRelay {

    /** Request headers that stay with the gateway: credentials, and what the gateway writes itself. */
    static final Set<String> NOT_FORWARDED = Set.of("authorization", "proxy-authorization", "cookie", "host",
            "content-length", "transfer-encoding", "expect", "te", "keep-alive", "proxy-connection");

    private UpgradeRelay() {
    }

    static void relay(KubeletEndpoint endpoint, String method, String target, HttpServletRequest request,
                      HttpServletResponse response, Duration connectTimeout, Duration answerTimeout) throws IOException {
        List<Header> headers = new ArrayList<>();
        headers.add(new Header("Host", endpoint.authority()));
        for (String name : Collections.list(request.getHeaderNames())) {
            if (NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) continue;
            for (String value : Collections.list(request.getHeaders(name))) headers.add(new Header(name, value));
        }
        HttpUpgrade.Outcome outcome;
        try {
            outcome = HttpUpgrade.exchange(endpoint.socketAddress(), new RequestHead(method, target, headers),
                    connectTimeout, answerTimeout);
        } catch (IOException e) {
            throw KubeletErrors.unreachable(endpoint, e);
        }
        switch (outcome) {
            case HttpUpgrade.Refused refused -> throw KubeletErrors.fromResponse(refused.head().status(), refused.bodyText());
            case HttpUpgrade.Switched switched -> {
                try {
                    for (Header h : switched.head().headers()) {
                        String lower = h.name().toLowerCase(Locale.ROOT);
                        if (lower.equals("content-length") || lower.equals("transfer-encoding")) continue;
                        response.addHeader(h.name(), h.value());
                    }
                    request.upgrade(TunnelUpgradeHandler.class).attach(switched, target);
                } catch (IOException | ServletException | RuntimeException e) {
                    switched.close();
                    throw ApiException.internal("cannot switch the client's connection: " + e.getMessage());
                }
            }
        }
    }
}
