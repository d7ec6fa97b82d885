package io.kube4j.gateway.security;

import io.kube4j.gateway.security.ClusterPki.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPkiTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Set<SubjectAltName> NAMES =
            SubjectAltName.forGateway(Optional.of("node-1.example"), List.of("10.96.0.1"));

    @TempDir
    Path dir;

    /** A CA made elsewhere (helm's genCA, openssl's traditional format) has a PKCS#1 key: it is reused. */
    @Test
    void aCaWithAPkcs1KeyIsReusedAndSignsTheServingCertificate() throws Exception {
        PkiFiles files = new PkiFiles(dir);
        Process openssl = new ProcessBuilder("sh", "-c",
                "openssl genrsa -traditional -out ca.key 2048 && openssl req -x509 -new -key ca.key -subj /CN=kube4j-ca"
                        + " -days 3650 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign"
                        + " -out ca.crt")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(openssl.getInputStream().readAllBytes());
        assertThat(openssl.waitFor()).as(output).isZero();
        assertThat(Files.readString(files.caKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        ClusterPki.Result result = ClusterPki.ensure(files, NAMES, Instant.now());

        assertThat(result.authority()).isEqualTo(Action.REUSED);
        assertThat(result.serving()).isEqualTo(Action.CREATED);
        X509Certificate ca = Pem.readCertificate(files.caCertificate());
        Pem.readCertificate(files.servingCertificate()).verify(ca.getPublicKey());
        assertThat(ClusterPki.keyMatches(ca.getPublicKey(), Pem.readPrivateKey(files.caKey()))).isTrue();
    }

    @Test
    void firstStartCreatesCaAndServingCertificateThatChainToIt() throws Exception {
        PkiFiles files = new PkiFiles(dir);
        ClusterPki.Result result = ClusterPki.ensure(files, NAMES, NOW);

        assertThat(result.authority()).isEqualTo(Action.CREATED);
        assertThat(result.serving()).isEqualTo(Action.CREATED);
        X509Certificate ca = Pem.readCertificate(files.caCertificate());
        X509Certificate serving = Pem.readCertificate(files.servingCertificate());

        ca.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(Duration.between(NOW, ca.getNotAfter().toInstant())).isGreaterThanOrEqualTo(Duration.ofDays(3649));

        assertThat(serving.getBasicConstraints()).isEqualTo(-1);
        assertThat(serving.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1"); // serverAuth
        assertThat(ClusterPki.keyMatches(serving.getPublicKey(), Pem.readPrivateKey(files.servingKey()))).isTrue();
        assertThat(ClusterPki.keyMatches(ca.getPublicKey(), Pem.readPrivateKey(files.caKey()))).isTrue();
        assertThat(ClusterPki.subjectAltNames(serving)).containsAll(NAMES);
        assertThat(ClusterPki.subjectAltNames(serving)).contains(
                new SubjectAltName(SubjectAltName.Type.DNS, "kubernetes.default.svc.cluster.local"),
                new SubjectAltName(SubjectAltName.Type.DNS, "node-1.example"),
                SubjectAltName.of("::1"), SubjectAltName.of("127.0.0.1"), SubjectAltName.of("10.96.0.1"));

        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(java.util.Date.from(NOW));
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(serving)), parameters);
    }

    @Test
    void keysAreReadableByTheOwnerOnlyAndCertificatesByEveryone() throws IOException {
        PkiFiles files = new PkiFiles(dir);
        ClusterPki.ensure(files, NAMES, NOW);

        for (Path key : List.of(files.caKey(), files.servingKey())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        for (Path certificate : List.of(files.caCertificate(), files.servingCertificate())) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(certificate))).isEqualTo("rw-r--r--");
        }
    }

    /** A second start after something happened to the directory, and what it must do. */
    record Restart(String description, BiConsumer<PkiFiles, Path> between, Set<SubjectAltName> names,
                   Instant at, Action expectedServing) {
        @Override
        public String toString() {
            return description;
        }
    }

    static Stream<Restart> restarts() {
        return Stream.of(
                new Restart("nothing changed", (files, other) -> {}, NAMES, NOW.plus(Duration.ofDays(1)), Action.REUSED),
                new Restart("an extra name configured", (files, other) -> {},
                        SubjectAltName.forGateway(Optional.of("node-1.example"), List.of("10.96.0.1", "gw.example")),
                        NOW, Action.REISSUED),
                new Restart("the host renamed", (files, other) -> {},
                        SubjectAltName.forGateway(Optional.of("node-2.example"), List.of("10.96.0.1")),
                        NOW, Action.REISSUED),
                new Restart("serving certificate expires within 30 days", (files, other) -> {},
                        NAMES, NOW.plus(Duration.ofDays(340)), Action.REISSUED),
                new Restart("serving key deleted", (files, other) -> delete(files.servingKey()),
                        NAMES, NOW, Action.REISSUED),
                new Restart("serving certificate deleted", (files, other) -> delete(files.servingCertificate()),
                        NAMES, NOW, Action.CREATED),
                new Restart("serving certificate from another CA", (files, other) -> {
                    PkiFiles foreign = new PkiFiles(other);
                    ClusterPki.ensure(foreign, NAMES, NOW);
                    copy(foreign.servingCertificate(), files.servingCertificate());
                    copy(foreign.servingKey(), files.servingKey());
                }, NAMES, NOW, Action.REISSUED),
                new Restart("serving key of another certificate", (files, other) -> {
                    PkiFiles foreign = new PkiFiles(other);
                    ClusterPki.ensure(foreign, NAMES, NOW);
                    copy(foreign.servingKey(), files.servingKey());
                }, NAMES, NOW, Action.REISSUED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restarts")
    void laterStartsKeepTheCaAndReissueTheServingCertificateOnlyWhenItNoLongerFits(Restart restart, @TempDir Path other)
            throws Exception {
        PkiFiles files = new PkiFiles(dir);
        ClusterPki.Result first = ClusterPki.ensure(files, NAMES, NOW);
        restart.between().accept(files, other);

        ClusterPki.Result second = ClusterPki.ensure(files, restart.names(), restart.at());

        assertThat(second.authority()).isEqualTo(Action.REUSED);
        assertThat(second.caCertificate()).isEqualTo(first.caCertificate());
        assertThat(second.serving()).isEqualTo(restart.expectedServing());
        assertThat(second.servingReason().isPresent()).isEqualTo(restart.expectedServing() != Action.REUSED);
        X509Certificate serving = Pem.readCertificate(files.servingCertificate());
        if (restart.expectedServing() == Action.REUSED) {
            assertThat(serving).isEqualTo(first.servingCertificate());
        } else {
            assertThat(serving).isNotEqualTo(first.servingCertificate());
        }
        serving.verify(first.caCertificate().getPublicKey());
        assertThat(ClusterPki.subjectAltNames(serving)).containsAll(restart.names());
        assertThat(ClusterPki.servingCertificateProblem(files, first.caCertificate(), restart.names(), restart.at()))
                .isEmpty();
    }

    @Test
    void halfACaIsRefusedRatherThanReplaced() throws IOException {
        PkiFiles files = new PkiFiles(dir);
        ClusterPki.ensure(files, NAMES, NOW);
        Files.delete(files.caKey());

        assertThatThrownBy(() -> ClusterPki.ensure(files, NAMES, NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ca.key");
        assertThat(files.caCertificate()).exists();
    }

    @Test
    void aCaKeyThatDoesNotMatchIsRefused(@TempDir Path other) throws IOException {
        PkiFiles files = new PkiFiles(dir);
        ClusterPki.ensure(files, NAMES, NOW);
        PkiFiles foreign = new PkiFiles(other);
        ClusterPki.ensure(foreign, NAMES, NOW);
        copy(foreign.caKey(), files.caKey());

        assertThatThrownBy(() -> ClusterPki.ensure(files, NAMES, NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is not the key of");
    }

    @Test
    void anExpiredCaIsRefused() {
        PkiFiles files = new PkiFiles(dir);
        ClusterPki.ensure(files, NAMES, NOW);

        assertThatThrownBy(() -> ClusterPki.ensure(files, NAMES, NOW.plus(Duration.ofDays(3651))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expired");
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
