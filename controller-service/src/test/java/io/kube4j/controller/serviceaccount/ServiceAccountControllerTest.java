package io.kube4j.controller.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceAccountControllerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "an active namespace without the account gets it,  Active,      false, false, create ServiceAccount team/default",
            "an active namespace with the account is left,     Active,      false, true,  ''",
            "a terminating namespace gets nothing,             Terminating, false, false, ''",
            "a namespace being deleted gets nothing,           Active,      true,  false, ''",
    })
    void keepsADefaultAccountInActiveNamespaces(String name, String phase, boolean deleting, boolean hasAccount, String expected) throws Exception {
        IndexedCache<Namespace> namespaces = new IndexedCache<>();
        IndexedCache<ServiceAccount> accounts = new IndexedCache<>();
        FakeObjectClient objects = new FakeObjectClient();
        namespaces.put(new NamespaceBuilder().withNewMetadata().withName("team")
                .withDeletionTimestamp(deleting ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewStatus().withPhase(phase).endStatus().build());
        if (hasAccount) {
            accounts.put(new ServiceAccountBuilder().withNewMetadata().withNamespace("team").withName("default").endMetadata().build());
        }
        new ServiceAccountController.DefaultAccount(namespaces, accounts, objects).reconcile("team");
        assertThat(String.join(";", objects.actions())).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aMissingNamespaceAndAnAccountMadeMeanwhileAreFine() throws Exception {
        IndexedCache<Namespace> namespaces = new IndexedCache<>();
        IndexedCache<ServiceAccount> accounts = new IndexedCache<>();
        FakeObjectClient objects = new FakeObjectClient();
        var reconciler = new ServiceAccountController.DefaultAccount(namespaces, accounts, objects);
        reconciler.reconcile("gone");
        assertThat(objects.actions()).isEmpty();

        namespaces.put(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata().build());
        objects.seed(new ServiceAccountBuilder().withNewMetadata().withNamespace("team").withName("default").endMetadata().build());
        reconciler.reconcile("team");
        assertThat(objects.list(ServiceAccount.class)).hasSize(1);
    }
}
