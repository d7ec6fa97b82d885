/** Fixtures that run real etcd and Kafka as child processes. */
package io.kube4j.testsupport;
