package io.kube4j.machinery.patch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Strategic merge patches exactly as {@code kubectl apply} 1.32 sent them (recorded with
 * {@code src/test/kubectl-capture}), applied to the live object they were computed against: the result must be the
 * applied manifest plus what the server set.
 */
class KubectlApplyPatchTest {

    record Recorded(String name, String group, String kind, JsonNode live, JsonNode patch, JsonNode expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Recorded> recorded() throws Exception {
        try (InputStream in = KubectlApplyPatchTest.class.getResourceAsStream("kubectl-apply-patches.json")) {
            JsonNode all = JsonMapper.builder().build().readTree(in);
            List<Recorded> cases = new ArrayList<>();
            for (JsonNode c : all) {
                cases.add(new Recorded(c.get("name").stringValue(), c.get("group").stringValue(),
                        c.get("kind").stringValue(), c.get("live"), c.get("patch"), c.get("expected")));
            }
            return cases;
        }
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void kubectlApplyReachesTheAppliedManifest(Recorded c) {
        JsonNode result = StrategicMergePatch.apply(c.live(), c.patch(), KubernetesPatchMeta.forKind(c.group(), c.kind()));
        assertThat(result).isEqualTo(c.expected());
    }
}
