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
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean closed;

    public ClusterDnsServer(ClusterDnsResolver resolver, String address, int port) throws IOException {
        this.resolver = resolver;
        InetAddress bind = InetAddress.getByName(address);
        this.tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(bind, port), 128);
        // Port 0 for tests: UDP takes the port TCP was given.
        this.udp = new DatagramSocket(new InetSocketAddress(bind, tcp.getLocalPort()));
        Thread.ofPlatform().name("dns-udp").daemon().start(this::serveUdp);
        Thread.ofPlatform().name("dns-tcp").daemon().start(this::serveTcp);
        log.info("cluster DNS listening on {}:{} (UDP and TCP)", address, tcp.getLocalPort());
    }

    public int port() {
        return tcp.getLocalPort();
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                byte[] data = java.util.Arrays.copyOfRange(packet.getData(), packet.getOffset(), packet.getOffset() + packet.getLength());
                InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
                Thread.ofVirtual().start(() -> answerUdp(data, client));
            } catch (SocketException e) {
                if (!closed) log.warn("DNS UDP socket failed", e);
                return;
            } catch (IOException e) {
                log.warn("DNS UDP receive failed", e);
            }
        }
    }

    private void answerUdp(byte[] data, InetSocketAddress client) {
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
        udp.close();
        try {
            tcp.close();
        } catch (IOException e) {
            log.debug("closing the DNS TCP socket: {}", e.getMessage());
        }
    }
}
