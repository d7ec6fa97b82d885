package io.kube4j.node.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.node.pod.EnvResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VolumeManagerTest {

    @TempDir
    Path dir;

    final Map<String, Map<String, String>> configMaps = new HashMap<>();

    final EnvResolver.Objects objects = new EnvResolver.Objects() {
        @Override
        public Map<String, String> configMap(String namespace, String name) {
            return configMaps.get(name);
        }

        @Override
        public Map<String, String> secret(String namespace, String name) {
            return "tls".equals(name) ? Map.of("tls.key", "KEY") : null;
        }
    };

    /** What is at the path before: none, dir, file; the hostPath type; ok or the error's end. */
    @ParameterizedTest(name = "{1} on {0}: {2}")
    @CsvSource({
            "none, DirectoryOrCreate, ok",
            "dir,  DirectoryOrCreate, ok",
            "file, DirectoryOrCreate, is not a directory",
            "dir,  Directory,         ok",
            "none, Directory,         is not a directory",
            "none, FileOrCreate,      ok",
            "file, FileOrCreate,      ok",
            "dir,  FileOrCreate,      is not a file",
            "file, File,              ok",
            "none, File,              is not a file",
            "file, Socket,            is not a socket",
            "none, CharDevice,        does not exist",
            "file, BlockDevice,       is not a block device",
            "none, '',                ok"})
    void hostPathTypesAreChecked(String existing, String type, String outcome) throws Exception {
        Path target = dir.resolve("host/target");
        Files.createDirectories(target.getParent());
        if (existing.equals("dir")) Files.createDirectory(target);
        if (existing.equals("file")) Files.writeString(target, "x");
        Pod pod = pod().editSpec().addNewVolume().withName("h").withNewHostPath().withPath(target.toString())
                .withType(type.isEmpty() ? null : type).endHostPath().endVolume().endSpec().build();
        VolumeManager volumes = new VolumeManager(dir.resolve("pods"), objects);
        if (outcome.equals("ok")) {
            assertThat(volumes.setUp(pod, null, null)).containsEntry("h", target);
            if (type.equals("DirectoryOrCreate")) assertThat(target).isDirectory();
            if (type.equals("FileOrCreate")) assertThat(target).isRegularFile();
        } else {
            assertThatThrownBy(() -> volumes.setUp(pod, null, null))
                    .isInstanceOf(VolumeManager.VolumeError.class).hasMessageEndingWith(outcome);
        }
    }

    @Test
    void aCharacterDeviceIsOne() {
        Pod pod = pod().editSpec().addNewVolume().withName("null").withNewHostPath().withPath("/dev/null").withType("CharDevice")
                .endHostPath().endVolume().endSpec().build();
        assertThat(new VolumeManager(dir.resolve("pods"), objects).setUp(pod, null, null)).containsEntry("null", Path.of("/dev/null"));
    }

    @Test
    void configMapFilesFollowItemsAndModesAndUpdates() throws Exception {
        configMaps.put("cfg", Map.of("a", "1", "b", "2", "c", "3"));
        Pod pod = pod().editSpec()
                .addNewVolume().withName("all").withNewConfigMap().withName("cfg").withDefaultMode(0400).endConfigMap().endVolume()
                .addNewVolume().withName("some").withNewConfigMap().withName("cfg").addNewItem().withKey("b").withPath("sub/bee")
                .withMode(0600).endItem().endConfigMap().endVolume()
                .addNewVolume().withName("sec").withNewSecret().withSecretName("tls").endSecret().endVolume()
                .endSpec().build();
        VolumeManager volumes = new VolumeManager(dir.resolve("pods"), objects);
        Map<String, Path> paths = volumes.setUp(pod, null, null);
        assertThat(paths.get("all").resolve("a")).hasContent("1");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.get("all").resolve("a")))).isEqualTo("r--------");
        assertThat(paths.get("some").resolve("sub/bee")).hasContent("2");
        assertThat(paths.get("some").resolve("a")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(paths.get("some").resolve("sub/bee")))).isEqualTo("rw-------");
        assertThat(paths.get("sec").resolve("tls.key")).hasContent("KEY");

        configMaps.put("cfg", Map.of("a", "one", "b", "2"));
        volumes.setUp(pod, null, null);
        assertThat(paths.get("all").resolve("a")).hasContent("one");
        assertThat(paths.get("all").resolve("c")).doesNotExist();

        volumes.tearDown("u1");
        assertThat(dir.resolve("pods/u1")).doesNotExist();
    }

    @Test
    void aMissingConfigMapThatIsNotOptionalIsAnError() {
        Pod pod = pod().editSpec().addNewVolume().withName("c").withNewConfigMap().withName("absent").endConfigMap().endVolume()
                .endSpec().build();
        assertThatThrownBy(() -> new VolumeManager(dir.resolve("pods"), objects).setUp(pod, null, null))
                .isInstanceOf(VolumeManager.VolumeError.class).hasMessage("configmap \"absent\" not found");
    }

    @Test
    void downwardApiFilesHoldThePodsFields() throws Exception {
        Pod pod = pod().editSpec().addNewVolume().withName("info").withNewDownwardAPI()
                .addNewItem().withPath("name").withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem()
                .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
                .endDownwardAPI().endVolume().endSpec().build();
        Path info = new VolumeManager(dir.resolve("pods"), objects).setUp(pod, "10.0.0.5", null).get("info");
        assertThat(info.resolve("name")).hasContent("p");
        assertThat(Files.readString(info.resolve("labels"))).isEqualTo("app=\"web\"\ntier=\"front\"");
    }

    /** The claim's volume: {@code hostPath}, {@code local} (existing or not), {@code nfs} (not served), or {@code unbound}. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "hostPath,      ok",
            "local,         ok",
            "local-missing, does not exist",
            "nfs,           cannot mount (only hostPath and local)",
            "unbound,       is not bound"})
    void aClaimedVolumeIsTheDirectoryOfItsBoundVolume(String kind, String outcome) throws Exception {
        Path data = dir.resolve("local-path/ns_data_pvc-1");
        if (kind.equals("local")) Files.createDirectories(data);
        ClaimedVolumes claims = (namespace, claim) -> {
            assertThat(namespace + "/" + claim).isEqualTo("ns/data");
            var pv = new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder().withNewMetadata().withName("pvc-1").endMetadata().withNewSpec().endSpec();
            switch (kind) {
                case "hostPath" -> pv.editSpec().withNewHostPath().withPath(data.toString()).withType("DirectoryOrCreate").endHostPath().endSpec();
                case "local", "local-missing" -> pv.editSpec().withNewLocal().withPath(data.toString()).endLocal().endSpec();
                case "nfs" -> pv.editSpec().withNewNfs().withServer("nfs").withPath("/x").endNfs().endSpec();
                default -> throw new VolumeManager.VolumeError("persistentvolumeclaim \"data\" is not bound");
            }
            return pv.build();
        };
        Pod pod = pod().editSpec().addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("data").endPersistentVolumeClaim()
                .endVolume().endSpec().build();
        VolumeManager volumes = new VolumeManager(dir.resolve("pods"), objects, claims);
        if (outcome.equals("ok")) {
            assertThat(volumes.setUp(pod, null, null)).containsEntry("d", data);
            assertThat(data).isDirectory();
            // The pod's teardown leaves the claimed data in place.
            volumes.tearDown("u1");
            assertThat(data).isDirectory();
        } else {
            assertThatThrownBy(() -> volumes.setUp(pod, null, null)).isInstanceOf(VolumeManager.VolumeError.class).hasMessageEndingWith(outcome);
        }
    }

    @Test
    void aProjectedTokenIsAskedForOnceAndAgainAfterFourFifthsOfItsLife() throws Exception {
        configMaps.put("kube-root-ca.crt", Map.of("ca.crt", "PEM"));
        java.util.List<String> asked = new java.util.ArrayList<>();
        java.time.Instant[] now = {java.time.Instant.parse("2026-01-01T00:00:00Z")};
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now[0];
            }
        };
        ServiceAccountTokens tokens = (namespace, account, audience, seconds) -> {
            asked.add(namespace + "/" + account + " " + audience + " " + seconds);
            return new ServiceAccountTokens.Token("token-" + asked.size(), now[0].plusSeconds(seconds));
        };
        Pod pod = pod().editSpec().withServiceAccountName("builder").addNewVolume().withName("kube-api-access-x2b4z")
                .withNewProjected().withDefaultMode(0644)
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L).endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem()
                .endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef().withFieldPath("metadata.namespace")
                .endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().endVolume().endSpec().build();
        VolumeManager volumes = new VolumeManager(dir.resolve("pods"), objects, ClaimedVolumes.NONE, tokens, clock);

        assertThat(volumes.tokensDue(pod)).as("none held yet").isTrue();
        Path volume = volumes.setUp(pod, null, null).get("kube-api-access-x2b4z");
        assertThat(Files.readString(volume.resolve("token"))).isEqualTo("token-1");
        assertThat(volumes.tokensDue(pod)).isFalse();
        assertThat(Files.readString(volume.resolve("ca.crt"))).isEqualTo("PEM");
        assertThat(Files.readString(volume.resolve("namespace"))).isEqualTo("ns");
        now[0] = now[0].plusSeconds(2800);
        volumes.setUp(pod, null, null);
        assertThat(Files.readString(volume.resolve("token"))).as("before 80%% of 3607 s").isEqualTo("token-1");
        assertThat(volumes.tokensDue(pod)).isFalse();
        now[0] = now[0].plusSeconds(100);
        assertThat(volumes.tokensDue(pod)).as("past 80%% of its life").isTrue();
        volumes.setUp(pod, null, null);
        assertThat(Files.readString(volume.resolve("token"))).isEqualTo("token-2");
        assertThat(asked).containsExactly("ns/builder null 3607", "ns/builder null 3607");

        // The API refusing a new one: the token still valid serves; a pod with none cannot start.
        ServiceAccountTokens refusing = (namespace, account, audience, seconds) -> {
            throw new VolumeManager.VolumeError("serviceaccount \"" + account + "\" not found");
        };
        assertThatThrownBy(() -> new VolumeManager(dir.resolve("other"), objects, ClaimedVolumes.NONE, refusing, clock)
                .setUp(pod, null, null)).isInstanceOf(VolumeManager.VolumeError.class)
                .hasMessage("serviceaccount \"builder\" not found");
        volumes.tearDown("u1");
    }

    private static PodBuilder pod() {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1")
                .withLabels(Map.of("tier", "front", "app", "web")).endMetadata().withNewSpec().endSpec();
    }
}
