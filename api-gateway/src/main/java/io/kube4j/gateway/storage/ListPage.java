package io.kube4j.gateway.storage;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items           the objects, each with its resourceVersion
 * @param resourceVersion the revision the list is consistent at
 * @param continueToken   the token for the next page, or null when this is the last
 * @param remaining       how many objects remain after this page, or null when unknown
 */
public record ListPage(List<ObjectNode> items, long resourceVersion, String continueToken, Long remaining) {}
