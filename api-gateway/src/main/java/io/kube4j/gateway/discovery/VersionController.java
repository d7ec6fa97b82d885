package io.kube4j.gateway.discovery;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code GET /version}: the server's version, in Kubernetes' {@code version.Info} shape. */
@RestController
@EnableConfigurationProperties(ServerVersion.class)
public class VersionController {

    private final ServerVersion version;

    public VersionController(ServerVersion version) {
        this.version = version;
    }

    @GetMapping(value = "/version", produces = "application/json")
    public Map<String, String> version() {
        Map<String, String> info = new LinkedHashMap<>();
        info.put("major", version.major());
        info.put("minor", version.minor());
        info.put("gitVersion", version.gitVersion());
        info.put("gitCommit", version.gitCommit());
        info.put("gitTreeState", version.gitTreeState());
        info.put("buildDate", version.buildDate());
        info.put("goVersion", "java" + Runtime.version().feature());
        info.put("compiler", "javac");
        info.put("platform", platform());
        return info;
    }

    /** {@code os/arch} in Go's spelling, which clients print and some compare. */
    static String platform() {
        String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
        String goOs = os.contains("win") ? "windows" : os.contains("mac") ? "darwin" : os.contains("linux") ? "linux" : os;
        String arch = System.getProperty("os.arch", "amd64");
        String goArch = switch (arch) {
            case "x86_64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return goOs + "/" + goArch;
    }
}
