package io.kube4j.proxy.e2e;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kube4j.proxy.ProxyAgentApplication;
import io.kube4j.proxy.nftables.NetworkNamespaces;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.TestClassesExcluded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy agent on the real stack (etcd, Kafka, relay, gateway), programming the real nftables
 * of a node namespace the test made, with "pods" (echo servers) in another namespace. Objects are
 * written through the API as the EndpointSlice controller and the node agent would write them.
 */
class ProxyAgentTest {

    static final String NODE_IP = "10.210.0.1";
    static final String POD_A = "10.210.0.2";
    static final String POD_B = "10.210.0.3";

    static LocalCluster cluster;
    static NetworkNamespaces netns;
    static String node;
    static String pods;
    static ConfigurableApplicationContext agent;
    static int dnsPort;
    static int ingressPort;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start();
        netns = new NetworkNamespaces();
        node = netns.add("node");
        pods = netns.add("pods");
        netns.link(node, NODE_IP, pods, POD_A);
        netns.addAddress(pods, "k4jb0", POD_B + "/24");
        netns.exec(node, "ip", "route", "replace", "default", "via", POD_A);
        netns.sysctl(node, "net.ipv4.conf.all.route_localnet", "1");
        netns.echoServer(pods, POD_A, 8080, "a");
        netns.echoServer(pods, POD_B, 8080, "b");
        try (ServerSocket s = new ServerSocket(0)) {
            dnsPort = s.getLocalPort();
        }
        try (ServerSocket s = new ServerSocket(0)) {
            ingressPort = s.getLocalPort();
        }
        agent = TestClassesExcluded.application(ProxyAgentApplication.class).run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--kube4j.proxy.kubeconfig=" + cluster.kubeconfig(),
                "--kube4j.proxy.node-name=node-1",
                "--kube4j.proxy.node-addresses=" + NODE_IP,
                "--kube4j.proxy.mode=nftables",
                "--kube4j.proxy.netns=" + node,
                "--kube4j.proxy.min-sync-interval=200ms",
                "--kube4j.proxy.ingress.address=127.0.0.1",
                "--kube4j.proxy.ingress.http-port=" + ingressPort,
                "--kube4j.proxy.dns.address=127.0.0.1",
                "--kube4j.proxy.dns.port=" + dnsPort,
                "--kube4j.proxy.dns.endpoint-address=" + NODE_IP,
                "--kube4j.proxy.dns.upstreams=127.0.0.1:" + dnsPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) agent.close();
        if (netns != null) netns.close();
        if (cluster != null) cluster.close();
    }

    static EndpointSlice slice(String name, String service, List<String[]> endpoints) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withNamespace("default").withName(name)
                .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
                .withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(8080).endPort();
        for (String[] e : endpoints) {
            boolean ready = e[1].equals("ready");
            b.addNewEndpoint().withAddresses(e[0]).withNodeName("node-1")
                    .withNewConditions().withReady(ready).withServing(true).withTerminating(!ready).endConditions().endEndpoint();
        }
        return b.build();
    }

    @Test
    void aNodePortServiceServesThroughARollingUpdateWithoutAFailedRequest() throws Exception {
        Service created = cluster.client().services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("nginx-service").endMetadata()
                .withNewSpec().withType("NodePort").withSelector(Map.of("app", "nginx"))
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).withNewTargetPort(8080).withNodePort(32600).endPort()
                .endSpec().build()).create();
        String clusterIP = created.getSpec().getClusterIP();
        cluster.client().discovery().v1().endpointSlices().inNamespace("default")
                .resource(slice("nginx-service-1", "nginx-service", List.<String[]>of(new String[]{POD_A, "ready"}))).create();

        await(() -> "a".equals(first(get(node, "127.0.0.1", 32600))));
        assertThat(first(get(node, clusterIP, 80))).isEqualTo("a");
        assertThat(first(get(node, NODE_IP, 32600))).isEqualTo("a");

        // A client calls the NodePort on 127.0.0.1 every 50 ms while the endpoints roll from a to b,
        // as the EndpointSlice controller writes them: b ready, a terminating but serving, a gone.
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        Thread client = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                try {
                    requests.incrementAndGet();
                    if (get(node, "127.0.0.1", 32600) == null) failures.incrementAndGet();
                    Thread.sleep(50);
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            }
        });
        var slices = cluster.client().discovery().v1().endpointSlices().inNamespace("default");
        slices.resource(slice("nginx-service-1", "nginx-service", List.of(new String[]{POD_A, "ready"}, new String[]{POD_B, "ready"}))).update();
        Thread.sleep(1500);
        slices.resource(slice("nginx-service-1", "nginx-service", List.of(new String[]{POD_A, "terminating"}, new String[]{POD_B, "ready"}))).update();
        await(() -> "b".equals(first(get(node, clusterIP, 80))) && "b".equals(first(get(node, clusterIP, 80)))
                && "b".equals(first(get(node, clusterIP, 80))));
        slices.resource(slice("nginx-service-1", "nginx-service", List.<String[]>of(new String[]{POD_B, "ready"}))).update();
        Thread.sleep(1500);
        done.set(true);
        client.join();
        assertThat(requests.get()).isGreaterThan(10);
        assertThat(failures.get()).as("failed requests of %d", requests.get()).isZero();
        for (int i = 0; i < 5; i++) assertThat(first(get(node, "127.0.0.1", 32600))).isEqualTo("b");

        // Deleted: the rules go.
        cluster.client().services().inNamespace("default").withName("nginx-service").delete();
        await(() -> get(node, "127.0.0.1", 32600) == null);
    }

    @Test
    void clusterDnsAnswersForServicesAndTheKubeDnsServiceIsRegistered() throws Exception {
        await(() -> cluster.client().services().inNamespace("kube-system").withName("kube-dns").get() != null);
        Service kubeDns = cluster.client().services().inNamespace("kube-system").withName("kube-dns").get();
        assertThat(kubeDns.getSpec().getClusterIP()).isEqualTo("10.96.0.10");
        await(() -> cluster.client().discovery().v1().endpointSlices().inNamespace("kube-system").withName("kube-dns-node-1").get() != null);
        EndpointSlice dnsSlice = cluster.client().discovery().v1().endpointSlices().inNamespace("kube-system").withName("kube-dns-node-1").get();
        assertThat(dnsSlice.getEndpoints().getFirst().getAddresses()).containsExactly(NODE_IP);
        assertThat(dnsSlice.getPorts()).allSatisfy(p -> assertThat(p.getPort()).isEqualTo(dnsPort));

        // The kube-dns virtual IP is programmed in the node's table (UDP and TCP).
        await(() -> {
            try {
                String maps = netns.tryExec(node, "nft", "list", "map", "ip", "kube4j", "service-ips").output();
                return maps.contains("10.96.0.10 . udp . 53") && maps.contains("10.96.0.10 . tcp . 53");
            } catch (Exception e) {
                return false;
            }
        });

        Service web = cluster.client().services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("web").endMetadata()
                .withNewSpec().addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().endSpec().build()).create();
        cluster.client().services().inNamespace("default").resource(new ServiceBuilder()
                .withNewMetadata().withName("search").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("www.example.org").endSpec().build()).create();
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dnsPort));
        resolver.setTimeout(Duration.ofSeconds(2));
        await(() -> answers(resolver, "web.default.svc.cluster.local.", Type.A).equals(List.of(web.getSpec().getClusterIP())));
        await(() -> answers(resolver, "search.default.svc.cluster.local.", Type.CNAME).equals(List.of("www.example.org.")));
        assertThat(answers(resolver, "_http._tcp.web.default.svc.cluster.local.", Type.SRV))
                .containsExactly("0 100 80 web.default.svc.cluster.local.");
        assertThat(answers(resolver, "kube-dns.kube-system.svc.cluster.local.", Type.A)).containsExactly("10.96.0.10");
    }

    @Test
    void aNetworkPolicyWrittenThroughTheApiDropsWhatItDoesNotAllow() throws Exception {
        String client = netns.add("client");
        netns.link(node, "10.212.0.1", client, "10.212.0.2");
        netns.sysctl(node, "net.ipv4.ip_forward", "1");
        var pods = cluster.client().pods().inNamespace("default");
        Pod pod = pods.resource(new PodBuilder().withNewMetadata().withName("web").withLabels(Map.of("app", "web")).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("web").withImage("nginx")
                .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build()).create();
        pod.setStatus(new PodStatusBuilder().withPhase("Running").withPodIP(POD_A).build());
        pods.resource(pod).updateStatus();
        assertThat(first(get(client, POD_A, 8080))).isEqualTo("a");

        var policies = cluster.client().network().v1().networkPolicies().inNamespace("default");
        NetworkPolicy policy = new NetworkPolicyBuilder().withNewMetadata().withName("web-ingress").endMetadata()
                .withNewSpec().withNewPodSelector().withMatchLabels(Map.of("app", "web")).endPodSelector()
                .addNewIngress().addNewFrom().withNewIpBlock().withCidr("10.210.0.0/24").endIpBlock().endFrom()
                .addNewPort().withNewPort("http").endPort().endIngress().endSpec().build();
        policies.resource(policy).create();
        await(() -> exitCode(client, POD_A, 8080) == 28);
        assertThat(first(get(node, POD_A, 8080))).as("the node's own traffic (probes) is not filtered").isEqualTo("a");

        policy.getSpec().getIngress().getFirst().getFrom().add(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr("10.212.0.0/24").endIpBlock().build());
        policies.resource(policy).update();
        await(() -> "a".equals(first(get(client, POD_A, 8080))));

        policies.withName("web-ingress").delete();
        pods.withName("web").delete();
        await(() -> {
            try {
                return !netns.tryExec(node, "nft", "list", "map", "ip", "kube4j-policy", "ingress-pods").output().contains(POD_A);
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void anIngressRoutesByHostToItsServiceAndShowsTheNodeAddresses() throws Exception {
        com.sun.net.httpserver.HttpServer backend = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] out = ("shop " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().getFirst("Host")).getBytes();
            exchange.sendResponseHeaders(200, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        backend.start();
        try {
            var client = cluster.client();
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build()).create();
            Node n = client.nodes().withName("node-1").get();
            n.setStatus(new NodeStatusBuilder().addNewAddress().withType("InternalIP").withAddress(NODE_IP).endAddress().build());
            client.nodes().resource(n).updateStatus();
            client.services().inNamespace("default").resource(new ServiceBuilder().withNewMetadata().withName("shop").endMetadata()
                    .withNewSpec().addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort().endSpec().build()).create();
            client.discovery().v1().endpointSlices().inNamespace("default").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("shop-1").withLabels(Map.of("kubernetes.io/service-name", "shop")).endMetadata()
                    .withAddressType("IPv4").addNewPort().withName("http").withProtocol("TCP").withPort(backend.getAddress().getPort()).endPort()
                    .addNewEndpoint().withAddresses("127.0.0.1").withNewConditions().withReady(true).endConditions().endEndpoint().build()).create();
            client.network().v1().ingresses().inNamespace("default").resource(new IngressBuilder().withNewMetadata().withName("shop").endMetadata()
                    .withNewSpec().addNewRule().withHost("shop.example.com").withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                    .withNewBackend().withNewService().withName("shop").withNewPort().withNumber(80).endPort().endService().endBackend()
                    .endPath().endHttp().endRule().endSpec().build()).create();

            await(() -> client.network().v1().ingressClasses().withName("kube4j").get() != null);
            await(() -> httpStatus("shop.example.com", "/cart") == 200);
            assertThat(httpBody("shop.example.com", "/cart?x=1")).isEqualTo("shop /cart?x=1 shop.example.com");
            assertThat(httpStatus("nobody.example.org", "/")).isEqualTo(404);
            await(() -> {
                var status = client.network().v1().ingresses().inNamespace("default").withName("shop").get().getStatus();
                return status != null && status.getLoadBalancer() != null && status.getLoadBalancer().getIngress() != null
                        && status.getLoadBalancer().getIngress().stream().map(i -> i.getIp()).toList().equals(List.of(NODE_IP));
            });
        } finally {
            backend.stop(0);
        }
    }

    static int httpStatus(String host, String path) {
        String reply = http(host, path);
        return reply == null ? -1 : Integer.parseInt(reply.split(" ")[1]);
    }

    static String httpBody(String host, String path) {
        String reply = http(host, path);
        return reply == null ? null : reply.substring(reply.indexOf("\r\n\r\n") + 4);
    }

    /** A raw HTTP/1.1 exchange with the ingress controller, so that the Host header is the test's. */
    static String http(String host, String path) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", ingressPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes());
            return new String(s.getInputStream().readAllBytes());
        } catch (Exception e) {
            return null;
        }
    }

    static int exitCode(String ns, String address, int port) {
        try {
            return netns.getExitCode(ns, address, port);
        } catch (Exception e) {
            return -1;
        }
    }

    static List<String> answers(SimpleResolver resolver, String name, int type) {
        try {
            Message reply = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, 1)));
            return reply.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
        } catch (Exception e) {
            return List.of();
        }
    }

    static String get(String ns, String address, int port) {
        try {
            return netns.get(ns, address, port);
        } catch (Exception e) {
            return null;
        }
    }

    static String first(String reply) {
        return reply == null ? null : reply.split(" ")[0];
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 60 s");
            Thread.sleep(100);
        }
    }
}
