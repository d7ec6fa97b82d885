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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;

/**
 * The DNS server: UDP and TCP on one address and port, each query answered on a virtual thread
 * by the {@link ClusterDnsResolver}. UDP replies longer than the client accepts (512 bytes, or
 * its EDNS size) are truncated with TC set, so that the client retries over TCP.
 */
public final class ClusterDnsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterDnsServer.class);
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final ClusterDnsResolver resolver;
    private final java.util.List<DatagramSocket> udp = new java.util.ArrayList<>();
    private final ServerSocket tcp;
    private volatile boolean closed;

    public ClusterDnsServer(ClusterDnsResolver resolver, String address, int port) throws IOException {
        this.resolver = resolver;
        InetAddress bind = InetAddress.getByName(address);
        this.tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(bind, port), 128);
        // Port 0 for tests: UDP takes the port TCP was given.
        for (InetAddress local : udpAddresses(bind)) {
            try {
                udp.add(new DatagramSocket(new InetSocketAddress(local, tcp.getLocalPort())));
            } catch (SocketException e) {
                log.warn("cluster DNS cannot listen on {}:{} (UDP): {}", local.getHostAddress(), tcp.getLocalPort(), e.getMessage());
            }
        }
        if (udp.isEmpty()) udp.add(new DatagramSocket(new InetSocketAddress(bind, tcp.getLocalPort())));
        for (DatagramSocket socket : udp) Thread.ofPlatform().name("dns-udp").daemon().start(() -> serveUdp(socket));
        Thread.ofPlatform().name("dns-tcp").daemon().start(this::serveTcp);
        log.info("cluster DNS listening on {}:{} (UDP and TCP)", address, tcp.getLocalPort());
    }

    public int port() {
        return tcp.getLocalPort();
    }

    /**
     * A socket bound to the wildcard address answers from whatever address the route back to the client
     * prefers, not from the one the query went to. A pod's query to the kube-dns Service IP arrives
     * DNAT'ed to the node's address, and a reply from the pod bridge's address instead matches no
     * connection, is not translated back to the Service IP and is dropped by the client. So on the
     * wildcard address the server binds each of the machine's IPv4 addresses on its own (TCP replies
     * always leave from the connection's address).
     */
    private static java.util.List<InetAddress> udpAddresses(InetAddress bind) {
        if (!bind.isAnyLocalAddress()) return java.util.List.of(bind);
        java.util.List<InetAddress> out = new java.util.ArrayList<>();
        try {
            for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) continue;
                for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) out.add(a);
                }
            }
        } catch (SocketException e) {
            log.warn("cannot list the machine's addresses; cluster DNS listens on the wildcard address: {}", e.getMessage());
        }
        return out;
    }

    private void serveUdp(DatagramSocket udp) {
        byte[] buffer = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] data = java.util.Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
                InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
                Thread.ofVirtual().start(() -> answerUdp(udp, data, client));
            } catch (SocketException e) {
                if (!closed) log.warn("DNS UDP socket failed", e);
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
        udp.forEach(DatagramSocket::close);
        try {
            tcp.close();
        } catch (IOException e) {
            log.debug("closing the DNS TCP socket: {}", e.getMessage());
        }
    }
}
