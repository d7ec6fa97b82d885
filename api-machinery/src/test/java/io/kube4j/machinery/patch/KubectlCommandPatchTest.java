package io.kube4j.machinery.patch;

import static io.kube4j.machinery.patch.Json.json;
import static io.kube4j.machinery.patch.Json.raw;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The PATCH bodies kubectl 1.32's imperative commands sent (recorded verbatim against a stub server, with
 * {@code src/test/kubectl-capture/capcmd.sh}), with the content type they came with.
 */
class KubectlCommandPatchTest {

    private static final String LIVE = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
            + "'namespace':'default','labels':{'app':'web','tier':'front'}},'spec':{'replicas':2,"
            + "'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},"
            + "'spec':{'containers':[{'name':'nginx','image':'nginx:1.14','ports':[{'containerPort':80},"
            + "{'containerPort':443}],'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}}}";

    record Recorded(String command, String contentType, String body, String expected) {
        @Override
        public String toString() {
            return "kubectl " + command;
        }
    }

    static Stream<Recorded> recorded() {
        return Stream.of(
                new Recorded("set image deployment/web nginx=nginx:2", "application/strategic-merge-patch+json",
                        "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"nginx\"}],"
                                + "\"containers\":[{\"image\":\"nginx:2\",\"name\":\"nginx\"}]}}}}",
                        LIVE.replace("nginx:1.14", "nginx:2")),
                new Recorded("set env deployment/web C=3", "application/strategic-merge-patch+json",
                        "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"nginx\"}],"
                                + "\"containers\":[{\"$setElementOrder/env\":[{\"name\":\"A\"},{\"name\":\"B\"},"
                                + "{\"name\":\"C\"}],\"env\":[{\"name\":\"C\",\"value\":\"3\"}],\"name\":\"nginx\"}]}}}}",
                        LIVE.replace("{'name':'B','value':'2'}", "{'name':'B','value':'2'},{'name':'C','value':'3'}")),
                new Recorded("set env deployment/web A-", "application/strategic-merge-patch+json",
                        "{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":[{\"name\":\"nginx\"}],"
                                + "\"containers\":[{\"$setElementOrder/env\":[{\"name\":\"B\"}],\"env\":[{\"$patch\":"
                                + "\"delete\",\"name\":\"A\"}],\"name\":\"nginx\"}]}}}}",
                        LIVE.replace("{'name':'A','value':'1'},", "")),
                new Recorded("rollout restart deployment/web", "application/strategic-merge-patch+json",
                        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":"
                                + "\"2026-11-25T21:38:30Z\"}}}}}",
                        LIVE.replace("'template':{'metadata':{'labels':{'app':'web'}}", "'template':{'metadata':"
                                + "{'labels':{'app':'web'},'annotations':{'kubectl.kubernetes.io/restartedAt':"
                                + "'2026-11-25T21:38:30Z'}}")),
                new Recorded("patch deployment web -p {\"spec\":{\"replicas\":1}}",
                        "application/strategic-merge-patch+json", "{\"spec\":{\"replicas\":1}}",
                        LIVE.replace("'replicas':2", "'replicas':1")),
                new Recorded("label deployment/web tier-", "application/merge-patch+json",
                        "{\"metadata\":{\"labels\":{\"tier\":null}}}", LIVE.replace(",'tier':'front'", "")),
                new Recorded("annotate deployment/web note=x", "application/merge-patch+json",
                        "{\"metadata\":{\"annotations\":{\"note\":\"x\"}}}",
                        LIVE.replace("'namespace':'default',", "'namespace':'default','annotations':{'note':'x'},")),
                new Recorded("scale deployment/web --replicas=5", "application/merge-patch+json",
                        "{\"spec\":{\"replicas\":5}}", LIVE.replace("'replicas':2", "'replicas':5")));
    }

    @ParameterizedTest
    @MethodSource("recorded")
    void appliesWhatKubectlSends(Recorded r) {
        JsonNode live = json(LIVE);
        JsonNode patch = raw(r.body());
        JsonNode result = r.contentType().equals("application/merge-patch+json")
                ? MergePatch.apply(live, patch)
                : StrategicMergePatch.apply(live, patch, KubernetesPatchMeta.forKind("apps", "Deployment"));
        assertThat(result).isEqualTo(json(r.expected()));
    }
}
