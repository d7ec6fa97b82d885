package io.kube4j.proxy.nftables;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@link ElementLoader} over an {@code NETLINK_NETFILTER} socket, through the FFM API: one batch
 * ({@code NFNL_MSG_BATCH_BEGIN}, {@code NFT_MSG_NEWSETELEM}s, {@code NFNL_MSG_BATCH_END}) sent in
 * one {@code send}, which the kernel processes (and commits) before the call returns; its answers
 * are then already queued on the socket. The socket is made inside the configured network
 * namespace by a short-lived thread that enters it ({@code setns} changes only the calling thread).
 * Needs CAP_NET_ADMIN, as {@code nft} does.
 */
public final class NetlinkElementLoader implements ElementLoader {

    private static final int AF_NETLINK = 16, SOCK_RAW = 3, SOCK_CLOEXEC = 0x80000, NETLINK_NETFILTER = 12;
    private static final int SOL_SOCKET = 1, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33;
    private static final int SOL_NETLINK = 270, NETLINK_CAP_ACK = 10;
    private static final int O_RDONLY = 0, O_CLOEXEC = 0x80000, CLONE_NEWNET = 0x40000000;
    private static final int MSG_DONTWAIT = 0x40, EAGAIN = 11, EINTR = 4, ENOENT = 2;

    private static final short NLM_F_REQUEST = 1, NLM_F_ACK = 4, NLM_F_CREATE = 0x400;
    private static final short NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private static final int NFNL_SUBSYS_NFTABLES = 10;
    private static final short NFNL_MSG_BATCH_BEGIN = 0x10, NFNL_MSG_BATCH_END = 0x11;
    private static final short NFT_MSG_NEWCHAIN = NFNL_SUBSYS_NFTABLES << 8 | 3;
    private static final short NFT_MSG_GETCHAIN = NFNL_SUBSYS_NFTABLES << 8 | 4;
    private static final short NFT_MSG_NEWSETELEM = NFNL_SUBSYS_NFTABLES << 8 | 12;
    private static final byte NFPROTO_IPV4 = 2;
    private static final short NLA_F_NESTED = (short) 0x8000;
    private static final short NFTA_CHAIN_TABLE = 1, NFTA_CHAIN_NAME = 3;
    private static final short NFTA_SET_ELEM_LIST_TABLE = 1, NFTA_SET_ELEM_LIST_SET = 2, NFTA_SET_ELEM_LIST_ELEMENTS = 3;
    private static final short NFTA_LIST_ELEM = 1, NFTA_SET_ELEM_KEY = 1, NFTA_SET_ELEM_DATA = 2, NFTA_DATA_VALUE = 1;
    private static final short NFTA_DATA_VERDICT = 2, NFTA_VERDICT_CODE = 1, NFTA_VERDICT_CHAIN = 2;
    private static final int NFT_GOTO = -4;

