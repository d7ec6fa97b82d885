package io.kube4j.proxy.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The DNS server: UDP and TCP on one address and port, each query answered on a virtual thread
 * by the {@link ClusterDnsResolver}. UDP replies longer than the client accepts (512 bytes, or
 * its EDNS size) are truncated with TC set, so that the client retries over TCP.
 */
public final class ClusterDnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterDnsServer.class);
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final ClusterDnsResolver resolver;
    /** UDP sockets by the address they are bound to; changed under this object's lock. */
    private final Map<InetAddress, DatagramSocket> udp = new ConcurrentHashMap<>();
    /** The thread receiving on each socket of {@link #udp}. */
    private final Map<DatagramSocket, Thread> receivers = new ConcurrentHashMap<>();
    private final ServerSocket tcp;
    private final InetAddress bind;
    private final Supplier<List<InetAddress>> localAddresses;
    private volatile boolean closed;

    /** Listens on {@code address}; on the wildcard address, on each of the machine's IPv4 addresses as they come and go. */
    public ClusterDnsServer(ClusterDnsResolver resolver, String address, int port) throws IOException {
        this(resolver, address, port, ClusterDnsServer::machineAddresses, Duration.ofSeconds(2));
    }

    /**
     * {@code localAddresses} lists the addresses a wildcard {@code address} stands for; it is asked again every
     * {@code rescan} (zero: only when {@link #refreshAddresses} is called), since an address may appear after the
     * server started (a bridge to other nodes made later).
     */
    public ClusterDnsServer(ClusterDnsResolver resolver, String address, int port,
                            Supplier<List<InetAddress>> localAddresses, Duration rescan) throws IOException {
        this.resolver = resolver;
        this.bind = InetAddress.getByName(address);
        this.localAddresses = localAddresses;
        this.tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(bind, port), 128);
        // Port 0 for tests: UDP takes the port TCP was given.
        refreshAddresses();
        if (udp.isEmpty()) listenUdp(bind);
        Thread.ofPlatform().name("dns-tcp").daemon().start(this::serveTcp);
        if (bind.isAnyLocalAddress() && rescan.isPositive()) {
            Thread.ofPlatform().name("dns-addresses").daemon().start(() -> rescanEvery(rescan));
        }
        log.info("cluster DNS listening on {}:{} (UDP and TCP)", address, tcp.getLocalPort());
    }

    public int port() {
        return tcp.getLocalPort();
    }

    /** The addresses UDP queries are answered on now. */
    public Set<InetAddress> udpAddresses() {
        return Set.copyOf(udp.keySet());
    }

    /**
     * A socket bound to the wildcard address answers from whatever address the route back to the client
     * prefers, not from the one the query went to. A pod's query to the kube-dns Service IP arrives
     * DNAT'ed to the node's address, and a reply from the pod bridge's address instead matches no
     * connection, is not translated back to the Service IP and is dropped by the client. So on the
     * wildcard address the server binds each of the machine's IPv4 addresses on its own (TCP replies
     * always leave from the connection's address), and follows them: a socket for each address that
     * appeared, none for one that went. Idempotent; called by the rescan thread and by tests.
     */
    public synchronized void refreshAddresses() {
        if (closed) return;
        Set<InetAddress> wanted = bind.isAnyLocalAddress() ? new LinkedHashSet<>(localAddresses.get()) : Set.of(bind);
        if (wanted.isEmpty()) return;  // cannot list them: keep what listens
        for (InetAddress gone : List.copyOf(udp.keySet())) {
            if (!wanted.contains(gone)) {
                DatagramSocket socket = udp.remove(gone);
                if (socket != null) release(socket);
                log.info("cluster DNS no longer listens on {}:{} (UDP): the address is gone", gone.getHostAddress(), tcp.getLocalPort());
            }
        }
        for (InetAddress local : wanted) {
            if (!udp.containsKey(local) && listenUdp(local) && bind.isAnyLocalAddress()) {
                log.info("cluster DNS listens on {}:{} (UDP)", local.getHostAddress(), tcp.getLocalPort());
            }
        }
    }

    private boolean listenUdp(InetAddress local) {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, tcp.getLocalPort()));
            udp.put(local, socket);
            receivers.put(socket, Thread.ofPlatform().name("dns-udp").daemon().start(() -> serveUdp(socket)));
            return true;
        } catch (SocketException e) {
            log.warn("cluster DNS cannot listen on {}:{} (UDP): {}", local.getHostAddress(), tcp.getLocalPort(), e.getMessage());
            return false;
        }
    }

    /**
     * Closes {@code socket} and waits for its receiver to return: while a thread is blocked receiving,
     * the JDK defers closing the descriptor to that thread, so the port would stay taken a moment
     * after {@code close()} returned.
     */
    private void release(DatagramSocket socket) {
        socket.close();
        Thread receiver = receivers.remove(socket);
        if (receiver == null || receiver == Thread.currentThread()) return;
        try {
            receiver.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void rescanEvery(Duration period) {
        while (!closed) {
            try {
                Thread.sleep(period);
                refreshAddresses();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("cluster DNS could not follow the machine's addresses: {}", e.getMessage());
            }
        }
    }

    /** The machine's IPv4 addresses on interfaces that are up; empty when they cannot be listed. */
    public static List<InetAddress> machineAddresses() {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) continue;
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address) out.add(a);
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list the machine's addresses: {}", e.getMessage());
            return List.of();
        }
        return out;
    }

    private void serveUdp(DatagramSocket socket) {
        byte[] buffer = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] data = Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
                InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
                Thread.ofVirtual().start(() -> answerUdp(socket, data, client));
            } catch (SocketException e) {
                // closed: the server stopped, or the socket's address went
                if (!closed && udp.containsValue(socket)) log.warn("DNS UDP socket failed", e);
                return;
            } catch (IOException e) {
                log.warn("DNS UDP receive failed", e);
            }
        }
    }

    private void answerUdp(DatagramSocket udp, byte[] data, InetSocketAddress client) {
        try {
            Message query = new Message(data);
            OPTRecord opt = query.getOPT();
            int max = opt == null ? 512 : Math.max(512, opt.getPayloadSize());
            byte[] reply = resolver.answer(query).toWire(max);
            udp.send(new DatagramPacket(reply, reply.length, client));
        } catch (IOException e) {
            log.debug("dropped a malformed DNS query from {}: {}", client, e.getMessage());
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket socket = tcp.accept();
                Thread.ofVirtual().start(() -> serveConnection(socket));
            } catch (IOException e) {
                if (!closed) log.warn("DNS TCP accept failed", e);
                if (closed) return;
            }
        }
    }

    private void serveConnection(Socket socket) {
        try (socket) {
            socket.setSoTimeout(TCP_IDLE_MILLIS);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (true) {
                int length = in.readUnsignedShort();
                byte[] data = in.readNBytes(length);
                if (data.length < length) return;
                byte[] reply = resolver.answer(new Message(data)).toWire();
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (EOFException e) {
            // the client closed the connection
        } catch (IOException e) {
            log.debug("DNS TCP connection ended: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            udp.values().forEach(this::release);
            udp.clear();
        }
        try {
            tcp.close();
        } catch (IOException e) {
            log.debug("closing the DNS TCP socket: {}", e.getMessage());
        }
    }
}
