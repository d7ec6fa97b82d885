/**
 * The change feed: a leader-elected service that relays every committed change under
 * {@code /registry/} from etcd to Kafka, in revision order.
 *
 * <ul>
 * <li>Topic: {@code registry.{group}.{resource}} ({@link io.kube4j.machinery.registry.ResourceType#topicFor});
 *     record key {@code namespace/name} or {@code name}; value the watch event
 *     {@code {"type":"ADDED"|"MODIFIED"|"DELETED","object":{…}}} with the object's
 *     {@code metadata.resourceVersion} set to the change's revision; header {@code kube4j-revision}
 *     the same revision in decimal.</li>
 * <li>At least once: the checkpoint ({@code /kube4j/relay/checkpoint}) moves only over revisions
 *     Kafka has acknowledged, so a crash repeats events and never loses one. Consumers drop an
 *     event whose revision is not newer than the last they saw for its key.</li>
 * <li>Order per key: one leader at a time (an etcd lease), one producer per leadership session,
 *     an idempotent producer with one request in flight.</li>
 * <li>Compaction: if etcd compacted revisions the relay had not read, it logs an error, counts
 *     them in {@code kube4j.relay.compaction.gap} and goes on from the oldest revision etcd has;
 *     it publishes no marker, so consumers learn of the gap only from that metric.</li>
 * </ul>
 * Entry point: {@link io.kube4j.store.relay.RelayApplication}; settings:
 * {@link io.kube4j.store.relay.RelayProperties}; the loop: {@link io.kube4j.store.relay.ChangeRelay}.
 */
package io.kube4j.store.relay;