    /** Bytes of elements per message: a nested attribute's length is 16 bits, so a message's element list stays under 64 KiB. */
    private static final int LIST_LIMIT = 60_000;
    private static final int HEADER = 16 + 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = libc("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = libc("setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = libc("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = libc("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = libc("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle OPEN = libc("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETNS = libc("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    /** The network namespace's file, or null for this process's own. */
    private final String namespaceFile;
    private int sequence = (int) (System.nanoTime() & 0x3fffffff);

    /** {@code netns} as {@link ProcessNftRunner} takes it: a name under /run/netns, a path, or blank for this process's namespace. */
    public NetlinkElementLoader(String netns) {
        this.namespaceFile = netns == null || netns.isBlank() ? null : netns.contains("/") ? netns : "/run/netns/" + netns;
    }

    /** Whether a netfilter netlink socket can be made here (Linux, the native linker, the namespace). */
    public boolean available() {
        try {
            int fd = open();
            close(fd);
            return true;
        } catch (NftRunner.NftException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void add(String table, List<SetElements> sets) throws NftRunner.NftException {
        byte[] tableName = cString(table);
        List<Message> plan = plan(sets);
        if (plan.isEmpty()) return;
        int size = 2 * HEADER;
        for (Message m : plan) size += HEADER + attr(tableName.length) + attr(m.setName.length) + 4 + m.listBytes;
        int fd = open();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment batch = arena.allocate(size, 8);
            ByteBuffer b = batch.asByteBuffer().order(ByteOrder.nativeOrder());
            int first = sequence, remaining = plan.size();
            header(b, 20, NFNL_MSG_BATCH_BEGIN, NLM_F_REQUEST, (byte) 0, (short) NFNL_SUBSYS_NFTABLES);
            for (Message m : plan) {
                SetElements s = m.elements;
                int length = HEADER + attr(tableName.length) + attr(m.setName.length) + 4 + m.listBytes;
                // Only the last message asks for an acknowledgement: a refused one is answered in any
                // case, and hundreds of acknowledgements could overrun the socket's receive buffer.
                boolean last = --remaining == 0;
                header(b, length, NFT_MSG_NEWSETELEM, (short) (NLM_F_REQUEST | NLM_F_CREATE | (last ? NLM_F_ACK : 0)), NFPROTO_IPV4, (short) 0);
                putAttr(b, NFTA_SET_ELEM_LIST_TABLE, tableName);
                putAttr(b, NFTA_SET_ELEM_LIST_SET, m.setName);
                b.putShort((short) (4 + m.listBytes)).putShort((short) (NFTA_SET_ELEM_LIST_ELEMENTS | NLA_F_NESTED));
                for (int i = m.from; i < m.to; i++) {
                    byte[] chain = s.gotoChains() == null ? null : m.chainNames.get(s.gotoChains().get(i));
                    b.putShort((short) element(s, chain)).putShort((short) (NFTA_LIST_ELEM | NLA_F_NESTED));
                    putValue(b, NFTA_SET_ELEM_KEY, s.keys(), i * s.keyLength(), s.keyLength());
                    if (s.dataLength() > 0) putValue(b, NFTA_SET_ELEM_DATA, s.data(), i * s.dataLength(), s.dataLength());
                    if (chain != null) putGoto(b, chain);
                }
            }
            header(b, 20, NFNL_MSG_BATCH_END, NLM_F_REQUEST, (byte) 0, (short) NFNL_SUBSYS_NFTABLES);
            if (b.position() != size) throw new IllegalStateException("batch of " + b.position() + " bytes, " + size + " expected");
            setInt(arena, fd, SOL_SOCKET, SO_SNDBUFFORCE, size + 4096);
            send(fd, batch, size);
            // The kernel processed and committed the batch before send returned: its answers are
            // queued, an error for each refused message (then nothing was applied) or for a failed
            // commit, and the last message's acknowledgement.
            Answers answers = drain(arena, fd, first);
            if (answers.error != null) throw new NftRunner.NftException("adding elements to table ip " + table + " failed: " + answers.error);
            if (answers.acks == 0) {
                throw new NftRunner.NftException("adding elements to table ip " + table + ": no acknowledgement from the kernel");
            }
        } finally {
            close(fd);
        }
    }

    /** One {@code NFT_MSG_NEWSETELEM}: elements {@code from} (inclusive) to {@code to} of one set, {@code listBytes} of attributes. */
    private record Message(SetElements elements, byte[] setName, int from, int to, int listBytes, Map<String, byte[]> chainNames) {
    }

    /**
     * Splits the elements into messages whose element list stays within {@link #LIST_LIMIT} bytes
     * (a nested attribute's length is 16 bits); a verdict map's elements differ in size with their
     * chain's name.
     */
    private static List<Message> plan(List<SetElements> sets) {
        List<Message> out = new ArrayList<>();
        for (SetElements s : sets) {
            byte[] setName = cString(s.set());
            Map<String, byte[]> chainNames = new HashMap<>();
            if (s.gotoChains() != null) for (String c : s.gotoChains()) chainNames.computeIfAbsent(c, NetlinkElementLoader::cString);
            int from = 0, bytes = 0;
            for (int i = 0; i < s.count(); i++) {
                int e = element(s, s.gotoChains() == null ? null : chainNames.get(s.gotoChains().get(i)));
                if (bytes + e > LIST_LIMIT) {
                    out.add(new Message(s, setName, from, i, bytes, chainNames));
                    from = i;
                    bytes = 0;
                }
                bytes += e;
            }
            if (s.count() > from) out.add(new Message(s, setName, from, s.count(), bytes, chainNames));
        }
        return out;
    }

    @Override
    public boolean hasChain(String table, String chain) throws NftRunner.NftException {
        byte[] tableName = cString(table), chainName = cString(chain);
        int size = HEADER + attr(tableName.length) + attr(chainName.length);
        int fd = open();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(size, 8);
            ByteBuffer b = request.asByteBuffer().order(ByteOrder.nativeOrder());
            int first = sequence;
            header(b, size, NFT_MSG_GETCHAIN, (short) (NLM_F_REQUEST | NLM_F_ACK), NFPROTO_IPV4, (short) 0);
            putAttr(b, NFTA_CHAIN_TABLE, tableName);
            putAttr(b, NFTA_CHAIN_NAME, chainName);
            send(fd, request, size);
            Answers answers = drain(arena, fd, first);
            if (answers.chains > 0) return true;
            if (answers.errno == ENOENT) return false;
            if (answers.error != null) throw new NftRunner.NftException("looking up chain " + chain + " of table ip " + table + ": " + answers.error);
            return false;
        } finally {
            close(fd);
        }
    }

    /** One element's attribute: its key, and its value or verdict ({@code chain}: the target's name as a C string, or null). */
    private static int element(SetElements s, byte[] chain) {
        return 4 + 4 + attr(s.keyLength()) + (s.dataLength() > 0 ? 4 + attr(s.dataLength()) : 0)
                + (chain != null ? 4 + 4 + attr(4) + attr(chain.length) : 0);
    }

    private static int attr(int payload) {
        return 4 + (payload + 3 & ~3);
    }

    private void header(ByteBuffer b, int length, short type, short flags, byte family, short resId) {
        b.putInt(length).putShort(type).putShort(flags).putInt(sequence++).putInt(0);
        b.put(family).put((byte) 0).putShort(bigEndian(resId));
    }

    private static short bigEndian(short value) {
        return ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? value : Short.reverseBytes(value);
    }

    private static void putAttr(ByteBuffer b, short type, byte[] payload) {
        b.putShort((short) (4 + payload.length)).putShort(type).put(payload);
        pad(b, payload.length);
    }

    /** A nested attribute holding one NFTA_DATA_VALUE of {@code length} bytes of {@code source} from {@code offset}. */
    private static void putValue(ByteBuffer b, short type, byte[] source, int offset, int length) {
        b.putShort((short) (4 + attr(length))).putShort((short) (type | NLA_F_NESTED));
        b.putShort((short) (4 + length)).putShort(NFTA_DATA_VALUE).put(source, offset, length);
        pad(b, length);
    }

    /** A nested NFTA_SET_ELEM_DATA holding the verdict {@code goto CHAIN} ({@code chain} a C string). */
    private static void putGoto(ByteBuffer b, byte[] chain) {
        int verdict = attr(4) + attr(chain.length);
        b.putShort((short) (4 + 4 + verdict)).putShort((short) (NFTA_SET_ELEM_DATA | NLA_F_NESTED));
        b.putShort((short) (4 + verdict)).putShort((short) (NFTA_DATA_VERDICT | NLA_F_NESTED));
        // The verdict code is a 32-bit number in network byte order.
        b.putShort((short) 8).putShort(NFTA_VERDICT_CODE).putInt(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? NFT_GOTO : Integer.reverseBytes(NFT_GOTO));
        putAttr(b, NFTA_VERDICT_CHAIN, chain);
    }

    private static void pad(ByteBuffer b, int length) {
        for (int i = length; (i & 3) != 0; i++) b.put((byte) 0);
    }

    private static byte[] cString(String s) {
        byte[] text = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[text.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        return out;
    }

    /** What came back: acknowledgements, chains listed, and the first error (with its errno). */
    private static final class Answers {
        int acks, chains, errno;
        String error;
    }

    /** Reads every answer already queued for messages from sequence {@code first} on. */
    private Answers drain(Arena arena, int fd, int first) throws NftRunner.NftException {
        Answers answers = new Answers();
        MemorySegment buffer = arena.allocate(1 << 16, 8);
        while (true) {
            long n = recv(fd, buffer);
            if (n <= 0) return answers;
            ByteBuffer b = buffer.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
            while (b.remaining() >= 16) {
                int start = b.position();
                int length = b.getInt();
                short type = b.getShort();
                b.getShort();
                int seq = b.getInt();
                if (length < 16 || start + length > b.limit()) break;
                if (seq - first >= 0 && seq - sequence < 0) {
                    if (type == NLMSG_ERROR) {
                        int error = -b.getInt(start + 16);
                        if (error == 0) {
                            answers.acks++;
                        } else if (answers.error == null) {
                            answers.errno = error;
                            answers.error = "errno " + error + " (" + describe(error) + ")";
                        }
                    } else if (type == NFT_MSG_NEWCHAIN) {
                        answers.chains++;
                    } else if (type == NLMSG_DONE) {
                        answers.acks++;
                    }
                }
                b.position(start + (length + 3 & ~3));
            }
        }
    }

    private static String describe(int errno) {
        return switch (errno) {
            case 1 -> "operation not permitted";
            case 2 -> "no such file or directory";
            case 12 -> "out of memory";
            case 17 -> "exists";
            case 22 -> "invalid argument";
            case 23 -> "set is full";
            case 34 -> "result out of range";
            case 90 -> "message too long";
            case 105 -> "no buffer space";
            default -> "see errno.h";
        };
    }

    /** A netfilter netlink socket in the namespace, with a receive buffer for the answers. */
    private int open() throws NftRunner.NftException {
        AtomicReference<Object> result = new AtomicReference<>();
        Runnable make = () -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CAPTURE);
                if (namespaceFile != null) {
                    int ns = (int) OPEN.invokeExact(state, arena.allocateFrom(namespaceFile), O_RDONLY | O_CLOEXEC);
                    if (ns < 0) throw new NftRunner.NftException("cannot open " + namespaceFile + ": errno " + errno(state));
                    int rc = (int) SETNS.invokeExact(state, ns, CLONE_NEWNET);
                    int setnsErrno = errno(state);
                    int ignored = (int) CLOSE.invokeExact(state, ns);
                    if (rc != 0) throw new NftRunner.NftException("cannot enter " + namespaceFile + ": errno " + setnsErrno);
                }
                int fd = (int) SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
                if (fd < 0) throw new NftRunner.NftException("cannot open a netfilter netlink socket: errno " + errno(state));
                result.set(fd);
            } catch (Throwable t) {
                result.set(t);
            }
        };
        if (namespaceFile == null) {
            make.run();
        } else {
            // setns(2) moves only the calling thread: a thread of its own enters the namespace and ends there.
            Thread t = Thread.ofPlatform().name("netns-socket").start(make);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NftRunner.NftException("interrupted while opening a netlink socket");
            }
        }
        Object r = result.get();
        if (r instanceof NftRunner.NftException e) throw e;
        if (r instanceof Throwable t) throw new NftRunner.NftException("cannot open a netlink socket: " + t);
        int fd = (Integer) r;
        try (Arena arena = Arena.ofConfined()) {
            setInt(arena, fd, SOL_SOCKET, SO_RCVBUFFORCE, 1 << 20);
            setInt(arena, fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
        } catch (NftRunner.NftException e) {
            close(fd);
            throw e;
        }
        return fd;
    }

    private static void setInt(Arena arena, int fd, int level, int option, int value) throws NftRunner.NftException {
        MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        setsockopt(arena, fd, level, option, v);
    }

    private static void setsockopt(Arena arena, int fd, int level, int option, MemorySegment value) throws NftRunner.NftException {
        MemorySegment state = arena.allocate(CAPTURE);
        try {
            int rc = (int) SETSOCKOPT.invokeExact(state, fd, level, option, value, (int) value.byteSize());
            if (rc != 0) throw new NftRunner.NftException("setsockopt " + level + "/" + option + ": errno " + errno(state));
        } catch (NftRunner.NftException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void send(int fd, MemorySegment data, int length) throws NftRunner.NftException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            while (true) {
                long n = (long) SEND.invokeExact(state, fd, data, (long) length, 0);
                if (n == length) return;
                int e = errno(state);
                if (n < 0 && e == EINTR) continue;
                throw new NftRunner.NftException("netlink send of " + length + " bytes: " + (n < 0 ? "errno " + e + " (" + describe(e) + ")" : n + " sent"));
            }
        } catch (NftRunner.NftException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** One datagram without waiting; 0 when none is queued. */
    private static long recv(int fd, MemorySegment buffer) throws NftRunner.NftException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            while (true) {
                long n = (long) RECV.invokeExact(state, fd, buffer, buffer.byteSize(), MSG_DONTWAIT);
                if (n >= 0) return n;
                int e = errno(state);
                if (e == EINTR) continue;
                if (e == EAGAIN) return 0;
                throw new NftRunner.NftException("netlink receive: errno " + e + " (" + describe(e) + ")");
            }
        } catch (NftRunner.NftException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(CAPTURE), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)),
                descriptor, Linker.Option.captureCallState("errno"));
    }
}
