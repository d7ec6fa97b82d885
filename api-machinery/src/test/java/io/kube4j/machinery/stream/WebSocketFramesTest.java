package io.kube4j.machinery.stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebSocketFramesTest {

    @Test
    void acceptKeyIsTheOneOfTheRfcExample() {
        assertThat(WebSocketFrames.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @ParameterizedTest
    @CsvSource({"0,false", "1,true", "125,false", "126,true", "65535,false", "65536,true", "70000,false"})
    void framesOfEveryLengthEncodingReadBackAsWritten(int length, boolean masked) throws Exception {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) payload[i] = (byte) (i * 31);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketFrames.write(out, WebSocketFrames.BINARY, payload, masked);
        byte[] wire = out.toByteArray();
        int headLength = (length < 126 ? 2 : length <= 0xffff ? 4 : 10) + (masked ? 4 : 0);
        assertThat(wire).hasSize(headLength + length);
        assertThat((wire[1] & 0x80) != 0).isEqualTo(masked);

        WebSocketFrames.Frame frame = WebSocketFrames.read(new ByteArrayInputStream(wire), 1 << 20);
        assertThat(frame.fin()).isTrue();
        assertThat(frame.opcode()).isEqualTo(WebSocketFrames.BINARY);
        assertThat(Arrays.equals(frame.payload(), payload)).isTrue();
    }

    @Test
    void closeFramesCarryTheirCode() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WebSocketFrames.writeClose(out, WebSocketFrames.NORMAL_CLOSURE, "bye", true);
        WebSocketFrames.Frame frame = WebSocketFrames.read(new ByteArrayInputStream(out.toByteArray()), 125);
        assertThat(frame.opcode()).isEqualTo(WebSocketFrames.CLOSE);
        assertThat(frame.closeCode()).isEqualTo(1000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "reserved bit set,        C1 00,          1002",
            "unknown opcode,          83 00,          1002",
            "fragmented control,      09 00,          1002",
            "long control frame,      89 7E 00 7E,    1002",
            "payload over the limit,  82 7E 04 01,    1009"})
    void brokenFramesAreProtocolErrors(String name, String hex, int closeCode) {
        byte[] wire = hex(hex);
        assertThatThrownBy(() -> WebSocketFrames.read(new ByteArrayInputStream(wire), 1024))
                .isInstanceOfSatisfying(WebSocketFrames.ProtocolException.class,
                        e -> assertThat(e.closeCode()).isEqualTo(closeCode));
    }

    @Test
    void aFrameCutShortIsAnEndOfStream() {
        assertThatThrownBy(() -> WebSocketFrames.read(new ByteArrayInputStream(hex("82 05 01 02")), 1024))
                .isInstanceOf(EOFException.class);
    }

    private static byte[] hex(String s) {
        String[] parts = s.trim().split("\\s+");
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        return bytes;
    }
}
