package io.kube4j.store;

class MemoryStoreTest extends StoreContractTest {

    @Override
    protected Store newStore() {
        return new MemoryStore();
    }
}
