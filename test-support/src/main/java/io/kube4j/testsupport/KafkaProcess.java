package io.kube4j.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Kafka 4.1 broker in KRaft mode (one node that is both broker and controller), run as a
 * separate JVM from the {@code kafka_2.13} jars on this JVM's class path, on free loopback ports
 * with its own log directory. It can be stopped (SIGTERM), killed (SIGKILL) and restarted on the
 * same ports and data, which the relay's crash tests need.
 *
 * <p>It runs Kafka exactly as the launcher script does, in two steps, where {@code CP} is a class
 * path holding {@code kafka_2.13} and its dependencies and {@code ID} a cluster id (16 random bytes,
 * URL-safe base64 without padding, 22 characters):
 * <pre>
 * java -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp CP kafka.tools.StorageTool format --cluster-id ID --config DIR/server.properties --ignore-formatted
 * java -Xmx512m -Xms512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djava.awt.headless=true -cp CP kafka.Kafka DIR/server.properties
 * </pre>
 * with this {@code server.properties} ({@code B} the client port, {@code C} the controller port):
 * <pre>
 * process.roles=broker,controller
 * node.id=1
 * controller.quorum.voters=1@127.0.0.1:C
 * listeners=PLAINTEXT://127.0.0.1:B,CONTROLLER://127.0.0.1:C
 * advertised.listeners=PLAINTEXT://127.0.0.1:B
 * controller.listener.names=CONTROLLER
 * inter.broker.listener.name=PLAINTEXT
 * listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
 * log.dirs=DIR/logs
 * num.partitions=1
 * default.replication.factor=1
 * offsets.topic.replication.factor=1
 * offsets.topic.num.partitions=1
 * transaction.state.log.replication.factor=1
 * transaction.state.log.min.isr=1
 * transaction.state.log.num.partitions=1
 * share.coordinator.state.topic.replication.factor=1
 * share.coordinator.state.topic.min.isr=1
 * group.initial.rebalance.delay.ms=0
 * auto.create.topics.enable=false
 * </pre>
 * Topics are not created automatically: whoever produces creates its topics (the relay does).
 * The broker's output goes to {@code DIR/kafka.log}; when the class path holds Logback, it is
 * configured by {@code DIR/logback.xml} (INFO, Kafka's chatty request loggers at WARN).
 *
 * <p>{@link #close()} deletes the temporary directory. Not thread-safe: one test thread drives an instance.
 */
public final class KafkaProcess extends ServerProcess {

    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;

    private KafkaProcess(Path dir, int brokerPort, int controllerPort, String clusterId) {
        super(dir.resolve("kafka.log"), dir, STOP_TIMEOUT);
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
    }

    /**
     * Formats a new temporary log directory (deleted on {@link #close()}) and starts the broker on free ports;
     * returns once it serves clients.
     */
    public static KafkaProcess start() {
        // A free port is only free when it is picked: another process on a busy machine may bind it
        // before the broker does. That start is retried on new ports; any other failure is not.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (RuntimeException e) {
                if (attempt == PORT_ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("Address already in use")) throw e;
            }
        }
    }

    private static final int PORT_ATTEMPTS = 3;

    private static KafkaProcess startOnce() {
        try {
            KafkaProcess kafka = new KafkaProcess(Files.createTempDirectory("kube4j-kafka"),
                    freePort(), freePort(), newClusterId());
            kafka.writeConfiguration();
            kafka.format();
            try {
                kafka.startProcess();
            } catch (RuntimeException e) {
                // A broker that did not come up in time must not outlive the failed start.
                kafka.close();
                throw e;
            }
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code 127.0.0.1:port}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path directory() {
        return dir;
    }

    private void writeConfiguration() throws IOException {
        String properties = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("logs"),
                "num.partitions=1",
                "default.replication.factor=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=false",
                "");
        Files.writeString(dir.resolve("server.properties"), properties);
        Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <logger name="kafka.request.logger" level="WARN"/>
                  <logger name="org.apache.kafka.clients" level="WARN"/>
                  <logger name="org.apache.kafka.common.utils.AppInfoParser" level="WARN"/>
                  <logger name="kafka.server.KafkaConfig" level="WARN"/>
                  <logger name="org.apache.kafka.common.config" level="WARN"/>
                  <root level="INFO"><appender-ref ref="out"/></root>
                </configuration>
                """);
    }

    private void format() {
        List<String> command = java("-Xmx256m");
        command.addAll(List.of("kafka.tools.StorageTool", "format",
                "--cluster-id", clusterId,
                "--config", dir.resolve("server.properties").toString(),
                "--ignore-formatted"));
        try {
            Process format = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()))
                    .start();
            if (!format.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting Kafka's storage took longer than " + FORMAT_TIMEOUT);
            }
            if (format.exitValue() != 0) {
                throw new IllegalStateException("formatting Kafka's storage failed with " + format.exitValue()
                        + ": " + tail(log()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run Kafka's storage tool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void startProcess() {
        List<String> command = java("-Xmx512m", "-Xms512m");
        command.addAll(List.of("kafka.Kafka", dir.resolve("server.properties").toString()));
        Process process;
        try {
            process = launch(command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Kafka", e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        awaitPort(brokerPort, START_TIMEOUT, process, log());
        awaitBrokerServes(process, deadline);
    }

    /** An open port is not yet a serving broker: wait until it answers a metadata request naming itself. */
    private void awaitBrokerServes(Process process, Instant deadline) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(config)) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited with " + process.exitValue() + ": " + tail(log()));
                }
                try {
                    var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(3000))
                            .nodes().get(4, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) return;
                } catch (ExecutionException | TimeoutException notYet) {
                    sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("Kafka does not serve after " + START_TIMEOUT + ": " + tail(log()));
    }

    private List<String> java(String... memory) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(memory));
        // A test broker lives minutes: the client compiler and the serial collector start it on about
        // half the CPU, which two busy cores feel more than the lost peak throughput.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.add("-Djava.awt.headless=true");
        command.add("-Dlogback.configurationFile=" + dir.resolve("logback.xml"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        return command;
    }

    private static String newClusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-")); // a leading dash would read as a command-line option
        return id;
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers() + " (" + dir + File.separator + "kafka.log)";
    }
}
