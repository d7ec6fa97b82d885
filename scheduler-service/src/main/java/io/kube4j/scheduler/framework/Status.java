package io.kube4j.scheduler.framework;

import java.util.List;

/**
 * The result of one plugin call: a code, the reasons shown to users (e.g. {@code Insufficient cpu}) and the
 * plugin that gave it. Expected rejections are values of this type, never exceptions.
 *
 * <p>Immutable. {@link #SUCCESS} stands for every success.
 *
 * @param code    what happened
 * @param reasons the user-facing reasons, in the order the plugin found them; empty for success
 * @param plugin  the name of the plugin that rejected, or null until the framework records it
 */
public record Status(Code code, List<String> reasons, String plugin) {

    public static final Status SUCCESS = new Status(Code.SUCCESS, List.of(), null);
    public static final Status SKIP = new Status(Code.SKIP, List.of(), null);

    public Status {
        reasons = List.copyOf(reasons);
    }

    public static Status unschedulable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE, List.of(reasons), null);
    }

    public static Status unresolvable(String... reasons) {
        return new Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, List.of(reasons), null);
    }

    public static Status error(String message) {
        return new Status(Code.ERROR, List.of(message), null);
    }

    public boolean isSuccess() {
        return code == Code.SUCCESS;
    }

    public boolean isSkip() {
        return code == Code.SKIP;
    }

    public boolean isRejection() {
        return code.isRejection();
    }

    /** This status attributed to {@code pluginName}. */
    public Status withPlugin(String pluginName) {
        return pluginName.equals(plugin) ? this : new Status(code, reasons, pluginName);
    }

    /** The reasons joined as kube-scheduler joins them into one message. */
    public String message() {
        return String.join(", ", reasons);
    }
}
