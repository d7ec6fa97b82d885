package io.kube4j.gateway.server;

import org.apache.coyote.http2.Http2Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class Http2ConfigurationTest {

    /** Every open stream may also run: a watch holds its stream for its whole life. */
    @ParameterizedTest
    @ValueSource(ints = {1, 100, 1000, 5000})
    void everyOpenStreamMayRun(int streams) {
        Http2Protocol http2 = Http2Configuration.http2(new Http2Properties(true, streams, Duration.ofSeconds(90)));
        assertThat(http2.getMaxConcurrentStreams()).isEqualTo(streams);
        assertThat(http2.getMaxConcurrentStreamExecution()).isEqualTo(streams);
        assertThat(http2.getKeepAliveTimeout()).isEqualTo(90_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void refusesALimitThatAdmitsNoStream(int streams) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Http2Properties(true, streams, Duration.ofSeconds(1)))
                .withMessageContaining("max-concurrent-streams");
    }
}
