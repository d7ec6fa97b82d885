/** Shared API machinery: the resource registry, selectors, patches, Status errors and watch events. */
package io.kube4j.machinery;
