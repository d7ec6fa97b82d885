package io.kube4j.proxy.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Answers one DNS query: from the current {@link DnsRecords} for names in the cluster domain
 * (authoritatively: unknown names are NXDOMAIN, known names without the asked type are NODATA,
 * both with the zone's SOA so that resolvers cache the negative answer briefly), else from the
 * {@link Upstream}. Thread-safe: the records are an immutable snapshot read once per query.
 */
public final class ClusterDnsResolver {

    /** Seconds clients may cache answers: short, since Services change. kube-dns uses 30 too. */
    static final long TTL = 30;
    private static final Logger log = LoggerFactory.getLogger(ClusterDnsResolver.class);

    private final Supplier<DnsRecords> records;
    private final Upstream upstream;

    public ClusterDnsResolver(Supplier<DnsRecords> records, Upstream upstream) {
        this.records = records;
        this.upstream = upstream;
    }

    public Message answer(Message query) {
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY || question == null) return error(query, Rcode.NOTIMP);
        DnsRecords current = records.get();
        if (!current.inClusterDomain(question.getName().toString())) return forward(query);
        Message reply = reply(query);
        reply.getHeader().setFlag(Flags.AA);
        try {
            answerInCluster(current, question.getName(), question.getType(), reply);
        } catch (TextParseException | UnknownHostException e) {
            return error(query, Rcode.SERVFAIL);
        }
        return reply;
    }

    private void answerInCluster(DnsRecords current, Name name, int type, Message reply)
            throws TextParseException, UnknownHostException {
        String n = name.toString();
        String cname = current.cname(n);
        if (cname != null) {
            reply.addRecord(new CNAMERecord(name, DClass.IN, TTL, Name.fromString(cname)), Section.ANSWER);
            return;
        }
        boolean answered = false;
        if (type == Type.A || type == Type.ANY) {
            for (String ip : current.a(n)) {
                reply.addRecord(new ARecord(name, DClass.IN, TTL, InetAddress.getByName(ip)), Section.ANSWER);
                answered = true;
            }
        }
        if (type == Type.SRV || type == Type.ANY) {
            List<DnsRecords.Srv> targets = current.srv(n);
            int weight = targets.isEmpty() ? 0 : Math.max(1, 100 / targets.size());
            for (DnsRecords.Srv srv : targets) {
                Name target = Name.fromString(srv.target());
                reply.addRecord(new SRVRecord(name, DClass.IN, TTL, 0, weight, srv.port(), target), Section.ANSWER);
                for (String ip : current.a(srv.target())) {
                    reply.addRecord(new ARecord(target, DClass.IN, TTL, InetAddress.getByName(ip)), Section.ADDITIONAL);
                }
                answered = true;
            }
        }
        if (answered) return;
        if (!current.exists(n) && current.a(n).isEmpty() && current.srv(n).isEmpty()) reply.getHeader().setRcode(Rcode.NXDOMAIN);
        Name zone = Name.fromString(current.domain());
        reply.addRecord(new SOARecord(zone, DClass.IN, TTL, Name.fromString("ns.dns." + current.domain()),
                Name.fromString("hostmaster." + current.domain()), 1, 7200, 1800, 86400, TTL), Section.AUTHORITY);
    }

    private Message forward(Message query) {
        try {
            Message response = upstream.forward(query);
            response.getHeader().setID(query.getHeader().getID());
            return response;
        } catch (IOException e) {
            log.debug("no upstream answered {}: {}", query.getQuestion().getName(), e.getMessage());
            return error(query, Rcode.SERVFAIL);
        }
    }

    private static Message reply(Message query) {
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) reply.getHeader().setFlag(Flags.RD);
        reply.getHeader().setFlag(Flags.RA);
        if (query.getQuestion() != null) reply.addRecord(query.getQuestion(), Section.QUESTION);
        return reply;
    }

    private static Message error(Message query, int rcode) {
        Message reply = reply(query);
        reply.getHeader().setRcode(rcode);
        return reply;
    }
}
