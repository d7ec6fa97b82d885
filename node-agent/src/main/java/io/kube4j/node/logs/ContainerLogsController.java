package io.kube4j.node.logs;

import io.kube4j.node.NodeAgentConfiguration.NodeAgentStarter;
import io.kube4j.node.NodeAgent;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import java.nio.file.Files;
import java.time.Clock;

/**
 * The kubelet's log path: {@code GET /containerLogs/{namespace}/{pod}/{container}} with
 * {@code follow}, {@code tailLines}, {@code sinceSeconds}, {@code sinceTime}, {@code timestamps} and
 * {@code previous}, answered in plain text from the container's CRI log file. The gateway
 * relays {@code pods/{name}/log} here.
 */
@RestController
public class ContainerLogsController {

    private final NodeAgentStarter starter;
    private final Clock clock = Clock.systemUTC();

    public ContainerLogsController(NodeAgentStarter starter) {
        this.starter = starter;
    }

    @GetMapping(path = "/containerLogs/{namespace}/{pod}/{container}", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<StreamingResponseBody> logs(@PathVariable String namespace, @PathVariable String pod,
                                                      @PathVariable String container,
                                                      @RequestParam(defaultValue = "false") boolean follow,
                                                      @RequestParam(required = false) Integer tailLines,
                                                      @RequestParam(required = false) Long sinceSeconds,
                                                      @RequestParam(required = false) String sinceTime,
                                                      @RequestParam(defaultValue = "false") boolean timestamps,
                                                      @RequestParam(defaultValue = "false") boolean previous) {
        NodeAgent agent = starter.agent();
        if (agent == null) return text(HttpStatus.SERVICE_UNAVAILABLE, "the node agent is starting");
        NodeAgent.LogLocation location = agent.logLocation(namespace, pod, container, previous);
        if (location.error() != null) return text(HttpStatus.BAD_REQUEST, location.error());
        if (!Files.exists(location.file())) return text(HttpStatus.OK, "");
        java.time.Instant since = null;
        if (sinceSeconds != null) since = clock.instant().minusSeconds(sinceSeconds);
        if (sinceTime != null) since = java.time.Instant.parse(sinceTime);
        CriLogReader.Options options = new CriLogReader.Options(follow && !previous, tailLines, since, timestamps);
        StreamingResponseBody body = out -> CriLogReader.write(location.file(), options, out,
                () -> agent.containerRunning(location.containerId()));
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(body);
    }

    private static ResponseEntity<StreamingResponseBody> text(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.TEXT_PLAIN)
                .body(out -> out.write(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
