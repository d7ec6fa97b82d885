package io.kube4j.node.stream;

import io.kube4j.node.runtime.ContainerRuntime.StreamFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamRequestsTest {

    @Test
    void flagsAreSetByOneOrTrue() {
        assertThat(StreamRequests.flags(Map.of("stdin", new String[]{"1"}, "stdout", new String[]{"true"},
                "stderr", new String[]{"0"}))).isEqualTo(new StreamFlags(true, true, false, false));
        assertThat(StreamRequests.command(Map.of("command", new String[]{"sh", "-c", "exit 3"}))).containsExactly("sh", "-c", "exit 3");
    }

    @Test
    void portsAreListedAndChecked() {
        assertThat(StreamRequests.ports(Map.of("port", new String[]{"80,8080", "9090"}))).containsExactly(80, 8080, 9090);
        assertThatThrownBy(() -> StreamRequests.ports(Map.of("port", new String[]{"http"}))).hasMessageContaining("\"http\"");
        assertThatThrownBy(() -> StreamRequests.ports(Map.of("port", new String[]{"70000"}))).hasMessageContaining("between 1 and 65535");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "v5.channel.k8s.io,v4.channel.k8s.io,v3.channel.k8s.io,v2.channel.k8s.io,channel.k8s.io | v5.channel.k8s.io",
            "v4.channel.k8s.io, channel.k8s.io | v4.channel.k8s.io",
            "base64.channel.k8s.io | ",
            "SPDY/3.1+portforward.k8s.io | ",
    })
    void theNewestChannelProtocolTheClientOffersIsChosen(String offered, String chosen) {
        assertThat(StreamRequests.choose(ChannelBridge.PROTOCOLS, List.of(offered))).isEqualTo(chosen);
    }

    @ParameterizedTest
    @CsvSource({
            "true, true, true, false, 1, 3, 5, 7, 0",
            "false, true, true, false, 1, 0, 3, 5, 0",
            "true, true, false, true, 1, 3, 5, 0, 7",
            "false, true, false, false, 1, 0, 3, 0, 0",
    })
    void spdyStreamsAreOpenedInTheKubeletClientsOrder(boolean stdin, boolean stdout, boolean stderr, boolean tty,
                                                      int error, int in, int out, int err, int resize) {
        var streams = ChannelBridge.Streams.of(new StreamFlags(stdin, stdout, stderr, tty));
        assertThat(streams).isEqualTo(new ChannelBridge.Streams(error, in, out, err, resize));
        assertThat(streams.channelOf(error)).isEqualTo(ChannelBridge.ERROR);
        if (out != 0) assertThat(streams.channelOf(out)).isEqualTo(ChannelBridge.STDOUT);
    }

    @Test
    void webSocketUpgradesAreToldFromSpdy() {
        assertThat(StreamRequests.isWebSocket("websocket")).isTrue();
        assertThat(StreamRequests.isWebSocket("WebSocket")).isTrue();
        assertThat(StreamRequests.isWebSocket("SPDY/3.1")).isFalse();
        assertThat(StreamRequests.isWebSocket(null)).isFalse();
    }
}
