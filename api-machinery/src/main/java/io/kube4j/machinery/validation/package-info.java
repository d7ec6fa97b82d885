/** Syntax checks of names, label keys and values, and annotation keys, with Kubernetes' messages. */
package io.kube4j.machinery.validation;
