package io.kube4j.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoriesTest {

    @Test
    void deletesATreeAndIgnoresOneThatIsGone(@TempDir Path scratch) throws Exception {
        Path tree = scratch.resolve("cluster");
        Files.createDirectories(tree.resolve("etcd/member/wal"));
        Files.write(tree.resolve("etcd/member/wal/0.wal"), new byte[4096]);
        Files.writeString(tree.resolve("etcd.log"), "log");

        Directories.deleteRecursively(tree);
        assertThat(tree).doesNotExist();
        Directories.deleteRecursively(tree);
        Directories.deleteRecursively(null);
        assertThat(scratch).isEmptyDirectory();
    }

    /** Needs root, as the node agents' tests that leave mounts do: a tmpfs mounted inside the tree keeps its files. */
    @Test
    void doesNotDeleteThroughAFileSystemMountedInside(@TempDir Path scratch) throws Exception {
        Path tree = scratch.resolve("node");
        Path mount = tree.resolve("pods/p1/volumes/cache");
        Files.createDirectories(mount);
        Files.writeString(tree.resolve("state.json"), "{}");
        assertThat(run("mount", "-t", "tmpfs", "tmpfs", mount.toString())).as("mount tmpfs (needs root)").isZero();
        try {
            Files.writeString(mount.resolve("kept.txt"), "inside the mount");
            assertThat(Directories.mountPointsBelow(tree.toAbsolutePath())).containsExactly(mount.toAbsolutePath());

            Directories.deleteRecursively(tree);

            assertThat(mount.resolve("kept.txt")).hasContent("inside the mount");
            assertThat(tree.resolve("state.json")).doesNotExist();
        } finally {
            run("umount", mount.toString());
        }
        Directories.deleteRecursively(tree);
        assertThat(tree).doesNotExist();
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
