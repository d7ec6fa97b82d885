/** Fixtures that run real etcd, Kafka and Redis as child processes, and the real kubectl. */
package io.kube4j.testsupport;
