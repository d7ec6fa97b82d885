package io.kube4j.gateway.security;

import io.kube4j.gateway.security.Authenticator.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * kube-apiserver's static token file ({@code --token-auth-file}): CSV records
 * {@code token,user,uid[,"group1,group2"]}, at least three columns; a record with an empty token
 * is skipped and a repeated token overrides the earlier record, both with a warning, as
 * kube-apiserver does. Blank lines are ignored.
 */
public final class StaticTokenFile {

    private static final Logger log = LoggerFactory.getLogger(StaticTokenFile.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The administrator's group: RBAC lets it do everything. */
    public static final String MASTERS_GROUP = "system:masters";
    public static final String ADMIN_USER = "admin";

    private StaticTokenFile() {}

    /**
     * Parses the file's content into token → user, in file order.
     *
     * @throws IllegalArgumentException naming the line of a malformed record
     */
    public static Map<String, UserInfo> parse(String content) {
        Map<String, UserInfo> users = new LinkedHashMap<>();
        String[] lines = content.split("\r?\n", -1);
        int record = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) continue;
            List<String> fields = fields(line, i + 1);
            if (fields.size() < 3) {
                throw new IllegalArgumentException("line " + (i + 1) + ": a token record has at least 3 columns "
                        + "(token, user name, user uid), found " + fields.size());
            }
            record++;
            String token = fields.get(0);
            if (token.isEmpty()) {
                log.warn("empty token in token file, record {}; skipped", record);
                continue;
            }
            List<String> groups = fields.size() >= 4
                    ? Arrays.stream(fields.get(3).split(",")).filter(g -> !g.isEmpty()).toList()
                    : List.of();
            if (users.put(token, new UserInfo(fields.get(1), fields.get(2), groups)) != null) {
                log.warn("duplicate token in token file, record {}; the later record wins", record);
            }
        }
        return users;
    }

    public static Map<String, UserInfo> read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** One record; the groups column is always quoted, as in kube-apiserver's documentation. */
    public static String format(String token, UserInfo user) {
        StringBuilder line = new StringBuilder()
                .append(quoteIfNeeded(token)).append(',')
                .append(quoteIfNeeded(user.name())).append(',')
                .append(quoteIfNeeded(user.uid()));
        if (!user.groups().isEmpty()) {
            line.append(",\"").append(String.join(",", user.groups()).replace("\"", "\"\"")).append('"');
        }
        return line.append('\n').toString();
    }

    /** 32 random bytes in hex: 256 bits, beyond guessing. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Creates the file with one administrator ({@value #ADMIN_USER} in {@value #MASTERS_GROUP}) and a
     * new random token, unless it exists; an existing file is left as it is.
     *
     * @return whether the file was created
     */
    public static boolean ensureAdmin(Path file) throws IOException {
        if (Files.exists(file)) return false;
        UserInfo admin = new UserInfo(ADMIN_USER, UUID.randomUUID().toString(), List.of(MASTERS_GROUP));
        AtomicFiles.write(file, format(newToken(), admin), true);
        return true;
    }

    private static String quoteIfNeeded(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }

    /** RFC 4180 fields of one line: quoted fields may hold commas and doubled quotes. */
    private static List<String> fields(String line, int lineNumber) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("line " + lineNumber + ": unterminated quoted field");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                if (i < line.length() && line.charAt(i) != ',') {
                    throw new IllegalArgumentException("line " + lineNumber + ": extraneous text after a quoted field");
                }
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        throw new IllegalArgumentException("line " + lineNumber + ": bare \" in an unquoted field");
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i >= line.length()) return fields;
            i++; // the comma
        }
    }
}
