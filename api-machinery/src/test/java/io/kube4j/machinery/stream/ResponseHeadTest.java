package io.kube4j.machinery.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResponseHeadTest {

    @Test
    void readsTheHeadAndLeavesTheUpgradedBytesUnread() throws IOException {
        ByteArrayInputStream in = stream("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n\u0082\u0001x");
        ResponseHead head = ResponseHead.read(in);
        assertThat(head.status()).isEqualTo(101);
        assertThat(head.reason()).isEqualTo("Switching Protocols");
        assertThat(head.first("sec-websocket-protocol")).contains("v5.channel.k8s.io");
        assertThat(in.readAllBytes()).containsExactly(0x82, 0x01, 'x');
    }

    @Test
    void keepsRepeatedHeadersInOrder() throws IOException {
        ResponseHead head = ResponseHead.read(stream("HTTP/1.1 101 \r\nX-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                + "x-stream-protocol-version: v3.channel.k8s.io\n\n"));
        assertThat(head.all("X-Stream-Protocol-Version")).containsExactly("v4.channel.k8s.io", "v3.channel.k8s.io");
        assertThat(head.reason()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\n folded: x\r\n\r\n", "HTTP/2 200\r\n\r\n"})
    void refusesWhatIsNotAnHttp1Head(String wire) {
        assertThatThrownBy(() -> ResponseHead.read(stream(wire))).isInstanceOf(IOException.class);
    }

    @Test
    void aHeadCutShortIsAnError() {
        assertThatThrownBy(() -> ResponseHead.read(stream("HTTP/1.1 101 Switching"))).isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void requestHeadsAreWrittenAsGivenAndRefuseInjectedLines() {
        RequestHead head = new RequestHead("GET", "/exec/ns/p/c?command=ls&stdout=1",
                List.of(new Header("Host", "10.0.0.1:10250"), new Header("Upgrade", "websocket")));
        assertThat(new String(head.encode(), StandardCharsets.ISO_8859_1)).isEqualTo(
                "GET /exec/ns/p/c?command=ls&stdout=1 HTTP/1.1\r\nHost: 10.0.0.1:10250\r\nUpgrade: websocket\r\n\r\n");
        assertThatThrownBy(() -> new Header("X", "a\r\nEvil: 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestHead("GET", "/a b", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
