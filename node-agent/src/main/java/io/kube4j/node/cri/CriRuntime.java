package io.kube4j.node.cri;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.kube4j.node.cri.api.AttachRequest;
import io.kube4j.node.cri.api.ContainerConfig;
import io.kube4j.node.cri.api.ContainerStats;
import io.kube4j.node.cri.api.ExecRequest;
import io.kube4j.node.cri.api.ListContainerStatsRequest;
import io.kube4j.node.cri.api.PortForwardRequest;
import io.kube4j.node.cri.api.ContainerStatusRequest;
import io.kube4j.node.cri.api.CreateContainerRequest;
import io.kube4j.node.cri.api.ExecSyncRequest;
import io.kube4j.node.cri.api.ExecSyncResponse;
import io.kube4j.node.cri.api.Image;
import io.kube4j.node.cri.api.ImageServiceGrpc;
import io.kube4j.node.cri.api.ImageSpec;
import io.kube4j.node.cri.api.ImageStatusRequest;
import io.kube4j.node.cri.api.ImageStatusResponse;
import io.kube4j.node.cri.api.ListContainersRequest;
import io.kube4j.node.cri.api.ListPodSandboxRequest;
import io.kube4j.node.cri.api.PodSandbox;
import io.kube4j.node.cri.api.PodSandboxConfig;
import io.kube4j.node.cri.api.PodSandboxState;
import io.kube4j.node.cri.api.PodSandboxStatusRequest;
import io.kube4j.node.cri.api.PullImageRequest;
import io.kube4j.node.cri.api.RemoveContainerRequest;
import io.kube4j.node.cri.api.RemovePodSandboxRequest;
import io.kube4j.node.cri.api.RunPodSandboxRequest;
import io.kube4j.node.cri.api.RuntimeServiceGrpc;
import io.kube4j.node.cri.api.StartContainerRequest;
import io.kube4j.node.cri.api.StopContainerRequest;
import io.kube4j.node.cri.api.StopPodSandboxRequest;
import io.kube4j.node.cri.api.VersionRequest;
import io.kube4j.node.cri.api.VersionResponse;
import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.runtime.RuntimeSnapshot;
import io.kube4j.node.runtime.SnapshotCoalescer;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.node.runtime.RuntimeSnapshot.SandboxState;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The CRI's {@code runtime.v1} services over gRPC on containerd's unix socket (netty's epoll
 * transport). Thread-safe; one channel for every call.
 *
 * <p>A snapshot lists sandboxes and containers (two calls) and asks for the status of a sandbox
 * or container only the first time it is seen in a state: a ready sandbox's IPs and an exited
 * container's exit code never change, so they are cached by id and state. Concurrent snapshots
 * share listings (one at a time), so the cache is only written by one listing at once.
 */
