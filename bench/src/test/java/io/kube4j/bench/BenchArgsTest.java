package io.kube4j.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchArgsTest {

    @Test
    void pairsByNameWithTheLastRepeatWinningAndEqualsSignsKeptInValues() {
        assertThat(BenchArgs.parse(new String[]{"--pods=10", "--server=https://h:1/?a=b", "--pods=20"}))
                .isEqualTo(Map.of("pods", "20", "server", "https://h:1/?a=b"));
    }

    @Test
    void refusesWhatIsNotANameValuePairAndAMissingRequiredName() {
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"pods=10"})).hasMessage("expected --name=value: pods=10");
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"--pods"})).hasMessage("expected --name=value: --pods");
        assertThatThrownBy(() -> BenchArgs.parse(new String[]{"--pods=1"}, "kubeconfig")).hasMessage("--kubeconfig is required");
    }
}
