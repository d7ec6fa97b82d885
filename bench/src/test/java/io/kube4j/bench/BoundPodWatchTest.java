package io.kube4j.bench;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading watch events as bytes: the bound pod's name out of an event, and lines cut across buffers. */
class BoundPodWatchTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBoundPodsEventGivesItsName() {
        String event = "{\"type\":\"MODIFIED\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"labels\":"
                + "{\"name\":\"not-this\"},\"name\":\"pod-3\",\"namespace\":\"b\"},\"spec\":{\"containers\":[{\"name\":\"c\"}],"
                + "\"nodeName\":\"node-7\"},\"status\":{\"nominatedNodeName\":\"x\"}}}";
        assertThat(BoundPodWatch.boundPodName(bytes(event))).isEqualTo("pod-3");
    }

    @Test
    void anUnboundPodOrAnotherEventGivesNothing() {
        assertThat(BoundPodWatch.boundPodName(bytes("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"pod-1\"},"
                + "\"spec\":{\"containers\":[]},\"status\":{\"nominatedNodeName\":\"node-1\"}}}"))).isNull();
        assertThat(BoundPodWatch.boundPodName(bytes("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"pod-1\"},"
                + "\"spec\":{\"nodeName\":\"\"}}}"))).isNull();
        assertThat(BoundPodWatch.boundPodName(bytes("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}"))).isNull();
        assertThat(BoundPodWatch.boundPodName(bytes("{\"type\":\"MOD"))).isNull();
    }

    @Test
    void linesAreCutAcrossBuffersAndEmptyLinesDropped() {
        List<String> lines = new ArrayList<>();
        BoundPodWatch.Lines splitter = new BoundPodWatch.Lines(l -> lines.add(new String(l, StandardCharsets.UTF_8)));
        splitter.accept(ByteBuffer.wrap(bytes("{\"a\":1}\n{\"b\"")));
        splitter.accept(ByteBuffer.wrap(bytes(":2}")));
        splitter.accept(ByteBuffer.wrap(bytes("\n\n{\"c\":3}\n{\"d\"")));
        assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }
}
