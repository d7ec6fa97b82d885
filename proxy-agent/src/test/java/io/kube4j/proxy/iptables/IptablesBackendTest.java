package io.kube4j.proxy.iptables;

import io.kube4j.proxy.model.Backend;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.model.ServicePortRules;
import io.kube4j.proxy.sync.CommandRunner;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IptablesBackendTest {

    record Call(List<String> command, String stdin) {
    }

    static final class FakeCommands implements CommandRunner {
        final List<Call> calls = new ArrayList<>();

        @Override
        public Result run(List<String> command, String stdin) {
            calls.add(new Call(command, stdin));
            // "-C" (check) answers "no such rule" the first time, so the back end inserts the jumps.
            return new Result(command.contains("-C") ? 1 : 0, "");
        }

        List<String> restores() {
            return calls.stream().filter(c -> c.command.getFirst().equals("iptables-restore")).map(Call::stdin).toList();
        }
    }

    static ServicePortRules web(String... endpoints) {
        return new ServicePortRules(new ServicePortName("ns", "web", "http", Protocol.TCP), "10.96.0.10", 80, 30080,
                List.of(), List.of(endpoints).stream().map(e -> new Backend(e, 8080)).toList(), false, List.of(), 0);
    }

    @Test
    void oneRestorePerSyncWithStatisticBalancingAndTheJumpsAddedOnce() throws Exception {
        FakeCommands commands = new FakeCommands();
        IptablesBackend backend = new IptablesBackend(commands);
        backend.sync(new ProxyRules(List.of(web("10.244.0.1", "10.244.0.2", "10.244.0.3")), List.of("10.0.0.5")));
        String script = commands.restores().getFirst();
        assertThat(script).startsWith("*nat\n").contains("COMMIT\n*filter\n");
        assertThat(script.lines().filter(l -> l.contains("--probability"))).containsExactly(
                script.lines().filter(l -> l.contains("--probability 0.3333333333")).findFirst().orElseThrow(),
                script.lines().filter(l -> l.contains("--probability 0.5000000000")).findFirst().orElseThrow());
        assertThat(script).contains("-d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j K4J-SVC-",
                "-A KUBE4J-SERVICES -d 10.0.0.5/32 -j KUBE4J-NODEPORTS",
                "-p tcp -m tcp -j DNAT --to-destination 10.244.0.3:8080");
        assertThat(commands.calls.stream().filter(c -> c.command.contains("-I")).map(c -> String.join(" ", c.command)))
                .contains("iptables -t nat -I PREROUTING 1 -j KUBE4J-SERVICES", "iptables -t nat -I OUTPUT 1 -j KUBE4J-SERVICES",
                        "iptables -t nat -I POSTROUTING 1 -j KUBE4J-POSTROUTING");

        int calls = commands.calls.size();
        backend.sync(new ProxyRules(List.of(web("10.244.0.1", "10.244.0.2", "10.244.0.3")), List.of("10.0.0.5")));
        assertThat(commands.calls).as("unchanged rules: no restore").hasSize(calls);

        backend.sync(new ProxyRules(List.of(), List.of("10.0.0.5")));
        String cleanup = commands.restores().getLast();
        List<String> deleted = cleanup.lines().filter(l -> l.startsWith("-X ")).toList();
        assertThat(deleted).as("the service's chains are deleted").hasSize(5);
    }

    @Test
    void aServiceWithoutEndpointsIsRejected() throws Exception {
        FakeCommands commands = new FakeCommands();
        new IptablesBackend(commands).sync(new ProxyRules(List.of(web()), List.of("10.0.0.5")));
        assertThat(commands.restores().getFirst()).contains(
                "-A KUBE4J-REJECTS -m comment --comment \"ns/web:http/tcp\" -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j REJECT",
                "-d 10.0.0.5/32 -p tcp -m tcp --dport 30080 -j REJECT");
    }
}
