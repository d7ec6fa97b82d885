/** Label and field selectors: the query-string syntax, {@code LabelSelector} objects, and matching. */
package io.kube4j.machinery.selection;
