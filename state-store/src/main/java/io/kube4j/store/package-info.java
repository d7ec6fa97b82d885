/** Storage of objects in etcd: revisions, compare-and-swap, paginated lists and watch. */
package io.kube4j.store;
