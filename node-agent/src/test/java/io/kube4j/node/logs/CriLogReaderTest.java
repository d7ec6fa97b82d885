package io.kube4j.node.logs;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CriLogReaderTest {

    static final String LOG = """
            2026-01-01T10:00:00.000000001Z stdout F one
            2026-01-01T10:00:01.000000000Z stderr F two
            2026-01-01T10:00:02.000000000Z stdout P thr
            2026-01-01T10:00:02.500000000Z stdout F ee
            2026-01-01T10:00:03.000000000Z stdout F four
            """;

    record Case(String name, CriLogReader.Options options, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("everything, partial lines joined", new CriLogReader.Options(false, null, null, false), "one\ntwo\nthree\nfour\n"),
                new Case("the last two lines", new CriLogReader.Options(false, 2, null, false), "three\nfour\n"),
                new Case("no lines", new CriLogReader.Options(false, 0, null, false), ""),
                new Case("more lines than there are", new CriLogReader.Options(false, 10, null, false), "one\ntwo\nthree\nfour\n"),
                new Case("since a time", new CriLogReader.Options(false, null, Instant.parse("2026-01-01T10:00:01Z"), false), "two\nthree\nfour\n"),
                new Case("with timestamps", new CriLogReader.Options(false, 1, null, true), "2026-01-01T10:00:03.000000000Z four\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesTheLogAsKubectlShowsIt(Case c, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CriLogReader.write(file, c.options(), out, () -> false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(c.expected());
    }

    @ParameterizedTest(name = "follow reads to the end once the container stopped")
    @MethodSource("cases")
    void followStopsWhenTheContainerStopped(Case c, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("0.log");
        Files.writeString(file, LOG);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CriLogReader.Options follow = new CriLogReader.Options(true, c.options().tailLines(), c.options().since(), c.options().timestamps());
        CriLogReader.write(file, follow, out, () -> false);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(c.expected());
    }
}
