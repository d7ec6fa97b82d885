package io.kube4j.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Removal of the scratch directories that tests create under the system's temp directory. A
 * cluster's directory holds etcd's preallocated write-ahead log (64 MiB a file) and Kafka's
 * segments, so one left behind by every test run fills a disk within days.
 */
public final class Directories {

    private Directories() {
    }

    /**
     * Deletes {@code directory} and everything in it; does nothing when it does not exist. A file
     * system still mounted below it (a node agent's tmpfs volume, a bind mount a test left) is not
     * entered, and the directories above it stay: deleting through a bind mount would delete the
     * files it shows from elsewhere.
     */
    public static void deleteRecursively(Path directory) {
        if (directory == null || !Files.exists(directory)) return;
        Path root = directory.toAbsolutePath().normalize();
        List<Path> mounts = mountPointsBelow(root);
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (mounts.stream().anyMatch(mount -> p.startsWith(mount) || mount.startsWith(p))) continue;
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** The mount points strictly below {@code root}, from /proc/self/mountinfo (none where there is no such file). */
    static List<Path> mountPointsBelow(Path root) {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (!Files.isReadable(mountinfo)) return List.of();
        try (Stream<String> lines = Files.lines(mountinfo)) {
            return lines.map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    // The fifth field is the mount point, with space, tab, newline and backslash octal-escaped.
                    .map(fields -> Path.of(unescape(fields[4])))
                    .filter(mount -> mount.startsWith(root) && !mount.equals(root))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mountinfo, e);
        }
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
