package io.kube4j.gateway.security;

import io.kube4j.gateway.security.Authenticator.UserInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticTokenFileTest {

    record Case(String description, String content, Map<String, UserInfo> expected) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Case> files() {
        return Stream.of(
                new Case("three columns", "t1,alice,u1\n",
                        Map.of("t1", new UserInfo("alice", "u1", List.of()))),
                new Case("quoted groups", "t1,alice,u1,\"system:masters,dev\"\n",
                        Map.of("t1", new UserInfo("alice", "u1", List.of("system:masters", "dev")))),
                new Case("one unquoted group", "t1,alice,u1,dev",
                        Map.of("t1", new UserInfo("alice", "u1", List.of("dev")))),
                new Case("empty groups column", "t1,alice,u1,\n",
                        Map.of("t1", new UserInfo("alice", "u1", List.of()))),
                new Case("blank lines and CRLF", "\r\nt1,alice,u1\r\n\n t2 ,bob,u2\n",
                        Map.of("t1", new UserInfo("alice", "u1", List.of()),
                                " t2 ", new UserInfo("bob", "u2", List.of()))),
                new Case("extra columns ignored", "t1,alice,u1,dev,whatever\n",
                        Map.of("t1", new UserInfo("alice", "u1", List.of("dev")))),
                new Case("doubled quotes in a quoted field", "t1,\"al\"\"ice\",u1\n",
                        Map.of("t1", new UserInfo("al\"ice", "u1", List.of()))),
                new Case("empty token skipped", ",alice,u1\nt2,bob,u2\n",
                        Map.of("t2", new UserInfo("bob", "u2", List.of()))),
                new Case("duplicate token: the later record wins", "t1,alice,u1\nt1,bob,u2\n",
                        Map.of("t1", new UserInfo("bob", "u2", List.of()))),
                new Case("empty file", "", Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void parsesKubeApiserverTokenFiles(Case c) {
        assertThat(StaticTokenFile.parse(c.content())).isEqualTo(c.expected());
    }

    @ParameterizedTest
    @ValueSource(strings = {"t1,alice\n", "t1\n", "t1,\"alice,u1\n", "t1,\"alice\"x,u1\n", "t1,al\"ice,u1\n"})
    void refusesMalformedRecordsNamingTheLine(String content) {
        assertThatThrownBy(() -> StaticTokenFile.parse("ok,bob,u0\n" + content))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 2:");
    }

    @Test
    void formatRoundTrips() {
        UserInfo user = new UserInfo("jane, the admin", "u-1", List.of("system:masters", "ops"));

        String line = StaticTokenFile.format("abc", user);

        assertThat(line).isEqualTo("abc,\"jane, the admin\",u-1,\"system:masters,ops\"\n");
        assertThat(StaticTokenFile.parse(line)).isEqualTo(Map.of("abc", user));
    }

    @Test
    void ensureAdminCreatesAnAdminWithARandomTokenOnceAndKeepsItAfterwards(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pki/tokens.csv");

        assertThat(StaticTokenFile.ensureAdmin(file)).isTrue();
        Map<String, UserInfo> tokens = StaticTokenFile.read(file);
        String content = Files.readString(file);

        assertThat(tokens).hasSize(1);
        Map.Entry<String, UserInfo> admin = tokens.entrySet().iterator().next();
        assertThat(admin.getKey()).matches("[0-9a-f]{64}");
        assertThat(admin.getValue().name()).isEqualTo("admin");
        assertThat(admin.getValue().groups()).containsExactly("system:masters");
        assertThat(content).endsWith(",\"system:masters\"\n").hasLineCount(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        assertThat(StaticTokenFile.ensureAdmin(file)).isFalse();
        assertThat(Files.readString(file)).isEqualTo(content);
    }

    @Test
    void tokensDiffer() {
        assertThat(StaticTokenFile.newToken()).isNotEqualTo(StaticTokenFile.newToken()).hasSize(64);
    }
}
