package io.kube4j.gateway.security;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The review kinds: questions to the API server that it answers and never stores —
 * {@code kubectl auth can-i} (SelfSubjectAccessReview, SubjectAccessReview),
 * {@code kubectl auth whoami} (SelfSubjectReview), token checks by other services (TokenReview).
 * Answers come from the same {@link Authenticator}s and {@link Authorizer} the request pipeline uses.
 */
public final class Reviews {

    private final List<Authenticator> authenticators;
    private final Authorizer authorizer;

    public Reviews(List<Authenticator> authenticators, Authorizer authorizer) {
        this.authenticators = List.copyOf(authenticators);
        this.authorizer = authorizer;
    }

    public boolean handles(ResourceType type) {
        return BuiltInTypes.REVIEWS.contains(type);
    }

    /** The review with its {@code status} filled in, for the user who asked. */
    public ObjectNode answer(ResourceType type, ObjectNode review, HttpServletRequest request) {
        Authenticator.UserInfo user = (Authenticator.UserInfo) request.getAttribute(ApiAccessFilter.USER_ATTRIBUTE);
        ObjectNode answer = review.deepCopy();
        answer.put("apiVersion", type.apiVersion());
        answer.put("kind", type.kind());
        if (!answer.has("metadata")) answer.putObject("metadata");
        ObjectNode status = answer.putObject("status");
        switch (type.kind()) {
            case "SelfSubjectAccessReview" -> access(status, user, review.path("spec"));
            case "SubjectAccessReview" -> {
                JsonNode spec = review.path("spec");
                List<String> groups = spec.path("groups").valueStream().map(JsonNode::asString).toList();
                access(status, new Authenticator.UserInfo(spec.path("user").asString(""), spec.path("uid").asString(""), groups), spec);
            }
            case "SelfSubjectRulesReview" -> rules(status, user, review.path("spec").path("namespace").asString(""));
            case "SelfSubjectReview" -> status.set("userInfo", userInfo(user));
            case "TokenReview" -> {
                String token = review.path("spec").path("token").asString("");
                if (token.isEmpty()) {
                    throw ApiException.invalid(type.group(), type.kind(), "", List.of(StatusCause.required("spec.token")));
                }
                Optional<Authenticator.UserInfo> who = authenticate(token);
                status.put("authenticated", who.isPresent());
                who.ifPresent(u -> status.set("user", userInfo(u)));
                if (who.isEmpty()) status.put("error", "invalid bearer token");
            }
            default -> throw ApiException.methodNotSupported(type.group(), type.plural(), "create");
        }
        return answer;
    }

    private void access(ObjectNode status, Authenticator.UserInfo user, JsonNode spec) {
        JsonNode attributes = spec.path("resourceAttributes");
        String denial;
        if (attributes.isObject()) {
            String resource = attributes.path("resource").asString("");
            String sub = attributes.path("subresource").asString("");
            denial = authorizer.deny(user, attributes.path("verb").asString(""), attributes.path("group").asString(""),
                    sub.isEmpty() ? resource : resource + "/" + sub, emptyToNull(attributes.path("namespace").asString("")),
                    emptyToNull(attributes.path("name").asString("")), null);
        } else {
            JsonNode nonResource = spec.path("nonResourceAttributes");
            denial = authorizer.deny(user, nonResource.path("verb").asString(""), null, null, null, null,
                    nonResource.path("path").asString(""));
        }
        // As kube-apiserver's RBAC authorizer: a denial is "no opinion", with no reason to print.
        status.put("allowed", denial == null);
    }

    /** What the user may do in a namespace: the rules of their bindings (every rule for allow-all authorization). */
    private void rules(ObjectNode status, Authenticator.UserInfo user, String namespace) {
        ArrayNode resourceRules = status.putArray("resourceRules");
        ArrayNode nonResourceRules = status.putArray("nonResourceRules");
        if (authorizer instanceof io.kube4j.gateway.rbac.RbacAuthorizer rbac
                && !user.groups().contains(io.kube4j.gateway.rbac.RbacPolicy.MASTERS_GROUP)) {
            for (var rule : rbac.policy().rules(user, namespace.isEmpty() ? null : namespace)) {
                if (!rule.resources().isEmpty() || rule.nonResourceURLs().isEmpty()) {
                    ObjectNode r = resourceRules.addObject();
                    rule.verbs().forEach(r.putArray("verbs")::add);
                    rule.apiGroups().forEach(r.putArray("apiGroups")::add);
                    rule.resources().forEach(r.putArray("resources")::add);
                    if (!rule.resourceNames().isEmpty()) rule.resourceNames().forEach(r.putArray("resourceNames")::add);
                } else {
                    ObjectNode r = nonResourceRules.addObject();
                    rule.verbs().forEach(r.putArray("verbs")::add);
                    rule.nonResourceURLs().forEach(r.putArray("nonResourceURLs")::add);
                }
            }
        } else {
            ObjectNode rule = resourceRules.addObject();
            rule.putArray("verbs").add("*");
            rule.putArray("apiGroups").add("*");
            rule.putArray("resources").add("*");
            ObjectNode nonResource = nonResourceRules.addObject();
            nonResource.putArray("verbs").add("*");
            nonResource.putArray("nonResourceURLs").add("*");
        }
        status.put("incomplete", false);
    }

    private Optional<Authenticator.UserInfo> authenticate(String token) {
        for (Authenticator authenticator : authenticators) {
            Optional<Authenticator.UserInfo> user = authenticator.authenticateToken(token);
            if (user.isPresent()) return user;
        }
        return Optional.empty();
    }

    private static ObjectNode userInfo(Authenticator.UserInfo user) {
        ObjectNode info = Json.object();
        if (user == null) return info;
        info.put("username", user.name());
        if (user.uid() != null && !user.uid().isEmpty()) info.put("uid", user.uid());
        ArrayNode groups = info.putArray("groups");
        user.groups().forEach(groups::add);
        return info;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
