package io.kube4j.gateway.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM encoding of certificates ({@code CERTIFICATE}) and unencrypted PKCS#8 private keys
 * ({@code PRIVATE KEY}), the forms openssl, kubectl and Spring Boot's PEM SSL bundles all read.
 *
 */
final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private Pem() {}

    static String encode(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    static String encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    static String encode(PrivateKey key) {
        return encode("PRIVATE KEY", key.getEncoded());
    }

    /** The first certificate of a PEM file. */
    static X509Certificate readCertificate(Path file) throws IOException {
        byte[] der = firstBlock(file, "CERTIFICATE");
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IOException("invalid certificate in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * An unencrypted private key: PKCS#8 ({@code PRIVATE KEY}, EC or RSA), or PKCS#1
     * ({@code RSA PRIVATE KEY}), the form helm's {@code genCA} and openssl's traditional output
     * write a CA key in.
     */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        byte[] pkcs8 = block(text, "PRIVATE KEY");
        if (pkcs8 == null) {
            byte[] pkcs1 = block(text, "RSA PRIVATE KEY");
            if (pkcs1 == null) throw new IOException("no PEM block 'PRIVATE KEY' or 'RSA PRIVATE KEY' in " + file);
            pkcs8 = rsaPkcs1ToPkcs8(pkcs1);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException notThisAlgorithm) {
                // try the next one
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot read private key " + file, e);
            }
        }
        throw new IOException("no EC or RSA private key in " + file);
    }

    /** DER of AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
    private static final byte[] RSA_ALGORITHM = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 } (RFC 5208), in DER. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
        info.write(0x30);
        info.writeBytes(derLength(body.size()));
        info.writeBytes(body.toByteArray());
        return info.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) return new byte[] {(byte) length};
        if (length < 0x100) return new byte[] {(byte) 0x81, (byte) length};
        if (length < 0x10000) return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private static byte[] block(String text, String type) {
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(matcher.group(2));
            }
        }
        return null;
    }

    private static byte[] firstBlock(Path file, String type) throws IOException {
        Matcher matcher = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                return Base64.getMimeDecoder().decode(matcher.group(2));
            }
        }
        throw new IOException("no PEM block '" + type + "' in " + file);
    }
}
