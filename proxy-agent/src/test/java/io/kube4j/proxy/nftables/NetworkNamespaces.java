package io.kube4j.proxy.nftables;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Scratch network namespaces for tests that program the real kernel: a "node" namespace, "pod"
 * namespaces behind a veth each, HTTP echo servers in them, and commands run inside any of them.
 * Everything it made goes away in {@link #close}. Traffic stays inside these namespaces.
 */
public final class NetworkNamespaces implements AutoCloseable {

    /** Answers every connection with "NAME CLIENT-ADDRESS" as an HTTP/1.0 response. */
    private static final String ECHO_SERVER = """
            import socket, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen(128)
            while True:
                c, a = s.accept()
                try:
                    c.recv(4096)
                    body = (sys.argv[3] + " " + a[0] + "\\n").encode()
                    c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: " + str(len(body)).encode() + b"\\r\\n\\r\\n" + body)
                finally:
                    c.close()
            """;

    /** Answers every datagram with "NAME". */
    private static final String UDP_ECHO_SERVER = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((sys.argv[1], int(sys.argv[2])))
            while True:
                data, a = s.recvfrom(4096)
                s.sendto(sys.argv[3].encode(), a)
            """;

    private static final String UDP_CLIENT = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(2)
            s.sendto(b"?", (sys.argv[1], int(sys.argv[2])))
            print(s.recvfrom(4096)[0].decode())
            """;

    private final String prefix = "k4jt" + UUID.randomUUID().toString().substring(0, 6);
    private final List<String> namespaces = new ArrayList<>();
    private final List<Process> servers = new ArrayList<>();
    private int links;

    /** A new namespace named after this fixture; its loopback is up. */
    public String add(String suffix) throws IOException, InterruptedException {
        String name = prefix + suffix;
        run("ip", "netns", "add", name);
        namespaces.add(name);
        exec(name, "ip", "link", "set", "lo", "up");
        return name;
    }

    /**
     * A veth between {@code a} and {@code b} with {@code addressA}/24 and {@code addressB}/24 on
     * the ends, and in {@code b} a default route through {@code addressA}.
     */
    public void link(String a, String addressA, String b, String addressB) throws IOException, InterruptedException {
        String va = "k4ja" + links, vb = "k4jb" + links;
        links++;
        run("ip", "link", "add", va, "netns", a, "type", "veth", "peer", "name", vb, "netns", b);
        exec(a, "ip", "addr", "add", addressA + "/24", "dev", va);
        exec(a, "ip", "link", "set", va, "up");
        exec(b, "ip", "addr", "add", addressB + "/24", "dev", vb);
        exec(b, "ip", "link", "set", vb, "up");
        exec(b, "ip", "route", "replace", "default", "via", addressA);
    }

    /** Adds another address to the namespace's first veth end. */
    public void addAddress(String ns, String device, String cidr) throws IOException, InterruptedException {
        exec(ns, "ip", "addr", "add", cidr, "dev", device);
    }

    public void sysctl(String ns, String key, String value) throws IOException, InterruptedException {
        exec(ns, "sysctl", "-q", "-w", key + "=" + value);
    }

    /** Starts an echo server at {@code address:port} in {@code ns} that names itself {@code name}. */
    public void echoServer(String ns, String address, int port, String name) throws IOException, InterruptedException {
        Path script = Files.createTempFile("echo", ".py");
        Files.writeString(script, ECHO_SERVER);
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", script.toString(), address,
                Integer.toString(port), name).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        servers.add(p);
        for (int i = 0; i < 100; i++) {
            if (tryExec(ns, "sh", "-c", "ss -ltn | grep -q '" + address + ":" + port + " '").exitCode() == 0) return;
            Thread.sleep(50);
        }
        throw new IOException("the echo server at " + address + ":" + port + " in " + ns + " did not start");
    }

    /** Starts a UDP echo server at {@code address:port} in {@code ns} that answers {@code name}. */
    public void udpEchoServer(String ns, String address, int port, String name) throws IOException, InterruptedException {
        Path script = Files.createTempFile("udpecho", ".py");
        Files.writeString(script, UDP_ECHO_SERVER);
        servers.add(new ProcessBuilder("ip", "netns", "exec", ns, "/usr/bin/python3", script.toString(), address,
                Integer.toString(port), name).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        for (int i = 0; i < 100; i++) {
            if (tryExec(ns, "sh", "-c", "ss -lun | grep -q '" + address + ":" + port + " '").exitCode() == 0) return;
            Thread.sleep(50);
        }
        throw new IOException("the UDP echo server at " + address + ":" + port + " in " + ns + " did not start");
    }

    /** The answer to one datagram sent to {@code address:port} from inside {@code ns}, or null without one. */
    public String udp(String ns, String address, int port) throws IOException, InterruptedException {
        Path script = Files.createTempFile("udpclient", ".py");
        Files.writeString(script, UDP_CLIENT);
        Result r = tryExec(ns, "/usr/bin/python3", script.toString(), address, Integer.toString(port));
        Files.deleteIfExists(script);
        return r.exitCode() == 0 ? r.output().trim() : null;
    }

    /** The body of GET http://address:port/ from inside {@code ns}, or null when the connection failed. */
    public String get(String ns, String address, int port) throws IOException, InterruptedException {
        Result r = tryExec(ns, "curl", "-sS", "--max-time", "3", "http://" + address + ":" + port + "/");
        return r.exitCode() == 0 ? r.output().trim() : null;
    }

    /** curl's exit code for GET from inside {@code ns}: 0 answered, 7 refused, 28 timed out. */
    public int getExitCode(String ns, String address, int port) throws IOException, InterruptedException {
        return tryExec(ns, "curl", "-sS", "--max-time", "2", "http://" + address + ":" + port + "/").exitCode();
    }

    public void exec(String ns, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        run(c.toArray(String[]::new));
    }

    public Result tryExec(String ns, String... command) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(command));
        return execute(c);
    }

    public record Result(int exitCode, String output) {
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Result r = execute(List.of(command));
        if (r.exitCode() != 0) throw new IOException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.output());
    }

    private static Result execute(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), out);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (Process p : servers) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (String ns : namespaces.reversed()) {
            execute(List.of("ip", "netns", "del", ns));
        }
    }
}
