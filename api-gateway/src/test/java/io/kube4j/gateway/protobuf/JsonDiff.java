package io.kube4j.gateway.protobuf;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The JSON pointers at which two trees differ, so a failed comparison says where. */
final class JsonDiff {

    private JsonDiff() {}

    static List<String> between(JsonNode expected, JsonNode actual) {
        List<String> differences = new ArrayList<>();
        walk("", expected, actual, differences);
        return differences;
    }

    private static void walk(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected == null || actual == null) {
            out.add(path + ": expected " + expected + " but was " + actual);
        } else if (expected.isObject() && actual.isObject()) {
            TreeSet<String> names = new TreeSet<>(expected.propertyNames());
            names.addAll(actual.propertyNames());
            for (String name : names) walk(path + "/" + name, expected.get(name), actual.get(name), out);
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) walk(path + "/" + i, expected.get(i), actual.get(i), out);
        } else if (!expected.equals(actual)) {
            out.add(path + ": expected " + expected + " but was " + actual);
        }
    }
}
