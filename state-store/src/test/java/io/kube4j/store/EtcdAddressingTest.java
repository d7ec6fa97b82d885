package io.kube4j.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How {@link EtcdStore} turns endpoints into a gRPC target and prefixes into key ranges. */
class EtcdAddressingTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://127.0.0.1:2379                          | ip:///127.0.0.1:2379",
            "http://etcd-0:2379,http://etcd-1:2379          | ip:///etcd-0:2379,etcd-1:2379",
            "10.0.0.1:32379                                 | ip:///10.0.0.1:32379",
            "http://etcd                                    | ip:///etcd:2379",
            "http://a:1,http://a:1                          | ip:///a:1",
    })
    void endpointsBecomeOneBalancedTarget(String endpoints, String target) {
        assertThat(EtcdStore.target(List.of(endpoints.split(",")))).isEqualTo(target);
    }

    @ParameterizedTest
    @CsvSource({"https://etcd:2379", "http://"})
    void unsupportedEndpointsAreRejected(String endpoint) {
        assertThatThrownBy(() -> EtcdStore.target(List.of(endpoint))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "2f612f, 2f6130",   // "/a/" ends before "/a0"
            "61ff, 62",         // a trailing 0xff carries over
            "ff, 00",           // nothing above: the whole key space
            "'', 00",
    })
    void aPrefixEndsAtTheSmallestKeyAboveAllItsKeys(String prefixHex, String endHex) {
        assertThat(hex(EtcdStore.prefixEnd(bytes(prefixHex)))).isEqualTo(endHex);
    }

    private static byte[] bytes(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) out.append("%02x".formatted(b));
        return out.toString();
    }
}