public final class CriRuntime implements ContainerRuntime, AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    private final EventLoopGroup eventLoop;
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
    private final ImageServiceGrpc.ImageServiceBlockingStub images;
    private final Map<String, SandboxState> sandboxCache = new ConcurrentHashMap<>();
    private final Map<String, ContainerState> containerCache = new ConcurrentHashMap<>();
    private final SnapshotCoalescer snapshots = new SnapshotCoalescer(this::list);

    public CriRuntime(String socketPath) {
        this.eventLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        this.channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socketPath))
                .eventLoopGroup(eventLoop)
                .channelType(EpollDomainSocketChannel.class)
                .overrideAuthority("localhost")
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
        this.images = ImageServiceGrpc.newBlockingStub(channel);
    }

    private RuntimeServiceGrpc.RuntimeServiceBlockingStub rt() {
        return runtime.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private ImageServiceGrpc.ImageServiceBlockingStub img() {
        return images.withDeadlineAfter(30, TimeUnit.MINUTES);
    }

    @Override
    public String version() {
        VersionResponse v = call("Version", () -> rt().version(VersionRequest.newBuilder().setVersion("v1").build()));
        return v.getRuntimeName() + " " + v.getRuntimeVersion() + " (CRI " + v.getRuntimeApiVersion() + ")";
    }

    /** Concurrent callers share one listing; see {@link SnapshotCoalescer} for why that stays fresh. */
    @Override
    public RuntimeSnapshot snapshot() {
        return snapshots.get();
    }

    private RuntimeSnapshot list() {
        List<PodSandbox> sandboxes = call("ListPodSandbox",
                () -> rt().listPodSandbox(ListPodSandboxRequest.getDefaultInstance())).getItemsList();
        List<io.kube4j.node.cri.api.Container> containers = call("ListContainers",
                () -> rt().listContainers(ListContainersRequest.getDefaultInstance())).getContainersList();
        List<SandboxState> sandboxStates = new ArrayList<>();
        for (PodSandbox s : sandboxes) {
            boolean ready = s.getState() == PodSandboxState.SANDBOX_READY;
            SandboxState cached = sandboxCache.get(s.getId());
            if (cached == null || cached.ready() != ready) {
                cached = sandboxState(s, ready);
                sandboxCache.put(s.getId(), cached);
            }
            sandboxStates.add(cached);
        }
        List<ContainerState> containerStates = new ArrayList<>();
        for (var c : containers) {
            ContainerState.State state = state(c.getState());
            ContainerState cached = containerCache.get(c.getId());
            if (cached == null || cached.state() != state) {
                try {
                    cached = containerState(c.getId());
                } catch (RuntimeError gone) {
                    continue;
                }
                containerCache.put(c.getId(), cached);
            }
            containerStates.add(cached);
        }
        List<String> live = sandboxes.stream().map(PodSandbox::getId).toList();
        sandboxCache.keySet().retainAll(live);
        containerCache.keySet().retainAll(containers.stream().map(io.kube4j.node.cri.api.Container::getId).toList());
        return RuntimeSnapshot.of(sandboxStates, containerStates);
    }

    private SandboxState sandboxState(PodSandbox s, boolean ready) {
        List<String> ips = new ArrayList<>();
        if (ready) {
            try {
                var status = rt().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(s.getId()).build()).getStatus();
                if (!status.getNetwork().getIp().isEmpty()) ips.add(status.getNetwork().getIp());
                status.getNetwork().getAdditionalIpsList().forEach(ip -> ips.add(ip.getIp()));
            } catch (StatusRuntimeException e) {
                // Removed between the list and the status: it shows as not ready with no IP.
            }
        }
        Map<String, String> labels = s.getLabelsMap();
        return new SandboxState(s.getId(), labels.getOrDefault(RuntimeSnapshot.LABEL_POD_UID, s.getMetadata().getUid()),
                s.getMetadata().getName(), s.getMetadata().getNamespace(), s.getMetadata().getAttempt(),
                ready, ips, nanos(s.getCreatedAt()));
    }

    private ContainerState containerState(String id) {
        var st = call("ContainerStatus", () -> rt().containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build())).getStatus();
        Map<String, String> labels = st.getLabelsMap();
        String sandboxId = labels.getOrDefault(LABEL_SANDBOX_ID, "");
        return new ContainerState(st.getId(), sandboxId, labels.getOrDefault(RuntimeSnapshot.LABEL_POD_UID, ""),
                labels.getOrDefault(RuntimeSnapshot.LABEL_CONTAINER_NAME, st.getMetadata().getName()),
                st.getMetadata().getAttempt(), state(st.getState()), nanos(st.getCreatedAt()),
                st.getStartedAt() == 0 ? null : nanos(st.getStartedAt()),
                st.getFinishedAt() == 0 ? null : nanos(st.getFinishedAt()),
                st.getExitCode(), st.getReason(), st.getMessage(), st.getImage().getImage(), st.getImageRef(),
                st.getLogPath());
    }

    /**
     * The label on every container naming its sandbox: ContainerStatus does not carry the
     * sandbox id, and the agent needs it to tell a new sandbox's containers from an old one's.
     */
    public static final String LABEL_SANDBOX_ID = "io.kube4j.sandbox.id";

    private static ContainerState.State state(io.kube4j.node.cri.api.ContainerState state) {
        return switch (state) {
            case CONTAINER_CREATED -> ContainerState.State.CREATED;
            case CONTAINER_RUNNING -> ContainerState.State.RUNNING;
            case CONTAINER_EXITED -> ContainerState.State.EXITED;
            default -> ContainerState.State.UNKNOWN;
        };
    }

    private static Instant nanos(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    @Override
    public String runPodSandbox(PodSandboxConfig config) {
        return call("RunPodSandbox", () -> rt().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()))
                .getPodSandboxId();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        idempotent("StopPodSandbox", () -> rt().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
        sandboxCache.remove(sandboxId);
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        idempotent("RemovePodSandbox", () -> rt().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build()));
        sandboxCache.remove(sandboxId);
    }

    @Override
    public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
        ContainerConfig labelled = config.toBuilder().putLabels(LABEL_SANDBOX_ID, sandboxId).build();
        return call("CreateContainer", () -> rt().createContainer(CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId).setConfig(labelled).setSandboxConfig(sandboxConfig).build())).getContainerId();
    }

    @Override
    public void startContainer(String containerId) {
        call("StartContainer", () -> rt().startContainer(StartContainerRequest.newBuilder().setContainerId(containerId).build()));
        containerCache.remove(containerId);
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        idempotent("StopContainer", () -> runtime.withDeadlineAfter(grace.toMillis() + CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .stopContainer(StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(grace.toSeconds()).build()));
        containerCache.remove(containerId);
    }

    @Override
    public void removeContainer(String containerId) {
        idempotent("RemoveContainer", () -> rt().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(containerId).build()));
        containerCache.remove(containerId);
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        ExecSyncResponse r = call("ExecSync", () -> runtime.withDeadlineAfter(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .execSync(ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(command)
                        .setTimeout(Math.max(1, timeout.toSeconds())).build()));
        return new ExecResult(r.getExitCode(), r.getStdout().toByteArray(), r.getStderr().toByteArray());
    }

    @Override
    public URI exec(String containerId, List<String> command, StreamFlags flags) {
        return uri(call("Exec", () -> rt().exec(ExecRequest.newBuilder().setContainerId(containerId).addAllCmd(command)
                .setStdin(flags.stdin()).setStdout(flags.stdout()).setStderr(flags.stderr()).setTty(flags.tty())
                .build())).getUrl());
    }

    @Override
    public URI attach(String containerId, StreamFlags flags) {
        return uri(call("Attach", () -> rt().attach(AttachRequest.newBuilder().setContainerId(containerId)
                .setStdin(flags.stdin()).setStdout(flags.stdout()).setStderr(flags.stderr()).setTty(flags.tty())
                .build())).getUrl());
    }

    @Override
    public URI portForward(String sandboxId, List<Integer> ports) {
        return uri(call("PortForward", () -> rt().portForward(PortForwardRequest.newBuilder().setPodSandboxId(sandboxId)
                .addAllPort(ports).build())).getUrl());
    }

    private static URI uri(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new RuntimeError("the runtime answered a malformed streaming URL: " + url, e);
        }
    }

    @Override
    public List<ContainerUsage> containerStats() {
        List<ContainerStats> stats = call("ListContainerStats",
                () -> rt().listContainerStats(ListContainerStatsRequest.getDefaultInstance())).getStatsList();
        List<ContainerUsage> usage = new ArrayList<>(stats.size());
        for (ContainerStats s : stats) {
            var attributes = s.getAttributes();
            String podUid = attributes.getLabelsOrDefault(RuntimeSnapshot.LABEL_POD_UID, "");
            if (podUid.isEmpty()) continue;
            String name = attributes.getLabelsOrDefault(RuntimeSnapshot.LABEL_CONTAINER_NAME, attributes.getMetadata().getName());
            long timestamp = s.getCpu().getTimestamp() != 0 ? s.getCpu().getTimestamp() : s.getMemory().getTimestamp();
            usage.add(new ContainerUsage(attributes.getId(), podUid,
                    attributes.getLabelsOrDefault(RuntimeSnapshot.LABEL_POD_NAMESPACE, ""),
                    attributes.getLabelsOrDefault(RuntimeSnapshot.LABEL_POD_NAME, ""), name, nanos(timestamp),
                    s.getCpu().getUsageCoreNanoSeconds().getValue(), s.getMemory().getWorkingSetBytes().getValue()));
        }
        return usage;
    }

    @Override
    public String imageId(String image) {
        return imageStatus(image).map(Image::getId).orElse(null);
    }

    @Override
    public long imageSize(String image) {
        return imageStatus(image).map(Image::getSize).orElse(-1L);
    }

    /** The runtime's record of an image it has. */
    private java.util.Optional<Image> imageStatus(String image) {
        ImageStatusResponse r = call("ImageStatus", () -> img().imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build()));
        return r.hasImage() && !r.getImage().getId().isEmpty() ? java.util.Optional.of(r.getImage()) : java.util.Optional.empty();
    }

    @Override
    public String pullImage(String image) {
        return call("PullImage", () -> img().pullImage(PullImageRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage(image)).build())).getImageRef();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private interface Call<T> {
        T run();
    }

    private static <T> T call(String method, Call<T> call) {
        try {
            return call.run();
        } catch (StatusRuntimeException e) {
            String description = e.getStatus().getDescription();
            throw new RuntimeError(method + ": " + (description != null ? description : e.getStatus().getCode().toString()), e);
        }
    }

    private static void idempotent(String method, Call<?> call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) return;
            String description = e.getStatus().getDescription();
            throw new RuntimeError(method + ": " + (description != null ? description : e.getStatus().getCode().toString()), e);
        }
    }
}
