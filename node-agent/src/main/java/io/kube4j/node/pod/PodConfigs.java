package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.kube4j.node.cri.api.Capability;
import io.kube4j.node.cri.api.ContainerConfig;
import io.kube4j.node.cri.api.ContainerMetadata;
import io.kube4j.node.cri.api.ImageSpec;
import io.kube4j.node.cri.api.Int64Value;
import io.kube4j.node.cri.api.KeyValue;
import io.kube4j.node.cri.api.LinuxContainerConfig;
import io.kube4j.node.cri.api.LinuxContainerResources;
import io.kube4j.node.cri.api.LinuxContainerSecurityContext;
import io.kube4j.node.cri.api.LinuxPodSandboxConfig;
import io.kube4j.node.cri.api.LinuxSandboxSecurityContext;
import io.kube4j.node.cri.api.Mount;
import io.kube4j.node.cri.api.NamespaceMode;
import io.kube4j.node.cri.api.NamespaceOption;
import io.kube4j.node.cri.api.PodSandboxConfig;
import io.kube4j.node.cri.api.PodSandboxMetadata;
import io.kube4j.node.cri.api.PortMapping;
import io.kube4j.node.cri.api.Protocol;
import io.kube4j.node.runtime.RuntimeSnapshot;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The CRI configurations of a pod's sandbox and containers, from its spec. Pure. */
public final class PodConfigs {

    private PodConfigs() {
    }

    public static PodSandboxConfig sandbox(Pod pod, int attempt, Path logDirectory) {
        return sandbox(pod, attempt, logDirectory, new PodDns.ClusterDns(List.of(), null));
    }

