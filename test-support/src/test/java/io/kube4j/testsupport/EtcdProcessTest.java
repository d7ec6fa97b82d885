package io.kube4j.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcdProcessTest {

    @Test
    void servesAgainAfterAKillAndDeletesTheDirectoryItCreatedOnClose() throws Exception {
        EtcdProcess etcd = EtcdProcess.start();
        Path root = etcd.dataDir().getParent();
        try {
            assertThat(accepts(etcd.clientPort())).isTrue();
            etcd.kill();
            assertThat(etcd.isRunning()).isFalse();
            etcd.restart();
            assertThat(etcd.isRunning()).isTrue();
            assertThat(accepts(etcd.clientPort())).isTrue();
        } finally {
            etcd.close();
        }
        assertThat(etcd.isRunning()).isFalse();
        assertThat(root).doesNotExist();
    }

    @Test
    void keepsADataDirectoryItWasGiven(@TempDir Path dir) {
        Path data = dir.resolve("etcd");
        try (EtcdProcess etcd = EtcdProcess.start(data)) {
            assertThat(etcd.isRunning()).isTrue();
        }
        assertThat(data).isDirectory();
        assertThat(Files.exists(dir.resolve("etcd.log"))).isTrue();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
