package io.kube4j.gateway.security;

import io.kube4j.gateway.security.CertificateIssuer.CertifiedKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's certificates on disk: a cluster CA (10 years) and a serving certificate signed by
 * it. {@link #ensure} creates what is missing and reuses what is there, so a restart keeps the CA
 * that kubeconfigs already trust. The serving certificate alone is re-issued when it no longer
 * fits: a name is missing (the host was renamed, an extra name was configured), it expires within
 * {@link #RENEW_BEFORE}, or it is not signed by the CA.
 *
 * <p>Not thread-safe across processes by itself; callers that may race (two gateways sharing a
 * directory) hold a file lock around it, as {@link GatewayTlsEnvironmentPostProcessor} does.
 */
public final class ClusterPki {

    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVING_VALIDITY = Duration.ofDays(365);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    static final String CA_NAME = "kube4j-ca";
    static final String SERVING_NAME = "kube4j-apiserver";

    private ClusterPki() {}

    /** What {@link #ensure} did with each file pair. */
    public enum Action { CREATED, REUSED, REISSUED }

    /**
     * @param servingReason why the serving certificate was (re-)issued; empty when reused
     */
    public record Result(Action authority, Action serving, Optional<String> servingReason,
                         X509Certificate caCertificate, X509Certificate servingCertificate) {}

    /**
     * Makes sure the directory holds a usable CA and a serving certificate for {@code names}.
     *
     * @throws IllegalStateException when the CA is half there, expired or its key does not match:
     *                               replacing it silently would break every client that trusts it
     * @throws UncheckedIOException  when the directory cannot be read or written
     */
    public static Result ensure(PkiFiles files, Collection<SubjectAltName> names, Instant now) {
        try {
            Files.createDirectories(files.dir());
            Action authorityAction;
            CertifiedKey authority;
            boolean hasCert = Files.exists(files.caCertificate());
            boolean hasKey = Files.exists(files.caKey());
            if (!hasCert && !hasKey) {
                authority = CertificateIssuer.newAuthority(CA_NAME, now, CA_VALIDITY);
                AtomicFiles.write(files.caKey(), Pem.encode(authority.privateKey()), true);
                AtomicFiles.write(files.caCertificate(), Pem.encode(authority.certificate()), false);
                authorityAction = Action.CREATED;
            } else if (hasCert != hasKey) {
                throw new IllegalStateException("found only one of " + files.caCertificate() + " and "
                        + files.caKey() + "; restore the other, or remove both to create a new CA");
            } else {
                authority = loadAuthority(files, now);
                authorityAction = Action.REUSED;
            }

            Optional<String> reissueReason = servingCertificateProblem(files, authority.certificate(), names, now);
            X509Certificate serving;
            Action servingAction;
            if (reissueReason.isEmpty()) {
                serving = Pem.readCertificate(files.servingCertificate());
                servingAction = Action.REUSED;
            } else {
                boolean existed = Files.exists(files.servingCertificate());
                CertifiedKey issued = CertificateIssuer.issueServing(authority, SERVING_NAME, names, now, SERVING_VALIDITY);
                AtomicFiles.write(files.servingKey(), Pem.encode(issued.privateKey()), true);
                AtomicFiles.write(files.servingCertificate(), Pem.encode(issued.certificate()), false);
                serving = issued.certificate();
                servingAction = existed ? Action.REISSUED : Action.CREATED;
            }
            return new Result(authorityAction, servingAction, reissueReason, authority.certificate(), serving);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the gateway PKI in " + files.dir(), e);
        }
    }

    private static CertifiedKey loadAuthority(PkiFiles files, Instant now) throws IOException {
        X509Certificate certificate = Pem.readCertificate(files.caCertificate());
        PrivateKey key = Pem.readPrivateKey(files.caKey());
        if (certificate.getNotAfter().toInstant().isBefore(now)) {
            throw new IllegalStateException("the cluster CA " + files.caCertificate() + " expired on "
                    + certificate.getNotAfter() + "; remove " + files.dir() + " to create a new one");
        }
        if (!keyMatches(certificate.getPublicKey(), key)) {
            throw new IllegalStateException(files.caKey() + " is not the key of " + files.caCertificate());
        }
        return new CertifiedKey(certificate, key);
    }

    /** Why the serving certificate on disk cannot be used as it is; empty when it can. */
    static Optional<String> servingCertificateProblem(PkiFiles files, X509Certificate ca,
                                                      Collection<SubjectAltName> names, Instant now) {
        if (!Files.exists(files.servingCertificate()) || !Files.exists(files.servingKey())) {
            return Optional.of("none yet");
        }
        X509Certificate certificate;
        PrivateKey key;
        try {
            certificate = Pem.readCertificate(files.servingCertificate());
            key = Pem.readPrivateKey(files.servingKey());
        } catch (IOException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
        try {
            certificate.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("not signed by the cluster CA");
        }
        if (!keyMatches(certificate.getPublicKey(), key)) {
            return Optional.of("key does not match");
        }
        if (certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return Optional.of("expires " + certificate.getNotAfter());
        }
        Set<SubjectAltName> missing = new LinkedHashSet<>(names);
        missing.removeAll(subjectAltNames(certificate));
        if (!missing.isEmpty()) {
            return Optional.of("lacks " + missing);
        }
        return Optional.empty();
    }

    /** The DNS and IP subject alternative names of a certificate, normalized. */
    public static Set<SubjectAltName> subjectAltNames(X509Certificate certificate) {
        Set<SubjectAltName> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries == null) return names;
            for (List<?> entry : entries) {
                int type = (Integer) entry.get(0);
                if (type == 2 || type == 7) { // dNSName, iPAddress (RFC 5280 GeneralName tags)
                    names.add(SubjectAltName.of((String) entry.get(1)));
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalStateException("unreadable subject alternative names", e);
        }
        return names;
    }

    /** Whether the private key belongs to the public key: sign a probe and verify it. */
    static boolean keyMatches(PublicKey publicKey, PrivateKey privateKey) {
        if (!publicKey.getAlgorithm().equals(privateKey.getAlgorithm())) return false;
        String algorithm = publicKey.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] probe = "kube4j key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
