package io.kube4j.gateway.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PublicPathsTest {

    @ParameterizedTest
    @CsvSource({
            "/healthz, true", "/livez, true", "/readyz, true", "/readyz/ping, true", "/healthz/etcd, true",
            "/version, true", "/version/, true",
            "/, false", "/api, false", "/api/v1/secrets, false", "/readyzz, false", "/healthzx/ping, false",
            "/version/x, false", "/readyz/../api/v1/secrets, false", "/readyz/%2e%2e/api, false",
            "/readyz;x=y, false", "//readyz, false", "/actuator/health, false",
    })
    void onlyProbesAndVersionArePublic(String path, boolean expected) {
        assertThat(PublicPaths.isPublic(path)).isEqualTo(expected);
    }
}
