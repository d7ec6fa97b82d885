package io.kube4j.node.volume;

import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kube4j.node.pod.EnvResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pod's volumes on the node's disk, under {@code {podsDir}/{uid}/volumes/{name}}: emptyDir,
 * hostPath (with its type checks), persistentVolumeClaim (the hostPath or local directory of the
 * volume the claim is bound to, see {@link ClaimedVolumes}), and the file-backed ones — configMap, secret, downwardAPI and
 * projected — whose files {@link #setUp} writes again on every call, so updates reach running
 * pods. Thread-safe per pod: the pod's worker is the only caller for its pod.
 */
public final class VolumeManager {

    /** A volume cannot be set up (missing ConfigMap, hostPath of the wrong type); the pod's containers wait. */
    public static final class VolumeError extends RuntimeException {
        private final String volume;

        public VolumeError(String message) {
            this(null, message);
        }

        /** @param volume the pod's name for the volume that failed, or null when not known */
        public VolumeError(String volume, String message) {
            super(message);
            this.volume = volume;
        }

        /** The pod's name for the volume that could not be set up, or null. */
        public String volume() {
            return volume;
        }
    }

    private final Path podsDir;
    private final EnvResolver.Objects objects;
    private final ClaimedVolumes claims;
    private final ServiceAccountTokens tokens;
    private final java.time.Clock clock;
    /** Pod uid → {@link #tokenKey} → the token projected there, with when it was had. */
    private final Map<String, Map<String, Held>> heldTokens = new java.util.concurrent.ConcurrentHashMap<>();

    private record Held(ServiceAccountTokens.Token token, Instant at) {
        /** Past 80% of its life: time to ask for another. */
        boolean due(Instant now) {
            long life = token.expires().toEpochMilli() - at.toEpochMilli();
            return !now.isBefore(at.plusMillis(life * 8 / 10));
        }
    }

    public VolumeManager(Path podsDir, EnvResolver.Objects objects, ClaimedVolumes claims, ServiceAccountTokens tokens,
                         java.time.Clock clock) {
        this.podsDir = podsDir;
        this.objects = objects;
        this.claims = claims;
        this.tokens = tokens;
        this.clock = clock;
    }

    public VolumeManager(Path podsDir, EnvResolver.Objects objects, ClaimedVolumes claims) {
        this(podsDir, objects, claims, ServiceAccountTokens.NONE, java.time.Clock.systemUTC());
    }

    public VolumeManager(Path podsDir, EnvResolver.Objects objects) {
        this(podsDir, objects, ClaimedVolumes.NONE);
    }

    /** Sets up every volume of the pod (idempotent); returns volume name → host path. */
    public Map<String, Path> setUp(Pod pod, String podIP, String hostIP) {
        Map<String, Path> paths = new LinkedHashMap<>();
        if (pod.getSpec().getVolumes() == null) return paths;
        Path base = podsDir.resolve(pod.getMetadata().getUid()).resolve("volumes");
        try {
            for (Volume v : pod.getSpec().getVolumes()) {
                try {
                    setUp(pod, v, base.resolve(v.getName()), paths, podIP, hostIP);
                } catch (VolumeError e) {
                    throw e.volume() != null ? e : new VolumeError(v.getName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up the volumes of pod " + ns(pod) + "/" + pod.getMetadata().getName(), e);
        }
        return paths;
    }

    /** Sets up one volume of the pod into {@code paths}; {@code dir} is where a volume of its own lives. */
    private void setUp(Pod pod, Volume v, Path dir, Map<String, Path> paths, String podIP, String hostIP) throws IOException {
        if (v.getHostPath() != null) {
            paths.put(v.getName(), hostPath(v.getHostPath()));
        } else if (v.getPersistentVolumeClaim() != null) {
            paths.put(v.getName(), claimed(claims.volumeOf(ns(pod), v.getPersistentVolumeClaim().getClaimName())));
        } else if (v.getEmptyDir() != null) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, perms(0777));
            if ("Memory".equals(v.getEmptyDir().getMedium())) mountTmpfs(dir, v.getEmptyDir().getSizeLimit());
            paths.put(v.getName(), dir);
        } else if (v.getConfigMap() != null) {
            var src = v.getConfigMap();
            Map<String, String> data = objects.configMap(ns(pod), src.getName());
            if (data == null && !Boolean.TRUE.equals(src.getOptional())) throw new VolumeError("configmap \"" + src.getName() + "\" not found");
            writeFiles(dir, files(data, src.getItems(), mode(src.getDefaultMode(), 0644), src.getOptional()));
            paths.put(v.getName(), dir);
        } else if (v.getSecret() != null) {
            var src = v.getSecret();
            Map<String, String> data = objects.secret(ns(pod), src.getSecretName());
            if (data == null && !Boolean.TRUE.equals(src.getOptional())) throw new VolumeError("secret \"" + src.getSecretName() + "\" not found");
            writeFiles(dir, files(data, src.getItems(), mode(src.getDefaultMode(), 0644), src.getOptional()));
            paths.put(v.getName(), dir);
        } else if (v.getDownwardAPI() != null) {
            writeFiles(dir, downward(pod, v.getDownwardAPI().getItems(), mode(v.getDownwardAPI().getDefaultMode(), 0644), podIP, hostIP));
            paths.put(v.getName(), dir);
        } else if (v.getProjected() != null) {
            writeFiles(dir, projected(pod, v.getName(), v.getProjected().getSources(), mode(v.getProjected().getDefaultMode(), 0644), podIP, hostIP));
            paths.put(v.getName(), dir);
        } else {
            // Volume kinds the agent does not serve yet get an empty directory, so the pod still runs.
            Files.createDirectories(dir);
            paths.put(v.getName(), dir);
        }
    }

    /** Removes the pod's volume directories (never what a hostPath names); unmounts memory-backed ones. */
    public void tearDown(String podUid) {
        heldTokens.remove(podUid);
        Path dir = podsDir.resolve(podUid);
        if (!Files.exists(dir)) return;
        try (Stream<Path> volumes = Files.exists(dir.resolve("volumes")) ? Files.list(dir.resolve("volumes")) : Stream.empty()) {
            for (Path v : volumes.toList()) run(List.of("umount", v.toString()));
        } catch (IOException ignored) {
            // Deleted below anyway.
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    private static String ns(Pod pod) {
        return pod.getMetadata().getNamespace();
    }

    private record FileContent(byte[] data, int mode) {
    }

    private static Map<String, FileContent> files(Map<String, String> data, List<KeyToPath> items, int defaultMode, Boolean optional) {
        Map<String, FileContent> files = new LinkedHashMap<>();
        if (data == null) return files;
        if (items == null || items.isEmpty()) {
            data.forEach((k, v) -> files.put(k, new FileContent(v.getBytes(StandardCharsets.UTF_8), defaultMode)));
        } else {
            for (KeyToPath item : items) {
                String value = data.get(item.getKey());
                if (value == null) {
                    if (Boolean.TRUE.equals(optional)) continue;
                    throw new VolumeError("configmap references non-existent config key: " + item.getKey());
                }
                files.put(item.getPath(), new FileContent(value.getBytes(StandardCharsets.UTF_8), mode(item.getMode(), defaultMode)));
            }
        }
        return files;
    }

    private static Map<String, FileContent> downward(Pod pod, List<DownwardAPIVolumeFile> items, int defaultMode, String podIP, String hostIP) {
        Map<String, FileContent> files = new LinkedHashMap<>();
        if (items == null) return files;
        for (DownwardAPIVolumeFile item : items) {
            String value;
            if (item.getFieldRef() != null) {
                value = EnvResolver.fieldValue(pod, item.getFieldRef().getFieldPath(), podIP, hostIP);
            } else if (item.getResourceFieldRef() != null) {
                value = EnvResolver.resourceValue(pod, pod.getSpec().getContainers().getFirst(), item.getResourceFieldRef(), Map.<String, Quantity>of());
            } else {
                continue;
            }
            files.put(item.getPath(), new FileContent(value.getBytes(StandardCharsets.UTF_8), mode(item.getMode(), defaultMode)));
        }
        return files;
    }

    private Map<String, FileContent> projected(Pod pod, String volume, List<VolumeProjection> sources, int defaultMode,
                                               String podIP, String hostIP) {
        Map<String, FileContent> files = new LinkedHashMap<>();
        if (sources == null) return files;
        for (VolumeProjection p : sources) {
            if (p.getConfigMap() != null) {
                Map<String, String> data = objects.configMap(ns(pod), p.getConfigMap().getName());
                if (data == null && !Boolean.TRUE.equals(p.getConfigMap().getOptional())) {
                    throw new VolumeError("configmap \"" + p.getConfigMap().getName() + "\" not found");
                }
                files.putAll(files(data, p.getConfigMap().getItems(), defaultMode, p.getConfigMap().getOptional()));
            } else if (p.getSecret() != null) {
                Map<String, String> data = objects.secret(ns(pod), p.getSecret().getName());
                if (data == null && !Boolean.TRUE.equals(p.getSecret().getOptional())) {
                    throw new VolumeError("secret \"" + p.getSecret().getName() + "\" not found");
                }
                files.putAll(files(data, p.getSecret().getItems(), defaultMode, p.getSecret().getOptional()));
            } else if (p.getDownwardAPI() != null) {
                files.putAll(downward(pod, p.getDownwardAPI().getItems(), defaultMode, podIP, hostIP));
            } else if (p.getServiceAccountToken() != null) {
                var src = p.getServiceAccountToken();
                if (src.getPath() == null || src.getPath().isEmpty()) throw new VolumeError("a serviceAccountToken source has no path");
                String token = token(pod, tokenKey(volume, src), src.getAudience(),
                        src.getExpirationSeconds() == null ? 3600 : src.getExpirationSeconds());
                files.put(src.getPath(), new FileContent(token.getBytes(StandardCharsets.UTF_8), defaultMode));
            }
        }
        return files;
    }

    /**
     * Whether a token projected into the pod is due for renewal (past 80% of its life, or not held, as after the
     * agent restarted): then {@link #setUp} gets a new one. The agent asks at every sync of a running pod.
     */
    public boolean tokensDue(Pod pod) {
        if (pod.getSpec().getVolumes() == null) return false;
        Map<String, Held> held = heldTokens.getOrDefault(pod.getMetadata().getUid(), Map.of());
        Instant now = clock.instant();
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getProjected() == null || v.getProjected().getSources() == null) continue;
            for (VolumeProjection p : v.getProjected().getSources()) {
                var src = p.getServiceAccountToken();
                if (src == null) continue;
                Held current = held.get(tokenKey(v.getName(), src));
                if (current == null || current.due(now)) return true;
            }
        }
        return false;
    }

    /** Which of a pod's tokens: the volume, the file in it and the audience. */
    private static String tokenKey(String volume, io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection src) {
        return volume + "/" + src.getPath() + "|" + (src.getAudience() == null ? "" : src.getAudience());
    }

    /** The token the pod holds under {@code key}: the one held, or a new one when none is or it is due. */
    private String token(Pod pod, String key, String audience, long expirationSeconds) {
        Map<String, Held> held = heldTokens.computeIfAbsent(pod.getMetadata().getUid(), uid -> new java.util.concurrent.ConcurrentHashMap<>());
        Instant now = clock.instant();
        Held current = held.get(key);
        if (current == null || current.due(now)) {
            String account = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isEmpty()
                    ? "default" : pod.getSpec().getServiceAccountName();
            try {
                current = new Held(tokens.request(ns(pod), account, audience, expirationSeconds), now);
            } catch (VolumeError e) {
                // A token still valid serves until the API answers again.
                if (current != null && now.isBefore(current.token().expires())) return current.token().value();
                throw e;
            }
            held.put(key, current);
        }
        return current.token().value();
    }

    /** Writes the files (creating parents), rewriting only what changed and removing files no longer wanted. */
    private static void writeFiles(Path dir, Map<String, FileContent> files) throws IOException {
        Files.createDirectories(dir);
        Set<Path> wanted = new HashSet<>();
        for (var e : files.entrySet()) {
            Path file = dir.resolve(e.getKey()).normalize();
            if (!file.startsWith(dir)) throw new VolumeError("path " + e.getKey() + " leaves the volume");
            wanted.add(file);
            Files.createDirectories(file.getParent());
            if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), e.getValue().data())) {
                Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
                Files.write(tmp, e.getValue().data());
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            Files.setPosixFilePermissions(file, perms(e.getValue().mode()));
        }
        try (Stream<Path> existing = Files.walk(dir)) {
            for (Path p : existing.filter(Files::isRegularFile).toList()) {
                if (!wanted.contains(p)) Files.deleteIfExists(p);
            }
        }
    }

    /** Where a claimed volume's data lives on this node: its hostPath (type-checked), or its local path, which must exist. */
    private static Path claimed(io.fabric8.kubernetes.api.model.PersistentVolume volume) throws IOException {
        var spec = volume.getSpec();
        if (spec.getHostPath() != null) return hostPath(spec.getHostPath());
        if (spec.getLocal() != null) {
            Path path = Path.of(spec.getLocal().getPath());
            if (!Files.exists(path)) throw new VolumeError("local volume " + volume.getMetadata().getName() + ": " + path + " does not exist");
            return path;
        }
        throw new VolumeError("persistentvolume \"" + volume.getMetadata().getName() + "\" is of a kind this node cannot mount (only hostPath and local)");
    }

    private static Path hostPath(HostPathVolumeSource src) throws IOException {
        Path path = Path.of(src.getPath());
        String type = src.getType() == null ? "" : src.getType();
        switch (type) {
            case "DirectoryOrCreate" -> {
                if (!Files.exists(path)) {
                    Files.createDirectories(path);
                    Files.setPosixFilePermissions(path, perms(0755));
                } else if (!Files.isDirectory(path)) {
                    throw new VolumeError("hostPath type check failed: " + path + " is not a directory");
                }
            }
            case "Directory" -> {
                if (!Files.isDirectory(path)) throw new VolumeError("hostPath type check failed: " + path + " is not a directory");
            }
            case "FileOrCreate" -> {
                if (!Files.exists(path)) {
                    if (path.getParent() != null) Files.createDirectories(path.getParent());
                    Files.createFile(path);
                    Files.setPosixFilePermissions(path, perms(0644));
                } else if (!Files.isRegularFile(path)) {
                    throw new VolumeError("hostPath type check failed: " + path + " is not a file");
                }
            }
            case "File" -> {
                if (!Files.isRegularFile(path)) throw new VolumeError("hostPath type check failed: " + path + " is not a file");
            }
            case "Socket" -> requireType(path, 0140000, "socket");
            case "CharDevice" -> requireType(path, 0020000, "character device");
            case "BlockDevice" -> requireType(path, 0060000, "block device");
            default -> {
                // "" (unset): no check, as in Kubernetes.
            }
        }
        return path;
    }

    private static void requireType(Path path, int typeBits, String what) throws IOException {
        if (!Files.exists(path)) throw new VolumeError("hostPath type check failed: " + path + " does not exist");
        int mode = (Integer) Files.getAttribute(path, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if ((mode & 0170000) != typeBits) throw new VolumeError("hostPath type check failed: " + path + " is not a " + what);
    }

    private static void mountTmpfs(Path dir, Quantity sizeLimit) {
        if (isMountPoint(dir)) return;
        String options = sizeLimit == null ? "mode=0777" : "mode=0777,size=" + Quantity.getAmountInBytes(sizeLimit).toBigInteger();
        run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
    }

    private static boolean isMountPoint(Path dir) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                    .anyMatch(l -> l.split(" ")[1].equals(dir.toString()));
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
        } catch (IOException e) {
            // No mount binary: the volume stays a plain directory.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int mode(Integer mode, int fallback) {
        return mode == null ? fallback : mode;
    }

    static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) set.add(order[i]);
        }
        return set;
    }
}
