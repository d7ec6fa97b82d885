package io.kube4j.packaging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seed's day-one walkthrough ({@link DayOneWalkthrough}) on the cluster a user gets from
 * {@code ./kube4j up} (every service, a real node with containerd, the proxy's nftables rules).
 */
@ExtendWith(LauncherCluster.Extension.class)
class LauncherWalkthroughTest {

    @Test
    void theDayOneWalkthroughPasses(LauncherCluster cluster) throws Exception {
        DayOneWalkthrough.passes(cluster.kubectl(), "127.0.0.1");
    }
}
