package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Collects the field errors of one validation with kube-apiserver's reasons and messages
 * ({@code spec.containers[0].image: Required value}). Not thread-safe: one per validation.
 */
final class Causes {

    private final List<StatusCause> causes = new ArrayList<>();

    List<StatusCause> list() {
        return List.copyOf(causes);
    }

    boolean isEmpty() {
        return causes.isEmpty();
    }

    int size() {
        return causes.size();
    }

    Causes add(StatusCause cause) {
        causes.add(cause);
        return this;
    }

    Causes addAll(Collection<StatusCause> more) {
        causes.addAll(more);
        return this;
    }

    Causes required(FieldPath path) {
        return required(path, "");
    }

    Causes required(FieldPath path, String detail) {
        return add(StatusCause.required(path.text(), detail));
    }

    Causes invalid(FieldPath path, Object value, String detail) {
        return add(new StatusCause("FieldValueInvalid",
                withDetail("Invalid value: " + GoValues.render(value), detail), path.text()));
    }

    Causes notSupported(FieldPath path, Object value, Collection<String> supported) {
        String list = String.join(", ", supported.stream().map(GoValues::quote).toList());
        return add(new StatusCause("FieldValueNotSupported",
                "Unsupported value: " + GoValues.render(value) + ": supported values: " + list, path.text()));
    }

    Causes duplicate(FieldPath path, Object value) {
        return add(new StatusCause("FieldValueDuplicate", "Duplicate value: " + GoValues.render(value), path.text()));
    }

    Causes notFound(FieldPath path, Object value) {
        return add(new StatusCause("FieldValueNotFound", "Not found: " + GoValues.render(value), path.text()));
    }

    Causes forbidden(FieldPath path, String detail) {
        return add(StatusCause.forbidden(path.text(), detail));
    }

    Causes tooLong(FieldPath path, long maxBytes) {
        return add(StatusCause.tooLong(path.text(), maxBytes));
    }

    Causes tooMany(FieldPath path, int actual, int max) {
        return add(new StatusCause("FieldValueTooMany",
                "Too many: " + actual + ": must have at most " + max + " items", path.text()));
    }

    /** Field errors for each message a name or value check returned, as {@code field.Invalid}. */
    Causes invalidEach(FieldPath path, Object value, List<String> messages) {
        for (String m : messages) invalid(path, value, m);
        return this;
    }

    Causes nonNegative(FieldPath path, long value) {
        if (value < 0) invalid(path, value, "must be greater than or equal to 0");
        return this;
    }

    /** Immutability as {@code ValidateImmutableField} reports it. */
    Causes immutable(FieldPath path, Object value) {
        return invalid(path, value, "field is immutable");
    }

    private static String withDetail(String head, String detail) {
        return detail == null || detail.isEmpty() ? head : head + ": " + detail;
    }
}
