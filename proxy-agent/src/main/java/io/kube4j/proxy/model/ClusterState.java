package io.kube4j.proxy.model;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.List;

/**
 * What the rules are computed from: a snapshot of the informers' caches and this node's identity.
 * The objects are read, never changed.
 *
 * @param services          every Service
 * @param endpointSlices    every EndpointSlice
 * @param endpoints         v1 Endpoints, read only for selector-less Services that have no slice
 * @param nodeName          this node's name, for externalTrafficPolicy Local
 * @param nodePortAddresses the addresses NodePorts listen on
 */
public record ClusterState(
        List<Service> services,
        List<EndpointSlice> endpointSlices,
        List<Endpoints> endpoints,
        String nodeName,
        List<String> nodePortAddresses) {

    public ClusterState {
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        endpoints = List.copyOf(endpoints);
        nodePortAddresses = List.copyOf(nodePortAddresses);
    }
}