    /** The sandbox config, with the pod's resolv.conf from its DNS policy and the cluster's DNS. */
    public static PodSandboxConfig sandbox(Pod pod, int attempt, Path logDirectory, PodDns.ClusterDns clusterDns) {
        var meta = pod.getMetadata();
        var spec = pod.getSpec();
        String hostname = spec.getHostname() != null && !spec.getHostname().isEmpty() ? spec.getHostname() : meta.getName();
        if (hostname.length() > 63) hostname = hostname.substring(0, 63);
        PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(meta.getName()).setNamespace(meta.getNamespace())
                        .setUid(meta.getUid()).setAttempt(attempt))
                .setLogDirectory(logDirectory.toString());
        // A pod on the node's network has the node's UTS namespace and so its host name (the kubelet names none:
        // runc cannot set a host name without a UTS namespace of the pod's own).
        if (!Boolean.TRUE.equals(spec.getHostNetwork())) b.setHostname(hostname);
        if (meta.getLabels() != null) b.putAllLabels(meta.getLabels());
        if (meta.getAnnotations() != null) b.putAllAnnotations(meta.getAnnotations());
        b.putLabels(RuntimeSnapshot.LABEL_POD_NAME, meta.getName())
                .putLabels(RuntimeSnapshot.LABEL_POD_NAMESPACE, meta.getNamespace())
                .putLabels(RuntimeSnapshot.LABEL_POD_UID, meta.getUid());
        for (Container c : spec.getContainers()) {
            if (c.getPorts() == null) continue;
            for (ContainerPort p : c.getPorts()) {
                if (p.getHostPort() == null || p.getHostPort() == 0) continue;
                PortMapping.Builder m = PortMapping.newBuilder().setContainerPort(p.getContainerPort()).setHostPort(p.getHostPort())
                        .setProtocol(protocol(p.getProtocol()));
                if (p.getHostIP() != null) m.setHostIp(p.getHostIP());
                b.addPortMappings(m);
            }
        }
        LinuxSandboxSecurityContext.Builder sc = LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod));
        PodSecurityContext psc = spec.getSecurityContext();
        if (psc != null) {
            if (psc.getRunAsUser() != null) sc.setRunAsUser(Int64Value.newBuilder().setValue(psc.getRunAsUser()));
            if (psc.getRunAsGroup() != null) sc.setRunAsGroup(Int64Value.newBuilder().setValue(psc.getRunAsGroup()));
            if (psc.getSupplementalGroups() != null) sc.addAllSupplementalGroups(psc.getSupplementalGroups());
            if (psc.getSysctls() != null) psc.getSysctls().forEach(s -> b.getLinuxBuilder().putSysctls(s.getName(), s.getValue()));
        }
        b.setLinux(b.getLinuxBuilder().setSecurityContext(sc));
        PodDns.config(pod, clusterDns).ifPresent(b::setDnsConfig);
        return b.build();
    }

    private static NamespaceOption namespaces(Pod pod) {
        return namespaces(pod, null);
    }

    /** The pod's namespaces; a container with a {@code pidTarget} (a debug container's target's id) joins that one's processes. */
    private static NamespaceOption namespaces(Pod pod, String pidTarget) {
        var spec = pod.getSpec();
        NamespaceOption.Builder b = NamespaceOption.newBuilder()
                .setNetwork(Boolean.TRUE.equals(spec.getHostNetwork()) ? NamespaceMode.NODE : NamespaceMode.POD)
                .setPid(Boolean.TRUE.equals(spec.getHostPID()) ? NamespaceMode.NODE
                        : Boolean.TRUE.equals(spec.getShareProcessNamespace()) ? NamespaceMode.POD : NamespaceMode.CONTAINER)
                .setIpc(Boolean.TRUE.equals(spec.getHostIPC()) ? NamespaceMode.NODE : NamespaceMode.POD);
        if (pidTarget != null && b.getPid() == NamespaceMode.CONTAINER) b.setPid(NamespaceMode.TARGET).setTargetId(pidTarget);
        return b.build();
    }

    private static Protocol protocol(String protocol) {
        if ("UDP".equals(protocol)) return Protocol.UDP;
        if ("SCTP".equals(protocol)) return Protocol.SCTP;
        return Protocol.TCP;
    }

    /**
     * A container's CRI configuration. {@code command} and {@code args} pass through as the CRI
     * expects: a command replaces the image's entrypoint (and drops its cmd), args alone replace
     * only the cmd — Kubernetes' rule.
     */
    public static ContainerConfig container(Pod pod, Container c, int attempt, Map<String, String> env,
                                            Map<String, Path> volumes) {
        return container(pod, c, attempt, env, volumes, null);
    }

    /**
     * {@link #container(Pod, Container, int, Map, Map)} for a container that joins the process namespace of the
     * running container {@code pidTarget} (an ephemeral container's {@code targetContainerName}); null for none.
     */
    public static ContainerConfig container(Pod pod, Container c, int attempt, Map<String, String> env,
                                            Map<String, Path> volumes, String pidTarget) {
        ContainerConfig.Builder b = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.getName()).setAttempt(attempt))
                .setImage(ImageSpec.newBuilder().setImage(c.getImage()))
                .addAllCommand(EnvResolver.expandAll(c.getCommand(), env))
                .addAllArgs(EnvResolver.expandAll(c.getArgs(), env))
                .setLogPath(c.getName() + "/" + attempt + ".log")
                .setStdin(Boolean.TRUE.equals(c.getStdin()))
                .setStdinOnce(Boolean.TRUE.equals(c.getStdinOnce()))
                .setTty(Boolean.TRUE.equals(c.getTty()))
                .putLabels(RuntimeSnapshot.LABEL_POD_NAME, pod.getMetadata().getName())
                .putLabels(RuntimeSnapshot.LABEL_POD_NAMESPACE, pod.getMetadata().getNamespace())
                .putLabels(RuntimeSnapshot.LABEL_POD_UID, pod.getMetadata().getUid())
                .putLabels(RuntimeSnapshot.LABEL_CONTAINER_NAME, c.getName());
        if (c.getWorkingDir() != null) b.setWorkingDir(c.getWorkingDir());
        env.forEach((k, v) -> b.addEnvs(KeyValue.newBuilder().setKey(k).setValue(v)));
        if (c.getVolumeMounts() != null) {
            for (VolumeMount m : c.getVolumeMounts()) {
                Path host = volumes.get(m.getName());
                if (host == null) continue;
                if (m.getSubPath() != null && !m.getSubPath().isEmpty()) host = host.resolve(m.getSubPath());
                b.addMounts(Mount.newBuilder().setContainerPath(m.getMountPath()).setHostPath(host.toString())
                        .setReadonly(Boolean.TRUE.equals(m.getReadOnly())));
            }
        }
        LinuxContainerConfig.Builder linux = LinuxContainerConfig.newBuilder().setResources(resources(c));
        LinuxContainerSecurityContext.Builder sc = LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(namespaces(pod, pidTarget));
        PodSecurityContext psc = pod.getSpec().getSecurityContext();
        if (psc != null) {
            if (psc.getRunAsUser() != null) sc.setRunAsUser(Int64Value.newBuilder().setValue(psc.getRunAsUser()));
            if (psc.getRunAsGroup() != null) sc.setRunAsGroup(Int64Value.newBuilder().setValue(psc.getRunAsGroup()));
            if (psc.getSupplementalGroups() != null) sc.addAllSupplementalGroups(psc.getSupplementalGroups());
        }
        SecurityContext csc = c.getSecurityContext();
        if (csc != null) {
            if (csc.getRunAsUser() != null) sc.setRunAsUser(Int64Value.newBuilder().setValue(csc.getRunAsUser()));
            if (csc.getRunAsGroup() != null) sc.setRunAsGroup(Int64Value.newBuilder().setValue(csc.getRunAsGroup()));
            sc.setPrivileged(Boolean.TRUE.equals(csc.getPrivileged()));
            sc.setReadonlyRootfs(Boolean.TRUE.equals(csc.getReadOnlyRootFilesystem()));
            sc.setNoNewPrivs(Boolean.FALSE.equals(csc.getAllowPrivilegeEscalation()));
            if (csc.getCapabilities() != null) {
                Capability.Builder caps = Capability.newBuilder();
                if (csc.getCapabilities().getAdd() != null) csc.getCapabilities().getAdd().forEach(cap -> caps.addAddCapabilities(capName(cap)));
                if (csc.getCapabilities().getDrop() != null) csc.getCapabilities().getDrop().forEach(cap -> caps.addDropCapabilities(capName(cap)));
                sc.setCapabilities(caps);
            }
        }
        linux.setSecurityContext(sc);
        b.setLinux(linux);
        return b.build();
    }

    private static String capName(String cap) {
        return "ALL".equals(cap) || cap.startsWith("CAP_") ? cap : "CAP_" + cap;
    }

    /** CPU shares from the request, CFS quota from the limit, memory limit in bytes (the kubelet's conversions). */
    static LinuxContainerResources resources(Container c) {
        LinuxContainerResources.Builder r = LinuxContainerResources.newBuilder();
        var req = c.getResources() == null ? null : c.getResources().getRequests();
        var lim = c.getResources() == null ? null : c.getResources().getLimits();
        Quantity cpuLimit = lim == null ? null : lim.get("cpu");
        Quantity cpuRequest = req != null && req.get("cpu") != null ? req.get("cpu") : cpuLimit;
        long shares = 2;
        if (cpuRequest != null) shares = Math.max(2, milli(cpuRequest) * 1024 / 1000);
        r.setCpuShares(shares);
        if (cpuLimit != null) {
            r.setCpuPeriod(100_000);
            r.setCpuQuota(Math.max(1000, milli(cpuLimit) * 100_000 / 1000));
        }
        Quantity memLimit = lim == null ? null : lim.get("memory");
        if (memLimit != null) r.setMemoryLimitInBytes(Quantity.getAmountInBytes(memLimit).longValue());
        return r.build();
    }

    private static long milli(Quantity q) {
        return Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).longValue();
    }

    /** The containers of the pod: init containers first, then containers, then ephemeral containers as {@link Container}s. */
    public static List<Container> allContainers(Pod pod) {
        List<Container> all = new java.util.ArrayList<>();
        if (pod.getSpec().getInitContainers() != null) all.addAll(pod.getSpec().getInitContainers());
        all.addAll(pod.getSpec().getContainers());
        if (pod.getSpec().getEphemeralContainers() != null) {
            for (EphemeralContainer e : pod.getSpec().getEphemeralContainers()) all.add(asContainer(e));
        }
        return all;
    }

    /** An ephemeral container as the container it runs as: the fields the two share (it has no ports, probes or resources). */
    static Container asContainer(EphemeralContainer e) {
        return new ContainerBuilder().withName(e.getName()).withImage(e.getImage()).withImagePullPolicy(e.getImagePullPolicy())
                .withCommand(e.getCommand()).withArgs(e.getArgs()).withWorkingDir(e.getWorkingDir())
                .withEnv(e.getEnv()).withEnvFrom(e.getEnvFrom()).withVolumeMounts(e.getVolumeMounts())
                .withVolumeDevices(e.getVolumeDevices()).withSecurityContext(e.getSecurityContext())
                .withStdin(e.getStdin()).withStdinOnce(e.getStdinOnce()).withTty(e.getTty())
                .withTerminationMessagePath(e.getTerminationMessagePath())
                .withTerminationMessagePolicy(e.getTerminationMessagePolicy()).build();
    }

    /** The ephemeral container {@code name} of the pod, if there is one. */
    static java.util.Optional<EphemeralContainer> ephemeral(Pod pod, String name) {
        return pod.getSpec().getEphemeralContainers() == null ? java.util.Optional.empty()
                : pod.getSpec().getEphemeralContainers().stream().filter(e -> name.equals(e.getName())).findFirst();
    }
}
